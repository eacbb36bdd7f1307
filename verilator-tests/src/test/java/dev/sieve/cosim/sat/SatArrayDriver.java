package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.model.SatMath;
import dev.sieve.hdl.sat.model.SparsePeArrayModel;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the input streams of a sequence of tiles for the PE array, honouring ready/valid: a
 * private copy of the array model supplies {@code w_ready}/{@code act_ready} each cycle, a beat is
 * held until accepted, and with {@code offerPercent < 100} the producers go idle at random. Idle
 * cycles carry random payloads, which the array must ignore. The lockstep run then checks that
 * the RTL's ready signals, and so its acceptance of every beat, equal the model's.
 */
final class SatArrayDriver {
    /** One tile: R weight rows, its pattern code, segment code and overlap bit, P activation vectors. */
    record Tile(int patternCode, int segmentCode, boolean overlap, List<BigInteger> weightRows,
                List<BigInteger> vectors) {
    }

    final List<Tile> tiles = new ArrayList<>();
    long[] wValid;
    long[] wPattern;
    long[] wSegments;
    long[] wOverlap;
    BigInteger[] wRow;
    long[] actValid;
    long[] actLast;
    BigInteger[] act;
    /** Cycle (after reset) of the last output, as the driver's model saw it. */
    long lastOutputCycle = -1;
    int outputs;
    int cycles;

    private final SatDatapath dp;

    SatArrayDriver(SatDatapath dp) {
        this.dp = dp;
    }

    /** A random tile in pattern {@code code} with P vectors and the given share of Inf/NaN (BF16). */
    Tile randomTile(SplittableRandom rnd, int code, int segmentCode, boolean overlap, int p, int specialPercent) {
        NmPattern pattern = dp.patterns().get(code);
        List<BigInteger> rows = new ArrayList<>();
        int entries = dp.cols() * dp.multipliers();
        for (int r = 0; r < dp.rows(); r++) {
            int[] e = new int[entries];
            for (int i = 0; i < entries; i++) {
                int index = rnd.nextInt(1 << dp.indexWidth()); // bits above log2 M must not matter
                e[i] = index << dp.valueWidth() | SatValues.value(dp.format(), rnd, specialPercent);
            }
            rows.add(SatMath.pack(e, dp.entryWidth()));
        }
        List<BigInteger> vectors = new ArrayList<>();
        int lanes = dp.lanes();
        for (int v = 0; v < p; v++) {
            int[] a = new int[dp.rows() * lanes];
            for (int r = 0; r < dp.rows(); r++) {
                for (int t = 0; t < lanes; t++) {
                    // lanes beyond the pattern's kPerPe are unused: fill them anyway
                    a[r * lanes + t] = t < dp.kPerPe(pattern) || rnd.nextBoolean()
                            ? SatValues.value(dp.format(), rnd, specialPercent) : rnd.nextInt(1 << dp.valueWidth());
                }
            }
            vectors.add(SatMath.pack(a, dp.valueWidth()));
        }
        return new Tile(code, segmentCode, overlap, rows, vectors);
    }

    /** Schedules the tiles; returns the number of cycles the streams need plus the final drain. */
    int schedule(int offerPercent, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        record WBeat(BigInteger row, int pattern, int segments, boolean overlap) {
        }
        record ABeat(BigInteger vector, boolean last) {
        }
        Deque<WBeat> wq = new ArrayDeque<>();
        Deque<ABeat> aq = new ArrayDeque<>();
        for (Tile t : tiles) {
            for (BigInteger row : t.weightRows()) {
                wq.add(new WBeat(row, t.patternCode(), t.segmentCode(), t.overlap()));
            }
            for (int i = 0; i < t.vectors().size(); i++) {
                aq.add(new ABeat(t.vectors().get(i), i == t.vectors().size() - 1));
            }
        }
        int expectedOutputs = aq.size();
        SparsePeArrayModel m = new SparsePeArrayModel(dp);
        m.reset();
        List<long[]> narrow = new ArrayList<>();
        List<BigInteger[]> wide = new ArrayList<>();
        int maxCycles = 1_000_000;
        for (int c = 0; c < maxCycles && outputs < expectedOutputs; c++) {
            boolean offerW = !wq.isEmpty() && rnd.nextInt(100) < offerPercent;
            boolean offerA = !aq.isEmpty() && rnd.nextInt(100) < offerPercent;
            boolean aReady = m.actReady();
            boolean wReady = m.wReady(offerA);
            WBeat wb = offerW ? wq.peek() : new WBeat(randomBits(rnd, dp.cols() * dp.multipliers() * dp.entryWidth()),
                    rnd.nextInt(1 << dp.patternWidth()), rnd.nextInt(1 << dp.segmentWidth()), rnd.nextBoolean());
            ABeat ab = offerA ? aq.peek() : new ABeat(randomBits(rnd, dp.rows() * dp.lanes() * dp.valueWidth()),
                    rnd.nextBoolean());
            long[] n = {offerW ? 1 : 0, wb.pattern(), offerA ? 1 : 0, ab.last() ? 1 : 0, wb.segments(),
                wb.overlap() ? 1 : 0};
            narrow.add(n);
            wide.add(new BigInteger[] {wb.row(), ab.vector()});
            m.setInput("rst", 0);
            m.setInput("w_valid", n[0]);
            m.setInput("w_pattern", n[1]);
            m.setInput("w_segments", n[4]);
            m.setInput("w_overlap", n[5]);
            m.setInput("w_row", wb.row());
            m.setInput("act_valid", n[2]);
            m.setInput("act_last", n[3]);
            m.setInput("act", ab.vector());
            m.tick();
            if (offerW && wReady) {
                wq.poll();
            }
            if (offerA && aReady) {
                aq.poll();
            }
            if (m.outValid()) {
                outputs++;
                lastOutputCycle = c;
            }
        }
        if (outputs != expectedOutputs) {
            throw new AssertionError("the array model produced " + outputs + " of " + expectedOutputs + " outputs");
        }
        cycles = narrow.size();
        wValid = new long[cycles];
        wPattern = new long[cycles];
        wSegments = new long[cycles];
        wOverlap = new long[cycles];
        actValid = new long[cycles];
        actLast = new long[cycles];
        wRow = new BigInteger[cycles];
        act = new BigInteger[cycles];
        for (int c = 0; c < cycles; c++) {
            wValid[c] = narrow.get(c)[0];
            wPattern[c] = narrow.get(c)[1];
            wSegments[c] = narrow.get(c)[4];
            wOverlap[c] = narrow.get(c)[5];
            actValid[c] = narrow.get(c)[2];
            actLast[c] = narrow.get(c)[3];
            wRow[c] = wide.get(c)[0];
            act[c] = wide.get(c)[1];
        }
        return cycles;
    }

    private static BigInteger randomBits(SplittableRandom rnd, int bits) {
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < bits; i += 32) {
            v = v.shiftLeft(32).or(BigInteger.valueOf(rnd.nextInt() & 0xFFFF_FFFFL));
        }
        return v.and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
    }
}
