package dev.sieve.sim.cli;

import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Verilator;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.TraceFormatException;
import dev.sieve.dataflow.spatten.TraceRow;
import dev.sieve.hdl.spatten.SpAttenPipeline;
import dev.sieve.hdl.spatten.model.SpAttenPipelineJobs;
import dev.sieve.sim.spatten.PipelineCosim;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate cosim spatten}: trace rows (one query each) through the Verilated attention
 * pipeline beside its golden model, on synthetic Q/K/V shaped by each row
 * ({@link PipelineCosim#job}), issued back to back in runs of {@value #CHUNK}; each output checked
 * against {@code FixedPointAttention} and each query's output cycle against the cycle model's
 * schedule ({@code QueryCost.schedule}). Writes no files.
 */
@Command(name = "spatten", mixinStandardHelpOptions = true,
        description = "Trace rows through the Verilated SpAtten attention pipeline in lockstep with its golden model; "
                + "outputs checked against FixedPointAttention, cycles against the cycle model's schedule.",
        footer = {"", "Example:",
                "  simulate cosim spatten --trace ../shared/data/spatten-traces/summary-gpt2-small-wikitext2-per8.csv --rows 64",
                "", "Last line: cosim-spatten: queries=Q cycle_exact=Q1 bit_exact=Q2 wall_s=W"})
public final class SpAttenCosimCommand implements Callable<Integer> {

    @Option(names = "--trace", paramLabel = "FILE.csv", required = true, description = "A SpAtten trace CSV.")
    Path trace;

    @Option(names = "--rows", paramLabel = "N", description = "Run the first N rows (default: all).")
    Integer rows;

    @Option(names = "--hardware", paramLabel = "PRESET", defaultValue = "spatten-1/8",
            description = "Hardware preset: spatten-1/8 (64 + 64 multipliers) or spatten (512 + 512); "
                    + "default ${DEFAULT-VALUE}.")
    String hardware;

    @Option(names = "--qk-multipliers", paramLabel = "P", description = "Override the preset's Q.K multipliers.")
    Integer qkMultipliers;

    @Option(names = "--pv-multipliers", paramLabel = "P", description = "Override the preset's prob.V multipliers.")
    Integer pvMultipliers;

    @Option(names = "--topk-comparators", paramLabel = "C", description = "Override the preset's top-k comparators.")
    Integer comparators;

    @Option(names = "--max-n", paramLabel = "N",
            description = "Most keys the pipeline holds, a power of two (default: the smallest that fits the rows).")
    Integer maxN;

    /** Queries per lockstep run, issued back to back (each run starts from reset). */
    static final int CHUNK = 32;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        PrintStream o = System.out;
        AttentionPipeline cfg;
        SpAttenConfig hw;
        List<TraceRow> used;
        try {
            if (rows != null && rows < 1) {
                throw new IllegalArgumentException("--rows = " + rows + " is out of range; allowed 1 .. "
                        + Integer.MAX_VALUE);
            }
            AttentionTrace t = AttentionTrace.read(trace);
            used = t.rows().subList(0, rows == null ? t.rows().size() : Math.min(rows, t.rows().size()));
            int keys = used.stream().mapToInt(TraceRow::keysFetched).max().orElse(1);
            int d = used.get(0).headDim();
            for (TraceRow r : used) {
                if (r.headDim() != d) {
                    throw new IllegalArgumentException(trace + ":" + r.line() + ": column 'embedding_length_D' = "
                            + r.headDim() + " differs from the first row's " + d + "; allowed one head dimension per run");
                }
                if (r.keysFetched() < 1) {
                    throw new IllegalArgumentException(trace + ":" + r.line() + ": column 'key_fetch_num' = "
                            + r.keysFetched() + "; allowed 1 .. " + AttentionPipeline.MAX_KEYS);
                }
                if (r.valuesFetched() < 1) {
                    throw new IllegalArgumentException(trace + ":" + r.line() + ": column 'value_fetch_num' = "
                            + r.valuesFetched() + "; allowed 1 or more");
                }
            }
            if (maxN == null && keys > AttentionPipeline.MAX_KEYS) {
                TraceRow big = used.stream().filter(r -> r.keysFetched() == keys).findFirst().orElseThrow();
                throw new IllegalArgumentException(trace + ":" + big.line() + ": column 'key_fetch_num' = " + keys
                        + " is out of range; allowed 1 .. " + AttentionPipeline.MAX_KEYS);
            }
            SpAttenConfig p = SpAttenConfig.preset(hardware);
            hw = new SpAttenConfig(qkMultipliers != null ? qkMultipliers : p.qkMultipliers(),
                    pvMultipliers != null ? pvMultipliers : p.pvMultipliers(),
                    comparators != null ? comparators : p.topkComparators(), p.topkEngines(), p.kSramBytes(),
                    p.vSramBytes(), p.hbmChannels(), p.hbmBytesPerCycle(), p.wordBits(), p.clockGhz());
            int fit = Math.max(2 * hw.topkComparators(), Integer.highestOneBit(Math.max(1, keys - 1)) << 1);
            int n = maxN != null ? maxN : fit;
            cfg = AttentionPipeline.of(hw, d, n);
            if (keys > cfg.maxN()) {
                TraceRow big = used.stream().filter(r -> r.keysFetched() == keys).findFirst().orElseThrow();
                throw new IllegalArgumentException(trace + ":" + big.line() + ": column 'key_fetch_num' = " + keys
                        + " exceeds --max-n = " + cfg.maxN() + "; allowed up to max_n");
            }
        } catch (TraceFormatException | IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        List<SpAttenPipelineJobs.Job> jobs = new ArrayList<>();
        for (TraceRow r : used) {
            jobs.add(PipelineCosim.job(r, cfg));
        }
        SpAttenPipeline top = new SpAttenPipeline(cfg);
        o.printf(Locale.ROOT, "cosim: %s, %d trace rows (one query each) from %s%n", top.moduleName(), jobs.size(),
                trace.getFileName());
        CompiledDesign design = Verilator.compile(top.build());
        PipelineCosim.Outcome out = PipelineCosim.run(design, cfg, jobs, CHUNK, 0, 1);
        long refetched = out.count(v -> v.slot().refetched());
        o.printf(Locale.ROOT, "cosim: %d RTL cycles in lockstep, %d queries refetched their LSBs%n", out.cycles(),
                refetched);
        // the cycle model's time for the same runs of back-to-back queries (QueryCost.runCycles)
        long ran = out.runs().stream().mapToLong(r -> r[0]).sum();
        long modelled = out.runs().stream().mapToLong(r -> r[1]).sum();
        o.printf(Locale.ROOT, "cosim: %d runs of up to %d back-to-back queries took %d cycles; the cycle model's schedule "
                + "(SpAttenConfig.queryCost, QueryCost.runCycles) gives %d; one query at a time would take %d%n",
                out.runs().size(), CHUNK, ran, modelled,
                out.verdicts().stream().filter(v -> v.slot().outCycle() >= 0)
                        .mapToLong(v -> PipelineCosim.formulaCycles(cfg, v.slot(), PipelineCosim.expected(v.slot().job())))
                        .sum());
        for (String m : out.mismatches()) {
            o.println("cosim: mismatch: " + m);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "cosim-spatten: queries=%d cycle_exact=%d bit_exact=%d wall_s=%.2f%n", jobs.size(),
                out.count(PipelineCosim.Verdict::cycleExact), out.count(PipelineCosim.Verdict::bitExact), wall);
        return out.mismatches().isEmpty() ? 0 : 1;
    }
}
