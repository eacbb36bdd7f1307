package dev.sieve.hdl.sat;

import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight-stationary SAT PE array, R x C {@link SparsePe}s, with double-buffered weights and
 * the tile control. PE(r, c) holds the weights of output column c for the r-th chunk of the
 * reduction dimension; activations move right one PE per cycle, partial sums down.
 *
 * <h2>Interfaces</h2>
 * <ul>
 *   <li>Weights, ready/valid: {@code w_valid}, {@code w_ready}, {@code w_row} (one PE row per beat:
 *       entry (c, j) of C x L at bits {@code [(c*L+j+1)*E-1 : (c*L+j)*E]}, E = value + index bits,
 *       value low), {@code w_pattern} (taken with the first row of a tile). R beats fill the shadow
 *       registers; {@code w_ready} is low while they hold a complete tile not yet started.</li>
 *   <li>Activations, ready/valid: {@code act_valid}, {@code act_ready}, {@code act_last} (the
 *       tile's last vector), {@code act} (R rows x lanes: row r lane t at {@code (r*lanes+t)}).
 *       The first vector of a tile is accepted once the shadow weights are complete and the
 *       previous tile has drained; accepting it moves shadow to active weights.</li>
 *   <li>Outputs: {@code out_valid}, {@code out_last}, {@code out} (C partial sums, column c at
 *       {@code [32c+31 : 32c]}), zero when {@code out_valid} is low.</li>
 * </ul>
 *
 * <h2>Timing (matches the sim model's TileTiming)</h2>
 * A vector accepted in cycle k is registered ({@code act_q}), skewed by r cycles for row r,
 * reaches PE(r, c) in cycle k + 1 + r + c, and its column-c result is deskewed by C - 1 - c cycles,
 * so all C results appear together after the clock edge of cycle k + R + C - 1. A tile of P vectors
 * therefore occupies P + R + C - 1 cycles from its first accepted vector to its last output, and
 * the next tile's first vector is accepted in the cycle after that. The R weight rows of the next
 * tile load while the current one computes; with the first R cycles of loading, n tiles take
 * R + sum(P_i + R + C - 1) cycles when data is always offered.
 */
public final class SparsePeArray extends Component {
    public final Signal wValid;
    public final Signal wReady;
    public final Signal wPattern;
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
    private final Signal activePattern;
    private final Signal[] shadow;
    private final Signal[] active;
    // ---- datapath
    private final Signal actQ;

    public SparsePeArray(SatDatapath dp) {
        super("sat_array_" + dp.rows() + "x" + dp.cols() + "_" + dp.tag());
        int rows = dp.rows();
        int cols = dp.cols();
        int l = dp.multipliers();
        int vw = dp.valueWidth();
        int ew = dp.entryWidth();
        int lanes = dp.lanes();
        int rowBits = cols * l * ew;

        wValid = input("w_valid", 1);
        wReady = output("w_ready", 1);
        wPattern = input("w_pattern", dp.patternWidth());
        wRow = input("w_row", rowBits);
        actValid = input("act_valid", 1);
        actReady = output("act_ready", 1);
        actLast = input("act_last", 1);
        act = input("act", rows * lanes * vw);
        outValid = output("out_valid", 1);
        outLast = output("out_last", 1);
        out = output("out", cols * SatDatapath.ACC_WIDTH);

        // ---- tile control: shadow fill, tile start, drain
        wCount = reg("w_count", Bits.widthFor(rows), 0);
        streaming = reg("streaming", 1, 0);
        drainCount = reg("drain_count", Bits.widthFor(rows + cols - 1), 0);
        shadowPattern = reg("shadow_pattern", dp.patternWidth(), 0);
        activePattern = reg("active_pattern", dp.patternWidth(), 0);
        shadow = new Signal[rows];
        active = new Signal[rows];
        for (int r = 0; r < rows; r++) {
            shadow[r] = regNoReset("shadow_" + r, rowBits);
            active[r] = regNoReset("active_" + r, rowBits);
        }
        Signal shadowFull = named("shadow_full", wCount.eq(rows));
        Signal idle = named("idle", streaming.not().and(drainCount.eq(0)));
        Signal actReadyNow = named("act_ready_now", streaming.or(idle.and(shadowFull)));
        Signal actAccept = named("act_accept", actValid.and(actReadyNow));
        Signal tileStart = named("tile_start", actAccept.and(streaming.not()));
        Signal wAccept = named("w_accept", wValid.and(shadowFull.not()));
        assign(wReady, shadowFull.not());
        assign(actReady, actReadyNow);

        when(tileStart, () -> {
            assign(wCount, 0);
            assign(activePattern, shadowPattern);
            for (int r = 0; r < rows; r++) {
                assign(active[r], shadow[r]);
            }
        }).elsewhen(wAccept, () -> assign(wCount, wCount.add(1)));
        for (int r = 0; r < rows; r++) {
            Signal row = shadow[r];
            when(wAccept.and(wCount.eq(r)), () -> assign(row, wRow));
        }
        when(wAccept.and(wCount.eq(0)), () -> assign(shadowPattern, wPattern));
        when(actAccept.and(actLast), () -> {
            assign(streaming, 0);
            assign(drainCount, rows + cols - 1);
        }).elsewhen(tileStart, () -> assign(streaming, 1))
                .elsewhen(drainCount.ne(0), () -> assign(drainCount, drainCount.sub(1)));

        // ---- activations: input register, then row r skewed by r cycles
        actQ = regNoReset("act_q", rows * lanes * vw);
        assign(actQ, act);
        Expr[] rowIn = new Expr[rows];
        for (int r = 0; r < rows; r++) {
            Expr x = SatBus.lane(actQ, r, lanes * vw);
            for (int s = 0; s < r; s++) {
                Signal d = regNoReset("skew_" + r + "_" + s, lanes * vw);
                assign(d, x);
                x = d;
            }
            rowIn[r] = x;
        }

        // ---- the PE grid
        SparsePe pe = new SparsePe(dp);
        Signal[][] peAct = new Signal[rows][cols];
        Signal[][] pePsum = new Signal[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                List<Expr> vals = new ArrayList<>();
                List<Expr> idxs = new ArrayList<>();
                for (int j = 0; j < l; j++) {
                    Expr entry = SatBus.lane(active[r], c * l + j, ew);
                    vals.add(entry.slice(vw - 1, 0));
                    idxs.add(entry.slice(ew - 1, vw));
                }
                peAct[r][c] = wire("pe_" + r + "_" + c + "_act", lanes * vw);
                pePsum[r][c] = wire("pe_" + r + "_" + c + "_psum", SatDatapath.ACC_WIDTH);
                instance("pe_" + r + "_" + c, pe)
                        .connect(pe.pattern, activePattern)
                        .connect(pe.actIn, c == 0 ? rowIn[r] : peAct[r][c - 1])
                        .connect(pe.wVal, SatBus.pack(vals))
                        .connect(pe.wIdx, SatBus.pack(idxs))
                        .connect(pe.psumIn, r == 0 ? Expr.zero(SatDatapath.ACC_WIDTH) : pePsum[r - 1][c])
                        .connect(pe.actOut, peAct[r][c])
                        .connect(pe.psumOut, pePsum[r][c]);
            }
        }

        // ---- deskew the bottom row's partial sums so that a vector's C results leave together
        List<Expr> results = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            Expr x = pePsum[rows - 1][c];
            for (int s = 0; s < cols - 1 - c; s++) {
                Signal d = regNoReset("deskew_" + c + "_" + s, SatDatapath.ACC_WIDTH);
                assign(d, x);
                x = d;
            }
            results.add(x);
        }
        Expr valid = actAccept;
        Expr last = actAccept.and(actLast);
        for (int s = 0; s < rows + cols; s++) {
            Signal v = reg("valid_pipe_" + s, 1, 0);
            Signal t = reg("last_pipe_" + s, 1, 0);
            assign(v, valid);
            assign(t, last);
            valid = v;
            last = t;
        }
        assign(outValid, valid);
        assign(outLast, last);
        assign(out, valid.select(SatBus.pack(results), Expr.zero(cols * SatDatapath.ACC_WIDTH)));
    }
}
