package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.model.SatAcceleratorBench;
import dev.sieve.hdl.sat.model.SatAcceleratorData;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generated SAT accelerator as a device: every GEMM launch and every N:M weight pre-generation
 * runs on a Verilated {@link SatAccelerator} built from the device's {@link SatConfig} (compiled once,
 * then reused from the Verilator cache by content hash), programmed through its AXI4-Lite registers
 * with a memory behind its AXI4 port ({@link SatAcceleratorBench}: one 16-byte beat per cycle, no
 * extra latency; served in native code, the design being built with {@link SatAcceleratorBench#BUILD}).
 *
 * <p><b>Numerics.</b> Operands are rounded to BF16 as {@link SatDevice} rounds them; the accelerator
 * sums each output in {@link ExactGemm}'s order with the reduction tiles of the schedule the SAT
 * model chose ({@code R/S * kPerPe} positions with S row segments), the order {@link SatDevice} uses
 * on the same record: every output equals {@link SatDevice}'s bit for bit when the operands are finite and no product or partial sum
 * falls below 2^-126 (the outputs {@link SatDevice} computes on its fast path). Outside that range the
 * two can differ only in the sign of a zero: the accelerator multiplies the nonzero kept weights of
 * an N:M group (and zeros in its unused slots), {@link ExactGemm} every kept weight, and adding a zero
 * product changes nothing but a partial sum flushed to -0. Each GEMM follows the schedule the SAT
 * model chose for its pass (orientation, loop order, chunk); a transposed schedule runs
 * {@code C^T = B^T A^T} (dense passes only), whose sums are the same products in the same order.
 *
 * <p><b>Passes larger than the buffers.</b> The accelerator holds a whole pass on chip: all weight
 * tiles, all activation words and all outputs. The driver cuts a pass that does not fit into
 * sub-passes along the outputs (whole column tiles) and the vectors, each a command the hardware
 * accepts; every output is still one hardware sum in the same order. A schedule of S > 1 row
 * segments in the input-stationary order whose steps would wrap from the last column tile to the
 * first (which the accelerator refuses, {@link SatAcceleratorLayout#segmentRefusal}) runs at most S
 * column tiles per command, with the same S, chunk and order. The reduction is never cut:
 * that would add reduction tiles outside the output buffer and change the FP32 order. A pass whose
 * single column tile's reduction does not fit ({@code kGroups * R} weight words, {@code kGroups}
 * activation words, {@code kGroups = ceil(kTiles / S)}) is refused by {@link #plan} before anything runs.
 *
 * <p><b>Pre-generation.</b> An N:M layer's dense weights go to the accelerator as {@code Mmax x Mmax}
 * blocks of BF16 values (zero padded at the edges; a pad never wins a group against a real entry, so
 * a short group keeps what {@link NmMasks} keeps) and come back as the forward (along K) and backward
 * (along F) compressed values and indices, from which the operands and keep masks are unpacked. With
 * {@link BackwardMaskSource#FORWARD_PRUNED} the backward mask comes from a second run on the
 * forward-pruned blocks. A dense layer has nothing to prune: its operand is the BF16-rounded weights,
 * made on the host as every device makes it ({@link PregenUnit}).
 *
 * <p><b>Counters.</b> {@link #counters} are the SAT model's for the same launches, exactly those of a
 * {@link SatDevice} of the same record; what the hardware took is in {@link #rtlStats}, beside the
 * model's prediction for the same commands ({@link SatModel#acceleratorCycles},
 * {@link SatModel#acceleratorPregenCycles}).
 */
public final class RtlDevice implements Device {
    /** Extra memory latency of the bench, cycles (the SAT model's DRAM has none beyond its bandwidth). */
    public static final int LATENCY = 0;
    private static final long MAX_CYCLES = 1L << 40;

    private final SatConfig config;
    private final SatAcceleratorLayout layout;
    private final SatAcceleratorData data;
    private final SatDevice model;
    private final CompiledDesign design;
    private final VerilatedModel sim;
    private final SatAcceleratorBench bench;
    private RtlStats stats = RtlStats.ZERO;

    /**
     * What the accelerator did: commands run, GEMM and pre-generation busy cycles (its CYCLES register),
     * the model's prediction for the same commands, and the wall time spent in the simulation.
     */
    public record RtlStats(long commands, long gemmCycles, long pregenCycles, long modelGemmCycles,
                           long modelPregenCycles, double seconds) {
        public static final RtlStats ZERO = new RtlStats(0, 0, 0, 0, 0, 0);

        public long cycles() {
            return gemmCycles + pregenCycles;
        }

        public long modelCycles() {
            return modelGemmCycles + modelPregenCycles;
        }

        /** Simulated accelerator cycles per second of wall time. */
        public double cyclesPerSecond() {
            return seconds > 0 ? cycles() / seconds : 0;
        }

        RtlStats plus(long cmds, long gemm, long pregen, long modelGemm, long modelPregen, double s) {
            return new RtlStats(commands + cmds, gemmCycles + gemm, pregenCycles + pregen, modelGemmCycles + modelGemm,
                    modelPregenCycles + modelPregen, seconds + s);
        }

        /** What happened since {@code earlier} (a snapshot of the same device). */
        public RtlStats minus(RtlStats earlier) {
            return new RtlStats(commands - earlier.commands, gemmCycles - earlier.gemmCycles,
                    pregenCycles - earlier.pregenCycles, modelGemmCycles - earlier.modelGemmCycles,
                    modelPregenCycles - earlier.modelPregenCycles, seconds - earlier.seconds);
        }
    }

    /**
     * The accelerator record a training run on an {@code rows x cols} array builds: L = 4 BF16
     * multipliers per PE, dense plus {@code pattern}, the default buffer sizes, one row segment and a
     * memory of one 16-byte beat per cycle. It equals the record of
     * {@code simulate cosim sat --array RxC --nm N:M --format bf16}, so the two share one compiled design.
     */
    public static SatConfig config(int rows, int cols, NmPattern pattern) {
        List<NmPattern> built = pattern.isDense() ? List.of(NmPattern.DENSE) : List.of(NmPattern.DENSE, pattern);
        SatConfig cfg = new SatConfig(rows, cols, SatConfig.DEFAULT_MULTIPLIERS_PER_PE, built, NumberFormat.BF16_FP32,
                SatConfig.DEFAULT_BUFFER_KIB, SatConfig.DEFAULT_BUFFER_KIB, SatConfig.DEFAULT_BUFFER_KIB,
                SatAcceleratorLayout.BUS_BYTES, SatConfig.DEFAULT_CLOCK_MHZ, 1).requireRtlBuildable();
        SatAcceleratorLayout.of(cfg); // its buffer words must fit the memory port's bursts
        return cfg;
    }

    /**
     * Generates the accelerator of {@code config} (BF16, buildable, every row segment count of the
     * record runnable: {@link SatAcceleratorLayout#maxSegments}), compiles it or
     * takes it from the Verilator cache, and resets it.
     */
    public RtlDevice(SatConfig config) {
        if (config.format() != NumberFormat.BF16_FP32) {
            throw new IllegalArgumentException("RTL device: format " + config.format().label()
                    + " is not supported for training; allowed: bf16");
        }
        config.requireRtlBuildable();
        if (SatAcceleratorLayout.of(config).maxSegments() != config.rowSegments()) {
            throw new IllegalArgumentException("RTL device: rowSegments = " + config.rowSegments()
                    + ": the accelerator merges at most " + SatAcceleratorLayout.of(config).maxSegments()
                    + " segment partial sums in time; allowed up to that many");
        }
        this.config = config;
        this.layout = SatAcceleratorLayout.of(config);
        this.data = new SatAcceleratorData(layout);
        this.model = new SatDevice(config, 1, GemmKernel.Path.SCALAR);
        this.design = SatAcceleratorBench.compile(new SatAccelerator(layout).build());
        this.sim = design.newModel();
        this.bench = new SatAcceleratorBench(sim, LATENCY);
    }

    public SatConfig config() {
        return config;
    }

    /** The compiled design (its content hash, whether it came from the cache). */
    public CompiledDesign design() {
        return design;
    }

    @Override
    public String name() {
        return "rtl[" + config + "]";
    }

    @Override
    public Arithmetic arithmetic() {
        return Arithmetic.BF16_FP32;
    }

    @Override
    public int reductionTile(PassGemm pass) {
        return model.reductionTile(pass);
    }

    /** One command of a pass: rows {@code row0 ..} of the mapped product and vectors {@code vec0 ..}. */
    public record Piece(Schedule schedule, int row0, int vec0) {
        public int rows() {
            return Math.toIntExact(schedule.gemm().outputs());
        }

        public int vectors() {
            return Math.toIntExact(schedule.gemm().vectors());
        }
    }

    /**
     * The commands that run {@code pass} on this accelerator: the SAT model's schedule, cut along
     * outputs and vectors where the buffers require (class comment). Throws, naming the pass and the
     * buffer, when even one column tile's reduction does not fit.
     */
    public List<Piece> plan(PassGemm pass) {
        return plan(layout, model.stats(pass).schedule());
    }

    /**
     * Checks, before anything is compiled or run, that the accelerator of {@code cfg} runs {@code pass}
     * (cut as {@link #plan} cuts it); throws naming the pass and the buffer otherwise.
     */
    public static void requireRunnable(SatConfig cfg, PassGemm pass) {
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        Schedule s = SatModel.pass(cfg, dev.sieve.arch.EnergyTable.horowitz45nm(cfg.format()), pass).schedule();
        for (Piece p : plan(layout, s)) {
            SatCosim.command(layout, p.schedule(), 0, 0, 0);
        }
    }

    static List<Piece> plan(SatAcceleratorLayout layout, Schedule s) {
        SatDatapath dp = layout.datapath();
        PassGemm g = s.gemm();
        long max = (1L << SatAcceleratorLayout.COUNT_BITS) - 1;
        long kTiles = (s.kTiles() + s.segments() - 1) / s.segments(); // reduction groups of R rows
        int rows = dp.rows();
        String what = g.layer() + " " + g.pass().label() + " (K=" + g.reduction() + ", " + g.pattern() + ")";
        if (kTiles > max || kTiles * rows > layout.weightDepth() || kTiles > layout.actDepth()) {
            throw new IllegalArgumentException(what + ": its reduction takes " + kTiles + " groups of "
                    + s.kPerTile() * s.segments()
                    + "; one column tile needs " + kTiles * rows + " weight words (the buffer holds "
                    + layout.weightDepth() + ") and " + kTiles + " activation words (the buffer holds "
                    + layout.actDepth() + "); the reduction is not split (that would change the order of the FP32"
                    + " sums): use a smaller batch or larger buffers");
        }
        long colTiles = s.colTiles();
        long ct = Math.min(Math.min(colTiles, layout.weightDepth() / (kTiles * rows)), Math.min(max, layout.outBankDepth()));
        boolean is = s.order() == dev.sieve.dataflow.sat.LoopOrder.INPUT_STATIONARY;
        if (SatAcceleratorLayout.segmentRefusal(s.segments(), layout.maxSegments(), s.kTiles(), ct, is).isPresent()
                || colTiles % ct != 0 && SatAcceleratorLayout.segmentRefusal(s.segments(), layout.maxSegments(),
                s.kTiles(), colTiles % ct, is).isPresent()) {
            // a step of the input-stationary order would wrap into two words of one output bank: at most S
            // column tiles per command
            ct = Math.min(ct, s.segments());
        }
        long n = g.vectors();
        long v = Math.min(Math.min(n, layout.actDepth() / kTiles),
                Math.min(layout.outBankDepth() / ct * layout.datapath().rowSegments(), max));
        if (ct == colTiles && v == n) {
            return List.of(new Piece(s, 0, 0));
        }
        List<Piece> out = new ArrayList<>();
        long m = g.outputs();
        long rowStep = ct * dp.cols();
        for (long r0 = 0; r0 < m; r0 += rowStep) {
            long r = Math.min(rowStep, m - r0);
            for (long v0 = 0; v0 < n; v0 += v) {
                long vv = Math.min(v, n - v0);
                PassGemm sub = new PassGemm(g.layer(), g.layerIndex(), g.pass(), g.reduction(), r, vv, g.pattern(),
                        r * g.reduction(), g.reduction() * vv, r * vv, false, g.outputAtAccumulator());
                Schedule ss = new Schedule(sub, s.transposed(), s.config(), s.segments(), Math.min(s.chunk(), vv),
                        s.order());
                out.add(new Piece(ss, (int) r0, (int) v0));
            }
        }
        return out;
    }

    @Override
    public void gemm(PassGemm pass, Operand a, Matrix b, Matrix c) {
        Device.checkShapes(pass, a, b, c);
        Schedule s = model.stats(pass).schedule();
        List<Piece> plan = plan(layout, s);
        PassGemm g = s.gemm();
        int m = Math.toIntExact(g.outputs());
        int k = Math.toIntExact(g.reduction());
        int n = Math.toIntExact(g.vectors());
        boolean t = s.transposed();
        Matrix am = a.matrix();
        // the stationary operand W (m x k) and the streamed X (k x n) as the mapping has them, in BF16 bits
        int[][] w = new int[m][k];
        int[][] x = new int[k][n];
        if (!t) {
            for (int i = 0; i < m; i++) {
                for (int kk = 0; kk < k; kk++) {
                    w[i][kk] = a.kept(i, kk) ? bf16(am.get(i, kk)) : 0;
                }
            }
            for (int kk = 0; kk < k; kk++) {
                for (int j = 0; j < n; j++) {
                    x[kk][j] = bf16(b.get(kk, j));
                }
            }
        } else {
            for (int j = 0; j < m; j++) {
                for (int kk = 0; kk < k; kk++) {
                    w[j][kk] = bf16(b.get(kk, j));
                }
            }
            for (int kk = 0; kk < k; kk++) {
                for (int i = 0; i < n; i++) {
                    x[kk][i] = a.kept(i, kk) ? bf16(am.get(i, kk)) : 0;
                }
            }
        }
        float[] out = c.buffer().host();
        int cn = c.cols();
        for (Piece p : plan) {
            int[][] y = run(p, w, x);
            for (int r = 0; r < p.rows(); r++) {
                for (int v = 0; v < p.vectors(); v++) {
                    float f = Float.intBitsToFloat(y[r][v]);
                    f = f != f ? Float.NaN : f; // canonical 0x7FC00000, as SatDevice gives
                    int i = p.row0() + r;
                    int j = p.vec0() + v;
                    out[t ? j * cn + i : i * cn + j] = f;
                }
            }
        }
        model.account(pass, 0);
    }

    /** Runs one piece: packs its weights and activations, runs the command, returns its outputs' bits. */
    private int[][] run(Piece p, int[][] w, int[][] x) {
        Schedule s = p.schedule();
        NmPattern pattern = s.gemm().pattern();
        int[][] ws = p.row0() == 0 && p.rows() == w.length ? w : Arrays.copyOfRange(w, p.row0(), p.row0() + p.rows());
        int[][] xs = x;
        if (p.vec0() != 0 || x.length > 0 && p.vectors() != x[0].length) {
            xs = new int[x.length][];
            for (int kk = 0; kk < x.length; kk++) {
                xs[kk] = Arrays.copyOfRange(x[kk], p.vec0(), p.vec0() + p.vectors());
            }
        }
        long groups = (s.kTiles() + s.segments() - 1) / s.segments();
        byte[] wr = data.weights(ws, pattern, groups, s.colTiles());
        byte[] xr = data.activations(xs, pattern, groups);
        long xAddr = SatAcceleratorLayout.align(wr.length);
        long yAddr = xAddr + SatAcceleratorLayout.align(xr.length);
        SatAcceleratorLayout.Command cmd = SatCosim.command(layout, s, 0, xAddr, yAddr);
        bench.write(0, wr);
        bench.write(xAddr, xr);
        long t0 = System.nanoTime();
        SatAcceleratorBench.Run r = bench.run(cmd, MAX_CYCLES);
        double sec = (System.nanoTime() - t0) / 1e9;
        if (r.error()) {
            throw new IllegalStateException("the accelerator refused a descriptor its Java rule accepts: " + cmd);
        }
        stats = stats.plus(1, r.busyCycles(), 0, SatModel.acceleratorCycles(s, LATENCY), 0, sec);
        return data.outputs(bench.read(yAddr, Math.toIntExact(data.outputBytes(s.colTiles(), p.vectors()))), p.rows(),
                p.vectors());
    }

    private static int bf16(float v) {
        return Bf16Rounding.roundBits(v) >>> 16;
    }

    @Override
    public NmWeights pregen(Layer layer, int layerIndex, DeviceBuffer w, NmPattern pattern, BackwardMaskSource source,
                            NmWeights into) {
        config.requireSupported(pattern);
        int f = layer.outputs();
        int k = layer.reduction();
        NmWeights out = pattern.isDense()
                ? PregenUnit.generate(this, layer.name(), w, f, k, pattern, source, true, into)
                : pregenOnHardware(layer.name(), w, f, k, pattern, source, into);
        model.accountPregen(layer, layerIndex, pattern);
        return out;
    }

    private NmWeights pregenOnHardware(String label, DeviceBuffer w, int f, int k, NmPattern p,
                                      BackwardMaskSource source, NmWeights into) {
        int len = f * k;
        NmWeights out = PregenUnit.target(this, label, w, f, k, p, source, into);
        int[] bits = new int[len];
        float[] host = w.host();
        for (int i = 0; i < len; i++) {
            bits[i] = bf16(host[i]);
        }
        Compressed dense = runPregen(bits, f, k, p);
        float[] fwd = out.forward().host();
        boolean[] fk = out.forwardKeep();
        dense.unpack(true, fwd, fk);
        Compressed base = dense;
        if (source == BackwardMaskSource.FORWARD_PRUNED) {
            int[] pruned = new int[len];
            for (int i = 0; i < len; i++) {
                pruned[i] = fk[i] ? Bf16Rounding.bits(fwd[i]) : 0;
            }
            base = runPregen(pruned, f, k, p);
        }
        base.unpack(false, out.backward().host(), out.backwardKeep());
        return out;
    }

    /** The accelerator's compressed result words of one pre-generation of an {@code f x k} matrix. */
    private final class Compressed {
        final byte[] words;
        final int f;
        final int k;
        final NmPattern p;

        Compressed(byte[] words, int f, int k, NmPattern p) {
            this.words = words;
            this.f = f;
            this.k = k;
            this.p = p;
        }

        /**
         * The forward (or backward) operand: each kept entry's value at its place, zero elsewhere, and
         * the keep mask. Slot {@code line * keep + g * N + n} of a block's result holds the n-th value
         * kept from group g of the block's line (a row forward, a column backward) and its index in the group.
         */
        void unpack(boolean forward, float[] values, boolean[] keep) {
            SatDatapath dp = layout.datapath();
            int mMax = NmPregen.maxM(dp);
            int slotsPerLine = NmPregen.keep(dp);
            int ib = NmPregen.indexWidth(dp);
            int vw = dp.valueWidth();
            int slots = mMax * slotsPerLine;
            int bCols = (k + mMax - 1) / mMax;
            int blocks = words.length / (int) resultStride();
            Arrays.fill(values, 0, f * k, 0f);
            Arrays.fill(keep, 0, f * k, false);
            long valBase = forward ? 0 : (long) slots * (vw + ib);
            long idxBase = valBase + (long) slots * vw;
            for (int blk = 0; blk < blocks; blk++) {
                int bi = blk / bCols;
                int bj = blk % bCols;
                long word = blk * resultStride() * 8;
                for (int line = 0; line < mMax; line++) {
                    for (int g = 0; g < mMax / p.m(); g++) {
                        for (int nn = 0; nn < p.n(); nn++) {
                            int slot = line * slotsPerLine + g * p.n() + nn;
                            int v = field(words, word + valBase + (long) slot * vw, vw);
                            int idx = field(words, word + idxBase + (long) slot * ib, ib);
                            int along = g * p.m() + idx;
                            int row = forward ? bi * mMax + line : bi * mMax + along;
                            int col = forward ? bj * mMax + along : bj * mMax + line;
                            if (row < f && col < k) {
                                keep[row * k + col] = true;
                                values[row * k + col] = Float.intBitsToFloat(v << 16);
                            }
                        }
                    }
                }
            }
        }
    }

    private long resultStride() {
        return SatAcceleratorLayout.stride(layout.pregenResultBits());
    }

    /**
     * Pre-generates the {@code f x k} BF16 matrix {@code bits} in pattern {@code p} on the accelerator:
     * its Mmax x Mmax blocks (row-major block order, zero padded) in commands of at most 2^16 - 1 blocks.
     */
    private Compressed runPregen(int[] bits, int f, int k, NmPattern p) {
        SatDatapath dp = layout.datapath();
        int mMax = NmPregen.maxM(dp);
        int vw = dp.valueWidth();
        int bRows = (f + mMax - 1) / mMax;
        int bCols = (k + mMax - 1) / mMax;
        int blocks = bRows * bCols;
        int blockBytes = (layout.pregenBlockBits() + 7) / 8;
        long blockStride = SatAcceleratorLayout.stride(layout.pregenBlockBits());
        long resultStride = resultStride();
        int code = dp.sparsePatterns().indexOf(p);
        int maxBlocks = (1 << SatAcceleratorLayout.COUNT_BITS) - 1;
        byte[] results = new byte[Math.toIntExact(blocks * resultStride)];
        for (int first = 0; first < blocks; first += maxBlocks) {
            int count = Math.min(maxBlocks, blocks - first);
            byte[] region = new byte[Math.toIntExact(count * blockStride)];
            for (int b = 0; b < count; b++) {
                int bi = (first + b) / bCols;
                int bj = (first + b) % bCols;
                int off = (int) (b * blockStride);
                for (int e = 0; e < mMax * mMax; e++) {
                    int row = bi * mMax + e / mMax;
                    int col = bj * mMax + e % mMax;
                    put(region, off * 8L + (long) e * vw, vw, row < f && col < k ? bits[row * k + col] : 0);
                }
            }
            assert blockBytes <= blockStride;
            long yAddr = SatAcceleratorLayout.align(region.length);
            SatAcceleratorLayout.Pregen cmd = new SatAcceleratorLayout.Pregen(count, code, 0, yAddr);
            layout.refusal(cmd).ifPresent(why -> {
                throw new IllegalArgumentException("pre-generation refused: " + why);
            });
            bench.write(0, region);
            long t0 = System.nanoTime();
            SatAcceleratorBench.Run r = bench.run(cmd, MAX_CYCLES);
            double sec = (System.nanoTime() - t0) / 1e9;
            if (r.error()) {
                throw new IllegalStateException("the accelerator refused a pre-generation its Java rule accepts: " + cmd);
            }
            stats = stats.plus(1, 0, r.busyCycles(), 0, SatModel.acceleratorPregenCycles(config, count, LATENCY), sec);
            byte[] got = bench.read(yAddr, Math.toIntExact(count * resultStride));
            System.arraycopy(got, 0, results, Math.toIntExact(first * resultStride), got.length);
        }
        return new Compressed(results, f, k, p);
    }

    /** Writes {@code width} bits of {@code v} at bit {@code bit} of little-endian {@code buf}. */
    private static void put(byte[] buf, long bit, int width, int v) {
        for (int i = 0; i < width; i++) {
            if ((v >>> i & 1) != 0) {
                long b = bit + i;
                buf[(int) (b >>> 3)] |= (byte) (1 << (b & 7));
            }
        }
    }

    /** {@code width} bits at bit {@code bit} of little-endian {@code buf}. */
    private static int field(byte[] buf, long bit, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            long b = bit + i;
            v |= (buf[(int) (b >>> 3)] >>> (b & 7) & 1) << i;
        }
        return v;
    }

    /** What the accelerator has done since it was built (or since {@link #setRtlStats}). */
    public RtlStats rtlStats() {
        return stats;
    }

    /** Puts the accelerator's statistics back to {@code s} (to leave work such as evaluation out). */
    public void setRtlStats(RtlStats s) {
        stats = s;
    }

    /** The SAT model's statistics of {@code pass} on this record (what {@link SatDevice} would report). */
    public dev.sieve.sim.sat.PassStats stats(PassGemm pass) {
        return model.stats(pass);
    }

    @Override
    public Counters counters() {
        return model.counters();
    }

    /** Puts the model's counters back to {@code c}. */
    public void setCounters(Counters c) {
        model.setCounters(c);
    }

    @Override
    public void resetCounters() {
        model.resetCounters();
    }

    @Override
    public void close() {
        try {
            sim.close();
        } finally {
            model.close();
        }
    }
}
