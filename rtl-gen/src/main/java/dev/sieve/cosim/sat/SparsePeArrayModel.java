package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.List;

/**
 * Cycle model of the SAT PE array at the level of its interfaces: it keeps the shadow and active
 * weights and the tile-control state, computes a vector's C column sums the cycle it is accepted
 * (row 0 to R-1, each PE in lane order) and shows them {@code R + C - 1} cycles later. It does not
 * model PEs, skew registers or partial sums in flight.
 *
 * <p>Control, per clock edge, from the state before the edge:
 * {@code w_ready = (rows loaded < R)}; {@code act_ready = streaming || (no drain pending && R rows
 * loaded)}. An accepted first vector of a tile moves shadow to active weights and empties the
 * shadow; an accepted {@code act_last} ends the tile and starts R + C - 1 drain cycles.
 */
public final class SparsePeArrayModel implements CycleModel {
    private static final int RST = 0;
    private static final int W_VALID = 1;
    private static final int W_PATTERN = 2;
    private static final int W_ROW = 3;
    private static final int ACT_VALID = 4;
    private static final int ACT_LAST = 5;
    private static final int ACT = 6;
    private static final int W_READY = 7;
    private static final int ACT_READY = 8;
    private static final int OUT_VALID = 9;
    private static final int OUT_LAST = 10;
    private static final int OUT = 11;

    private record Result(boolean last, int[] sums) {
    }

    private final SatDatapath dp;
    private final List<Port> ports;
    private final int delay;
    private final Result[] pending;
    // inputs of the current cycle
    private final long[] narrow = new long[7];
    private BigInteger wRow = BigInteger.ZERO;
    private BigInteger act = BigInteger.ZERO;
    // state
    private final int[][][] shadowVal;
    private final int[][][] shadowIdx;
    private int[][][] activeVal;
    private int[][][] activeIdx;
    private int loaded;
    private long shadowPattern;
    private long activePattern;
    private boolean streaming;
    private int drain;
    private long cycle;
    private Result shown;

    public SparsePeArrayModel(SatDatapath dp) {
        this.dp = dp;
        int r = dp.rows();
        int c = dp.cols();
        int l = dp.multipliers();
        this.ports = List.of(Port.input("rst", 1), Port.input("w_valid", 1), Port.input("w_pattern", dp.patternWidth()),
                Port.input("w_row", c * l * dp.entryWidth()), Port.input("act_valid", 1), Port.input("act_last", 1),
                Port.input("act", r * dp.lanes() * dp.valueWidth()), Port.output("w_ready", 1),
                Port.output("act_ready", 1), Port.output("out_valid", 1), Port.output("out_last", 1),
                Port.output("out", c * 32));
        this.delay = r + c - 1;
        this.pending = new Result[delay + 1];
        this.shadowVal = new int[r][c][l];
        this.shadowIdx = new int[r][c][l];
        this.activeVal = new int[r][c][l];
        this.activeIdx = new int[r][c][l];
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        loaded = 0;
        shadowPattern = 0;
        activePattern = 0;
        streaming = false;
        drain = 0;
        cycle = 0;
        shown = null;
        java.util.Arrays.fill(pending, null);
    }

    @Override
    public void setInput(int port, long value) {
        if (port == W_ROW) {
            wRow = BigInteger.valueOf(value).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        } else if (port == ACT) {
            act = BigInteger.valueOf(value).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        } else {
            narrow[port] = value;
        }
    }

    @Override
    public void setInput(int port, BigInteger value) {
        if (port == W_ROW) {
            wRow = value;
        } else if (port == ACT) {
            act = value;
        } else {
            narrow[port] = value.longValue();
        }
    }

    private boolean wReady() {
        return loaded < dp.rows();
    }

    private boolean actReady() {
        return streaming || (drain == 0 && loaded == dp.rows());
    }

    @Override
    public void tick() {
        if (narrow[RST] != 0) {
            long keep = cycle;
            reset();
            cycle = keep + 1;
            return;
        }
        boolean actAccept = narrow[ACT_VALID] != 0 && actReady();
        boolean wAccept = narrow[W_VALID] != 0 && wReady();
        boolean last = narrow[ACT_LAST] != 0;
        Result result = null;
        if (actAccept) {
            if (!streaming) { // first vector of a tile: shadow becomes active
                activeVal = copy(shadowVal);
                activeIdx = copy(shadowIdx);
                activePattern = shadowPattern;
                loaded = 0;
                streaming = true;
            }
            result = new Result(last, columnSums());
            if (last) {
                streaming = false;
                drain = delay;
            }
        } else if (drain > 0) {
            drain--;
        }
        if (wAccept) {
            int[] entries = SatMath.lanes(wRow, dp.cols() * dp.multipliers(), dp.entryWidth());
            int vMask = (1 << dp.valueWidth()) - 1;
            for (int c = 0; c < dp.cols(); c++) {
                for (int j = 0; j < dp.multipliers(); j++) {
                    int e = entries[c * dp.multipliers() + j];
                    shadowVal[loaded][c][j] = e & vMask;
                    shadowIdx[loaded][c][j] = e >>> dp.valueWidth();
                }
            }
            if (loaded == 0) {
                shadowPattern = narrow[W_PATTERN];
            }
            loaded++;
        }
        int slots = pending.length;
        pending[(int) ((cycle + delay) % slots)] = result;
        shown = pending[(int) (cycle % slots)];
        cycle++;
    }

    /** The C column sums of the accepted vector: rows 0 .. R-1 in order, starting from zero. */
    private int[] columnSums() {
        NmPattern p = SatMath.pattern(dp.patterns(), activePattern);
        int lanes = dp.lanes();
        int[] all = SatMath.lanes(act, dp.rows() * lanes, dp.valueWidth());
        int[] sums = new int[dp.cols()];
        for (int c = 0; c < dp.cols(); c++) {
            int acc = 0;
            for (int r = 0; r < dp.rows(); r++) {
                int[] rowAct = java.util.Arrays.copyOfRange(all, r * lanes, (r + 1) * lanes);
                acc = SatMath.peSum(dp, p, rowAct, activeVal[r][c], activeIdx[r][c], acc);
            }
            sums[c] = acc;
        }
        return sums;
    }

    private static int[][][] copy(int[][][] a) {
        int[][][] b = new int[a.length][][];
        for (int i = 0; i < a.length; i++) {
            b[i] = new int[a[i].length][];
            for (int j = 0; j < a[i].length; j++) {
                b[i][j] = a[i][j].clone();
            }
        }
        return b;
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case W_READY -> wReady() ? 1 : 0;
            case ACT_READY -> actReady() ? 1 : 0;
            case OUT_VALID -> shown != null ? 1 : 0;
            case OUT_LAST -> shown != null && shown.last() ? 1 : 0;
            case OUT -> outputWide(OUT).longValue();
            default -> throw new IllegalArgumentException("port " + port + " is not an output");
        };
    }

    @Override
    public BigInteger outputWide(int port) {
        if (port == OUT) {
            return shown == null ? BigInteger.ZERO : SatMath.pack(shown.sums(), 32);
        }
        return BigInteger.valueOf(output(port));
    }

    /** True when the last cycle's outputs carry a result (for drivers that close the loop). */
    public boolean outValid() {
        return shown != null;
    }
}
