package dev.sieve.sim.cli;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.arch.sat.SatVectorUnit;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.NonGemmWork;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOps;
import dev.sieve.dataflow.workload.ScaleSimConfig;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyException;
import dev.sieve.dataflow.workload.TopologyReader;
import dev.sieve.io.InputException;
import dev.sieve.io.OutputDir;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.sat.PassStats;
import dev.sieve.sim.sat.PregenStats;
import dev.sieve.sim.sat.SatFamily;
import dev.sieve.sim.sat.SatLayoutGap;
import dev.sieve.sim.sat.SatModel;
import dev.sieve.sim.sat.SatResult;
import dev.sieve.sim.sat.SatRun;
import dev.sieve.sim.sat.VectorStats;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate sat}: a SCALE-Sim topology through the SAT N:M training model, against the same
 * array in dense mode. Writes {@code sat_layers.csv} (one row per layer and pass, plus pre-generation
 * rows and the vector unit's rows) and {@code sat_summary.csv} atomically, then prints one summary line.
 */
@Command(name = "sat", mixinStandardHelpOptions = true,
        description = "Simulate a training step (or the forward pass) of a SCALE-Sim topology on a SAT-style "
                + "N:M sparse training array, and the same array dense.",
        footer = {"", "Examples:", "  simulate sat --topology examples/topologies/resnet18_cifar10.csv --array 32x32 --nm 2:8",
                "  simulate sat --scalesim-config scale.cfg --topology resnet18.csv --nm 2:4",
                "  simulate sat --topology vgg16.csv --array 16x16 --nm 2:4 --pass forward --out out/vgg",
                "", "Last line:", "  sat: cycles=C dense_cycles=D speedup_vs_dense=S ideal=I wall_s=W rtl=R gemm_cycles=G"
                        + " dense_gemm_cycles=GD gemm_speedup=GS non_gemm=given|inferred|mixed",
                "  C, D: the whole training step (GEMM passes, non-GEMM work on the vector unit, exposed updates and",
                "  pre-generation); G, GD: the GEMM passes and pre-generation alone; non_gemm: whether the topology's",
                "  Post Ops column gave the non-GEMM operations or they were inferred from the layer shapes",
                "  R: buildable, or modelled_only when Sieve's RTL generators do not build the",
                "  array (then a first line \"note: modelled only, ...\" says why)"})
public final class SatCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--scalesim-config", paramLabel = "X.cfg",
            description = "A SCALE-Sim v2/v3 config (INI): array size, buffer sizes and bandwidth come from it.")
    Path scalesimConfig;

    @Option(names = "--topology", required = true, paramLabel = "FILE.csv",
            description = "SCALE-Sim topology CSV (conv or GEMM header, optional Sparsity column).")
    Path topology;

    @Option(names = "--array", paramLabel = "RxC", description = "PE rows x columns (default: ${DEFAULT-VALUE}).")
    String array = "32x32";

    @Option(names = "--nm", paramLabel = "N:M", description = "N:M pattern of layers without a Sparsity value, or dense (default: ${DEFAULT-VALUE}).")
    String nm = "2:8";

    @Option(names = "--pass", paramLabel = "train|forward", description = "A whole training step or the forward pass only (default: ${DEFAULT-VALUE}).")
    String pass = "train";

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "sat");

    @Option(names = "--batch", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--format", paramLabel = "int8|bf16", description = "Number format (default: ${DEFAULT-VALUE}).")
    String format = "int8";

    @Option(names = "--multipliers", paramLabel = "L", description = "Multipliers per PE (default: ${DEFAULT-VALUE}).")
    int multipliers = SatConfig.DEFAULT_MULTIPLIERS_PER_PE;

    @Option(names = "--segments", paramLabel = "S", description = "Most row segments of the interleave mapping; 1 turns it off (default: 4, or rows' largest power-of-two divisor if smaller).")
    Integer segments;

    @Option(names = "--dram-bytes-per-cycle", paramLabel = "B", description = "DRAM bandwidth (default: ${DEFAULT-VALUE}).")
    double dram = SatConfig.DEFAULT_DRAM_BYTES_PER_CYCLE;

    @Option(names = "--buffer-kib", paramLabel = "KiB", description = "Size of each of the ifmap, weight and ofmap buffers (default: ${DEFAULT-VALUE}).")
    int bufferKib = SatConfig.DEFAULT_BUFFER_KIB;

    @Option(names = "--clock-mhz", paramLabel = "MHz", description = "Array clock (default: ${DEFAULT-VALUE}).")
    double clockMhz = SatConfig.DEFAULT_CLOCK_MHZ;

    @Option(names = "--fp-add-stages", paramLabel = "A", description = "Pipeline stages of each FP32 adder of a BF16 PE, "
            + "1 .. 4; a partial sum spends L x A cycles in a PE (default: ${DEFAULT-VALUE}; INT8 ignores it).")
    int fpAddStages = SatConfig.DEFAULT_FP_ADD_STAGES;

    @Option(names = "--vector-lanes", paramLabel = "N", description = "Lanes of the vector unit that does the "
            + "non-GEMM work, " + "1 .. 4096 (default: ${DEFAULT-VALUE}, an assumption: see SatVectorUnit).")
    int vectorLanes = SatVectorUnit.DEFAULT_LANES;

    @Option(names = "--vector-ops", paramLabel = "N", description = "Operations per lane per cycle of the vector "
            + "unit, 1 .. 16 (default: ${DEFAULT-VALUE}).")
    int vectorOps = SatVectorUnit.DEFAULT_OPS_PER_LANE;

    @Option(names = "--vector-buffer-kib", paramLabel = "KiB", description = "The vector unit's buffer (default: "
            + "${DEFAULT-VALUE}).")
    int vectorBufferKib = SatVectorUnit.DEFAULT_BUFFER_KIB;

    @Option(names = "--repeat", paramLabel = "N", description = "Also time N more simulations (warm JIT) and print the median (default: ${DEFAULT-VALUE}).")
    int repeat = 0;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Simulate.UsageError.requireRange("--repeat", repeat, 0, 100_000);
        OutputDir.prepare(out, "--out");
        SatConfig cfg = config();
        SatVectorUnit vu;
        try {
            vu = new SatVectorUnit(vectorLanes, vectorOps, vectorBufferKib);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(" ", 2)[0];
            throw new Simulate.UsageError((field.equals("vectorLanes") ? "--vector-lanes"
                    : field.equals("vectorOpsPerLane") ? "--vector-ops" : "--vector-buffer-kib") + ": " + e.getMessage());
        }
        NmPattern pattern = option("--nm", () -> NmPattern.parse(nm));
        option("--nm", () -> {
            cfg.requireSupported(pattern);
            return null;
        });
        boolean training = switch (pass) {
            case "train" -> true;
            case "forward" -> false;
            default -> throw new Simulate.UsageError("--pass '" + pass + "' is not allowed; allowed: train, forward");
        };
        SatRun run = option("--batch", () -> new SatRun(batch, pattern, training, BackwardMaskSource.DENSE));
        cfg.rtlLimit().ifPresent(why -> System.out.println("note: modelled only, no RTL for this array: " + why));
        Topology topo;
        try {
            topo = TopologyReader.read(topology);
        } catch (TopologyException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        for (Layer l : topo.layers()) {
            if (l.sparsity() != null && !cfg.supports(l.sparsity())) {
                throw new Simulate.UsageError(new TopologyException(topo.source(), l.line(), "Sparsity",
                        "N:M pattern " + l.sparsity() + " is not supported by this array; allowed: "
                                + String.join(", ", cfg.patterns().stream().map(NmPattern::toString).toList()))
                        .getMessage());
            }
        }
        SatResult sparse;
        SatResult dense;
        try {
            sparse = SatModel.simulate(cfg, vu, topo, run);
            dense = SatModel.simulate(cfg, vu, topo, run.dense());
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(topo.source() + ": " + e.getMessage());
        }
        if (sparse.nonGemmSource() != PostOps.Source.GIVEN) {
            System.out.println("note: " + topo.source() + ": non-GEMM operations of "
                    + (sparse.nonGemmSource() == PostOps.Source.INFERRED ? "every layer" : "the layers without a Post Ops value")
                    + " inferred from the layer shapes (conv: bn+relu; 1x1 output: relu; last: softmax;"
                    + " pooling where the next layer reads a smaller map; no residual adds); give them in a 'Post Ops' column");
        }
        write(cfg, run, sparse, dense);
        double wall = (System.nanoTime() - start) / 1e9;
        if (repeat > 0) {
            double[] t = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                SatModel.simulate(cfg, vu, topo, run);
                SatModel.simulate(cfg, vu, topo, run.dense());
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(t);
            double median = t[repeat / 2];
            System.out.printf(Locale.ROOT, "timing: %d warm runs, median %.2f ms per sparse+dense simulation, "
                    + "%.3g simulated cycles per wall second%n", repeat, median * 1e3,
                    (sparse.totalCycles() + dense.totalCycles()) / median);
        }
        double speedup = (double) dense.totalCycles() / sparse.totalCycles();
        System.out.printf(Locale.ROOT, "passes: fwd=%d dgrad=%d wgrad=%d pregen_exposed=%d stall=%d (dense fwd=%d dgrad=%d wgrad=%d) cycles;"
                        + " bound for this dense split %.3f%n",
                sparse.cycles(Pass.FORWARD), sparse.cycles(Pass.DATA_GRADIENT), sparse.cycles(Pass.WEIGHT_GRADIENT),
                sparse.exposedPregenCycles(), sparse.stallCycles(), dense.cycles(Pass.FORWARD),
                dense.cycles(Pass.DATA_GRADIENT), dense.cycles(Pass.WEIGHT_GRADIENT), bound(dense, pattern));
        System.out.printf(Locale.ROOT, "non-gemm (%s, %s): vec_fwd=%d vec_bwd=%d update_exposed=%d pregen_tail=%d "
                        + "(dense vec_fwd=%d vec_bwd=%d update_exposed=%d) cycles; step without it %d (dense %d), "
                        + "speedup %.3f%n",
                sparse.nonGemmSource().label(), vu, sparse.exposedCycles(NonGemmWork.Phase.FORWARD),
                sparse.exposedCycles(NonGemmWork.Phase.BACKWARD), sparse.exposedCycles(NonGemmWork.Phase.UPDATE),
                sparse.tailPregenCycles(), dense.exposedCycles(NonGemmWork.Phase.FORWARD),
                dense.exposedCycles(NonGemmWork.Phase.BACKWARD), dense.exposedCycles(NonGemmWork.Phase.UPDATE),
                sparse.gemmCycles(), dense.gemmCycles(), (double) dense.gemmCycles() / sparse.gemmCycles());
        System.out.println("share: " + shares(sparse, cfg) + " (dense: " + shares(dense, cfg) + ")");
        System.out.printf(Locale.ROOT, "energy: %.3f mJ (dense %.3f mJ), dram %d bytes (dense %d), %.1f us at %.0f MHz, "
                        + "simulated %.3g cycles/s of wall time%n",
                sparse.energyPj() * 1e-9, dense.energyPj() * 1e-9, sparse.dramBytes(), dense.dramBytes(),
                sparse.totalCycles() / cfg.clockMhz(), cfg.clockMhz(),
                (sparse.totalCycles() + dense.totalCycles()) / wall);
        acceleratorLine(cfg, sparse).ifPresent(System.out::println);
        System.out.println("wrote " + out.resolve(LAYERS) + ", " + out.resolve(SUMMARY) + " and "
                + out.resolve(COMPUTE_REPORT));
        System.out.printf(Locale.ROOT, "sat: cycles=%d dense_cycles=%d speedup_vs_dense=%.3f ideal=%.3f wall_s=%.3f rtl=%s"
                        + " gemm_cycles=%d dense_gemm_cycles=%d gemm_speedup=%.3f non_gemm=%s%n",
                sparse.totalCycles(), dense.totalCycles(), speedup, run.idealSpeedup(), wall,
                cfg.rtlBuildable() ? "buildable" : "modelled_only", sparse.gemmCycles(), dense.gemmCycles(),
                (double) dense.gemmCycles() / sparse.gemmCycles(), sparse.nonGemmSource().label());
        return 0;
    }

    /**
     * For a point the RTL generators build: the GEMM passes' cycles with the traffic of the generated
     * accelerator's DRAM layout ({@link SatLayoutGap}) on the model's schedules at this point's
     * bandwidth, against the model's, and what is left as each layout term is taken away (so the last
     * figure is 1), over the passes whose schedules the accelerator runs (not those whose row-segment
     * steps mix column tiles); empty when the accelerator of this record is not built.
     */
    static java.util.Optional<String> acceleratorLine(SatConfig cfg, SatResult r) {
        if (!cfg.rtlBuildable()) {
            return java.util.Optional.empty();
        }
        try {
            dev.sieve.hdl.sat.SatAcceleratorLayout.of(cfg);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        SatLayoutGap.Term[] terms = SatLayoutGap.Term.values();
        long model = 0;
        long[] accel = new long[terms.length + 1];
        int run = 0;
        for (PassStats p : r.passes()) {
            if (!SatLayoutGap.runs(p.schedule())) {
                continue;
            }
            run++;
            model += p.cycles();
            for (int t = 0; t <= terms.length; t++) {
                accel[t] += SatLayoutGap.cycles(p.schedule(), t);
            }
        }
        if (run == 0) {
            return java.util.Optional.of("accelerator: none of the " + r.passes().size() + " GEMM passes' schedules runs"
                    + " on the generated accelerator (their row-segment steps mix column tiles)");
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "accelerator: with the generated RTL's DRAM layout (16-byte beats, whole tiles, 32-bit outputs, im2col "
                        + "operands) the %d of %d GEMM passes whose schedules it runs take %d cycles here, %.3fx the "
                        + "model's %d; taking away", run, r.passes().size(), accel[0], (double) accel[0] / model, model));
        for (int t = 0; t < terms.length; t++) {
            b.append(String.format(Locale.ROOT, "%s %s %.3fx", t == 0 ? "" : ",", terms[t].label(),
                    (double) accel[t + 1] / model));
        }
        return java.util.Optional.of(b.append(" (per pass: simulate bench sat-layout)").toString());
    }

    /**
     * The speedup N:M could give if its sparse passes were exactly M/N times faster than dense here:
     * dense / ((fwd + dgrad) * N/M + wgrad). Equals the paper's 3/(2N/M + 1) when the three dense passes
     * take equal time; above it when, as at batch 1, the dense forward and data gradient take longer.
     */
    static double bound(SatResult dense, NmPattern p) {
        long fd = dense.cycles(Pass.FORWARD) + dense.cycles(Pass.DATA_GRADIENT);
        return dense.gemmCycles() / (fd * p.density() + dense.cycles(Pass.WEIGHT_GRADIENT));
    }

    /**
     * The whole step's cycles by kind, in percent: the three GEMM passes, each kind of non-GEMM work
     * (its exposed cycles) and the pre-generation left after everything else.
     */
    static String shares(SatResult r, SatConfig cfg) {
        double total = r.totalCycles();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "fwd=%.1f%% dgrad=%.1f%% wgrad=%.1f%%", 100 * r.cycles(Pass.FORWARD) / total,
                100 * r.cycles(Pass.DATA_GRADIENT) / total, 100 * r.cycles(Pass.WEIGHT_GRADIENT) / total));
        r.exposedByKind(cfg.dramBytesPerCycle()).forEach((k, c) ->
                b.append(String.format(Locale.ROOT, " %s=%.1f%%", k.label(), 100 * c / total)));
        b.append(String.format(Locale.ROOT, " pregen=%.1f%%", 100 * r.tailPregenCycles() / total));
        return b.toString();
    }


    static final String LAYERS = "sat_layers.csv";
    static final String SUMMARY = "sat_summary.csv";
    static final String COMPUTE_REPORT = "COMPUTE_REPORT.csv";

    static final List<String> LAYER_COLUMNS = List.of("layer", "layer_index", "pass", "pattern", "loop_order",
            "transposed", "row_segments", "chunk_vectors", "tiles", "steps", "cycles", "stall_cycles", "dense_cycles",
            "speedup_vs_dense", "macs", "performed_macs", "utilization_pct", "dram_read_bytes", "dram_write_bytes",
            "sram_bytes", "energy_mac_pJ", "energy_sram_pJ", "energy_dram_pJ", "energy_pJ");

    private SatConfig config() {
        int rows;
        int cols;
        int ifmapKib = bufferKib;
        int weightKib = bufferKib;
        int ofmapKib = bufferKib;
        double bandwidth = dram;
        if (scalesimConfig != null) {
            for (String o : List.of("--array", "--buffer-kib", "--dram-bytes-per-cycle")) {
                if (commandSpec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new Simulate.UsageError(o + " conflicts with --scalesim-config " + scalesimConfig
                            + ", which sets it; give one of the two");
                }
            }
            ScaleSimConfig sc;
            try {
                sc = ScaleSimConfig.read(scalesimConfig);
            } catch (InputException e) {
                throw new Simulate.UsageError(e.getMessage());
            }
            rows = sc.arrayHeight();
            cols = sc.arrayWidth();
            ifmapKib = sc.ifmapKiB();
            weightKib = sc.filterKiB();
            ofmapKib = sc.ofmapKiB();
            int elementBytes = option("--format", () -> NumberFormat.parse(format)).operandBytes(); // words -> bytes
            bandwidth = (double) sc.bandwidthWords() * elementBytes;
            if (!sc.dataflow().equals("ws")) {
                System.out.println("note: " + scalesimConfig + ": Dataflow = " + sc.dataflow()
                        + "; the SAT array is weight-stationary, so Sieve models it as ws");
            }
        } else {
            int[] rc;
            try {
                rc = SatFamily.rowsCols(array);
            } catch (IllegalArgumentException e) {
                throw new Simulate.UsageError("--array '" + array + "' is malformed; " + e.getMessage());
            }
            rows = rc[0];
            cols = rc[1];
        }
        NumberFormat f = option("--format", () -> NumberFormat.parse(format));
        try {
            List<NmPattern> supported = SatConfig.patternsFor(multipliers, SatConfig.DEFAULT_PATTERNS);
            return new SatConfig(rows, cols, multipliers, supported, f, ifmapKib, weightKib, ofmapKib, bandwidth,
                    clockMhz, segments != null ? segments
                            : Math.min(SatConfig.DEFAULT_ROW_SEGMENTS, Integer.lowestOneBit(Math.max(rows, 1))),
                    fpAddStages);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split("[ :]", 2)[0];
            String opt = switch (field) {
                case "rows", "cols" -> scalesimConfig != null ? "--scalesim-config" : "--array";
                case "multipliersPerPe", "patterns" -> "--multipliers";
                case "ifmapKiB", "weightKiB", "ofmapKiB" -> scalesimConfig != null ? "--scalesim-config" : "--buffer-kib";
                case "dramBytesPerCycle" -> scalesimConfig != null ? "--scalesim-config" : "--dram-bytes-per-cycle";
                case "clockMhz" -> "--clock-mhz";
                case "rowSegments" -> "--segments";
                case "fpAddStages" -> "--fp-add-stages";
                default -> "config";
            };
            throw new Simulate.UsageError(opt + ": " + e.getMessage());
        }
    }

    private static <T> T option(String name, java.util.function.Supplier<T> f) {
        return Simulate.UsageError.option(name, f);
    }

    static final List<String> SUMMARY_COLUMNS = List.of("topology", "array", "multipliers_per_pe", "format",
            "pattern", "pass", "batch", "row_segments_max", "cycles", "dense_cycles", "speedup_vs_dense",
            "ideal_speedup", "bound_speedup", "stall_cycles", "pregen_exposed_cycles", "dram_bytes", "dense_dram_bytes",
            "energy_pJ", "dense_energy_pJ", "time_us", "gemm_cycles", "dense_gemm_cycles", "gemm_speedup",
            "non_gemm_cycles", "dense_non_gemm_cycles", "non_gemm_source", "vector_lanes", "vector_ops_per_lane",
            "vector_buffer_kib");

    /** SCALE-Sim's own {@code COMPUTE_REPORT.csv} column names, kept exactly for tools that read its reports. */
    static final List<String> COMPUTE_REPORT_COLUMNS = List.of("LayerID", "Total Cycles", "Stall Cycles",
            "Overall Util %", "Mapping Efficiency %", "Compute Util %");

    private void write(SatConfig cfg, SatRun run, SatResult sparse, SatResult dense) {
        Map<String, PassStats> denseByKey = new HashMap<>();
        for (PassStats d : dense.passes()) {
            denseByKey.put(d.layerIndex() + "/" + d.pass(), d);
        }
        ReportWriter.stream(out.resolve(LAYERS), LAYER_COLUMNS, w -> {
            for (PassStats s : sparse.passes()) {
                PassStats d = denseByKey.get(s.layerIndex() + "/" + s.pass());
                w.row(s.layer(), s.layerIndex(), s.pass().label(), s.pattern(), s.schedule().order().label(),
                        s.schedule().transposed(), s.schedule().segments(), s.schedule().chunk(), s.tiles(), s.steps(),
                        s.cycles(), s.stallCycles(), d.cycles(), (double) d.cycles() / s.cycles(), s.macs(),
                        s.effectiveMacs(), 100 * s.utilization(), s.dramReadBytes(), s.dramWriteBytes(), s.sramBytes(),
                        s.macEnergyPj(), s.sramEnergyPj(), s.dramEnergyPj(), s.energyPj());
            }
            Map<String, VectorStats> denseVec = new HashMap<>();
            for (VectorStats v : dense.vector()) {
                denseVec.put(v.job().layerIndex() + "/" + v.job().phase(), v);
            }
            for (VectorStats v : sparse.vector()) {
                VectorStats d = denseVec.get(v.job().layerIndex() + "/" + v.job().phase());
                if (v.job().isEmpty()) {
                    continue;
                }
                w.row(v.job().layer(), v.job().layerIndex(), v.job().phase().label(), run.pattern(), null, null, null,
                        null, null, null, v.exposedCycles(), 0, d.exposedCycles(),
                        v.exposedCycles() == 0 ? null : (double) d.exposedCycles() / v.exposedCycles(), null,
                        null, null, v.job().readBytes(), v.job().writeBytes(), null, null, null, null, v.energyPj());
            }
            for (PregenStats p : sparse.pregen()) {
                w.row(p.layer(), p.layerIndex(), "pregen", run.pattern(), null, null, null, null, null, null,
                        p.exposedCycles(), 0, 0, null, null, null, null, p.dramReadBytes(), p.dramWriteBytes(),
                        p.dramReadBytes() + p.dramWriteBytes(), 0.0, p.sramEnergyPj(), p.dramEnergyPj(), p.energyPj());
            }
        });
        writeComputeReport(out.resolve(COMPUTE_REPORT), cfg, sparse);
        ReportWriter.stream(out.resolve(SUMMARY), SUMMARY_COLUMNS, w -> {
            w.row(topology, cfg.rows() + "x" + cfg.cols(), cfg.multipliersPerPe(), cfg.format().label(), run.pattern(),
                    run.training() ? "train" : "forward", run.batch(), cfg.rowSegments(), sparse.totalCycles(),
                    dense.totalCycles(), (double) dense.totalCycles() / sparse.totalCycles(), run.idealSpeedup(),
                    bound(dense, run.pattern()), sparse.stallCycles(), sparse.exposedPregenCycles(), sparse.dramBytes(),
                    dense.dramBytes(), sparse.energyPj(), dense.energyPj(), sparse.totalCycles() / cfg.clockMhz(),
                    sparse.gemmCycles(), dense.gemmCycles(), (double) dense.gemmCycles() / sparse.gemmCycles(),
                    sparse.nonGemmCycles(), dense.nonGemmCycles(), sparse.nonGemmSource().label(),
                    sparse.vectorUnit().lanes(), sparse.vectorUnit().opsPerLanePerCycle(),
                    sparse.vectorUnit().bufferKiB());
        });
    }

    /**
     * SCALE-Sim's {@code COMPUTE_REPORT.csv} columns, one row per layer, all passes of the run
     * summed: utilization counts performed multiplications over the array's peak (R*C*L per cycle)
     * for all cycles (Overall) or cycles without DRAM stalls (Compute); mapping efficiency is the
     * share of weight slots holding a weight, averaged over the passes by their cycles.
     */
    static void writeComputeReport(Path file, SatConfig cfg, SatResult r) {
        Map<Integer, long[]> byLayer = new java.util.TreeMap<>();
        Map<Integer, double[]> mapping = new HashMap<>();
        for (PassStats s : r.passes()) {
            long[] a = byLayer.computeIfAbsent(s.layerIndex(), k -> new long[3]);
            a[0] += s.cycles();
            a[1] += s.stallCycles();
            a[2] += s.effectiveMacs();
            double[] m = mapping.computeIfAbsent(s.layerIndex(), k -> new double[2]);
            m[0] += s.schedule().mappingEfficiency() * s.cycles();
            m[1] += s.cycles();
        }
        double peak = cfg.peakMacsPerCycle();
        ReportWriter.stream(file, COMPUTE_REPORT_COLUMNS, w -> {
            for (Map.Entry<Integer, long[]> e : byLayer.entrySet()) {
                long[] a = e.getValue();
                double[] m = mapping.get(e.getKey());
                w.row(e.getKey(), a[0], a[1], 100 * a[2] / (a[0] * peak), 100 * m[0] / m[1],
                        a[0] == a[1] ? 0.0 : 100 * a[2] / ((a[0] - a[1]) * peak));
            }
        });
    }
}
