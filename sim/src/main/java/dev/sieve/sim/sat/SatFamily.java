package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.arch.sat.SatVectorUnit;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyReader;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import dev.sieve.sim.family.ParamSpec;
import dev.sieve.sim.family.PointResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SAT family ({@code accelerator: sat}): the SAT model ({@link SatModel#simulate}) over SCALE-Sim topologies. Parameters: {@code array} (RxC),
 * {@code nm}, {@code multipliers} per PE, {@code buffer_kib} (each of the ifmap, weight and
 * ofmap buffers), {@code dram_bytes_per_cycle}, {@code format} (int8, bf16), {@code dataflow}
 * ({@code ws}: plain weight-stationary tiles; {@code interleave}: Sieve's interleave mapping with up
 * to 4 row segments), {@code pass} (train, forward), {@code batch}, {@code clock_mhz}, and the vector unit's
 * {@code vector_lanes}, {@code vector_ops_per_lane}, {@code vector_buffer_kib} ({@link SatVectorUnit}). The dense
 * baseline of each point (same hardware, every layer dense) is simulated once and shared by the
 * points that differ only in their pattern (the 4,096 most recently used baselines are kept, so
 * memory does not grow with the sweep).
 */
public final class SatFamily implements AcceleratorFamily<Topology> {

    /** Dense baselines kept for reuse; bounded, so a sweep of any size holds at most this many. */
    static final int DENSE_CACHE_ENTRIES = 4096;

    /** The dense baselines of recent hardware, least recently used dropped first. */
    private final Map<String, SatResult> denseCache = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, SatResult> eldest) {
                    return size() > DENSE_CACHE_ENTRIES;
                }
            });

    @Override
    public String name() {
        return "sat";
    }

    @Override
    public String description() {
        return "SAT-style N:M sparse training array (a training step or the forward pass) on SCALE-Sim topology CSVs";
    }

    @Override
    public List<ParamSpec> parameters() {
        Map<String, ParamSpec> p = new LinkedHashMap<>();
        p.put("array", new ParamSpec("array", "32x32", "RxC with R in " + SatConfig.ROWS + " and C in " + SatConfig.COLS,
                v -> {
                    int[] rc = rowsCols(v);
                    return SatConfig.ROWS.contains(rc[0]) && SatConfig.COLS.contains(rc[1]) ? null : "is out of range";
                }));
        p.put("nm", new ParamSpec("nm", "2:8", "dense or N:M with M a power of two up to 64 and 1 <= N <= M", v -> {
            NmPattern.parse(v);
            return null;
        }));
        p.put("multipliers", ParamSpec.integer("multipliers", SatConfig.DEFAULT_MULTIPLIERS_PER_PE,
                SatConfig.MULTIPLIERS_PER_PE.min(), SatConfig.MULTIPLIERS_PER_PE.max()));
        p.put("buffer_kib", ParamSpec.integer("buffer_kib", SatConfig.DEFAULT_BUFFER_KIB, SatConfig.BUFFER_KIB.min(),
                SatConfig.BUFFER_KIB.max()));
        p.put("dram_bytes_per_cycle", ParamSpec.integer("dram_bytes_per_cycle",
                (long) SatConfig.DEFAULT_DRAM_BYTES_PER_CYCLE, 1, (long) SatConfig.MAX_DRAM_BYTES_PER_CYCLE));
        p.put("format", new ParamSpec("format", "bf16", "int8 or bf16", v -> {
            NumberFormat.parse(v);
            return null;
        }));
        p.put("dataflow", new ParamSpec("dataflow", "interleave", "ws or interleave",
                v -> v.equals("ws") || v.equals("interleave") ? null : "is not a dataflow"));
        p.put("pass", new ParamSpec("pass", "train", "train or forward",
                v -> v.equals("train") || v.equals("forward") ? null : "is not a pass"));
        p.put("batch", ParamSpec.integer("batch", 1, 1, 4096));
        p.put("clock_mhz", ParamSpec.integer("clock_mhz", (long) SatConfig.DEFAULT_CLOCK_MHZ, 1,
                (long) SatConfig.MAX_CLOCK_MHZ));
        p.put("vector_lanes", ParamSpec.integer("vector_lanes", SatVectorUnit.DEFAULT_LANES, SatVectorUnit.LANES.min(),
                SatVectorUnit.LANES.max()));
        p.put("vector_ops_per_lane", ParamSpec.integer("vector_ops_per_lane", SatVectorUnit.DEFAULT_OPS_PER_LANE,
                SatVectorUnit.OPS_PER_LANE.min(), SatVectorUnit.OPS_PER_LANE.max()));
        p.put("vector_buffer_kib", ParamSpec.integer("vector_buffer_kib", SatVectorUnit.DEFAULT_BUFFER_KIB,
                SatVectorUnit.BUFFER_KIB.min(), SatVectorUnit.BUFFER_KIB.max()));
        return List.copyOf(p.values());
    }

    @Override
    public List<Column> pointColumns() {
        return List.of(new Column("cycles", "cycles"), new Column("dense_cycles", "cycles"),
                new Column("speedup_vs_dense", "x"), new Column("ideal_speedup", "x"),
                new Column("stall_cycles", "cycles"), new Column("dram_bytes", "bytes"), new Column("energy_pJ", "pJ"),
                new Column("time_us", "us"), new Column("pe_count", "count"), new Column("multipliers_total", "count"),
                new Column("gemm_cycles", "cycles"), new Column("dense_gemm_cycles", "cycles"),
                new Column("gemm_speedup", "x"), new Column("non_gemm_cycles", "cycles"));
    }

    @Override
    public String itemName() {
        return "layers";
    }

    @Override
    public List<Column> itemColumns() {
        return List.of(Column.label("layer"), Column.label("pass"), new Column("cycles", "cycles"),
                new Column("stall_cycles", "cycles"), new Column("dram_bytes", "bytes"), new Column("energy_pJ", "pJ"),
                new Column("utilization_pct", "%"));
    }

    @Override
    public Topology load(Workload workload) {
        return TopologyReader.read(workload.file());
    }

    /** Cycles of a training step (or forward pass) against its energy. */
    @Override
    public ParetoAxes pareto() {
        return new ParetoAxes("energy", "cycles per step (log)", "energy per step in uJ (log)", 1e-6);
    }

    /** {@code objective: energy} names SAT's own cost. */
    @Override
    public Map<String, ParetoAxes> objectives() {
        return Map.of("energy", pareto());
    }

    @Override
    public List<LinePlot> linePlots() {
        return List.of(new LinePlot("speedup_vs_nm", "Training-step speedup over dense vs N:M, per array size", "nm",
                "array", "speedup_vs_dense", "N:M pattern", "speedup over dense (x), mean over other parameters"));
    }

    @Override
    public ItemPlot itemPlot() {
        return new ItemPlot("layer_cycles", "Per-layer cycles by pass, fastest point", "layer", "pass", "cycles",
                "layer", "cycles", List.of("array", "nm"));
    }

    /** The hardware of a point, or an error saying which parameter values do not fit together. */
    public static SatConfig config(Map<String, String> p) {
        int[] rc = rowsCols(p.get("array"));
        int multipliers = Integer.parseInt(p.get("multipliers"));
        List<NmPattern> supported = SatConfig.patternsFor(multipliers, SatConfig.DEFAULT_PATTERNS);
        int buffer = Integer.parseInt(p.get("buffer_kib"));
        int segments = p.get("dataflow").equals("ws") ? 1
                : Math.min(SatConfig.DEFAULT_ROW_SEGMENTS, Integer.lowestOneBit(rc[0]));
        SatConfig cfg = new SatConfig(rc[0], rc[1], multipliers, supported, NumberFormat.parse(p.get("format")), buffer,
                buffer, buffer, Double.parseDouble(p.get("dram_bytes_per_cycle")),
                Double.parseDouble(p.get("clock_mhz")), segments);
        cfg.requireSupported(NmPattern.parse(p.get("nm")));
        return cfg;
    }

    /**
     * For {@code --resources}: the whole generated accelerator of the point ({@code SatAccelerator}: PE
     * array, its pre-generation unit, block-RAM buffers of {@code buffer_kib} each, controller, AXI4
     * and AXI4-Lite ports), one copy. A point the generators do not build fails with SatConfig's or
     * the buffer layout's message ({@link SatConfig#rtlLimit}).
     */
    @Override
    public Hardware hardware(Map<String, String> point) {
        SatConfig cfg = config(point).requireRtlBuildable();
        // points that differ only in what the hardware does not see share one generated design
        // (config() reads exactly these five parameters besides dram_bytes_per_cycle and clock_mhz)
        String key = String.join(",", point.get("array"), point.get("multipliers"), point.get("format"),
                point.get("buffer_kib"), point.get("dataflow"));
        return hardwareCache.computeIfAbsent(key,
                k -> new Hardware(new SatAccelerator(SatAcceleratorLayout.of(cfg)).build(), 1));
    }

    /** Generated accelerators by configuration, for {@link #hardware}; a sweep has few distinct ones. */
    private final Map<String, Hardware> hardwareCache = new java.util.concurrent.ConcurrentHashMap<>();

    /** The area estimate of the point's hardware ({@link SatArea}). */
    @Override
    public dev.sieve.arch.AreaEstimate area(Map<String, String> point, dev.sieve.arch.AreaTable table) {
        return SatArea.of(config(point), table);
    }

    @Override
    public void check(Map<String, String> point) {
        config(point);
        vectorUnit(point);
        run(point);
    }

    /** The vector unit of a point. */
    public static SatVectorUnit vectorUnit(Map<String, String> p) {
        return new SatVectorUnit(Integer.parseInt(p.get("vector_lanes")), Integer.parseInt(p.get("vector_ops_per_lane")),
                Integer.parseInt(p.get("vector_buffer_kib")));
    }

    private static SatRun run(Map<String, String> p) {
        return new SatRun(Integer.parseInt(p.get("batch")), NmPattern.parse(p.get("nm")), p.get("pass").equals("train"),
                BackwardMaskSource.DENSE);
    }

    @Override
    public PointResult evaluate(Map<String, String> p, Topology topo) {
        SatConfig cfg = config(p);
        SatVectorUnit vu = vectorUnit(p);
        SatRun run = run(p);
        SatResult sparse = SatModel.simulate(cfg, vu, topo, run);
        Map<String, String> denseKey = new LinkedHashMap<>(p);
        denseKey.remove("nm");
        String key = topo.source() + denseKey;
        SatResult dense = denseCache.get(key);
        if (dense == null) { // simulated outside the lock: two threads may both do it, with the same result
            dense = SatModel.simulate(cfg, vu, topo, run.dense());
            denseCache.put(key, dense);
        }
        double speedup = (double) dense.totalCycles() / sparse.totalCycles();
        List<Object> row = List.of(sparse.totalCycles(), dense.totalCycles(), speedup, run.idealSpeedup(),
                sparse.stallCycles(), sparse.dramBytes(), sparse.energyPj(), sparse.totalCycles() / cfg.clockMhz(),
                cfg.rows() * cfg.cols(), cfg.rows() * cfg.cols() * cfg.multipliersPerPe(), sparse.gemmCycles(),
                dense.gemmCycles(), (double) dense.gemmCycles() / sparse.gemmCycles(), sparse.nonGemmCycles());
        List<List<?>> layers = new ArrayList<>();
        for (PassStats s : sparse.passes()) {
            layers.add(List.of(s.layer(), s.pass().toString(), s.cycles(), s.stallCycles(), s.dramBytes(), s.energyPj(),
                    100 * s.utilization()));
        }
        for (VectorStats v : sparse.vector()) {
            if (!v.job().isEmpty()) {
                layers.add(List.of(v.job().layer(), v.job().phase().label(), v.exposedCycles(), 0L, v.dramBytes(),
                        v.energyPj(), 0.0));
            }
        }
        return new PointResult(row, layers, sparse.totalCycles(), sparse.energyPj(), Map.of("energy", sparse.energyPj()));
    }

    /** Rows and columns of an array written {@code RxC} (as {@code array} and {@code simulate sat --array}). */
    public static int[] rowsCols(String v) {
        String[] rc = v.toLowerCase(Locale.ROOT).split("x", -1);
        if (rc.length != 2 || !rc[0].matches("[0-9]{1,5}") || !rc[1].matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("write RxC, for example 32x32");
        }
        return new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])};
    }
}
