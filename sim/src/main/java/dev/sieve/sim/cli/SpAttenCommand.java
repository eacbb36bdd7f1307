package dev.sieve.sim.cli;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.AttentionWorkload;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.dataflow.spatten.TraceFormatException;
import dev.sieve.io.OutputDir;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.spatten.FixedPointAttention;
import dev.sieve.sim.spatten.SpAttenEnergy;
import dev.sieve.sim.spatten.LayerStep;
import dev.sieve.sim.spatten.SpAttenModel;
import dev.sieve.sim.spatten.SpAttenReport;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate spatten}: runs the SpAtten-style accelerator model on a workload preset or a
 * recorded trace, writes per-layer and per-step CSVs and prints the speedup breakdown.
 */
@Command(name = "spatten", mixinStandardHelpOptions = true,
        description = "Cycle model of a SpAtten-style sparse attention accelerator (cascade token/head pruning, "
                + "local V pruning, top-k engine, progressive quantization) on a workload or a SpAtten trace CSV. "
                + "Writes layers.csv, steps.csv and breakdown.csv into DIR.",
        footer = {"", "Examples:", "  simulate spatten --workload gpt2-small",
                "  simulate spatten --workload bert-base --hardware spatten-1/8",
                "  simulate spatten --trace ../shared/data/spatten-traces/summary-gpt2-small-wikitext2-per8.csv",
                "  simulate spatten --workload bert-base --seq-len 384 --token-prune 0.5 --out out/bert"})
public final class SpAttenCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--workload", paramLabel = "NAME",
                description = "gpt2-small, gpt2-medium, bert-base or bert-large (schedule from the config).")
        String workload;

        @Option(names = "--trace", paramLabel = "FILE.csv", description = "A SpAtten trace CSV (per step, layer, head).")
        Path trace;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/spatten/<name>).")
    Path out;

    @Option(names = "--hardware", paramLabel = "PRESET", defaultValue = "spatten",
            description = "spatten (the paper's full scale: 512+512 multipliers, 16 HBM channels) or spatten-1/8 "
                    + "(the released default run: 64+64 multipliers, 2 channels); default ${DEFAULT-VALUE}.")
    String hardware;

    @Option(names = "--seq-len", paramLabel = "N", defaultValue = "384",
            description = "BERT sequence length in tokens (default ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--heads", paramLabel = "H", description = "Workloads only: override the number of heads.")
    Integer heads;

    @Option(names = "--model-dim", paramLabel = "D", description = "Workloads only: override the model dimension.")
    Integer modelDim;

    @Option(names = "--token-prune", paramLabel = "R", description = "Final token prune ratio in [0, 1) (default 0.87).")
    Double tokenPrune;

    @Option(names = "--head-prune", paramLabel = "R", description = "Final head prune ratio in [0, 1) (default 0.25).")
    Double headPrune;

    @Option(names = "--value-prune", paramLabel = "R", description = "Local V prune ratio in [0, 1) (default 0.8; generation only, "
                    + "a summarization keeps every kept token's V row).")
    Double valuePrune;

    @Option(names = "--topk-comparators", paramLabel = "P",
            description = "Comparators of the top-k engine, a power of two in 2 .. 64 (default: the preset's, 16).")
    Integer topkComparators;

    @Option(names = "--topk-engines", paramLabel = "E", defaultValue = "1",
            description = "Top-k engines selecting for different queries in parallel (default ${DEFAULT-VALUE}).")
    int topkEngines;

    @Option(names = "--refetch-rate", paramLabel = "R", defaultValue = "0.059",
            description = "Workloads only: fraction of heads refetching K LSBs (default ${DEFAULT-VALUE}, the paper's 5.9%%).")
    double refetchRate;

    @Option(names = "--functional-tokens", paramLabel = "N", defaultValue = "256",
            description = "Tokens of the fixed-point functional check (0 = skip; default ${DEFAULT-VALUE}).")
    int functionalTokens;

    @Option(names = "--energy-table", paramLabel = "FILE",
            description = "Override entries of the energy table (lines 'key = pJ', taken at SpAtten's 40 nm); "
                    + "see README, Energy.")
    Path energyTable;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        PrintStream o = System.out;
        SpAttenConfig cfg;
        SpAttenPolicy policy;
        AttentionTrace trace;
        AttentionWorkload workload = null;
        try {
            SpAttenPolicy base = SpAttenPolicy.paper();
            policy = base.withPruning(tokenPrune != null ? tokenPrune : base.tokenPruneRatio(),
                    headPrune != null ? headPrune : base.headPruneRatio(),
                    valuePrune != null ? valuePrune : base.valuePruneRatio());
            cfg = SpAttenConfig.preset(hardware).withTopkEngines(topkEngines);
            if (topkComparators != null) {
                cfg = cfg.withTopkComparators(topkComparators);
            }
            policy.requireFits(cfg);
            if (input.trace != null) {
                trace = AttentionTrace.read(input.trace);
            } else {
                workload = AttentionWorkload.named(input.workload, seqLen);
                if (heads != null || modelDim != null) {
                    workload = new AttentionWorkload(workload.name(), workload.layers(),
                            heads != null ? heads : workload.heads(), modelDim != null ? modelDim : workload.modelDim(),
                            workload.promptTokens(), workload.generatedTokens());
                }
                trace = AttentionTrace.synthesize(workload, cfg, policy, refetchRate);
            }
            if ((heads != null || modelDim != null) && input.trace != null) {
                throw new IllegalArgumentException("--heads and --model-dim apply to --workload only");
            }
            if (functionalTokens < 0 || functionalTokens > 4096) {
                throw new IllegalArgumentException("--functional-tokens = " + functionalTokens
                        + " is out of range; allowed 0 .. 4096");
            }
        } catch (TraceFormatException e) {
            throw new Simulate.UsageError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        EnergyTable table = SpAttenEnergy.defaultTable();
        if (energyTable != null) {
            table = table.with(EnergyTable.read(energyTable));
        }
        String name = trace.name().replaceFirst("\\.csv$", "");
        Path dir = out != null ? out : Path.of("out", "spatten", name);
        OutputDir.prepare(dir, "--out");

        SpAttenModel model = new SpAttenModel(cfg);
        List<SpAttenPolicy.Step> breakdown = policy.breakdown();
        List<SpAttenModel.Run> runs = new ArrayList<>();
        for (SpAttenPolicy.Step step : breakdown) {
            runs.add(model.run(trace, step.policy()));
        }
        SpAttenModel.Run dense = runs.get(0);
        SpAttenModel.Run full = runs.get(runs.size() - 1);
        List<SpAttenReport.Layer> layers = SpAttenReport.layers(full, dense, table);
        SpAttenReport.Totals totals = SpAttenReport.totals(full, dense, table);
        try {
            SpAttenReport.writeLayers(dir.resolve("layers.csv"), layers);
            SpAttenReport.writeSteps(dir.resolve("steps.csv"), full, dense, table);
            writeBreakdown(dir.resolve("breakdown.csv"), breakdown, runs, table, trace.summarization());
        } catch (UncheckedIOException e) {
            throw new Simulate.UsageError(e.getMessage());
        }

        o.printf(Locale.ROOT, "spatten: %s, %s, %d layers x %d heads (head dim %d), %d trace rows, on %s "
                        + "(%d+%d multipliers, %d HBM channels, top-k %d x %d comparators)%n", name,
                trace.summarization() ? "summarization (every kept token a query)"
                        : trace.iterations() + " generation steps (one query per row)",
                trace.layers(), trace.heads(), trace.rows().get(0).headDim(), trace.rows().size(), hardware,
                cfg.qkMultipliers(), cfg.pvMultipliers(), cfg.hbmChannels(), cfg.topkEngines(), cfg.topkComparators());
        o.printf(Locale.ROOT, "%5s %6s %7s %7s %7s %9s %9s %9s %12s %12s %8s%n", "layer", "heads", "tokens", "values",
                "refetch", "K_red_x", "V_red_x", "DRAM_red_x", "dense_cyc", "cycles", "speedup");
        long kd = 0, kp = 0, vd = 0, vp = 0;
        for (SpAttenReport.Layer l : layers) {
            o.printf(Locale.ROOT, "%5d %6.2f %7.3f %7.3f %7.3f %9.2f %9.2f %9.2f %12d %12d %8.2f%n", l.layer(),
                    l.headsKeptMean(), l.tokensKeptFraction(), l.valuesKeptFraction(), l.refetchRate(),
                    l.kReduction(), l.vReduction(), l.dramReduction(), l.denseCycles(), l.cycles(), l.speedup());
            kd += l.kDenseBytes();
            kp += l.kBytes();
            vd += l.vDenseBytes();
            vp += l.vBytes();
        }
        o.printf(Locale.ROOT, "DRAM (dense = %d-bit words, every token and head): K %.2fx, V %.2fx, Q+K+V %.2fx;"
                        + " against FP32: %.2fx (paper: 10.0x, an average over 30 benchmarks)%n", cfg.wordBits(),
                SpAttenReport.ratio(kd, kp), SpAttenReport.ratio(vd, vp), totals.dramReduction(),
                totals.dramReductionFp32());
        long[] ch = full.hbmBytesPerChannel();
        long min = Long.MAX_VALUE, max = 0;
        for (long b : ch) {
            min = Math.min(min, b);
            max = Math.max(max, b);
        }
        o.printf(Locale.ROOT, "HBM: %d channels x %d B/cycle, bytes per channel %d .. %d%n", cfg.hbmChannels(),
                cfg.hbmBytesPerCycle(), min, max);
        long topkBound = full.steps().stream().filter(st -> st.topkCycles() * 2 > st.cycles()).count();
        if (topkBound > 0) {
            o.printf(Locale.ROOT, "note: the top-k engine (taking scores in, then selecting) is busy over half the "
                    + "cycles in %d of %d (step, layer) pairs with %d engine(s) of %d comparators; see --topk-engines%n",
                    topkBound, full.steps().size(), cfg.topkEngines(), cfg.topkComparators());
        }
        printBreakdown(o, "speedup breakdown, whole run", breakdown, runs, -1);
        if (functionalTokens > 0) {
            int d = trace.rows().get(0).headDim();
            // a summarization has no local V pruning
            SpAttenPolicy functional = trace.summarization()
                    ? policy.withPruning(policy.tokenPruneRatio(), policy.headPruneRatio(), 0) : policy;
            FixedPointAttention.ErrorReport e = FixedPointAttention.syntheticCheck(functional, Math.min(trace.heads(), 4), d,
                    Math.min(functionalTokens, trace.rows().get(0).sequenceLength()), 2021);
            o.printf(Locale.ROOT, "functional (12-bit fixed point, %d heads x %d tokens, synthetic peaked Q/K/V): "
                            + "pruning off equals dense exactly=%b; pruned rel_l2_error=%.4f max_abs_error_lsb=%d "
                            + "refetch_rows=%.3f (alone: tokens %.4f, local V %.4f, progressive quantization %.4f)%n",
                    e.heads(), e.tokens(), e.exactWhenOff(), e.relativeL2(), e.maxAbsLsb(), e.refetchFraction(),
                    e.tokenOnlyL2(), e.valueOnlyL2(), e.quantOnlyL2());
        }
        SpAttenEnergy energy = totals.energy();
        SpAttenEnergy denseEnergy = totals.denseEnergy();
        o.printf(Locale.ROOT, "energy (dynamic, counted operations, %s nm table): HBM %.4g uJ, SRAM %.4g uJ, "
                        + "MAC %.4g uJ, top-k %.4g uJ, total %.4g uJ (dense %.4g uJ, %.2fx); average power %.3f W%n",
                fmtNode(SpAttenEnergy.NODE_NM), energy.hbmPj() / 1e6, energy.sramPj() / 1e6, energy.macPj() / 1e6,
                energy.topkPj() / 1e6, energy.totalPj() / 1e6, denseEnergy.totalPj() / 1e6,
                denseEnergy.totalPj() / energy.totalPj(), energy.powerW(full.cycles(), cfg.clockGhz()));
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", dir.resolve("layers.csv"), dir.resolve("steps.csv"),
                dir.resolve("breakdown.csv"));
        double wall = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "spatten: dram_reduction=%.2f speedup_vs_dense=%.2f cycles=%d wall_s=%.1f"
                        + " energy_pJ=%.0f power_W=%.4f dram_reduction_fp32=%.2f%n",
                totals.dramReduction(), totals.speedup(), full.cycles(), wall, energy.totalPj(),
                energy.powerW(full.cycles(), cfg.clockGhz()), totals.dramReductionFp32());
        return 0;
    }

    private static void printBreakdown(PrintStream o, String title, List<SpAttenPolicy.Step> steps,
                                       List<SpAttenModel.Run> runs, int minIteration) {
        o.println(title + ":");
        long base = cycles(runs.get(0), minIteration);
        long baseBytes = bytes(runs.get(0), minIteration);
        for (int i = 0; i < runs.size(); i++) {
            SpAttenModel.Run r = runs.get(i);
            long c = cycles(r, minIteration);
            LayerStep.Bound b = r.bound();
            double t = Math.max(1, b.total());
            o.printf(Locale.ROOT, "  %-42s %14d cycles %7.2fx   DRAM %7.2fx   bound: score %3.0f%%, top-k %3.0f%%,"
                            + " value %3.0f%%, HBM %3.0f%%%n", steps.get(i).label(), c, SpAttenReport.ratio(base, c),
                    SpAttenReport.ratio(baseBytes, bytes(r, minIteration)), 100 * b.score() / t, 100 * b.topk() / t,
                    100 * b.value() / t, 100 * b.hbm() / t);
        }
    }

    private static long cycles(SpAttenModel.Run r, int minIteration) {
        return r.steps().stream().filter(s -> s.iteration() >= minIteration).mapToLong(LayerStep::cycles).sum();
    }

    private static long bytes(SpAttenModel.Run r, int minIteration) {
        return r.steps().stream().filter(s -> s.iteration() >= minIteration).mapToLong(LayerStep::bytes).sum();
    }

    static final List<String> BREAKDOWN_COLUMNS = List.of("step", "technique", "cycles", "speedup_x", "dram_bytes",
            "dram_reduction_x", "generation_cycles", "generation_speedup_x", "hbm_energy_pJ", "sram_energy_pJ",
            "mac_energy_pJ", "topk_energy_pJ", "energy_pJ", "dram_reduction_fp32_x", "score_bound_fraction",
            "topk_bound_fraction", "value_bound_fraction", "hbm_bound_fraction");

    private static String fmtNode(double nm) {
        return nm == Math.rint(nm) ? Long.toString((long) nm) : Double.toString(nm);
    }

    /**
     * One row per breakdown step. {@code generation_cycles} are the cycles of generation steps: the
     * whole run of a generation trace (every row a query), empty for a summarization.
     */
    private static void writeBreakdown(Path file, List<SpAttenPolicy.Step> steps, List<SpAttenModel.Run> runs,
                                       EnergyTable table, boolean summarization) {
        long base = runs.get(0).cycles();
        long baseBytes = runs.get(0).bytes();
        long baseGen = summarization ? 0 : base;
        ReportWriter.stream(file, BREAKDOWN_COLUMNS, w -> {
            for (int i = 0; i < runs.size(); i++) {
                SpAttenModel.Run r = runs.get(i);
                long gen = summarization ? 0 : r.cycles();
                List<Object> row = new ArrayList<>(java.util.Arrays.asList(i, steps.get(i).label(), r.cycles(),
                        SpAttenReport.ratio(base, r.cycles()), r.bytes(), SpAttenReport.ratio(baseBytes, r.bytes()), gen,
                        gen == 0 ? null : SpAttenReport.ratio(baseGen, gen)));
                row.addAll(SpAttenEnergy.of(r, table).values());
                row.add(SpAttenReport.ratio(r.fp32DenseBytes(), r.bytes()));
                LayerStep.Bound b = r.bound();
                double t = Math.max(1, b.total());
                row.addAll(List.of(b.score() / t, b.topk() / t, b.value() / t, b.hbm() / t));
                w.row(row);
            }
        });
    }
}
