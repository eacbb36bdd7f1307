package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TilingTest {

    private static final SatConfig A44 = SatConfig.of(4, 4); // L = 4, up to 4 segments
    private static final NmPattern P28 = NmPattern.parse("2:8");

    private static PassGemm gemm(long k, long cout, long p, NmPattern pat) {
        return new PassGemm("g", 0, Pass.FORWARD, k, cout, p, pat, k * cout, k * p, cout * p, false, false);
    }

    @Test
    void denseTileCountsFollowCeilDivisions() {
        // K = 100 over 4 rows x 4 lanes = 16 per tile -> 7; Cout = 40 over 4 columns -> 10
        Schedule s = new Schedule(gemm(100, 40, 10, NmPattern.DENSE), false, A44, 1, 10, LoopOrder.OUTPUT_STATIONARY);
        assertEquals(16, s.kPerTile());
        assertEquals(7, s.kTiles());
        assertEquals(10, s.colTiles());
        assertEquals(70, s.tiles());
        assertEquals(70, s.steps());
    }

    @Test
    void sparseTilesCoverMOverNTimesTheReduction() {
        // 2:8 with L = 4: each PE holds 2 groups of 8 = 16 positions; a 4-row tile covers 64
        Schedule s = new Schedule(gemm(100, 40, 10, P28), false, A44, 1, 10, LoopOrder.OUTPUT_STATIONARY);
        assertEquals(64, s.kPerTile());
        assertEquals(2, s.kTiles());
        assertEquals(20, s.tiles());
    }

    @Test
    void segmentsSplitRowsAndRunSTilesPerStep() {
        // 2 segments of 2 rows: 32 positions per segment tile -> ceil(100/32) = 4 k-tiles x 10 = 40 tiles, 20 steps
        Schedule s = new Schedule(gemm(100, 40, 10, P28), false, A44, 2, 10, LoopOrder.OUTPUT_STATIONARY);
        assertEquals(2, s.segmentRows());
        assertEquals(40, s.tiles());
        assertEquals(20, s.steps());
        List<Integer> perStep = new ArrayList<>();
        Tiling.walk(s, (v, n, rd, wr, sram) -> perStep.add(n));
        assertEquals(20, perStep.size());
        assertTrue(perStep.stream().allMatch(n -> n == 2));
    }

    @Test
    void chunksSplitTheStreamedVectors() {
        Schedule s = new Schedule(gemm(16, 4, 10, NmPattern.DENSE), false, A44, 1, 4, LoopOrder.OUTPUT_STATIONARY);
        List<Long> vectors = new ArrayList<>();
        Tiling.walk(s, (v, n, rd, wr, sram) -> vectors.add(v));
        assertEquals(List.of(4L, 4L, 2L), vectors);
    }

    @Test
    void residentOperandsCrossDramOnce() {
        // everything fits: read W once (K*Cout bytes) and X once (K*P), write Y once (Cout*P), INT8
        PassGemm g = gemm(100, 40, 10, NmPattern.DENSE);
        for (LoopOrder o : LoopOrder.values()) {
            Schedule s = new Schedule(g, false, A44, 1, 10, o);
            long[] t = new long[2];
            Tiling.walk(s, (v, n, rd, wr, sram) -> {
                t[0] += rd;
                t[1] += wr;
            });
            assertEquals(100 * 40 + 100 * 10, t[0], o.label());
            assertEquals(40 * 10, t[1], o.label());
        }
    }

    @Test
    void sparseWeightsCrossDramCompressed() {
        PassGemm g = gemm(64, 4, 10, P28); // one tile, 4 columns x 8 groups x 2 kept = 64 values + 24 index bytes
        Schedule s = new Schedule(g, false, A44, 1, 10, LoopOrder.OUTPUT_STATIONARY);
        long[] rd = new long[1];
        Tiling.walk(s, (v, n, r, w, sram) -> rd[0] += r);
        assertEquals(64 + 24 + 64 * 10, rd[0]);
    }

    @Test
    void spilledPartialSumsAreReadAndWrittenBetweenReductionTiles() {
        // 1 KiB ofmap buffer: Cout*P*4 = 4096 B of partial sums do not fit half of it, so input-stationary spills
        SatConfig small = A44.withBuffersKiB(512, 512, 1);
        PassGemm g = gemm(48, 32, 32, NmPattern.DENSE); // 3 k-tiles, 8 column tiles
        Schedule s = new Schedule(g, false, small, 1, 32, LoopOrder.INPUT_STATIONARY);
        assertTrue(Tiling.feasible(s));
        long[] t = new long[2];
        Tiling.walk(s, (v, n, rd, wr, sram) -> {
            t[0] += rd;
            t[1] += wr;
        });
        long psums = 32L * 32 * 4;
        assertEquals(48 * 32 + 48 * 32 + 2 * psums, t[0]); // W + X + two read-backs
        assertEquals(2 * psums + 32 * 32, t[1]); // two spills + final outputs
        assertFalse(Tiling.feasible(new Schedule(g, false, A44.withBuffersKiB(512, 512, 1), 4, 32,
                LoopOrder.OUTPUT_STATIONARY)), "5 column tiles of 4 x 32 accumulators exceed 1 KiB");
    }

    @Test
    void schedulerPicksTheCheapestAndTransposesOnlyDensePasses() {
        PassGemm w = new PassGemm("g", 0, Pass.WEIGHT_GRADIENT, 16, 64, 512, NmPattern.DENSE, 16 * 64, 16 * 512,
                64 * 512, true, true);
        List<Schedule> all = OfflineScheduler.candidates(w, A44);
        assertTrue(all.stream().anyMatch(Schedule::transposed));
        assertTrue(all.stream().anyMatch(s -> s.segments() == 4));
        OfflineScheduler.Choice c = OfflineScheduler.best(w, A44, s -> new ScheduleCost.Cost(s.steps(), 0));
        assertEquals(all.stream().mapToLong(Schedule::steps).min().orElseThrow(), c.cost().cycles());
        assertTrue(OfflineScheduler.candidates(gemm(100, 40, 10, P28), A44).stream().noneMatch(Schedule::transposed));
    }
}
