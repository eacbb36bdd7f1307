package dev.sieve.hdl.sat;

import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight-stationary SAT PE array, R x C {@link SparsePe}s, with double-buffered weights, the
 * tile control and row segments (the interleave mapping). PE(r, c) holds the weights of output
 * column c for the r-th chunk of the reduction dimension; activations move right one PE per
 * cycle, partial sums down.
 *
 * <h2>Interfaces</h2>
 * <ul>
 *   <li>Weights, ready/valid: {@code w_valid}, {@code w_ready}, {@code w_row} (one PE row per beat:
 *       entry (c, j) of C x L at bits {@code [(c*L+j+1)*E-1 : (c*L+j)*E]}, E = value + index bits,
 *       value low), and, taken with the first row of a step, {@code w_pattern} (code into
 *       {@link SatDatapath#patterns()}) and {@code w_segments} (S = 2^code row segments, see
 *       {@link SatDatapath#segments}) and {@code w_overlap} (the step may start before the previous
 *       one has drained). R beats fill the shadow registers, row after row. {@code w_ready}
 *       is high while the shadow is not full (or a step starts) and the row to load is free: a wave
 *       start (below) makes every shadow row busy until the last PE of the row has taken it.</li>
 *   <li>Activations, ready/valid: {@code act_valid}, {@code act_ready}, {@code act_last} (the
 *       step's last vector), {@code act} (R rows x lanes: row r lane t at {@code (r*lanes+t)}).
 *       A step's first vector is accepted once the shadow is full and either the previous step has
 *       drained, or the step has {@code w_overlap} and the shadow's pattern and segment count are the
 *       active ones (then it follows the previous step's last vector at once). Such a step sends the
 *       switch wave when it starts (before or after the drain); any other step starts after the
 *       drain and moves every PE's shadow weights to its active ones at once, freeing the whole
 *       shadow, as a non-overlapping array does. The switch wave: PE (r, c)
 *       moves its shadow weights at the clock edge before the step's first vector reaches it
 *       ({@code D (r mod Rs) + c} cycles after the start), so the previous step's vectors, still in
 *       the PEs below and to the right, keep their weights and its drain overlaps the new step's
 *       fill; shadow row r is free again once PE (r, C-1) has taken it. The sim model's
 *       {@code TileTiming.overlaps} says when overlapping pays (a wave start frees the shadow later
 *       than a clean one, which costs short steps with several segments).</li>
 *   <li>Outputs: {@code out_valid}, {@code out_last}, {@code out}: maxS x C partial sums, segment s
 *       column c at lane {@code s*C + c} (32 bits each); lanes of segments beyond the step's S, and
 *       everything while {@code out_valid} is low, are zero. Summing the segments' partial sums
 *       (when they are reduction tiles of one column tile) is left to the output buffer.</li>
 * </ul>
 *
 * <h2>Timing (the sim model's TileTiming)</h2>
 * The PE is pipelined ({@link SparsePe}): its products meet the partial sum X =
 * {@code SatConfig.PRODUCT_STAGES} cycles after its activations, and a partial sum spends D =
 * {@link SatConfig#psumLatency} cycles in it. With S segments of Rs = R/S rows, row r belongs to
 * segment r / Rs; a segment's top row takes a zero partial sum, and row r's activations are skewed by
 * D x (r mod Rs) cycles. A vector accepted in cycle k is registered ({@code act_q}), reaches PE(r, c)
 * in cycle k + 1 + D (r mod Rs) + c, its sum leaves the segment's bottom row of column c in cycle
 * k + 1 + D Rs + c + X, and column c's results are deskewed by C - 1 - c cycles, so a vector's results
 * appear together after the clock edge of cycle k + F, with the fill
 * {@code F = Rs D + C - 1 + X} ({@link SatConfig#fillCycles}). A step of P vectors occupies P + F
 * cycles from its first accepted vector to its last output. A step with {@code w_overlap} (same
 * pattern and segment count) can be accepted in the cycle after the previous step's last vector, or
 * once its weights are in: after a wave start shadow row r frees in cycle {@code D (r mod Rs) + C - 1}
 * of the step and rows load in order, so the shadow is full {@code reload = C + D (Rs - 1) + R - Rs}
 * cycles after the start; after an instant start R cycles after it. Other steps wait for the drain. So
 * with data always offered n overlapping steps end their last output after
 * {@code R + sum_(i<n-1) max(P_i, reload) + P + F} cycles, n others after
 * {@code R + sum_(i<n-1) max(P_i + F_i, R) + P + F} (the sim model's {@code TileTiming}). (INT8: F =
 * Rs + C + 1; BF16 with L = 4 and 3 adder stages: F = 12 Rs + C + 1; the combinational PE of earlier
 * versions had F = Rs + C - 1.)
 */
public final class SparsePeArray extends Component {
    public final Signal wValid;
    public final Signal wReady;
    public final Signal wPattern;
    public final Signal wSegments;
    public final Signal wOverlap;
    public final Signal wRow;
    public final Signal actValid;
    public final Signal actReady;
    public final Signal actLast;
    public final Signal act;
    public final Signal outValid;
    public final Signal outLast;
    public final Signal out;

    // ---- tile control
    private final Signal wCount;
    private final Signal streaming;
    private final Signal drainCount;
    private final Signal shadowPattern;
    private final Signal shadowSegments;
    private final Signal shadowOverlap;
    private final Signal activePattern;
    private final Signal activeSegments;
    private final Signal[] shadow;
    private final Signal[][] active;
    private final Signal[] busy;
    // ---- datapath
    private final Signal actQ;

    public SparsePeArray(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePeArray(SatDatapath dp) {
        super("sat_array_" + dp.rows() + "x" + dp.cols() + "_" + dp.tag()
                + (dp.rowSegments() > 1 ? "_s" + dp.rowSegments() : "") + "_p" + dp.config().psumLatency());
        int rows = dp.rows();
        int cols = dp.cols();
        int l = dp.multipliers();
        int vw = dp.valueWidth();
        int ew = dp.entryWidth();
        int lanes = dp.lanes();
        int rowBits = cols * l * ew;
        int maxSeg = dp.rowSegments();
        List<Integer> segOptions = new ArrayList<>(); // S for each w_segments code
        for (int s = 1; s <= maxSeg; s <<= 1) {
            segOptions.add(s);
        }

        wValid = input("w_valid", 1);
        wReady = output("w_ready", 1);
        wPattern = input("w_pattern", dp.patternWidth());
        wSegments = input("w_segments", dp.segmentWidth());
        wOverlap = input("w_overlap", 1);
        wRow = input("w_row", rowBits);
        actValid = input("act_valid", 1);
        actReady = output("act_ready", 1);
        actLast = input("act_last", 1);
        act = input("act", rows * lanes * vw);
        outValid = output("out_valid", 1);
        outLast = output("out_last", 1);
        out = output("out", maxSeg * cols * SatDatapath.ACC_WIDTH);

        // ---- tile control: shadow fill, step start, drain
        wCount = reg("w_count", Bits.widthFor(rows), 0);
        streaming = reg("streaming", 1, 0);
        int psumLatency = dp.config().psumLatency();
        int maxFill = (int) dp.config().fillCycles(rows);
        drainCount = reg("drain_count", Bits.widthFor(maxFill), 0);
        shadowPattern = reg("shadow_pattern", dp.patternWidth(), 0);
        shadowSegments = reg("shadow_segments", dp.segmentWidth(), 0);
        shadowOverlap = reg("shadow_overlap", 1, 0);
        activePattern = reg("active_pattern", dp.patternWidth(), 0);
        activeSegments = reg("active_segments", dp.segmentWidth(), 0);
        shadow = new Signal[rows];
        active = new Signal[rows][cols];
        busy = new Signal[rows];
        for (int r = 0; r < rows; r++) {
            shadow[r] = regNoReset("shadow_" + r, rowBits);
            busy[r] = reg("shadow_busy_" + r, 1, 0);
            for (int c = 0; c < cols; c++) {
                active[r][c] = regNoReset("active_" + r + "_" + c, l * ew);
            }
        }
        Signal shadowFull = named("shadow_full", wCount.eq(rows));
        Signal drained = named("drained", drainCount.eq(0));
        Signal sameMode = named("same_mode", shadowPattern.eq(activePattern).and(shadowSegments.eq(activeSegments)));
        Signal actReadyNow = named("act_ready_now",
                streaming.or(shadowFull.and(drained.or(sameMode.and(shadowOverlap)))));
        Signal actAccept = named("act_accept", actValid.and(actReadyNow));
        Signal stepStart = named("step_start", actAccept.and(streaming.not()));
        // a step with w_overlap and the active pattern and segment count sends the switch wave; any
        // other moves every PE's weights at once (it starts after the drain) and frees the whole
        // shadow. A start after the drain clears the valid and switch pipes (their old bits may sit
        // past the previous step's taps, which a new segment count may move)
        Signal waveStart = named("wave_start", stepStart.and(shadowOverlap).and(sameMode));
        Signal instantStart = named("instant_start", stepStart.and(waveStart.not()));
        Signal cleanStart = named("clean_start", stepStart.and(drained));
        assign(actReady, actReadyNow);

        // ---- the switch wave: PE (r, c) takes its shadow weights in the cycle before the step's first
        // vector reaches it, D (r mod Rs) + c cycles after the start, so the previous step's vectors,
        // still in the PEs below and to the right, keep theirs
        int waveLength = 0;
        for (int s : segOptions) {
            waveLength = Math.max(waveLength, psumLatency * (rows / s - 1) + cols - 1);
        }
        List<Expr> wave = new ArrayList<>();
        wave.add(waveStart);
        for (int t = 1; t <= waveLength; t++) {
            Signal w = reg("switch_pipe_" + t, 1, 0);
            assign(w, t == 1 ? waveStart : cleanStart.select(Expr.zero(1), wave.get(t - 1)));
            wave.add(w);
        }
        Expr waveSegments = activeSegmentsAfter(stepStart);
        Expr[][] take = new Expr[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                List<Expr> bySeg = new ArrayList<>();
                for (int s : segOptions) {
                    bySeg.add(wave.get(psumLatency * (r % (rows / s)) + c));
                }
                take[r][c] = bySeg.size() == 1 ? bySeg.get(0) : named("take_" + r + "_" + c,
                        SatBus.byCode(waveSegments, bySeg));
                Signal a = active[r][c];
                Expr slice = SatBus.lane(shadow[r], c, l * ew);
                when(instantStart.or(take[r][c]), () -> assign(a, slice));
            }
        }
        // shadow row r is busy from a wave start until PE (r, C-1) takes it; it may load in that cycle
        for (int r = 0; r < rows; r++) {
            Expr pending = busy[r].or(waveStart);
            assign(busy[r], pending.and(take[r][cols - 1].not()));
        }
        Signal writeRow = named("write_row", shadowFull.select(Expr.zero(wCount.width()), wCount));
        // ready: (!shadowFull | stepStart) & rowFree[writeRow], taken apart so that no step-start
        // logic sits before the row mux. A step starts only with a full shadow (act_ready needs it
        // when not streaming), so with a full shadow the row is 0 and a starting wave is
        // shadow_overlap & same_mode; with a partial one nothing starts, so the rows' frees read only
        // the switch pipes (wave position 0, the start itself, is 0) by the active segment count
        int lastCol = cols - 1;
        Expr waveIfStart = shadowOverlap.and(sameMode);
        Expr take0 = lastCol == 0 ? waveIfStart : wave.get(lastCol);
        Expr freeAtStart = busy[0].or(waveIfStart).not().or(take0);
        List<Expr> freeIdle = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Expr> bySeg = new ArrayList<>();
            for (int s : segOptions) {
                int t = psumLatency * (r % (rows / s)) + lastCol;
                bySeg.add(t == 0 ? Expr.zero(1) : wave.get(t));
            }
            Expr takeIdle = bySeg.size() == 1 ? bySeg.get(0) : SatBus.byCode(activeSegments, bySeg);
            freeIdle.add(busy[r].not().or(takeIdle));
        }
        Signal wReadyNow = named("w_ready_now", shadowFull.select(stepStart.and(freeAtStart),
                SatBus.muxTree(wCount, freeIdle)));
        Signal wAccept = named("w_accept", wValid.and(wReadyNow));
        assign(wReady, wReadyNow);

        when(stepStart, () -> {
            assign(wCount, wAccept.zext(wCount.width()));
            assign(activePattern, shadowPattern);
            assign(activeSegments, shadowSegments);
        }).elsewhen(wAccept, () -> assign(wCount, wCount.add(1)));
        for (int r = 0; r < rows; r++) {
            Signal row = shadow[r];
            when(wAccept.and(writeRow.eq(r)), () -> assign(row, wRow));
        }
        when(wAccept.and(writeRow.eq(0)), () -> {
            assign(shadowPattern, wPattern);
            assign(shadowSegments, wSegments);
            assign(shadowOverlap, wOverlap);
        });
        // drain of the active step: its fill, Rs D + C - 1 + X cycles after its last vector
        List<Expr> drainLength = new ArrayList<>();
        for (int s : segOptions) {
            drainLength.add(Expr.lit(drainCount.width(), dp.config().fillCycles(rows / s)));
        }
        when(actAccept.and(actLast), () -> assign(streaming, 0)).elsewhen(stepStart, () -> assign(streaming, 1));
        when(actAccept.and(actLast), () -> assign(drainCount, SatBus.byCode(activeSegmentsAfter(stepStart), drainLength)))
                .elsewhen(drainCount.ne(0), () -> assign(drainCount, drainCount.sub(1)));

        // ---- activations: input register, then row r skewed by D x (r mod Rs) cycles
        actQ = regNoReset("act_q", rows * lanes * vw);
        assign(actQ, act);
        Expr[] rowIn = new Expr[rows];
        for (int r = 0; r < rows; r++) {
            List<Expr> taps = new ArrayList<>();
            Expr x = SatBus.lane(actQ, r, lanes * vw);
            taps.add(x);
            int longest = 0;
            for (int s : segOptions) {
                longest = Math.max(longest, psumLatency * (r % (rows / s)));
            }
            for (int t = 0; t < longest; t++) {
                Signal d = regNoReset("skew_" + r + "_" + t, lanes * vw);
                assign(d, x);
                x = d;
                taps.add(x);
            }
            List<Expr> bySeg = new ArrayList<>();
            for (int s : segOptions) {
                bySeg.add(taps.get(psumLatency * (r % (rows / s))));
            }
            rowIn[r] = SatBus.byCode(activeSegments, bySeg);
        }

        // ---- the PE grid; a segment's top row starts from a zero partial sum
        SparsePe pe = new SparsePe(dp);
        Signal[][] peAct = new Signal[rows][cols];
        Signal[][] pePsum = new Signal[rows][cols];
        Expr[] segmentTop = new Expr[rows];
        for (int r = 0; r < rows; r++) {
            List<Expr> top = new ArrayList<>();
            for (int s : segOptions) {
                top.add(Expr.lit(1, r % (rows / s) == 0 ? 1 : 0));
            }
            segmentTop[r] = r == 0 ? Expr.lit(1, 1) : named("segment_top_" + r, SatBus.byCode(activeSegments, top));
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                List<Expr> vals = new ArrayList<>();
                List<Expr> idxs = new ArrayList<>();
                for (int j = 0; j < l; j++) {
                    Expr entry = SatBus.lane(active[r][c], j, ew);
                    vals.add(entry.slice(vw - 1, 0));
                    idxs.add(entry.slice(ew - 1, vw));
                }
                peAct[r][c] = wire("pe_" + r + "_" + c + "_act", lanes * vw);
                pePsum[r][c] = wire("pe_" + r + "_" + c + "_psum", SatDatapath.ACC_WIDTH);
                Expr psumIn = r == 0 ? Expr.zero(SatDatapath.ACC_WIDTH)
                        : segmentTop[r].select(Expr.zero(SatDatapath.ACC_WIDTH), pePsum[r - 1][c]);
                instance("pe_" + r + "_" + c, pe)
                        .connect(pe.pattern, activePattern)
                        .connect(pe.actIn, c == 0 ? rowIn[r] : peAct[r][c - 1])
                        .connect(pe.wVal, SatBus.pack(vals))
                        .connect(pe.wIdx, SatBus.pack(idxs))
                        .connect(pe.psumIn, psumIn)
                        .connect(pe.actOut, peAct[r][c])
                        .connect(pe.psumOut, pePsum[r][c]);
            }
        }

        // ---- per segment and column: the segment's bottom row, deskewed so a vector's results leave together
        List<Expr> results = new ArrayList<>();
        for (int seg = 0; seg < maxSeg; seg++) {
            for (int c = 0; c < cols; c++) {
                List<Expr> bySeg = new ArrayList<>();
                for (int s : segOptions) {
                    bySeg.add(seg < s ? pePsum[(seg + 1) * (rows / s) - 1][c] : Expr.zero(SatDatapath.ACC_WIDTH));
                }
                Expr x = maxSeg == 1 ? bySeg.get(0) : SatBus.byCode(activeSegments, bySeg);
                for (int t = 0; t < cols - 1 - c; t++) {
                    Signal d = regNoReset("deskew_" + seg + "_" + c + "_" + t, SatDatapath.ACC_WIDTH);
                    assign(d, x);
                    x = d;
                }
                results.add(x);
            }
        }
        // valid/last: F + 1 registers; cleared when a step starts after the previous one has drained
        // (its bits may still sit past its own tap, and the new step's tap may differ); a step that
        // follows at once has the same tap
        List<Expr> validTaps = new ArrayList<>();
        List<Expr> lastTaps = new ArrayList<>();
        Expr valid = actAccept;
        Expr last = actAccept.and(actLast);
        for (int t = 1; t <= maxFill + 1; t++) {
            Signal v = reg("valid_pipe_" + t, 1, 0);
            Signal e = reg("last_pipe_" + t, 1, 0);
            Expr vIn = valid;
            Expr eIn = last;
            if (t == 1) {
                assign(v, vIn);
                assign(e, eIn);
            } else {
                assign(v, cleanStart.select(Expr.zero(1), vIn));
                assign(e, cleanStart.select(Expr.zero(1), eIn));
            }
            validTaps.add(v);
            lastTaps.add(e);
            valid = v;
            last = e;
        }
        List<Expr> validBySeg = new ArrayList<>();
        List<Expr> lastBySeg = new ArrayList<>();
        for (int s : segOptions) {
            int fill = (int) dp.config().fillCycles(rows / s);
            validBySeg.add(validTaps.get(fill));
            lastBySeg.add(lastTaps.get(fill));
        }
        Signal validOut = named("valid_out", SatBus.byCode(activeSegments, validBySeg));
        assign(outValid, validOut);
        assign(outLast, SatBus.byCode(activeSegments, lastBySeg));
        assign(out, validOut.select(SatBus.pack(results), Expr.zero(out.width())));
    }

    /** The step's segment code: the shadow's at the cycle the step starts, the active one after. */
    private Expr activeSegmentsAfter(Expr stepStart) {
        return stepStart.select(shadowSegments, activeSegments);
    }
}
