package dev.sieve.sim.piuma;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.MatrixMarket;
import dev.sieve.dataflow.sparse.Rmat;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import dev.sieve.sim.family.ParamSpec;
import dev.sieve.sim.family.PointResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The PIUMA family ({@code accelerator: piuma}): SpGEMM {@code C = A x A} of one algorithm on the
 * PIUMA model through {@link SpgemmSimulation#run} (sampled beyond {@code max_ops} operations, as
 * {@code simulate piuma --max-ops}), one simulation per point on one host thread (the sweep runs
 * points in parallel). Parameters: {@code algorithm}, {@code max_ops}, and the fields of
 * {@link PiumaConfig} in snake case ({@code dram_bytes_per_cycle} is the chip's). Workloads: Matrix
 * Market files, or {@code rmat:SCALE,EDGEFACTOR} (seed 1, as {@code simulate piuma --rmat}) or
 * {@code rmat:SCALE,EDGEFACTOR,SEED}. The Pareto front weighs cycles against DRAM traffic (of the
 * whole product: a sampled run's bytes scaled like its cycles), or energy ({@code objective: energy},
 * {@link PiumaEnergy} with the default table).
 */
public final class PiumaFamily implements AcceleratorFamily<Csr> {

    /** The operation budget of one simulation before it is sampled (as {@code simulate piuma --max-ops}). */
    public static final long DEFAULT_MAX_OPS = 1_500_000_000L;

    /** The default energy table, the same for every point. */
    private static final EnergyTable TABLE = EnergyTable.defaults();

    /**
     * The fields of {@link PiumaConfig}: parameter name, the record's field name (its messages use it),
     * the default machine's value.
     */
    private static final List<ParamSpec.Field> FIELDS;

    static {
        PiumaConfig d = PiumaConfig.defaults();
        FIELDS = List.of(
                field("cores", "cores", d.cores()),
                field("mt_pipelines_per_core", "mtPipelinesPerCore", d.mtPipelinesPerCore()),
                field("threads_per_mt_pipeline", "threadsPerMtPipeline", d.threadsPerMtPipeline()),
                field("st_pipelines_per_core", "stPipelinesPerCore", d.stPipelinesPerCore()),
                field("spad_bytes_per_core", "spadBytesPerCore", d.spadBytesPerCore()),
                field("spad_latency_cycles", "spadLatencyCycles", d.spadLatencyCycles()),
                field("cache_bytes_per_core", "cacheBytesPerCore", d.cacheBytesPerCore()),
                field("cache_line_bytes", "cacheLineBytes", d.cacheLineBytes()),
                field("cache_latency_cycles", "cacheLatencyCycles", d.cacheLatencyCycles()),
                field("dram_latency_cycles", "dramLatencyCycles", d.dramLatencyCycles()),
                field("dram_bytes_per_cycle", "dramBytesPerCycle", d.dramBytesPerCycle()),
                field("dram_access_bytes", "dramAccessBytes", d.dramAccessBytes()),
                field("atomics_per_cycle_per_core", "atomicsPerCyclePerCore", d.atomicsPerCyclePerCore()),
                field("atomic_latency_cycles", "atomicLatencyCycles", d.atomicLatencyCycles()),
                field("network_latency_cycles", "networkLatencyCycles", d.networkLatencyCycles()));
    }

    private static ParamSpec.Field field(String name, String field, long defaultValue) {
        return new ParamSpec.Field(name, Long.toString(defaultValue), true, "PiumaConfig", field, PiumaFamily::config);
    }

    @Override
    public String name() {
        return "piuma";
    }

    @Override
    public String description() {
        return "PIUMA-style graph machine running SpGEMM C = A x A (inner, outer, gustavson, SMASH V1-V3) on Matrix "
                + "Market files or rmat:SCALE,EDGEFACTOR[,SEED] graphs";
    }

    @Override
    public List<ParamSpec> parameters() {
        List<String> algorithms = new ArrayList<>();
        algorithms.add(Algorithm.SMASH_V3.cliName());
        for (Algorithm a : Algorithm.values()) {
            if (a != Algorithm.SMASH_V3) {
                algorithms.add(a.cliName());
            }
        }
        List<ParamSpec> out = new ArrayList<>();
        out.add(ParamSpec.choice("algorithm", algorithms));
        out.add(ParamSpec.integer("max_ops", DEFAULT_MAX_OPS, 0, Long.MAX_VALUE / 2));
        out.addAll(ParamSpec.checkedBy(FIELDS));
        return out;
    }

    /** The machine of a point; the record names the field that is out of range. */
    public static PiumaConfig config(Map<String, String> p) {
        return new PiumaConfig(i(p, "cores"), i(p, "mt_pipelines_per_core"), i(p, "threads_per_mt_pipeline"),
                i(p, "st_pipelines_per_core"), Long.parseLong(p.get("spad_bytes_per_core")), i(p, "spad_latency_cycles"),
                Long.parseLong(p.get("cache_bytes_per_core")), i(p, "cache_line_bytes"), i(p, "cache_latency_cycles"),
                i(p, "dram_latency_cycles"), i(p, "dram_bytes_per_cycle"), i(p, "dram_access_bytes"),
                i(p, "atomics_per_cycle_per_core"), i(p, "atomic_latency_cycles"), i(p, "network_latency_cycles"));
    }

    /** The area estimate of the point's hardware ({@link PiumaArea}). */
    @Override
    public dev.sieve.arch.AreaEstimate area(Map<String, String> point, dev.sieve.arch.AreaTable table) {
        return PiumaArea.of(config(point), table);
    }

    @Override
    public void check(Map<String, String> point) {
        config(point);
    }

    @Override
    public boolean builtIn(String text) {
        if (!text.startsWith("rmat:")) {
            return false;
        }
        rmat(text);
        return true;
    }

    /** Scale, edge factor and seed of {@code rmat:SCALE,EDGEFACTOR[,SEED]}. */
    private static long[] rmat(String text) {
        String[] parts = text.substring("rmat:".length()).split(",", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].trim().matches("[0-9]{1,3}")
                || !parts[1].trim().matches("[0-9]{1,5}") || parts.length == 3 && !parts[2].trim().matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("'" + text + "' is malformed; write rmat:SCALE,EDGEFACTOR or "
                    + "rmat:SCALE,EDGEFACTOR,SEED (for example rmat:10,8)");
        }
        return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()),
                parts.length == 3 ? Long.parseLong(parts[2].trim()) : 1};
    }

    @Override
    public Csr load(Workload workload) {
        if (workload.file() == null) {
            long[] r = rmat(workload.text());
            return Rmat.generate((int) r[0], (int) r[1], r[2]);
        }
        Csr a = MatrixMarket.read(workload.file()).toCsr();
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(workload.file() + ": A is " + a.rows() + " x " + a.cols()
                    + "; the sweep multiplies A x A, so A must be square");
        }
        return a;
    }

    @Override
    public List<Column> pointColumns() {
        return List.of(new Column("cycles", "cycles"), new Column("sampled_fraction", "fraction"),
                new Column("error_pct", "%"), new Column("flops", "count"), new Column("nnz_c", "count"),
                new Column("ops", "count"),
                new Column("dram_read_bytes", "bytes"), new Column("dram_write_bytes", "bytes"),
                new Column("dram_bytes", "bytes"), new Column("cache_hits", "count"), new Column("cache_misses", "count"),
                new Column("hash_probes", "count"), new Column("hash_collisions", "count"),
                new Column("spad_peak_bytes", "bytes"), new Column("issue_utilization_pct", "%"),
                new Column("thread_active_pct", "%"), new Column("dram_bw_utilization_pct", "%"),
                new Column("hardware_threads", "count"), new Column("dram_energy_pJ", "pJ"),
                new Column("cache_energy_pJ", "pJ"), new Column("spad_energy_pJ", "pJ"),
                new Column("atomic_energy_pJ", "pJ"), new Column("hash_energy_pJ", "pJ"),
                new Column("network_energy_pJ", "pJ"), new Column("core_energy_pJ", "pJ"),
                new Column("fp_energy_pJ", "pJ"), new Column("energy_pJ", "pJ"));
    }

    @Override
    public String itemName() {
        return "cores";
    }

    @Override
    public List<Column> itemColumns() {
        return List.of(Column.label("core"), new Column("ops", "count"), new Column("issue_slots", "count"),
                new Column("atomic_unit_ops", "count"), new Column("dram_accesses", "count"),
                new Column("finish_cycle", "cycles"));
    }

    @Override
    public PointResult evaluate(Map<String, String> point, Csr a) {
        PiumaConfig cfg = config(point);
        Algorithm alg = Algorithm.byName(point.get("algorithm"));
        SpgemmSimulation.Result r = SpgemmSimulation.run(alg, a, a, cfg, Double.parseDouble(point.get("max_ops")),
                false, 1);
        PiumaStats s = r.stats();
        long dram = s.dramReadBytes() + s.dramWriteBytes();
        // the estimated error of the cycles: 0 whole, empty when a sample has no estimate of it
        List<Object> row = new ArrayList<>(Arrays.asList(r.cycles(), r.sampledFraction(),
                Double.isNaN(r.errorPct()) ? "" : r.errorPct(), r.flops(),
                r.nnzC() < 0 ? "" : r.nnzC(), s.ops(), s.dramReadBytes(), s.dramWriteBytes(), dram, s.cacheHits(),
                s.cacheMisses(), r.hashProbes(), r.hashCollisions(), r.spadPeakBytes(), 100 * s.issueUtilization(),
                100 * s.threadActive(), 100 * s.dramUtilization(), cfg.threads()));
        PiumaEnergy e = PiumaEnergy.of(r, cfg, TABLE);
        row.addAll(e.values());
        List<List<?>> cores = new ArrayList<>();
        for (PiumaStats.Core c : s.perCore()) {
            cores.add(List.of("core" + c.core(), c.ops(), c.issueSlots(), c.atomicUnitOps(), c.dramAccesses(),
                    c.finishCycle()));
        }
        // a sampled run's counters are the sample's; the cost scales them like its cycles
        double traffic = Math.round(dram * r.scale());
        return new PointResult(row, cores, r.cycles(), traffic, Map.of("dram_traffic", traffic, "energy", e.totalPj()));
    }

    /** Cycles of the product against its DRAM traffic. */
    @Override
    public ParetoAxes pareto() {
        return new ParetoAxes("DRAM traffic", "cycles per product (log)", "DRAM traffic in MB (log)", 1e-6);
    }

    /** {@code objective: energy} (pJ, plotted in uJ) or {@code dram_traffic} (the default). */
    @Override
    public Map<String, ParetoAxes> objectives() {
        return Map.of("dram_traffic", pareto(),
                "energy", new ParetoAxes("energy", "cycles per product (log)", "energy per product in uJ (log)", 1e-6));
    }

    /** Cycles against cores, DRAM bandwidth and threads per pipeline, one line per algorithm. */
    @Override
    public List<LinePlot> linePlots() {
        return List.of(
                new LinePlot("cycles_vs_cores", "Cycles of C = A x A vs cores, per algorithm", "cores", "algorithm",
                        "cycles", "cores", "cycles, mean over other parameters"),
                new LinePlot("cycles_vs_dram_bandwidth", "Cycles vs chip DRAM bandwidth, per algorithm",
                        "dram_bytes_per_cycle", "algorithm", "cycles", "DRAM bytes per cycle (chip)",
                        "cycles, mean over other parameters"),
                new LinePlot("issue_vs_threads", "Issue-slot utilization vs threads per pipeline, per algorithm",
                        "threads_per_mt_pipeline", "algorithm", "issue_utilization_pct", "threads per multi-threaded pipeline",
                        "issue utilization (%), mean over other parameters"));
    }

    @Override
    public ItemPlot itemPlot() {
        return new ItemPlot("core_ops", "Operations per core, fastest point", "core", null, "ops", "core",
                "operations", List.of("algorithm"));
    }

    private static int i(Map<String, String> p, String name) {
        return Integer.parseInt(p.get(name));
    }
}
