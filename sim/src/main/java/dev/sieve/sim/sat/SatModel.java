package dev.sieve.sim.sat;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.arch.sat.SatVectorUnit;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.NonGemmWork;
import dev.sieve.dataflow.sat.OfflineScheduler;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Pregeneration;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.sat.ScheduleCost;
import dev.sieve.dataflow.sat.Tiling;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOp;
import dev.sieve.dataflow.workload.PostOps;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The SAT cycle model: a pure function of (config, topology, run). For each layer and pass it asks
 * the {@link OfflineScheduler} for the cheapest schedule under {@link TileTiming} and the dataflow's
 * traffic rules, then reports its cycles, stalls, traffic and energy.
 *
 * <p>A training step runs forward over layers 1..L, then backward over L..1 (data gradient, then
 * weight gradient; no data gradient for layer 1). Each pass is one tile sequence timed by
 * {@link TileTiming.PassClock}, the rule the generated accelerator follows: its reads stream ahead
 * of the array in step order, its writes follow the outputs, and only the first step's reads and
 * the last outputs' writes are exposed when the bandwidth keeps up; the model's traffic is the
 * packed bytes of the dataflow's {@code Tiling} (the accelerator's DRAM layout pads its words, so
 * its own check, {@link #acceleratorCycles}, feeds the same rule its words). The memory latency is
 * 0 here. After layer l's weight gradient its weights are updated and the pre-generation unit
 * builds both compressed copies beside the array while it goes on with layers l-1..1, one layer at a
 * time; what runs past the array's last cycle is exposed and counted. The unit is fused with the
 * weight update (it reads W from the update's stream, so only its writes of the two compressed
 * copies are extra traffic). Its DRAM traffic is counted in bytes and energy but not charged as
 * stalls to the array (an approximation: it is at most a few percent of the step's traffic).
 *
 * <p>That is the step without its non-GEMM work ({@link SatResult#gemmCycles}). The whole step
 * ({@link SatResult#totalCycles}) adds the non-GEMM work of every layer ({@code NonGemmWork}: batch
 * normalization, ReLU, residual additions, pooling, softmax and loss, the SGD/SR-STE update) on the
 * vector unit ({@link SatVectorUnit}), with the overlap {@link #simulate(SatConfig, SatVectorUnit, Topology,
 * SatRun)} states.
 */
public final class SatModel {

    private SatModel() {
    }

    /** Simulates {@code run} of {@code topology} on {@code cfg} with the default vector unit. */
    public static SatResult simulate(SatConfig cfg, Topology topology, SatRun run) {
        return simulate(cfg, SatVectorUnit.DEFAULT, topology, run);
    }

    /**
     * Simulates {@code run} of {@code topology} on {@code cfg} with vector unit {@code vu}: the GEMM
     * passes and pre-generation as the class comment says, and the non-GEMM work ({@link NonGemmWork}) on
     * the vector unit. Overlap with the array, stated: a layer's forward job runs after its forward pass
     * and before the next layer's (the next layer reads its result), its backward job before its data
     * and weight gradients (they read its result), so the array waits for both; a layer's weight update
     * is released after its weight gradient and runs while the array computes the later (lower) layers'
     * backward passes, in the vector unit's idle time, with the DRAM bandwidth those passes leave
     * (bandwidth minus their average traffic per cycle); what is left after the array's last pass runs
     * at the full bandwidth and is exposed. Pre-generation starts after each weight gradient as in the
     * GEMM-only step (it is fused with the update's stream and timed separately, an approximation).
     */
    public static SatResult simulate(SatConfig cfg, SatVectorUnit vu, Topology topology, SatRun run) {
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        double opPj = energy.pj(EnergyTable.Entry.MAC_FP32);
        double bw = cfg.dramBytesPerCycle();
        List<Layer> layers = topology.layers();
        List<List<PostOp>> ops = PostOps.of(topology);
        List<PassStats> stats = new ArrayList<>();
        List<VectorStats> vector = new ArrayList<>();
        NmPattern[] patterns = new NmPattern[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            patterns[i] = l.sparsity() != null && !run.pattern().isDense() ? l.sparsity() : run.pattern();
            cfg.requireSupported(patterns[i]);
        }
        long t = 0; // the GEMM-only step's clock
        long whole = 0; // the whole step's clock
        for (int i = 0; i < layers.size(); i++) {
            PassStats s = pass(cfg, energy, Bdwp.forward(layers.get(i), i, run.batch(), patterns[i]));
            stats.add(s);
            t += s.cycles();
            whole += s.cycles();
            VectorStats v = critical(NonGemmWork.forward(layers.get(i), i, ops.get(i), run.batch(), cfg.format(),
                    vu.bufferBytes()), vu, bw, opPj, energy);
            vector.add(v);
            whole += v.exposedCycles();
        }
        List<PregenStats> pregen = new ArrayList<>();
        PostOps.Source source = PostOps.source(topology);
        if (!run.training()) {
            return new SatResult(stats, pregen, t, t, vector, whole, 0, source, vu);
        }
        long unitFree = 0;
        long wholeUnitFree = 0;
        Background updates = new Background(vu, bw);
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            VectorStats back = critical(NonGemmWork.backward(l, i, ops.get(i), run.batch(), cfg.format(),
                    vu.bufferBytes()), vu, bw, opPj, energy);
            vector.add(back);
            whole += back.exposedCycles();
            List<PassStats> gemms = new ArrayList<>();
            if (i > 0) {
                gemms.add(pass(cfg, energy, Bdwp.dataGradient(l, i, run.batch(), patterns[i])));
            }
            gemms.add(pass(cfg, energy, Bdwp.weightGradient(l, i, run.batch())));
            for (PassStats g : gemms) {
                stats.add(g);
                t += g.cycles();
                whole += g.cycles();
                updates.window(g.cycles(), g.dramBytes());
            }
            updates.release(NonGemmWork.update(l, i, ops.get(i), patterns[i], cfg.format()));
            Pregeneration.Cost c = Pregeneration.cost(l, i, patterns[i], cfg.format(), true);
            if (c.groups() > 0) {
                long busy = Math.max(TileTiming.pregenCycles(c.groups(), cfg.cols()),
                        TileTiming.dramCycles(c.dramReadBytes() + c.dramWriteBytes(), cfg.dramBytesPerCycle()));
                long start = Math.max(t, unitFree);
                unitFree = start + busy;
                wholeUnitFree = Math.max(whole, wholeUnitFree) + busy;
                long bytes = c.dramReadBytes() + c.dramWriteBytes();
                pregen.add(new PregenStats(l.name(), i, c.groups(), busy, start, 0, c.dramReadBytes(),
                        c.dramWriteBytes(), bytes * energy.sramPjPerByte(), bytes * energy.dramPjPerByte()));
            }
        }
        long end = Math.max(t, unitFree);
        List<PregenStats> withExposure = new ArrayList<>();
        for (PregenStats p : pregen) {
            long exposed = Math.max(0, Math.min(p.startCycle() + p.cycles(), end) - Math.max(p.startCycle(), t));
            withExposure.add(new PregenStats(p.layer(), p.layerIndex(), p.groups(), p.cycles(), p.startCycle(), exposed,
                    p.dramReadBytes(), p.dramWriteBytes(), p.sramEnergyPj(), p.dramEnergyPj()));
        }
        long updatesEnd = whole + updates.drain(vector, opPj, energy);
        long wholeEnd = Math.max(updatesEnd, wholeUnitFree);
        return new SatResult(stats, withExposure, t, end, vector, wholeEnd, wholeEnd - updatesEnd, source, vu);
    }

    /** A forward or backward job: on the critical path, the unit and the DRAM port to itself. */
    private static VectorStats critical(NonGemmWork.Job job, SatVectorUnit vu, double bw, double opPj,
                                        EnergyTable energy) {
        long busy = busy(job, vu, bw);
        return new VectorStats(job, busy, busy, energy(job, opPj, energy));
    }

    /** {@code max(ops / rate, bytes / bandwidth)} of a job alone on the unit. */
    public static long busy(NonGemmWork.Job job, SatVectorUnit vu, double bw) {
        return Math.max(vu.computeCycles(job.ops()), TileTiming.dramCycles(job.readBytes() + job.writeBytes(), bw));
    }

    private static double energy(NonGemmWork.Job job, double opPj, EnergyTable energy) {
        return job.ops() * opPj + (job.readBytes() + job.writeBytes()) * energy.dramPjPerByte();
    }

    /**
     * The weight updates, in release order, running in the vector unit's idle windows while the array
     * computes: a job needs max(ops / rate, bytes / available bandwidth) cycles for all of it, and a
     * window of W cycles does W of them (a fraction of the job); jobs run one after another.
     */
    private static final class Background {
        private final SatVectorUnit vu;
        private final double bw;
        private final List<NonGemmWork.Job> jobs = new ArrayList<>();
        private final List<Double> left = new ArrayList<>(); // fraction of each job not yet done
        private int head;

        Background(SatVectorUnit vu, double bw) {
            this.vu = vu;
            this.bw = bw;
        }

        void release(NonGemmWork.Job job) {
            jobs.add(job);
            left.add(1.0);
        }

        /** A window of {@code cycles} while the array moves {@code arrayBytes} over the DRAM port. */
        void window(long cycles, long arrayBytes) {
            double free = Math.max(0, bw - (double) arrayBytes / Math.max(1, cycles));
            double room = cycles;
            while (room > 0 && head < jobs.size()) {
                double need = left.get(head) * full(jobs.get(head), free);
                if (need <= room) {
                    room -= need;
                    left.set(head, 0.0);
                    head++;
                } else {
                    left.set(head, left.get(head) - room / full(jobs.get(head), free));
                    room = 0;
                }
            }
        }

        /** Cycles of all of {@code job} with {@code free} bytes per cycle. */
        private double full(NonGemmWork.Job job, double free) {
            double compute = (double) job.ops() / vu.opsPerCycle();
            long bytes = job.readBytes() + job.writeBytes();
            return Math.max(compute, bytes == 0 ? 0 : free <= 0 ? Double.POSITIVE_INFINITY : bytes / free);
        }

        /**
         * Adds every update's statistics to {@code out} and returns the cycles the unfinished ones take
         * after the array's last pass, at the full bandwidth (each job's exposed part rounded up).
         */
        long drain(List<VectorStats> out, double opPj, EnergyTable energy) {
            long tail = 0;
            for (int i = 0; i < jobs.size(); i++) {
                NonGemmWork.Job job = jobs.get(i);
                long busy = busy(job, vu, bw);
                long exposed = left.get(i) <= 0 ? 0 : (long) Math.ceil(left.get(i) * full(job, bw) - 1e-9);
                tail += exposed;
                out.add(new VectorStats(job, busy, exposed, energy(job, opPj, energy)));
            }
            return tail;
        }
    }

    /** Schedules and costs one pass. */
    public static PassStats pass(SatConfig cfg, EnergyTable energy, PassGemm g) {
        OfflineScheduler.Choice choice = OfflineScheduler.best(g, cfg, COST);
        return evaluate(choice.schedule(), energy);
    }

    private static final ScheduleCost COST = new ScheduleCost() {
        @Override
        public Cost of(Schedule s) {
            return cost(s);
        }

        @Override
        public long lowerBound(Schedule s) {
            return SatModel.lowerBound(s);
        }
    };

    /**
     * A lower bound of {@link #cost}: the array's part {@link #arrayCycles} (the pass rule starts every
     * step no earlier, with the same overlap choices, and ends after the last step's outputs).
     */
    public static long lowerBound(Schedule s) {
        return arrayCycles(s);
    }

    /**
     * Cycles of {@code s} with its data on chip ({@link TileTiming.ArrayClock} over its steps: the full
     * chunks' steps, then the last chunk's), in O(1).
     */
    public static long arrayCycles(Schedule s) {
        long stepsPerChunk = (s.kTiles() * s.colTiles() + s.segments() - 1) / s.segments();
        long p = s.gemm().vectors();
        long full = p / s.chunk();
        long rest = p % s.chunk();
        TileTiming.ArrayClock clock = new TileTiming.ArrayClock(s.config());
        clock.steps(s.chunk(), s.segmentRows(), full * stepsPerChunk);
        if (rest > 0) {
            clock.steps(rest, s.segmentRows(), stepsPerChunk);
        }
        return clock.cycles();
    }

    /**
     * Busy cycles of {@code s} on the generated accelerator ({@code SatAccelerator}), whose memory
     * port moves one 16-byte beat per cycle in each direction and answers after {@code latency} extra
     * cycles: the {@link TileTiming.PassClock} rule over its steps, each reading the buffer words it
     * uses first and writing the output words it finishes, every word {@code beats} cycles (weight and
     * activation words of the pass's pattern, {@link SatAcceleratorLayout#weightBits(dev.sieve.arch.NmPattern)},
     * {@link SatAcceleratorLayout#actBits(dev.sieve.arch.NmPattern)}; output words of C 32-bit values). A step
     * is S consecutive segment tiles of the schedule's order (fewer at the end of a chunk), of any
     * column and reduction tiles; per segment tile it reads its R/S weight rows in the first chunk
     * and, at the first column tile and the first tile of a reduction group (kt mod S = 0), the
     * group's activation slice ({@link SatAcceleratorLayout.Command#kGroups}), and it writes its
     * column tile's outputs at the last reduction tile. Its fill is that of R/S rows and its merge
     * {@link TileTiming#mergeLatency}; schedules the accelerator refuses
     * ({@link SatAcceleratorLayout#segmentRefusal}) are refused here too.
     */
    public static long acceleratorCycles(Schedule s, int latency) {
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(s.config());
        long bw = SatAcceleratorLayout.beats(layout.weightBits(s.gemm().pattern()));
        long bx = SatAcceleratorLayout.beats(layout.actBits(s.gemm().pattern()));
        long by = SatAcceleratorLayout.beats(layout.outBits());
        long weightRows = s.config().rows() / s.segments();
        int seg = s.segments();
        long lastK = s.kTiles() - 1;
        return acceleratorSteps(s, latency, new SegmentTileTraffic() {
            @Override
            public double read(long base, long len, long kt, long ct) {
                return (base == 0 ? weightRows * bw : 0) + (ct == 0 && kt % seg == 0 ? len * bx : 0);
            }

            @Override
            public double write(long len, long kt, long ct) {
                return kt == lastK ? len * by : 0;
            }
        }, x -> (long) x);
    }

    /**
     * What one segment tile (kt, ct) of an accelerator step moves in the chunk of {@code len} vectors
     * from {@code base}, in the caller's unit (beats, bits).
     */
    interface SegmentTileTraffic {
        double read(long base, long len, long kt, long ct);

        double write(long len, long kt, long ct);
    }

    /**
     * Why the generated accelerator does not run {@code s}'s row segments
     * ({@link SatAcceleratorLayout#segmentRefusal}), or empty when it does.
     */
    static java.util.Optional<String> acceleratorRefusal(Schedule s) {
        return SatAcceleratorLayout.segmentRefusal(s.segments(), SatAcceleratorLayout.of(s.config()).maxSegments(),
                s.kTiles(), s.colTiles(), s.order() == dev.sieve.dataflow.sat.LoopOrder.INPUT_STATIONARY);
    }

    /**
     * The accelerator's steps of {@code s} (see {@link #acceleratorCycles}: per chunk, S consecutive
     * segment tiles of the schedule's order) on the {@link TileTiming.PassClock} rule: each step reads
     * and writes the sums of its segment tiles' {@code traffic}, turned into port cycles by
     * {@code cycles}. Refuses the schedules the accelerator refuses.
     */
    static long acceleratorSteps(Schedule s, int latency, SegmentTileTraffic traffic,
            java.util.function.DoubleToLongFunction cycles) {
        acceleratorRefusal(s).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        int seg = s.segments();
        boolean is = s.order() == dev.sieve.dataflow.sat.LoopOrder.INPUT_STATIONARY;
        long kTiles = s.kTiles();
        long colTiles = s.colTiles();
        long tiles = kTiles * colTiles;
        TileTiming.PassClock clock = new TileTiming.PassClock(s.config(), s.config().rows() / seg, latency,
                TileTiming.mergeLatency(s.config(), seg));
        long p = s.gemm().vectors();
        for (long base = 0; base < p; base += s.chunk()) {
            long len = Math.min(s.chunk(), p - base);
            for (long first = 0; first < tiles; first += seg) {
                double read = 0;
                double write = 0;
                for (long i = first; i < Math.min(first + seg, tiles); i++) {
                    long kt = is ? i / colTiles : i % kTiles;
                    long ct = is ? i % colTiles : i / kTiles;
                    read += traffic.read(base, len, kt, ct);
                    write += traffic.write(len, kt, ct);
                }
                clock.step(len, cycles.applyAsLong(read), cycles.applyAsLong(write));
            }
        }
        return clock.cycles();
    }

    /**
     * Busy cycles of pre-generating {@code blocks} dense Mmax x Mmax blocks on the accelerator of
     * {@code cfg} ({@link TileTiming#acceleratorPregenCycles}).
     */
    public static long acceleratorPregenCycles(SatConfig cfg, long blocks, int latency) {
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        return TileTiming.acceleratorPregenCycles(blocks, SatAcceleratorLayout.beats(layout.pregenBlockBits()),
                SatAcceleratorLayout.beats(layout.pregenResultBits()), latency, NmPregen.LATENCY);
    }

    /** The scheduler's cost function: exact cycles and DRAM bytes of {@code s}. */
    public static ScheduleCost.Cost cost(Schedule s) {
        Accumulator a = new Accumulator(s);
        Tiling.walk(s, a);
        return new ScheduleCost.Cost(a.cycles(), a.read + a.write);
    }

    /** Full statistics of {@code s}. */
    public static PassStats evaluate(Schedule s, EnergyTable energy) {
        Accumulator a = new Accumulator(s);
        Tiling.walk(s, a);
        PassGemm g = s.gemm();
        return new PassStats(g.layer(), g.layerIndex(), g.pass(), g.pattern(), s, a.tiles, a.steps, a.cycles(), a.stall(),
                g.macs(), g.effectiveMacs(), a.read, a.write, a.sram, g.effectiveMacs() * energy.macPj(),
                a.sram * energy.sramPjPerByte(), (a.read + a.write) * energy.dramPjPerByte());
    }

    /** Folds steps through {@link TileTiming}. */
    private static final class Accumulator implements dev.sieve.dataflow.sat.StepSink {
        final int rows;
        final int segRows;
        final SatConfig cfg;
        final double bw;
        final TileTiming.PassClock clock;
        long steps;
        long tiles;
        long read;
        long write;
        long sram;

        Accumulator(Schedule s) {
            rows = s.config().rows();
            segRows = s.segmentRows();
            cfg = s.config();
            bw = s.config().dramBytesPerCycle();
            clock = new TileTiming.PassClock(cfg, segRows, 0, TileTiming.mergeLatency(cfg, s.segments()));
        }

        @Override
        public void step(long vectors, int segmentTiles, long dramReadBytes, long dramWriteBytes, long sramBytes) {
            clock.step(vectors, TileTiming.dramCycles(dramReadBytes, bw),
                    TileTiming.dramCycles(dramWriteBytes, bw));
            steps++;
            tiles += segmentTiles;
            read += dramReadBytes;
            write += dramWriteBytes;
            sram += sramBytes;
        }

        long cycles() {
            return clock.cycles();
        }

        /** Cycles beyond the array's own {@link TileTiming#sequenceCycles}: exposed memory and control. */
        long stall() {
            return clock.cycles() - clock.arrayCycles();
        }
    }

    /** Pass statistics of {@code result} for one pass kind, in execution order. */
    public static List<PassStats> of(SatResult result, Pass pass) {
        return result.passes().stream().filter(p -> p.pass() == pass).toList();
    }
}
