package dev.sieve.hdl.spatten.model;

import dev.sieve.arch.spatten.SpAttenConfig.TopK;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.spatten.TopKEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden cycle model of {@link TopKEngine}, written from its documented protocol and timing with
 * flat arrays where the RTL has banks and shift networks: a round is one cycle to read the pivot,
 * {@code ceil(m/P)} cycles comparing P candidates each, one cycle writing the last row, one cycle
 * deciding; the output pass streams one row of keep bits per cycle.
 *
 * <p>{@link #select} is the same algorithm without the cycle loop, for cost models and statistics.
 */
public final class TopKEngineModel implements CycleModel {
    private static final int RST = 0, LOAD_VALID = 1, LOAD_DATA = 2, START = 3, N = 4, K = 5;
    private static final int BUSY = 6, OUT_VALID = 7, OUT_ROW = 8, OUT_MASK = 9, DONE = 10, ERR = 11,
            THRESHOLD = 12, ROUNDS = 13;

    private final int p;
    private final int maxN;
    private final int width;
    private final long countMask;
    private final List<Port> ports;
    private final long[] in = new long[6];
    private BigInteger loadData = BigInteger.ZERO;

    // buffers: the loaded values and the two ping-pong pairs (greater, smaller)
    private final int[][] buf;
    private int state, loadRow, nReg, kRem, m, src, pivot, row, lfsr;
    private boolean dstY, err, outValid;
    private int wpG, wpL, eqCount, thr, eqTake, eqSeen, roundCount, outRow;
    private long outMask;
    private final List<Integer> s1Gt = new ArrayList<>();
    private final List<Integer> s1Lt = new ArrayList<>();
    private int s1Eq;

    public TopKEngineModel(TopK cfg) {
        p = cfg.comparators();
        maxN = cfg.maxN();
        width = cfg.width();
        countMask = (1L << TopKEngine.countWidth(cfg)) - 1;
        ports = List.of(Port.input("rst", 1), Port.input("load_valid", 1), Port.input("load_data", p * width),
                Port.input("start", 1), Port.input("n", TopKEngine.countWidth(cfg)), Port.input("k", TopKEngine.countWidth(cfg)),
                Port.output("busy", 1), Port.output("out_valid", 1), Port.output("out_row", TopKEngine.rowWidth(cfg)),
                Port.output("out_mask", p), Port.output("done", 1), Port.output("err", 1),
                Port.output("threshold", width), Port.output("rounds", TopKEngine.countWidth(cfg)));
        buf = new int[5][maxN];
        reset();
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        state = TopKEngine.IDLE;
        loadRow = 0;
        nReg = kRem = m = 0;
        src = TopKEngine.SRC_IN;
        dstY = false;
        lfsr = TopKEngine.LFSR_SEED;
        pivot = row = wpG = wpL = eqCount = thr = eqTake = eqSeen = roundCount = outRow = 0;
        err = outValid = false;
        outMask = 0;
        s1Gt.clear();
        s1Lt.clear();
        s1Eq = 0;
    }

    @Override
    public void setInput(int port, long value) {
        if (port == LOAD_DATA) {
            loadData = CycleModel.unsigned(value);
        } else {
            in[port] = value;
        }
    }

    @Override
    public void setInput(int port, BigInteger value) {
        if (port == LOAD_DATA) {
            loadData = value;
        } else {
            in[port] = value.longValue();
        }
    }

    @Override
    public void tick() {
        boolean start = in[START] != 0;
        // memory writes happen at the edge, also under reset
        if (state == TopKEngine.IDLE && in[LOAD_VALID] != 0 && !start) {
            for (int b = 0; b < p; b++) {
                buf[TopKEngine.SRC_IN][loadRow * p + b] = loadData.shiftRight(b * width).intValue() & (int) mask(width);
            }
        }
        int[] destG = buf[dstY ? TopKEngine.SRC_YG : TopKEngine.SRC_XG];
        int[] destL = buf[dstY ? TopKEngine.SRC_YL : TopKEngine.SRC_XL];
        for (int j = 0; j < s1Gt.size(); j++) {
            destG[wpG + j] = s1Gt.get(j);
        }
        for (int j = 0; j < s1Lt.size(); j++) {
            destL[wpL + j] = s1Lt.get(j);
        }
        if (in[RST] != 0) {
            reset();
            return;
        }
        int[] source = buf[src];
        int nextWpG = wpG + s1Gt.size();
        int nextWpL = wpL + s1Lt.size();
        int nextEq = eqCount + s1Eq;
        s1Gt.clear();
        s1Lt.clear();
        s1Eq = 0;
        outValid = false;
        switch (state) {
            case TopKEngine.IDLE -> {
                if (start) {
                    int n = (int) in[N];
                    int k = (int) in[K];
                    loadRow = 0;
                    err = n == 0 || n > maxN || k == 0 || k > n;
                    state = err ? TopKEngine.DONE : TopKEngine.PIVOT;
                    nReg = n;
                    kRem = k;
                    m = n;
                    src = TopKEngine.SRC_IN;
                    dstY = false;
                    roundCount = 0;
                } else if (in[LOAD_VALID] != 0) {
                    loadRow = (loadRow + 1) % (maxN / p);
                }
            }
            case TopKEngine.PIVOT -> {
                pivot = source[pivotIndex(lfsr, m)];
                lfsr = TopKEngine.lfsrNext(lfsr);
                row = 0;
                nextWpG = 0;
                nextWpL = 0;
                nextEq = 0;
                roundCount++;
                state = TopKEngine.SCAN;
            }
            case TopKEngine.SCAN -> {
                for (int l = 0; l < p; l++) {
                    int idx = row * p + l;
                    if (idx < m) {
                        int v = source[idx];
                        if (v > pivot) {
                            s1Gt.add(v);
                        } else if (v < pivot) {
                            s1Lt.add(v);
                        } else {
                            s1Eq++;
                        }
                    }
                }
                if (row == rows(m) - 1) {
                    state = TopKEngine.DRAIN;
                }
                row++;
            }
            case TopKEngine.DRAIN -> state = TopKEngine.DECIDE;
            case TopKEngine.DECIDE -> {
                if (kRem <= wpG) {
                    m = wpG;
                    src = dstY ? TopKEngine.SRC_YG : TopKEngine.SRC_XG;
                    dstY = !dstY;
                    state = TopKEngine.PIVOT;
                } else if (kRem <= wpG + eqCount) {
                    thr = pivot;
                    eqTake = kRem - wpG;
                    eqSeen = 0;
                    row = 0;
                    state = TopKEngine.OUTPUT;
                } else {
                    m = wpL;
                    kRem = kRem - wpG - eqCount;
                    src = dstY ? TopKEngine.SRC_YL : TopKEngine.SRC_XL;
                    dstY = !dstY;
                    state = TopKEngine.PIVOT;
                }
            }
            case TopKEngine.OUTPUT -> {
                long mask = 0;
                for (int l = 0; l < p; l++) {
                    int idx = row * p + l;
                    if (idx < nReg) {
                        int v = buf[TopKEngine.SRC_IN][idx];
                        boolean equal = v == thr;
                        if (v > thr || (equal && eqSeen < eqTake)) {
                            mask |= 1L << l;
                        }
                        if (equal) {
                            eqSeen++;
                        }
                    }
                }
                outValid = true;
                outRow = row;
                outMask = mask;
                if (row == rows(nReg) - 1) {
                    state = TopKEngine.DONE;
                }
                row++;
            }
            default -> state = TopKEngine.IDLE;
        }
        row &= maxN / p - 1;
        wpG = (int) (nextWpG & countMask);
        wpL = (int) (nextWpL & countMask);
        eqCount = (int) (nextEq & countMask);
    }

    private int rows(int count) {
        return (count + p - 1) / p;
    }

    private static long mask(int w) {
        return (1L << w) - 1;
    }

    /** The pivot's position among {@code m} candidates for LFSR state {@code lfsr}: {@code (lfsr * m) >> 16}. */
    public static int pivotIndex(int lfsr, int m) {
        return (int) (((long) lfsr * m) >>> 16);
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case BUSY -> state != TopKEngine.IDLE ? 1 : 0;
            case OUT_VALID -> outValid ? 1 : 0;
            case OUT_ROW -> outRow;
            case OUT_MASK -> outMask;
            case DONE -> state == TopKEngine.DONE ? 1 : 0;
            case ERR -> err ? 1 : 0;
            case THRESHOLD -> thr;
            case ROUNDS -> roundCount;
            default -> throw new IllegalArgumentException("not an output: " + port);
        };
    }

    /** The LFSR state the model will use for its next pivot (for callers chaining {@link #select}). */
    public int lfsr() {
        return lfsr;
    }

    /**
     * One selection, as the engine runs it.
     *
     * @param keep            keep flags in index order (exactly k set)
     * @param threshold       the k-th largest value
     * @param rounds          quick-select rounds
     * @param selectCycles    cycles from the start cycle to the decision that ends the last round:
     *                        {@code 1 + sum(ceil(m_i/P) + 3)} ({@link TopK#START_CYCLES},
     *                        {@link TopK#roundCycles})
     * @param outputCycles    cycles of the output pass, {@code ceil(n/P)} ({@link TopK#outputCycles})
     * @param nextLfsr        LFSR state after the run
     */
    public record Selection(boolean[] keep, int threshold, int rounds, long selectCycles, long outputCycles,
                            int nextLfsr) {
        /** Cycles from the start cycle to {@code done}: {@code selectCycles + outputCycles}. */
        public long totalCycles() {
            return selectCycles + outputCycles;
        }
    }

    /**
     * Runs the engine's algorithm on {@code values} (unsigned) without the cycle loop, with the
     * engine's own cycle costs. The values are not held to {@code engine.maxN()}: cost models ask
     * it about selections of any size on an engine of {@code engine.comparators()} comparators.
     */
    public static Selection select(int[] values, int k, TopK engine, int lfsr) {
        int n = values.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k = " + k + " is out of range; allowed 1 .. n = " + n);
        }
        int[] cand = values.clone();
        int m = n;
        int kRem = k;
        long cycles = TopK.START_CYCLES;
        int rounds = 0;
        int threshold;
        int[] g = new int[n];
        int[] l = new int[n];
        while (true) {
            int pv = cand[pivotIndex(lfsr, m)];
            lfsr = TopKEngine.lfsrNext(lfsr);
            rounds++;
            cycles += engine.roundCycles(m);
            int cg = 0, cl = 0, ce = 0;
            for (int i = 0; i < m; i++) {
                int v = cand[i];
                if (v > pv) {
                    g[cg++] = v;
                } else if (v < pv) {
                    l[cl++] = v;
                } else {
                    ce++;
                }
            }
            if (kRem <= cg) {
                System.arraycopy(g, 0, cand, 0, cg);
                m = cg;
            } else if (kRem <= cg + ce) {
                threshold = pv;
                kRem -= cg;
                break;
            } else {
                kRem -= cg + ce;
                System.arraycopy(l, 0, cand, 0, cl);
                m = cl;
            }
        }
        boolean[] keep = new boolean[n];
        int eqLeft = kRem;
        for (int i = 0; i < n; i++) {
            if (values[i] > threshold) {
                keep[i] = true;
            } else if (values[i] == threshold && eqLeft > 0) {
                keep[i] = true;
                eqLeft--;
            }
        }
        return new Selection(keep, threshold, rounds, cycles, engine.outputCycles(n), lfsr);
    }
}
