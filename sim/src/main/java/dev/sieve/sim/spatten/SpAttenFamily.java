package dev.sieve.sim.spatten;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.AttentionWorkload;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.dataflow.spatten.TraceFormatException;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import dev.sieve.sim.family.ParamSpec;
import dev.sieve.sim.family.PointResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SpAtten family ({@code accelerator: spatten}): {@link SpAttenModel#run} with every technique on,
 * against the same hardware dense ({@link SpAttenPolicy#dense}), as {@code simulate spatten} reports it.
 * Parameters are the fields of the hardware record {@link SpAttenConfig} and of the policy
 * {@link SpAttenPolicy} in snake case (each record checks its own and its messages name them), plus
 * {@code refetch_rate} of synthesized traces. Workloads: the presets
 * {@code gpt2-small}, {@code gpt2-medium}, {@code bert-base}, {@code bert-large} (BERT at 384 tokens,
 * or {@code bert-base:128}), synthesized per point from its pruning schedule; or a recorded trace CSV.
 * The Pareto front weighs cycles against DRAM traffic, or energy ({@code objective: energy};
 * {@link SpAttenEnergy} with SpAtten's default table at 40 nm).
 */
public final class SpAttenFamily implements AcceleratorFamily<SpAttenFamily.Input> {

    /** The sequence length of a BERT preset named without one (as {@code simulate spatten --seq-len}). */
    public static final int DEFAULT_BERT_SEQ_LEN = 384;

    /** A loaded workload: a preset (trace synthesized per point) or a recorded trace. */
    public record Input(AttentionWorkload preset, AttentionTrace trace) {
    }

    private static final List<String> PRESETS = List.of("gpt2-small", "gpt2-medium", "bert-base", "bert-large");

    /**
     * The fields of the hardware record and of the policy, at the paper's values; the records name
     * them in snake case, as the parameters.
     */
    private static final List<ParamSpec.Field> FIELDS;

    static {
        SpAttenConfig p = SpAttenConfig.paper();
        SpAttenPolicy q = SpAttenPolicy.paper();
        FIELDS = List.of(
                hardwareField("qk_multipliers", p.qkMultipliers(), true),
                hardwareField("pv_multipliers", p.pvMultipliers(), true),
                hardwareField("topk_comparators", p.topkComparators(), true),
                hardwareField("topk_engines", p.topkEngines(), true),
                hardwareField("k_sram_bytes", p.kSramBytes(), true),
                hardwareField("v_sram_bytes", p.vSramBytes(), true),
                hardwareField("hbm_channels", p.hbmChannels(), true),
                hardwareField("hbm_bytes_per_cycle", p.hbmBytesPerCycle(), true),
                hardwareField("word_bits", p.wordBits(), true),
                policyField("msb_bits", q.msbBits(), true),
                policyField("lsb_bits", q.lsbBits(), true),
                policyField("requant_threshold", q.requantThreshold(), false),
                policyField("token_prune_ratio", q.tokenPruneRatio(), false),
                policyField("head_prune_ratio", q.headPruneRatio(), false),
                policyField("value_prune_ratio", q.valuePruneRatio(), false),
                policyField("token_unpruned_fraction", q.tokenUnprunedFraction(), false),
                policyField("head_unpruned_fraction", q.headUnprunedFraction(), false),
                hardwareField("clock_ghz", p.clockGhz(), false));
    }

    private static ParamSpec.Field hardwareField(String name, Object value, boolean integer) {
        return new ParamSpec.Field(name, text(value), integer, "SpAttenConfig", name, SpAttenFamily::config);
    }

    private static ParamSpec.Field policyField(String name, Object value, boolean integer) {
        return new ParamSpec.Field(name, text(value), integer, "SpAttenPolicy", name,
                p -> policy(p).requireFits(config(p)));
    }

    /** SpAtten's default energy table, the same for every point. */
    private static final EnergyTable TABLE = SpAttenEnergy.defaultTable();

    /** Fraction of heads refetching K LSBs in a synthesized trace (the paper's 5.9%, as {@code simulate spatten}). */
    public static final double DEFAULT_REFETCH_RATE = 0.059;

    @Override
    public String name() {
        return "spatten";
    }

    @Override
    public String description() {
        return "SpAtten-style sparse attention accelerator on presets (" + String.join(", ", PRESETS)
                + ", BERT as NAME:SEQ_LEN) or SpAtten trace CSVs";
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> out = new ArrayList<>(ParamSpec.checkedBy(FIELDS));
        out.add(ParamSpec.number("refetch_rate", DEFAULT_REFETCH_RATE, 0, 1, false));
        return out;
    }

    /** The hardware of a point; the record names the field that is out of range. */
    public static SpAttenConfig config(Map<String, String> p) {
        return new SpAttenConfig(i(p, "qk_multipliers"), i(p, "pv_multipliers"), i(p, "topk_comparators"),
                i(p, "topk_engines"), i(p, "k_sram_bytes"), i(p, "v_sram_bytes"), i(p, "hbm_channels"),
                i(p, "hbm_bytes_per_cycle"), i(p, "word_bits"), d(p, "clock_ghz"));
    }

    /** The policy of a point, every technique on; the record names the field that is out of range. */
    public static SpAttenPolicy policy(Map<String, String> p) {
        return new SpAttenPolicy(true, true, true, d(p, "token_prune_ratio"), d(p, "head_prune_ratio"),
                d(p, "value_prune_ratio"), d(p, "token_unpruned_fraction"), d(p, "head_unpruned_fraction"),
                i(p, "msb_bits"), i(p, "lsb_bits"), d(p, "requant_threshold"));
    }

    /** The area estimate of the point's hardware ({@link SpAttenArea}). */
    @Override
    public dev.sieve.arch.AreaEstimate area(Map<String, String> point, dev.sieve.arch.AreaTable table) {
        return SpAttenArea.of(config(point), table);
    }

    @Override
    public void check(Map<String, String> point) {
        policy(point).requireFits(config(point));
    }

    @Override
    public boolean builtIn(String text) {
        String name = text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
        if (!PRESETS.contains(name)) {
            return false;
        }
        preset(text);
        return true;
    }

    private static AttentionWorkload preset(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return AttentionWorkload.named(text, DEFAULT_BERT_SEQ_LEN);
        }
        String name = text.substring(0, colon);
        String seq = text.substring(colon + 1);
        if (!name.startsWith("bert-") || !seq.matches("[0-9]{1,7}")) {
            throw new IllegalArgumentException("'" + text + "' is malformed; write a preset (" + String.join(", ", PRESETS)
                    + ") or a BERT preset with its sequence length, for example bert-base:128");
        }
        return AttentionWorkload.named(name, Integer.parseInt(seq));
    }

    @Override
    public Input load(Workload workload) {
        if (workload.file() == null) {
            return new Input(preset(workload.text()), null);
        }
        try {
            return new Input(null, AttentionTrace.read(workload.file()));
        } catch (TraceFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public List<Column> pointColumns() {
        return List.of(new Column("cycles", "cycles"), new Column("dense_cycles", "cycles"),
                new Column("speedup_vs_dense", "x"), new Column("dram_bytes", "bytes"),
                new Column("dense_dram_bytes", "bytes"), new Column("dram_reduction_x", "x"),
                new Column("topk_cycles", "cycles"), new Column("time_us", "us"),
                new Column("multipliers_total", "count"), new Column("hbm_energy_pJ", "pJ"),
                new Column("sram_energy_pJ", "pJ"), new Column("mac_energy_pJ", "pJ"), new Column("topk_energy_pJ", "pJ"),
                new Column("energy_pJ", "pJ"), new Column("dense_energy_pJ", "pJ"), new Column("power_w", "W"));
    }

    @Override
    public String itemName() {
        return "layers";
    }

    @Override
    public List<Column> itemColumns() {
        return List.of(Column.label("layer"), new Column("heads_kept_mean", "count"),
                new Column("tokens_kept_fraction", "fraction"), new Column("values_kept_fraction", "fraction"),
                new Column("dram_bytes", "bytes"), new Column("dense_cycles", "cycles"), new Column("cycles", "cycles"),
                new Column("topk_cycles", "cycles"), new Column("speedup_x", "x"), new Column("energy_pJ", "pJ"));
    }

    @Override
    public PointResult evaluate(Map<String, String> point, Input in) {
        SpAttenConfig cfg = config(point);
        SpAttenPolicy policy = policy(point);
        AttentionTrace trace = in.trace() != null ? in.trace()
                : AttentionTrace.synthesize(in.preset(), cfg, policy, Double.parseDouble(point.get("refetch_rate")));
        SpAttenModel model = new SpAttenModel(cfg);
        SpAttenModel.Run full = model.run(trace, policy);
        SpAttenModel.Run dense = model.run(trace, policy.dense());
        long topk = full.steps().stream().mapToLong(LayerStep::topkCycles).sum();
        SpAttenReport.Totals totals = SpAttenReport.totals(full, dense, TABLE);
        SpAttenEnergy e = totals.energy();
        List<Object> row = List.of(full.cycles(), dense.cycles(), totals.speedup(), full.bytes(), full.denseBytes(),
                totals.dramReduction(), topk, full.cycles() / (cfg.clockGhz() * 1e3),
                cfg.qkMultipliers() + cfg.pvMultipliers(), e.hbmPj(), e.sramPj(), e.macPj(), e.topkPj(), e.totalPj(),
                totals.denseEnergy().totalPj(), e.powerW(full.cycles(), cfg.clockGhz()));
        List<List<?>> layers = new ArrayList<>();
        for (SpAttenReport.Layer l : SpAttenReport.layers(full, dense, TABLE)) {
            layers.add(List.of(l.layer(), l.headsKeptMean(), l.tokensKeptFraction(), l.valuesKeptFraction(), l.bytes(),
                    l.denseCycles(), l.cycles(), l.topkCycles(), l.speedup(),
                    l.energy().totalPj()));
        }
        return new PointResult(row, layers, full.cycles(), full.bytes(),
                Map.of("dram_traffic", (double) full.bytes(), "energy", e.totalPj()));
    }

    /** Cycles of the whole run against its DRAM traffic. */
    @Override
    public ParetoAxes pareto() {
        return new ParetoAxes("DRAM traffic", "cycles per run (log)", "DRAM traffic in MB (log)", 1e-6);
    }

    /** {@code objective: energy} (pJ, plotted in uJ) or {@code dram_traffic} (the default). */
    @Override
    public Map<String, ParetoAxes> objectives() {
        return Map.of("dram_traffic", pareto(),
                "energy", new ParetoAxes("energy", "cycles per run (log)", "energy per run in uJ (log)", 1e-6));
    }

    /** Speedup against HBM channels per top-k engine count; DRAM reduction against token pruning per MSB width. */
    @Override
    public List<LinePlot> linePlots() {
        return List.of(
                new LinePlot("speedup_vs_hbm", "Speedup over dense vs HBM channels, per top-k engine count",
                        "hbm_channels", "topk_engines", "speedup_vs_dense", "HBM channels",
                        "speedup over dense (x), mean over other parameters"),
                new LinePlot("dram_reduction_vs_pruning", "DRAM traffic reduction vs token pruning, per MSB bits fetched first",
                        "token_prune_ratio", "msb_bits", "dram_reduction_x", "token prune ratio of the last layer",
                        "DRAM reduction (x), mean over other parameters"));
    }

    @Override
    public ItemPlot itemPlot() {
        return new ItemPlot("layer_cycles", "Per-layer cycles, fastest point", "layer", null, "cycles", "layer",
                "cycles", List.of());
    }

    private static String text(Object v) {
        return v instanceof Double d ? (d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d))
                : v.toString();
    }

    private static int i(Map<String, String> p, String name) {
        return Integer.parseInt(p.get(name));
    }

    private static double d(Map<String, String> p, String name) {
        return Double.parseDouble(p.get(name));
    }
}
