package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
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
        long kTiles = s.kTiles();
        long segRows = rows / seg;
        long segK = segRows * kPerPe; // reduction positions of a segment tile
        long groupK = (long) rows * kPerPe; // of a reduction group (the activation words' unit)
        // SatModel.acceleratorCycles's steps, with this schedule's traffic in bits: per segment tile its
        // R/S weight rows in the first chunk, its group's activation slice at the first column tile and
        // the group's first tile, its outputs at the last reduction tile
        return SatModel.acceleratorSteps(s, 0, new SatModel.SegmentTileTraffic() {
            @Override
            public double read(long base, long len, long kt, long ct) {
                double read = 0;
                if (base == 0) {
                    if (noPadding) {
                        long cLen = Math.min(cols, cout - ct * cols);
                        long kLen = Math.min(segK, k - kt * segK);
                        long entries = p.isDense() ? kLen : (kLen + p.m() - 1) / p.m() * p.n();
                        read += cLen * entries * (p.isDense() ? vw : vw + idx) * wScale;
                    } else {
                        read += noBeats ? segRows * wWordBits : segRows * beatBits(wWordBits);
                    }
                }
                // the accelerator reads a reduction group's slice with the group's first tile; the
                // dataflow (the last term taken away) each segment tile's share with the tile
                if (ct == 0 && (rawTensors || kt % seg == 0)) {
                    long kLen = rawTensors ? Math.min(segK, k - kt * segK) : Math.min(groupK, k - kt / seg * groupK);
                    double bits = noPadding ? (double) len * kLen * vw
                            : noBeats ? (double) len * aWordBits : (double) len * beatBits(aWordBits);
                    read += bits * (noPadding ? xScale : 1);
                }
                return read;
            }

            @Override
            public double write(long len, long kt, long ct) {
                if (kt != kTiles - 1) {
                    return 0;
                }
                long cLen = Math.min(cols, cout - ct * cols);
                long wordBits = (noPadding ? cLen : cols) * outValueBits;
                return noPadding || noBeats ? len * wordBits * yScale : len * beatBits(wordBits);
            }
        }, bits -> portCycles(bits, bw));
    }

    /**
     * True when the accelerator of {@code s}'s record runs its row segments
     * ({@link SatAcceleratorLayout#segmentRefusal}: a step's segment tiles are one column tile's);
     * {@link #cycles} refuses the others, whose steps the accelerator does not have.
     */
    public static boolean runs(Schedule s) {
        return SatModel.acceleratorRefusal(s).isEmpty();
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
