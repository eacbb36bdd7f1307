package dev.sieve.hdl.catalog;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.lib.AdderTree;
import dev.sieve.hdl.lib.Counter;
import dev.sieve.hdl.lib.DelayLine;
import dev.sieve.hdl.lib.Fifo;
import dev.sieve.hdl.lib.Mac;
import dev.sieve.hdl.lib.Ram;
import dev.sieve.hdl.lib.StreamStage;
import dev.sieve.hdl.piuma.HashAccumulator;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.SparsePe;
import dev.sieve.hdl.sat.SparsePeArray;
import dev.sieve.hdl.spatten.SpAttenPipeline;
import dev.sieve.hdl.spatten.TopKEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The named blocks {@code simulate rtl} can generate, each with its parameters, their defaults
 * and allowed values. Parameter parsing rejects unknown names and malformed values with a message
 * that names the parameter and what is allowed; range checks live in each block's config record,
 * and the allowed values printed here are read from that record, so each range is written once.
 */
public final class Catalog {
    private Catalog() {
    }

    /** A block parameter: integer or boolean, with a default and a description of allowed values. */
    public record Param(String name, String defaultValue, String allowed, boolean bool) {
        static Param integer(String name, long defaultValue, String allowed) {
            return new Param(name, Long.toString(defaultValue), allowed, false);
        }

        static Param flag(String name, boolean defaultValue) {
            return new Param(name, Boolean.toString(defaultValue), "true or false", true);
        }
    }

    /** A generator that can be named on the command line. */
    public record Block(String name, String description, List<Param> params, Function<Values, Component> factory) {
        /** Builds the block from {@code k=v} settings (missing ones take their defaults). */
        public Component create(Map<String, String> settings) {
            return factory.apply(parse(settings));
        }

        /** Checks names and formats of {@code settings}; returns them completed with defaults. */
        public Values parse(Map<String, String> settings) {
            Map<String, Param> byName = new LinkedHashMap<>();
            for (Param p : params) {
                byName.put(p.name(), p);
            }
            for (String k : settings.keySet()) {
                if (!byName.containsKey(k)) {
                    throw new IllegalArgumentException("unknown parameter '" + k + "' for block " + name
                            + "; allowed: " + String.join(", ", byName.keySet()));
                }
            }
            Map<String, String> all = new LinkedHashMap<>();
            for (Param p : params) {
                String v = settings.getOrDefault(p.name(), p.defaultValue()).trim();
                if (p.bool() ? !(v.equals("true") || v.equals("false")) : !v.matches("-?[0-9]{1,18}")) {
                    throw new IllegalArgumentException("parameter " + p.name() + " = '" + v + "' is malformed; allowed "
                            + p.allowed());
                }
                all.put(p.name(), v);
            }
            return new Values(all);
        }
    }

    /** Parsed parameter values. */
    public record Values(Map<String, String> values) {
        public int integer(String name) {
            long v = Long.parseLong(values.get(name));
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " = " + v + " is out of range");
            }
            return (int) v;
        }

        public long longValue(String name) {
            return Long.parseLong(values.get(name));
        }

        public boolean flag(String name) {
            return Boolean.parseBoolean(values.get(name));
        }
    }

    private static final List<Block> BLOCKS = List.of(
            new Block("counter", "modulo counter with enable and clear",
                    List.of(Param.integer("modulus", 10, Counter.Config.MODULUS.toString())),
                    v -> new Counter(new Counter.Config(v.longValue("modulus")))),
            new Block("fifo", "first-word-fall-through stream FIFO (LUT RAM)",
                    List.of(Param.integer("width", 8, Fifo.Config.WIDTH.toString()),
                            Param.integer("depth", 16, Fifo.Config.DEPTH.toString())),
                    v -> new Fifo(new Fifo.Config(v.integer("width"), v.integer("depth")))),
            new Block("ram", "simple dual-port RAM with a registered read (block RAM)",
                    List.of(Param.integer("width", 32, Ram.Config.WIDTH.toString()),
                            Param.integer("depth", 1024, Ram.Config.DEPTH.toString())),
                    v -> new Ram(new Ram.Config(v.integer("width"), v.integer("depth")))),
            new Block("stream_stage", "registered ready/valid pipeline stage",
                    List.of(Param.integer("width", 8, StreamStage.Config.WIDTH.toString())),
                    v -> new StreamStage(new StreamStage.Config(v.integer("width")))),
            new Block("mac", "multiply-accumulate, signed or unsigned",
                    List.of(Param.integer("a_width", 8, Mac.Config.OPERAND_WIDTH.toString()),
                            Param.integer("b_width", 8, Mac.Config.OPERAND_WIDTH.toString()),
                            Param.integer("acc_width", 32, Mac.Config.ACC_WIDTH_ALLOWED), Param.flag("signed", true)),
                    v -> new Mac(new Mac.Config(v.integer("a_width"), v.integer("b_width"), v.integer("acc_width"),
                            v.flag("signed")))),
            new Block("adder_tree", "balanced adder tree, optionally pipelined",
                    List.of(Param.integer("width", 8, AdderTree.Config.WIDTH.toString()),
                            Param.integer("count", 8, AdderTree.Config.COUNT.toString()),
                            Param.flag("signed", true), Param.flag("pipelined", false)),
                    v -> new AdderTree(new AdderTree.Config(v.integer("width"), v.integer("count"), v.flag("signed"),
                            v.flag("pipelined")))),
            new Block("hash_accumulator", "pipelined linear-probing hash table: (key, value) accumulate, drain, spill",
                    List.of(Param.integer("key_width", 16, HashUnit.KEY_WIDTH.toString()),
                            Param.integer("value_width", 32, HashUnit.VALUE_WIDTH.toString()),
                            Param.integer("depth", 1024, HashUnit.SLOTS_ALLOWED)),
                    v -> new HashAccumulator(new HashUnit(v.integer("key_width"),
                            v.integer("value_width"), v.integer("depth")))),
            new Block("delay_line", "shift register delay",
                    List.of(Param.integer("width", 8, DelayLine.Config.WIDTH.toString()),
                            Param.integer("stages", 4, DelayLine.Config.STAGES.toString())),
                    v -> new DelayLine(new DelayLine.Config(v.integer("width"), v.integer("stages")))),
            new Block("topk", "SpAtten-style top-k engine: quick-select with P comparators, stable keep-mask",
                    List.of(Param.integer("comparators", 16, SpAttenConfig.TopK.COMPARATORS_ALLOWED),
                            Param.integer("max_n", 1024, SpAttenConfig.TopK.MAX_N_ALLOWED),
                            Param.integer("width", 12, SpAttenConfig.TopK.WIDTH.toString())),
                    v -> new TopKEngine(new SpAttenConfig.TopK(v.integer("comparators"), v.integer("max_n"),
                            v.integer("width")))),
            new Block("spatten_pipeline", "SpAtten attention pipeline: Q.K, softmax, refetch decision, local-V top-k, prob.V",
                    List.of(Param.integer("qk_multipliers", 64, "a power of two in " + AttentionPipeline.MULTIPLIERS),
                            Param.integer("pv_multipliers", 64, "a power of two in " + AttentionPipeline.MULTIPLIERS),
                            Param.integer("topk_comparators", 16, SpAttenConfig.TopK.COMPARATORS_ALLOWED
                                    + ", at least qk_multipliers / head_dim"),
                            Param.integer("head_dim", 64, "a power of two in " + AttentionPipeline.HEAD_DIM),
                            Param.integer("max_n", 1024, "a power of two in 2*topk_comparators .. "
                                    + AttentionPipeline.MAX_KEYS)),
                    v -> new SpAttenPipeline(pipeline(v))),
            new Block("sat_pe", "SAT sparse PE: L multipliers, M-to-1 activation muxes, dense and N:M modes",
                    satParams(false, true), v -> new SparsePe(satConfig(v))),
            new Block("sat_array", "SAT PE array with double-buffered weights, tile control and row segments",
                    satParams(true, true), v -> new SparsePeArray(satConfig(v))),
            new Block("sat_nm_pregen", "SAT N:M pre-generation: top-N of M by magnitude, forward and backward",
                    satParams(false, false), v -> new NmPregen(satConfig(v))),
            new Block("sat_accelerator", "SAT accelerator: PE array, block-RAM buffers, GEMM-pass controller, "
                    + "AXI4 master and AXI4-Lite registers", acceleratorParams(), v -> new SatAccelerator(
                    new SatAcceleratorLayout(SatDatapath.of(satConfig(v).withBuffersKiB(v.integer("ifmap_kib"),
                            v.integer("weight_kib"), v.integer("ofmap_kib"))), v.flag("pregen")))));

    /** The array's parameters and the three buffer sizes (SatConfig's defaults). */
    private static List<Param> acceleratorParams() {
        List<Param> p = new ArrayList<>(satParams(true, true));
        for (String b : List.of("ifmap_kib", "weight_kib", "ofmap_kib")) {
            p.add(Param.integer(b, SatConfig.DEFAULT_BUFFER_KIB, SatConfig.BUFFER_KIB.toString()));
        }
        p.add(Param.flag("pregen", true));
        return List.copyOf(p);
    }

    /**
     * Parameters of the SAT blocks (patterns: SatConfig's defaults, dense, 1:4, 2:4, 2:8, 1:8, 4:8,
     * those whose N divides L). The sizes are those SatConfig's RTL rules allow; a larger point is
     * refused with SatConfig's message ({@link SatConfig#rtlLimit}).
     */
    private static List<Param> satParams(boolean array, boolean adders) {
        List<Param> p = new ArrayList<>(List.of(Param.integer("multipliers", 4, SatConfig.RTL_MULTIPLIERS_PER_PE.toString()),
                Param.flag("bf16", false)));
        if (adders) {
            p.add(Param.integer("fp_add_stages", SatConfig.DEFAULT_FP_ADD_STAGES, SatConfig.FP_ADD_STAGES.toString()));
        }
        if (array) {
            p.add(0, Param.integer("rows", 4, SatConfig.RTL_ROWS.toString()));
            p.add(1, Param.integer("cols", 4, SatConfig.RTL_COLS.toString()));
            p.add(Param.integer("row_segments", 1, SatConfig.ROW_SEGMENTS_ALLOWED));
        }
        return List.copyOf(p);
    }

    private static SatConfig satConfig(Values v) {
        boolean array = v.values().containsKey("rows");
        int l = v.integer("multipliers");
        List<NmPattern> patterns = SatConfig.patternsFor(l, SatConfig.DEFAULT_PATTERNS);
        SatConfig base = SatConfig.of(array ? v.integer("rows") : 1, array ? v.integer("cols") : 1)
                .withMultipliersPerPe(l, patterns)
                .withFormat(v.flag("bf16") ? NumberFormat.BF16_FP32 : NumberFormat.INT8_INT32)
                .withFpAddStages(v.values().containsKey("fp_add_stages") ? v.integer("fp_add_stages")
                        : SatConfig.DEFAULT_FP_ADD_STAGES);
        return base.withRowSegments(array ? v.integer("row_segments") : 1);
    }

    /**
     * The attention pipeline of a {@code SpAttenConfig} with the given multipliers and comparators
     * (its other fields do not shape the pipeline), for keys of {@code head_dim} and up to {@code max_n}.
     */
    private static AttentionPipeline pipeline(Values v) {
        SpAttenConfig p = SpAttenConfig.paper();
        SpAttenConfig hw = new SpAttenConfig(v.integer("qk_multipliers"), v.integer("pv_multipliers"),
                v.integer("topk_comparators"), p.topkEngines(), p.kSramBytes(), p.vSramBytes(), p.hbmChannels(),
                p.hbmBytesPerCycle(), p.wordBits(), p.clockGhz());
        return AttentionPipeline.of(hw, v.integer("head_dim"), v.integer("max_n"));
    }

    /** Every block, in the order {@code simulate rtl --list} prints them. */
    public static List<Block> blocks() {
        return BLOCKS;
    }

    /** The block named {@code name}, or an error naming the blocks that exist. */
    public static Block block(String name) {
        List<String> names = new ArrayList<>();
        for (Block b : BLOCKS) {
            if (b.name().equals(name)) {
                return b;
            }
            names.add(b.name());
        }
        throw new IllegalArgumentException("unknown block '" + name + "'; allowed: " + String.join(", ", names));
    }
}
