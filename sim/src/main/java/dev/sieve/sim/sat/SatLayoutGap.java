package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.LoopOrder;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;

/**
 * Where the generated accelerator's busy cycles ({@link SatModel#acceleratorCycles}) and the model's
 * ({@link SatModel#pass}, the dataflow's packed bytes) part for one schedule: the same
 * {@link TileTiming.PassClock} rule is fed the accelerator's traffic with its {@link Term}s taken
 * away one after another, so the cycles after the last term are the dataflow's traffic on the
 * accelerator's step order. Traffic moves at the record's {@code dramBytesPerCycle} each way, memory
 * latency 0: at 16 bytes per cycle (the accelerator's port, one beat per cycle) the cycles with no
 * term taken away are {@link SatModel#acceleratorCycles}; at another bandwidth they are what the
 * accelerator's DRAM layout would cost behind a port of that width.
 */
public final class SatLayoutGap {
    private SatLayoutGap() {
    }

    /** What the accelerator moves beyond the dataflow's packed bytes, in the order they are taken away. */
    public enum Term {
        /** Every DRAM word is read or written as whole 16-byte beats. */
        BEATS("beats", "each DRAM word rounded up to whole 16-byte beats"),
        /** The last reduction group and the last column tile are zero-padded to whole tiles. */
        PADDING("padding", "last reduction group and last column tile zero-padded"),
        /** Outputs leave as INT32/FP32; the dataflow writes activations and data gradients at operand width. */
        OUTPUT_WIDTH("out-width", "outputs at 32 bits; the dataflow stores fwd/dgrad outputs at operand width"),
        /** The accelerator streams the im2col matrix (K x P) and writes K x P data gradients; the dataflow the raw tensors. */
        IM2COL("im2col", "im2col operands and results moved whole; the dataflow moves the raw tensors");

        private final String label;
        private final String meaning;

        Term(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }

        public String label() {
            return label;
        }

        public String meaning() {
            return meaning;
        }
    }

    /**
     * Busy cycles of {@code s} on the accelerator with the first {@code removed} {@link Term}s taken
     * away (0: the accelerator as built, equal to {@link SatModel#acceleratorCycles} at latency 0 when
     * the record's bandwidth is 16 bytes per cycle).
     */
    public static long cycles(Schedule s, int removed) {
        if (removed < 0 || removed > Term.values().length) {
            throw new IllegalArgumentException("removed = " + removed + "; allowed 0 .. " + Term.values().length);
        }
        SatConfig cfg = s.config();
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        segmentRefusal(s, layout).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        SatDatapath dp = layout.datapath();
        PassGemm g = s.gemm();
        NmPattern p = g.pattern();
        boolean noBeats = removed > Term.BEATS.ordinal();
        boolean noPadding = removed > Term.PADDING.ordinal();
        boolean dataflowWidth = removed > Term.OUTPUT_WIDTH.ordinal();
        boolean rawTensors = removed > Term.IM2COL.ordinal();

        int rows = cfg.rows();
        int cols = cfg.cols();
        int vw = dp.valueWidth();
        int kPerPe = dp.kPerPe(p);
        int idx = SatAcceleratorLayout.indexBits(p);
        long wWordBits = layout.weightBits(p);
        long aWordBits = layout.actBits(p);
        long opBits = 8L * cfg.format().operandBytes();
        long outValueBits = dataflowWidth && !g.outputAtAccumulator() ? opBits : SatDatapath.ACC_WIDTH;
        long k = g.reduction();
        long cout = g.outputs();
        long vectors = g.vectors();
        double bw = cfg.dramBytesPerCycle();
        double wScale = rawTensors && p.isDense() ? (double) g.stationaryElements() / ((double) k * cout) : 1;
        double xScale = rawTensors ? (double) g.streamedElements() / ((double) k * vectors) : 1;
        double yScale = rawTensors ? (double) g.outputElements() / ((double) cout * vectors) : 1;

        int seg = s.segments();
        boolean is = s.order() == LoopOrder.INPUT_STATIONARY;
        long groups = (s.kTiles() + seg - 1) / seg;
        long groupK = (long) rows * kPerPe;
        TileTiming.PassClock clock = new TileTiming.PassClock(cfg, rows / seg, 0, TileTiming.mergeLatency(cfg, seg));
        for (long base = 0; base < vectors; base += s.chunk()) {
            long len = Math.min(s.chunk(), vectors - base);
            for (long i = 0; i < groups * s.colTiles(); i++) {
                long kt = is ? i / s.colTiles() : i % groups;
                long ct = is ? i % s.colTiles() : i / groups;
                long kLen = Math.min(groupK, k - kt * groupK);
                long cLen = Math.min(cols, cout - ct * cols);
                double read = 0;
                if (base == 0) {
                    long bits;
                    if (noPadding) {
                        long entries = p.isDense() ? kLen : (kLen + p.m() - 1) / p.m() * p.n();
                        bits = cLen * entries * (p.isDense() ? vw : vw + idx);
                    } else {
                        bits = rows * wWordBits;
                    }
                    read += noBeats ? bits * wScale : rows * beatBits(wWordBits);
                }
                if (ct == 0) {
                    long bits = len * (noPadding ? kLen * vw : aWordBits);
                    read += noBeats ? bits * xScale : len * beatBits(aWordBits);
                }
                double write = 0;
                if (kt == groups - 1) {
                    long bits = len * (noPadding ? cLen : cols) * outValueBits;
                    write = noBeats ? bits * yScale : len * beatBits(cols * outValueBits);
                }
                clock.step(len, portCycles(read, bw), portCycles(write, bw));
            }
        }
        return clock.cycles();
    }

    /**
     * True when the accelerator of {@code s}'s record runs its row segments
     * ({@link SatAcceleratorLayout#segmentRefusal}: a step's segment tiles are one column tile's);
     * {@link #cycles} refuses the others, whose steps the accelerator does not have.
     */
    public static boolean runs(Schedule s) {
        return segmentRefusal(s, SatAcceleratorLayout.of(s.config())).isEmpty();
    }

    private static java.util.Optional<String> segmentRefusal(Schedule s, SatAcceleratorLayout layout) {
        return SatAcceleratorLayout.segmentRefusal(s.segments(), layout.maxSegments(), s.kTiles(), s.colTiles(),
                s.order() == LoopOrder.INPUT_STATIONARY);
    }

    /** Bits a word of {@code bits} takes on the port: whole 16-byte beats. */
    private static long beatBits(long bits) {
        return (long) SatAcceleratorLayout.beats(Math.toIntExact(bits)) * SatAcceleratorLayout.BUS_BITS;
    }

    /** Cycles of {@code bits} at {@code bw} bytes per cycle (the model's {@link TileTiming#dramCycles} rounding). */
    private static long portCycles(double bits, double bw) {
        return bits <= 0 ? 0 : (long) Math.ceil(bits / 8 / bw - 1e-9);
    }
}
