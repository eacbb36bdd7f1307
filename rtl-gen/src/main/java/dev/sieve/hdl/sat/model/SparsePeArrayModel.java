package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.List;

/**
 * Cycle model of the SAT PE array at the level of its interfaces: it keeps the shadow and active
 * weights and the tile-control state, computes a vector's C column sums the cycle it is accepted
 * (row 0 to R-1, each PE in lane order) and shows them the fill {@code F = SatConfig.fillCycles(Rs)}
 * cycles later. It does not
 * model PEs, skew registers or partial sums in flight.
 *
 * <p>Control, per clock edge, from the state before the edge: {@code act_ready = streaming || (R rows
 * loaded && (no drain pending || (w_overlap was set with row 0 && the shadow's pattern and segment
 * count are the active ones)))}, so such a step follows the previous step's last vector at once (its
 * fill overlaps the drain; the RTL's PEs switch weights as the step's first vector reaches them);
 * {@code w_ready = (rows loaded < R || a step starts now) && the row to load is free}. An
 * accepted first vector of a step moves shadow to active weights (pattern and segment count too)
 * and empties the shadow. A step with w_overlap and the active pattern and segment count starts with
 * the switch wave: shadow row r is free
 * again from cycle {@code s + D (r mod Rs) + C - 1} of a step started in cycle s (when PE (r, C-1)
 * has taken it; {@code TileTiming.rowFreeCycle}); after any other start (instant, after the drain)
 * every shadow row is free at once (row 0 may load in the start cycle); an accepted
 * {@code act_last} ends the step and starts F drain cycles. With S segments (Rs = R/S rows each)
 * every segment sums its own rows and results show F = Rs D + C - 1 + X cycles after acceptance
 * (D = {@code SatConfig.psumLatency()}, X = {@code SatConfig.PRODUCT_STAGES}).
 */
public final class SparsePeArrayModel implements CycleModel {
    private static final int RST = 0;
    private static final int W_VALID = 1;
    private static final int W_PATTERN = 2;
    private static final int W_ROW = 3;
    private static final int ACT_VALID = 4;
    private static final int ACT_LAST = 5;
    private static final int ACT = 6;
    private static final int W_SEGMENTS = 7;
    private static final int W_OVERLAP = 8;
    private static final int W_READY = 9;
    private static final int ACT_READY = 10;
    private static final int OUT_VALID = 11;
    private static final int OUT_LAST = 12;
    private static final int OUT = 13;

    private record Result(boolean last, int[] sums) {
    }

    private final SatDatapath dp;
    private final List<Port> ports;
    private final Result[] pending;
    // inputs of the current cycle
    private final long[] narrow = new long[9];
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
    private long shadowSegments;
    private long activeSegments;
    private boolean shadowOverlap;
    private boolean streaming;
    private int drain;
    private long cycle;
    /** Cycle from which shadow row r may take the next step's weights. */
    private final long[] freeAt;
    private Result shown;

    public SparsePeArrayModel(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePeArrayModel(SatDatapath dp) {
        this.dp = dp;
        int r = dp.rows();
        int c = dp.cols();
        int l = dp.multipliers();
        this.ports = List.of(Port.input("rst", 1), Port.input("w_valid", 1), Port.input("w_pattern", dp.patternWidth()),
                Port.input("w_row", c * l * dp.entryWidth()), Port.input("act_valid", 1), Port.input("act_last", 1),
                Port.input("act", r * dp.lanes() * dp.valueWidth()), Port.input("w_segments", dp.segmentWidth()),
                Port.input("w_overlap", 1), Port.output("w_ready", 1), Port.output("act_ready", 1), Port.output("out_valid", 1),
                Port.output("out_last", 1), Port.output("out", dp.rowSegments() * c * 32));
        this.pending = new Result[(int) dp.config().fillCycles(r) + 1];
        this.shadowVal = new int[r][c][l];
        this.shadowIdx = new int[r][c][l];
        this.activeVal = new int[r][c][l];
        this.activeIdx = new int[r][c][l];
        this.freeAt = new long[r];
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
        shadowSegments = 0;
        activeSegments = 0;
        shadowOverlap = false;
        streaming = false;
        drain = 0;
        cycle = 0;
        shown = null;
        java.util.Arrays.fill(pending, null);
        java.util.Arrays.fill(freeAt, 0);
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

    /**
     * {@code w_ready} for the state before the next edge when {@code actValid} is offered: the shadow
     * is not full, or the step starts in this cycle (its shadow moves to the active weights).
     */
    public boolean wReady(boolean actValid) {
        if (actValid && !streaming && actReady()) { // row 0 of the next step: free at once after an
            return !waveStart() || dp.cols() == 1;     // instant start, else once PE (0, C-1) has it
        }
        return loaded < dp.rows() && cycle >= freeAt[loaded];
    }

    /** True when a step starting now sends the switch wave: it has w_overlap and the active pattern and segments. */
    private boolean waveStart() {
        return shadowOverlap && shadowPattern == activePattern && shadowSegments == activeSegments;
    }

    /** {@code act_ready} for the state before the next edge. */
    public boolean actReady() {
        return streaming || (loaded == dp.rows() && (drain == 0 || waveStart()));
    }

    /** Segments of the active step, Rs = R / S rows each. */
    private int segmentRows() {
        return dp.rows() / dp.segments(activeSegments);
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
        boolean wAccept = narrow[W_VALID] != 0 && wReady(narrow[ACT_VALID] != 0);
        boolean last = narrow[ACT_LAST] != 0;
        Result result = null;
        if (actAccept) {
            if (!streaming) { // first vector of a step: shadow becomes active
                boolean wave = waveStart();
                activeVal = copy(shadowVal);
                activeIdx = copy(shadowIdx);
                activePattern = shadowPattern;
                activeSegments = shadowSegments;
                loaded = 0;
                streaming = true;
                int rs = segmentRows();
                for (int r = 0; r < dp.rows(); r++) { // an instant start frees the whole shadow at once
                    freeAt[r] = wave ? cycle + (long) dp.config().psumLatency() * (r % rs) + dp.cols() - 1 : cycle;
                }
            }
            result = new Result(last, columnSums());
        }
        if (actAccept && last) {
            streaming = false;
            drain = (int) dp.config().fillCycles(segmentRows());
        } else if (drain > 0) {
            drain--;
        }
        int delay = (int) dp.config().fillCycles(segmentRows());
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
                shadowSegments = narrow[W_SEGMENTS];
                shadowOverlap = narrow[W_OVERLAP] != 0;
            }
            loaded++;
        }
        // a result shows `delay` cycles after acceptance; the delay changes between steps, so every
        // slot is emptied once shown
        int slots = pending.length;
        if (result != null) {
            pending[(int) ((cycle + delay) % slots)] = result;
        }
        shown = pending[(int) (cycle % slots)];
        pending[(int) (cycle % slots)] = null;
        cycle++;
    }

    /**
     * The sums of the accepted vector, segment s column c at {@code s*C + c}: rows of the segment top
     * to bottom, starting from zero; segments beyond the step's S are zero.
     */
    private int[] columnSums() {
        NmPattern p = SatMath.pattern(dp.patterns(), activePattern);
        int lanes = dp.lanes();
        int rs = segmentRows();
        int[] all = SatMath.lanes(act, dp.rows() * lanes, dp.valueWidth());
        int[] sums = new int[dp.rowSegments() * dp.cols()];
        for (int seg = 0; seg < dp.rows() / rs; seg++) {
            for (int c = 0; c < dp.cols(); c++) {
                int acc = 0;
                for (int r = seg * rs; r < (seg + 1) * rs; r++) {
                    int[] rowAct = java.util.Arrays.copyOfRange(all, r * lanes, (r + 1) * lanes);
                    acc = SatMath.peSum(dp, p, rowAct, activeVal[r][c], activeIdx[r][c], acc);
                }
                sums[seg * dp.cols() + c] = acc;
            }
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
            case W_READY -> wReady(narrow[ACT_VALID] != 0) ? 1 : 0;
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
