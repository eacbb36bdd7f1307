package dev.sieve.arch.sat;

import dev.sieve.arch.Range;
import java.util.Locale;

/**
 * The SAT accelerator's vector unit: the block beside the PE array that does a training step's
 * non-GEMM work (batch normalization, ReLU, residual additions, pooling, softmax and loss, and the
 * SGD/SR-STE weight update). {@code lanes} lanes each do {@code opsPerLanePerCycle} FP32 operations
 * (a fused multiply-add, a compare, an exponential from a table) per array clock cycle, on data
 * streamed from DRAM through a {@code bufferKiB} buffer; it shares the array's DRAM port
 * ({@link SatConfig#dramBytesPerCycle}).
 *
 * <p><b>Defaults are assumptions, not the paper's.</b> The SAT paper (Fang et al., TCAD 2023) does its
 * non-GEMM work on the FPGA but gives no width for it. The defaults are a modest FPGA block: 64 lanes
 * of one FP32 fused multiply-add each (about 2-3 DSP48 slices per lane, so under 3 % of the XCVU9P's
 * 6,840 DSPs), twice the 32 outputs per cycle a 32x32 array writes; a 256 KiB buffer (57 BRAM36 of
 * 2,160). Change them with {@code simulate sat --vector-lanes/--vector-ops/--vector-buffer-kib} or the
 * sweep parameters {@code vector_lanes}, {@code vector_ops_per_lane}, {@code vector_buffer_kib}.
 *
 * @param lanes              parallel lanes, {@link #LANES}
 * @param opsPerLanePerCycle operations per lane per cycle, {@link #OPS_PER_LANE}
 * @param bufferKiB          the unit's buffer in KiB, {@link #BUFFER_KIB}: a tensor that fits is read
 *                           from DRAM once by a two-phase operation (batch normalization's statistics,
 *                           then its normalization), one that does not is read twice
 */
public record SatVectorUnit(int lanes, int opsPerLanePerCycle, int bufferKiB) {

    public static final Range LANES = new Range(1, 4096);
    public static final Range OPS_PER_LANE = new Range(1, 16);
    public static final Range BUFFER_KIB = new Range(1, 1 << 20);

    public static final int DEFAULT_LANES = 64;
    public static final int DEFAULT_OPS_PER_LANE = 1;
    public static final int DEFAULT_BUFFER_KIB = 256;

    /** The default unit (see the class comment for why these sizes). */
    public static final SatVectorUnit DEFAULT = new SatVectorUnit(DEFAULT_LANES, DEFAULT_OPS_PER_LANE,
            DEFAULT_BUFFER_KIB);

    public SatVectorUnit {
        LANES.check("vectorLanes", lanes);
        OPS_PER_LANE.check("vectorOpsPerLane", opsPerLanePerCycle);
        BUFFER_KIB.check("vectorBufferKiB", bufferKiB);
    }

    /** Operations per cycle of the whole unit. */
    public long opsPerCycle() {
        return (long) lanes * opsPerLanePerCycle;
    }

    public long bufferBytes() {
        return bufferKiB * 1024L;
    }

    /** Cycles of {@code ops} operations at the unit's full rate, rounded up. */
    public long computeCycles(long ops) {
        return (ops + opsPerCycle() - 1) / opsPerCycle();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "vector %d lanes x %d ops, %d KiB", lanes, opsPerLanePerCycle, bufferKiB);
    }
}
