package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;

/**
 * Walks a {@link Schedule}'s tiles in execution order and attributes DRAM and buffer traffic to
 * each (rules below), grouping them into array steps of {@code S} segment tiles. Cost is
 * O(tiles); nothing is simulated per cycle.
 *
 * <p>Traffic rules, per segment tile {@code (chunk pc, column tile ct, reduction tile kt)} with
 * {@code kLen x cLen} stationary entries and {@code pLen} vectors:
 * <ul>
 * <li>stationary: N:M tiles load their compressed bytes (N values plus N log2(M)-bit indices per group
 *     of M along k, per column); dense tiles their share of the operand. Loaded once if the whole
 *     stationary operand fits the weight buffer, else once per chunk.</li>
 * <li>streamed: the slice's share {@code kLen*pLen/(K*P)} of the distinct streamed elements;
 *     {@link LoopOrder#INPUT_STATIONARY} loads it at the first column tile; {@link LoopOrder#OUTPUT_STATIONARY}
 *     loads the whole chunk once if it fits half the ifmap buffer, else every tile.</li>
 * <li>outputs: written once, at the last reduction tile, as the share {@code cLen*pLen/(Cout*P)} of
 *     the distinct outputs; {@code INPUT_STATIONARY} with partial sums that do not fit half the
 *     output buffer spills them (read before, write after every reduction tile but the last).</li>
 * <li>buffers (for energy): the stationary bytes into the array, {@code kLen*pLen} streamed operands
 *     read, {@code cLen*pLen} accumulators written (and read back after the first reduction tile),
 *     plus every DRAM byte written into or read out of a buffer.</li>
 * </ul>
 */
public final class Tiling {

    private Tiling() {
    }

    /** True when the schedule's working set fits the buffers (see the class rules). */
    public static boolean feasible(Schedule s) {
        SatConfig cfg = s.config();
        PassGemm g = s.gemm();
        int op = cfg.format().operandBytes();
        int acc = cfg.format().accumulatorBytes();
        long c = Math.min(cfg.cols(), g.outputs());
        if (s.order() == LoopOrder.OUTPUT_STATIONARY) {
            long inFlight = Math.min(s.segments(), s.colTiles()) + 1;
            return inFlight * c * s.chunk() * acc <= cfg.ofmapBytes();
        }
        long slice = Math.min(s.kPerTile(), g.reduction()) * s.chunk() * op;
        return 2 * slice <= cfg.ifmapBytes() && 2L * c * s.chunk() * acc <= cfg.ofmapBytes();
    }

    /** Total compressed (or dense) bytes of the stationary operand. */
    public static long stationaryBytes(Schedule s) {
        PassGemm g = s.gemm();
        int op = s.config().format().operandBytes();
        if (!g.pattern().isDense()) {
            return NmCompressed.bytes(g.outputs(), g.reduction(), g.pattern(), NmAxis.INPUT_CHANNELS, op);
        }
        return g.stationaryElements() * op;
    }

    /** Walks the tiles of {@code s} in order, calling {@code sink} once per array step. */
    public static void walk(Schedule s, StepSink sink) {
        SatConfig cfg = s.config();
        PassGemm g = s.gemm();
        NmPattern pat = g.pattern();
        int op = cfg.format().operandBytes();
        int acc = cfg.format().accumulatorBytes();
        int outB = g.outputAtAccumulator() ? acc : op;
        long k = g.reduction();
        long cout = g.outputs();
        long p = g.vectors();
        long kPerTile = s.kPerTile();
        long kTiles = s.kTiles();
        long cTiles = s.colTiles();
        int cols = cfg.cols();
        int seg = s.segments();
        boolean stationaryResident = stationaryBytes(s) <= cfg.weightBytes();
        boolean os = s.order() == LoopOrder.OUTPUT_STATIONARY;
        double stationaryPerEntry = pat.isDense() ? (double) g.stationaryElements() * op / ((double) k * cout) : 0;
        double streamedPerEntry = (double) g.streamedElements() * op / ((double) k * p);
        double outputPerEntry = (double) g.outputElements() * outB / ((double) cout * p);
        long chunks = s.chunks();
        for (long pc = 0; pc < chunks; pc++) {
            long pLen = Math.min(s.chunk(), p - pc * s.chunk());
            boolean chunkResident = os && streamedPerEntry * k * pLen * 2 <= cfg.ifmapBytes();
            boolean psumResident = !os && 2L * cout * pLen * acc <= cfg.ofmapBytes();
            long rd = 0;
            long wr = 0;
            long sram = 0;
            int inStep = 0;
            long n = kTiles * cTiles;
            for (long i = 0; i < n; i++) {
                long kt = os ? i % kTiles : i / cTiles;
                long ct = os ? i / kTiles : i % cTiles;
                long kLen = Math.min(kPerTile, k - kt * kPerTile);
                long cLen = Math.min(cols, cout - ct * cols);
                long stat = pat.isDense() ? Math.round(stationaryPerEntry * kLen * cLen)
                        : NmCompressed.bytes(cLen, kLen, pat, NmAxis.INPUT_CHANNELS, op);
                if (!stationaryResident || pc == 0) {
                    rd += stat;
                    sram += stat;
                }
                sram += stat;
                long slice = Math.round(streamedPerEntry * kLen * pLen);
                boolean loadSlice = os ? (!chunkResident || ct == 0) : ct == 0;
                if (loadSlice) {
                    rd += slice;
                    sram += slice;
                }
                sram += kLen * pLen * op;
                long psum = cLen * pLen * acc;
                sram += psum * (kt > 0 ? 2 : 1);
                boolean last = kt == kTiles - 1;
                if (!os && !psumResident) {
                    if (kt > 0) {
                        rd += psum;
                        sram += psum;
                    }
                    if (!last) {
                        wr += psum;
                        sram += psum;
                    }
                }
                if (last) {
                    long out = Math.round(outputPerEntry * cLen * pLen);
                    wr += out;
                    sram += out;
                }
                inStep++;
                if (inStep == seg || i == n - 1) {
                    sink.step(pLen, inStep, rd, wr, sram);
                    rd = 0;
                    wr = 0;
                    sram = 0;
                    inStep = 0;
                }
            }
        }
    }
}
