package dev.sieve.dataflow.sat;

import dev.sieve.arch.sat.SatConfig;
import java.util.Locale;

/**
 * One mapping of a pass onto the array: which operand is stationary ({@code transposed}), how many
 * row segments share the array ({@code segments}, the interleave mapping), how many streamed vectors
 * one tile takes ({@code chunk}) and the loop order. {@code gemm} is the product as mapped (already
 * transposed when {@code transposed}).
 *
 * <p>Tiling: a segment tile holds {@code segRows = R/S} PE rows, covering {@code kPerTile = segRows * kPerPe}
 * reduction positions of {@code C} output columns, and streams {@code chunk} vectors (the last chunk may
 * be shorter). {@code S} segment tiles that run together form one array step.
 */
public record Schedule(PassGemm gemm, boolean transposed, SatConfig config, int segments, long chunk,
                       LoopOrder order) {

    public Schedule {
        if (segments < 1 || config.rows() % segments != 0 || segments > config.rowSegments()) {
            throw new IllegalArgumentException("segments = " + segments + " is not allowed; allowed 1 .. "
                    + config.rowSegments() + " dividing rows = " + config.rows());
        }
        if (chunk < 1 || chunk > gemm.vectors()) {
            throw new IllegalArgumentException("chunk = " + chunk + " is out of range; allowed 1 .. " + gemm.vectors());
        }
    }

    public int kPerPe() {
        return config.kPerPe(gemm.pattern());
    }

    public int segmentRows() {
        return config.rows() / segments;
    }

    /** Reduction positions one segment tile covers. */
    public long kPerTile() {
        return (long) segmentRows() * kPerPe();
    }

    public long kTiles() {
        return ceilDiv(gemm.reduction(), kPerTile());
    }

    public long colTiles() {
        return ceilDiv(gemm.outputs(), config.cols());
    }

    public long chunks() {
        return ceilDiv(gemm.vectors(), chunk);
    }

    /** Segment tiles in the pass. */
    public long tiles() {
        return kTiles() * colTiles() * chunks();
    }

    /** Array steps: per chunk, {@code ceil(kTiles * colTiles / S)}. */
    public long steps() {
        return chunks() * ceilDiv(kTiles() * colTiles(), segments);
    }

    /** Weight slots of the array holding a real weight: reduction x outputs over the tiles' capacity. */
    public double mappingEfficiency() {
        return (double) gemm.reduction() * gemm.outputs() / ((double) kTiles() * kPerTile() * colTiles() * config.cols());
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s%s seg=%d chunk=%d", order.label(), transposed ? " T" : "", segments, chunk);
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
