package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.fp.Bf16;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cycle model of the N:M pre-generation unit: the forward (row groups) and backward (column groups)
 * compression of the block applied in a cycle, and its {@code in_valid}, reach the outputs
 * {@link NmPregen#LATENCY} clock edges later (a queue of that many results); reset clears the
 * queue, so the outputs are zero until the first block after it arrives. Selection sorts each group
 * by magnitude, largest first, ties by lower index, keeps N and emits them in index order.
 */
public final class NmPregenModel implements CycleModel {
    private static final int RST = 0;
    private static final int IN_VALID = 1;
    private static final int PATTERN = 2;
    private static final int BLOCK = 3;
    private static final int OUT_VALID = 4;
    private static final int FWD_VAL = 5;
    private static final int FWD_IDX = 6;
    private static final int BWD_VAL = 7;
    private static final int BWD_IDX = 8;

    private final SatDatapath dp;
    private final List<Port> ports;
    private final int mMax;
    private final int keep;
    private final int ib;
    private final long[] narrow = new long[3];
    private BigInteger block = BigInteger.ZERO;
    /** Results in flight, oldest (at the outputs) first; each holds the five output ports. */
    private final java.util.ArrayDeque<BigInteger[]> queue = new java.util.ArrayDeque<>();

    public NmPregenModel(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public NmPregenModel(SatDatapath dp) {
        this.dp = dp;
        this.mMax = NmPregen.maxM(dp);
        this.keep = NmPregen.keep(dp);
        this.ib = NmPregen.indexWidth(dp);
        int vw = dp.valueWidth();
        this.ports = List.of(Port.input("rst", 1), Port.input("in_valid", 1),
                Port.input("pattern", NmPregen.patternWidth(dp)), Port.input("block", mMax * mMax * vw),
                Port.output("out_valid", 1), Port.output("fwd_val", mMax * keep * vw),
                Port.output("fwd_idx", mMax * keep * ib), Port.output("bwd_val", mMax * keep * vw),
                Port.output("bwd_idx", mMax * keep * ib));
        reset();
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        queue.clear();
        for (int i = 0; i < NmPregen.LATENCY; i++) {
            BigInteger[] zero = new BigInteger[5];
            java.util.Arrays.fill(zero, BigInteger.ZERO);
            queue.addLast(zero);
        }
    }

    @Override
    public void setInput(int port, long value) {
        if (port == BLOCK) {
            block = CycleModel.unsigned(value);
        } else {
            narrow[port] = value;
        }
    }

    @Override
    public void setInput(int port, BigInteger value) {
        if (port == BLOCK) {
            block = value;
        } else {
            narrow[port] = value.longValue();
        }
    }

    /** Magnitude key: INT8 |x| (|-128| = 128), BF16 {@link Bf16#magnitudeKey}. */
    public static int key(SatDatapath dp, int value) {
        return switch (dp.format()) {
            case INT8_INT32 -> Math.abs((byte) value);
            case BF16_FP32 -> Bf16.magnitudeKey(value);
        };
    }

    /** Kept positions of one group, in index order: top {@code n} by key, ties to the lower index. */
    public static List<Integer> topN(SatDatapath dp, int[] group, int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < group.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> -key(dp, group[i])).thenComparingInt(i -> i));
        List<Integer> kept = new ArrayList<>(order.subList(0, n));
        kept.sort(null);
        return kept;
    }

    @Override
    public void tick() {
        if (narrow[RST] != 0) {
            reset();
            return;
        }
        NmPattern p = SatMath.pattern(dp.sparsePatterns(), narrow[PATTERN]);
        int vw = dp.valueWidth();
        int[] x = SatMath.lanes(block, mMax * mMax, vw);
        int[] fv = new int[mMax * keep];
        int[] fi = new int[mMax * keep];
        int[] bv = new int[mMax * keep];
        int[] bi = new int[mMax * keep];
        for (int line = 0; line < mMax; line++) {
            int[] row = new int[mMax];
            int[] col = new int[mMax];
            for (int t = 0; t < mMax; t++) {
                row[t] = x[line * mMax + t];
                col[t] = x[t * mMax + line];
            }
            compress(p, row, fv, fi, line * keep);
            compress(p, col, bv, bi, line * keep);
        }
        BigInteger[] outs = new BigInteger[5];
        outs[0] = BigInteger.valueOf(narrow[IN_VALID] & 1);
        outs[1] = SatMath.pack(fv, vw);
        outs[2] = SatMath.pack(fi, ib);
        outs[3] = SatMath.pack(bv, vw);
        outs[4] = SatMath.pack(bi, ib);
        queue.removeFirst();
        queue.addLast(outs);
    }

    private void compress(NmPattern p, int[] line, int[] vals, int[] idx, int at) {
        for (int g = 0; g < mMax / p.m(); g++) {
            int[] group = java.util.Arrays.copyOfRange(line, g * p.m(), (g + 1) * p.m());
            List<Integer> kept = topN(dp, group, p.n());
            for (int s = 0; s < kept.size(); s++) {
                vals[at + g * p.n() + s] = group[kept.get(s)];
                idx[at + g * p.n() + s] = kept.get(s);
            }
        }
    }

    @Override
    public long output(int port) {
        return outputWide(port).longValue();
    }

    @Override
    public BigInteger outputWide(int port) {
        if (port < OUT_VALID || port > BWD_IDX) {
            throw new IllegalArgumentException("port " + port + " is not an output");
        }
        return queue.peekFirst()[port - OUT_VALID];
    }
}
