package dev.sieve.hdl.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The descriptor of a pass with row segments: its reduction groups, buffer words, steps and refusals. */
class SatAcceleratorLayoutTest {
    private static SatAcceleratorLayout layout(int maxSegments) {
        return SatAcceleratorLayout.of(SatRtlTest.config(4, 4, NumberFormat.INT8_INT32).withRowSegments(maxSegments)
                .withBuffersKiB(8, 8, 8));
    }

    private static SatAcceleratorLayout.Command cmd(long vectors, long kTiles, long colTiles, long chunk, int code,
                                                    boolean is) {
        return new SatAcceleratorLayout.Command(vectors, kTiles, colTiles, chunk, 0, code, is, 0, 0x10000, 0x20000);
    }

    @Test
    void segmentTilesFormReductionGroupsOfRRows() {
        // 7 segment tiles of R/4 rows = ceil(7/4) = 2 groups of R rows; 3 column tiles, 10 vectors in chunks of 4
        SatAcceleratorLayout.Command c = cmd(10, 7, 1, 4, 2, false);
        assertEquals(4, c.segments());
        assertEquals(2, c.kGroups());
        assertEquals(2 * 1 * 4, c.weightWords(4), "kGroups x colTiles x R");
        assertEquals(2 * 10, c.actWords(), "kGroups x vectors");
        assertEquals(10, c.outWords());
        assertEquals(2 * 3, c.steps(), "ceil(kTiles x colTiles / S) x chunks");
        // one segment: the counts are the schedule's tiles
        SatAcceleratorLayout.Command one = cmd(10, 7, 3, 4, 0, true);
        assertEquals(7, one.kGroups());
        assertEquals(7 * 3 * 3, one.steps());
    }

    @Test
    void segmentStepsMixColumnTilesUnlessAnInputStationaryStepWraps() {
        SatAcceleratorLayout l = layout(4);
        assertTrue(l.refusal(cmd(8, 8, 3, 8, 2, false)).isEmpty(), "output stationary, kTiles a multiple of 4");
        assertTrue(l.refusal(cmd(8, 6, 3, 8, 2, false)).isEmpty(), "output stationary, steps wrap into the next column tile");
        assertTrue(l.refusal(cmd(8, 1, 9, 8, 2, false)).isEmpty(), "output stationary, 4 column tiles per step");
        assertTrue(l.refusal(cmd(8, 7, 1, 8, 2, true)).isEmpty(), "one column tile, either order, partial last step");
        assertTrue(l.refusal(cmd(8, 7, 1, 8, 2, false)).isEmpty());
        assertTrue(l.refusal(cmd(8, 8, 3, 8, 2, true)).isEmpty(), "input stationary, 3 column tiles: steps span two rows");
        assertTrue(l.refusal(cmd(8, 8, 8, 8, 2, true)).isEmpty(), "input stationary, 8 column tiles: two steps per row");
        // input stationary, 5 column tiles: step 1 holds column tile 4 of row 0 and 0 .. 2 of row 1, and
        // tiles 4 and 0 share output bank (ct + p) mod 4
        Optional<String> wrap = l.refusal(cmd(8, 8, 5, 8, 2, true));
        assertTrue(wrap.isPresent() && wrap.get().contains("input-stationary"), wrap.toString());
        assertTrue(l.refusal(cmd(8, 8, 5, 8, 1, true)).isPresent(), "2 segments, 5 column tiles");
        assertTrue(l.refusal(cmd(8, 8, 5, 8, 0, true)).isEmpty(), "one segment never wraps");
        Optional<String> tooMany = l.refusal(cmd(8, 8, 1, 8, 3, false));
        assertTrue(tooMany.isPresent() && tooMany.get().contains("1 .. 4"), tooMany.toString());
        Optional<String> notBuilt = layout(1).refusal(cmd(8, 8, 1, 8, 1, false));
        assertTrue(notBuilt.isPresent() && notBuilt.get().contains("1 .. 1"), notBuilt.toString());
    }

    @Test
    void buffersCountReductionGroups() {
        SatAcceleratorLayout l = layout(4);
        // weight words kGroups x colTiles x R: 4 segment tiles are one group, 4 x R/4 rows
        long cols = l.weightDepth() / 4;
        assertTrue(l.refusal(cmd(1, 4, cols, 1, 2, false)).isEmpty(), l.refusal(cmd(1, 4, cols, 1, 2, false)).toString());
        assertTrue(l.refusal(cmd(1, 4, cols + 1, 1, 2, false)).get().startsWith("weights need"));
        assertTrue(l.refusal(cmd(1, 4, cols, 1, 0, false)).get().startsWith("weights need"),
                "one segment: 4 tiles of R rows each");
    }

    @Test
    void mergeMustLandBeforeTheNextStepReads() {
        // BF16, L = 4, 4 adder stages: with R = 4 and 4 segments the fill is 1 x 16 + 3 + 2 = 21 > 4 x 4
        SatConfig ok = SatRtlTest.config(4, 4, NumberFormat.BF16_FP32).withRowSegments(4).withBuffersKiB(8, 8, 8);
        assertEquals(4, SatAcceleratorLayout.of(ok).maxSegments());
        // one multiplier per PE: psum latency 4; S = 2: fill 2 x 4 + 5 = 13 > 8; S = 4: fill 1 x 4 + 5 = 9 < 16
        SatConfig slow = SatConfig.of(4, 4).withMultipliersPerPe(1, java.util.List.of(dev.sieve.arch.NmPattern.DENSE))
                .withFormat(NumberFormat.BF16_FP32).withRowSegments(4).withBuffersKiB(8, 8, 8);
        SatAcceleratorLayout l = SatAcceleratorLayout.of(slow);
        assertEquals(2, l.maxSegments());
        assertTrue(l.refusal(cmd(8, 8, 1, 8, 1, false)).isEmpty());
        Optional<String> why = l.refusal(cmd(8, 8, 1, 8, 2, false));
        assertTrue(why.isPresent() && why.get().contains("merge"), why.toString());
    }
}
