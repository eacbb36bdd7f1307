package dev.sieve.hdl.spatten;

import dev.sieve.arch.spatten.SpAttenConfig.TopK;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.lib.Logic;
import java.util.ArrayList;
import java.util.List;

/**
 * SpAtten-style top-k engine: quick-select with {@code P} comparators finds the k-th largest
 * value, then one filter pass over the original order marks the winners.
 *
 * <p><b>What it returns.</b> For {@code n} unsigned values {@code v[0..n-1]} and {@code 1 <= k <= n},
 * the selected set is the first {@code k} indices of the order "larger value first, lower index
 * first among equal values"; it is reported as a keep-mask in original index order, {@code P} lanes
 * per row ({@code out_mask} bit {@code l} of row {@code r} is index {@code r*P + l}). Exactly
 * {@code k} bits are set. {@code threshold} is the k-th largest value.
 *
 * <p><b>Protocol.</b> While idle, each cycle with {@code load_valid} writes {@code load_data}
 * ({@code P} values, lane 0 in the low bits) as the next row. {@code start} with {@code n} and
 * {@code k} begins a selection over the rows loaded since the last start (the load pointer returns
 * to row 0). Invalid arguments ({@code n = 0}, {@code n > maxN}, {@code k = 0}, {@code k > n}) end at
 * once with {@code done} and {@code err} high. Otherwise the engine runs quick-select rounds and
 * then streams {@code ceil(n/P)} rows of {@code out_valid/out_row/out_mask}; {@code done} is high
 * with the last row.
 *
 * <p><b>Timing.</b> A round over {@code m} candidates costs {@code ceil(m/P) + 3} cycles
 * ({@link TopK#roundCycles}, the one definition the golden model and the cost model use): one to
 * read the pivot, {@code ceil(m/P)} comparing {@code P} candidates per cycle, one to write the last
 * compacted row, one to decide which side to keep. The pivot is candidate
 * {@code (lfsr * m) >> 16} of the current candidates, {@code lfsr} being a 16-bit maximal LFSR
 * (x^16 + x^14 + x^13 + x^11 + 1, reset to 0xACE1, one step per round, never reset by start), so the
 * Java model picks the same pivots. Greater and smaller candidates are compacted by zero
 * eliminators ({@code log2 P} shift stages) and a rotator into banked buffers (two ping-pong pairs).
 */
public final class TopKEngine extends Component {

    /** Bits of a count of values, 0..maxN. */
    public static int countWidth(TopK cfg) {
        return Bits.widthFor(cfg.maxN());
    }

    /** Bits of a row address of a buffer bank. */
    public static int rowWidth(TopK cfg) {
        return Bits.log2Ceil(cfg.rows());
    }

    /** Bits of a lane (comparator) number. */
    public static int laneWidth(TopK cfg) {
        return Bits.log2Ceil(cfg.comparators());
    }

    /** State encoding, shared with the model. */
    public static final int IDLE = 0, PIVOT = 1, SCAN = 2, DRAIN = 3, DECIDE = 4, OUTPUT = 5, DONE = 6;
    /** Source buffer encoding. */
    public static final int SRC_IN = 0, SRC_XG = 1, SRC_XL = 2, SRC_YG = 3, SRC_YL = 4;
    /** LFSR reset value. */
    public static final int LFSR_SEED = 0xACE1;

    public final Signal loadValid, loadData, start, n, k;
    public final Signal busy, outValid, outRow, outMask, done, err, threshold, rounds;

    private final List<Memory> inBuf, xg, xl, yg, yl;
    private final Signal state, loadRow, nReg, kRem, m, src, dstY, lfsr, pivot, row;
    private final Signal wpG, wpL, eqCount, thr, eqTake, eqSeen, roundCount, errReg;
    private final Signal outValidReg, outRowReg, outMaskReg;
    private final Signal[] s1Val;
    private final Signal s1Gt, s1Lt, s1Eq;

    public TopKEngine(TopK cfg) {
        super("topk_p" + cfg.comparators() + "_n" + cfg.maxN() + "_w" + cfg.width());
        final int p = cfg.comparators();
        final int lw = laneWidth(cfg);
        final int rw = rowWidth(cfg);
        final int nw = countWidth(cfg);
        final int w = cfg.width();

        loadValid = input("load_valid", 1);
        loadData = input("load_data", p * w);
        start = input("start", 1);
        n = input("n", nw);
        k = input("k", nw);
        busy = output("busy", 1);
        outValid = output("out_valid", 1);
        outRow = output("out_row", rw);
        outMask = output("out_mask", p);
        done = output("done", 1);
        err = output("err", 1);
        threshold = output("threshold", w);
        rounds = output("rounds", nw);

        inBuf = banks("in_buf", cfg);
        xg = banks("xg_buf", cfg);
        xl = banks("xl_buf", cfg);
        yg = banks("yg_buf", cfg);
        yl = banks("yl_buf", cfg);

        state = reg(3, IDLE);
        loadRow = reg(rw, 0);
        nReg = reg(nw, 0);
        kRem = reg(nw, 0);
        m = reg(nw, 0);
        src = reg(3, SRC_IN);
        dstY = reg(1, 0);
        lfsr = reg(16, LFSR_SEED);
        pivot = reg(w, 0);
        row = reg(rw, 0);
        wpG = reg(nw, 0);
        wpL = reg(nw, 0);
        eqCount = reg(nw, 0);
        thr = reg(w, 0);
        eqTake = reg(nw, 0);
        eqSeen = reg(nw, 0);
        roundCount = reg(nw, 0);
        errReg = reg(1, 0);
        outValidReg = reg(1, 0);
        outRowReg = reg(rw, 0);
        outMaskReg = reg(p, 0);
        s1Val = new Signal[p];
        for (int l = 0; l < p; l++) {
            s1Val[l] = reg(w, 0);
        }
        s1Gt = reg(p, 0);
        s1Lt = reg(p, 0);
        s1Eq = reg(p, 0);

        Expr inIdle = state.eq(IDLE);
        Expr inScan = state.eq(SCAN);

        // ---- outputs
        assign(busy, inIdle.not());
        assign(outValid, outValidReg);
        assign(outRow, outRowReg);
        assign(outMask, outMaskReg);
        assign(done, state.eq(DONE));
        assign(err, errReg);
        assign(threshold, thr);
        assign(rounds, roundCount);

        // ---- loading (idle only; start wins)
        for (int b = 0; b < p; b++) {
            write(inBuf.get(b), loadRow, loadData.slice(b * w + w - 1, b * w), inIdle.and(loadValid).and(start.not()));
        }

        // ---- common datapath terms
        Expr rowsM = named("rows_m", m.add(p - 1).shr(Expr.lit(nw, lw)));
        Expr rowsN = named("rows_n", nReg.add(p - 1).shr(Expr.lit(nw, lw)));
        Expr lastScanRow = row.zext(nw).eq(rowsM.sub(1));
        Expr lastOutRow = row.zext(nw).eq(rowsN.sub(1));

        // pivot index = (lfsr * m) >> 16, read from the source buffer
        Signal pivotIdx = named("pivot_idx", lfsr.mulU(m).slice(16 + nw - 2, 16)); // < m <= maxN
        Expr pivotRow = pivotIdx.slice(lw + rw - 1, lw);
        Expr pivotBank = pivotIdx.slice(lw - 1, 0);
        Expr pivotValue = null;
        for (int b = p - 1; b >= 0; b--) {
            Expr v = readSource(b, pivotRow);
            pivotValue = pivotValue == null ? v : pivotBank.eq(b).select(v, pivotValue);
        }
        Signal pivotRead = named("pivot_read", pivotValue);

        // scan: lane l of row `row` of the source buffer, compared with the pivot
        List<Expr> gtBits = new ArrayList<>();
        List<Expr> ltBits = new ArrayList<>();
        List<Expr> eqBits = new ArrayList<>();
        for (int l = 0; l < p; l++) {
            Signal v = named("scan_val_" + l, readSource(l, row));
            Expr idx = Expr.cat(row, Expr.lit(lw, l)).zext(nw);
            Signal live = named("scan_live_" + l, idx.ltU(m));
            gtBits.add(live.and(v.gtU(pivot)));
            ltBits.add(live.and(v.ltU(pivot)));
            eqBits.add(live.and(v.eq(pivot)));
            final int lane = l;
            assign(s1Val[lane], inScan.select(v, s1Val[lane]));
        }
        assign(s1Gt, inScan.select(msbFirst(gtBits), Expr.zero(p)));
        assign(s1Lt, inScan.select(msbFirst(ltBits), Expr.zero(p)));
        assign(s1Eq, inScan.select(msbFirst(eqBits), Expr.zero(p)));

        // write stage: compact the greater and the smaller lanes and append them to the destination pair
        Expr gtCount = popcount("pop_gt", s1Gt, nw);
        Expr ltCount = popcount("pop_lt", s1Lt, nw);
        Expr eqCnt = popcount("pop_eq", s1Eq, nw);
        append("g", cfg, s1Gt, wpG, xg, yg);
        append("l", cfg, s1Lt, wpL, xl, yl);
        assign(wpG, wpG.add(gtCount));
        assign(wpL, wpL.add(ltCount));
        assign(eqCount, eqCount.add(eqCnt));

        // output pass: keep v > thr, and the first eqTake values equal to thr in index order
        Expr seen = eqSeen;
        Expr[] keep = new Expr[p];
        for (int l = 0; l < p; l++) {
            Expr v = readAsync(inBuf.get(l), row);
            Expr live = Expr.cat(row, Expr.lit(lw, l)).zext(nw).ltU(nReg);
            Expr isEq = live.and(v.eq(thr));
            keep[l] = live.and(v.gtU(thr).or(isEq.and(seen.ltU(eqTake))));
            seen = named("eq_rank_" + (l + 1), seen.add(isEq.zext(nw)));
        }
        Expr keepMask = msbFirst(List.of(keep));
        Expr seenAfterRow = seen;

        assign(outValidReg, Expr.zero(1));
        // ---- control
        switchOn(state)
                .is(IDLE, () -> {
                    when(start, () -> {
                        assign(loadRow, 0);
                        Expr bad = n.eq(0).or(n.gtU(Expr.lit(nw, cfg.maxN()))).or(k.eq(0)).or(k.gtU(n));
                        assign(errReg, bad);
                        assign(state, bad.select(Expr.lit(3, DONE), Expr.lit(3, PIVOT)));
                        assign(nReg, n);
                        assign(kRem, k);
                        assign(m, n);
                        assign(src, SRC_IN);
                        assign(dstY, 0);
                        assign(roundCount, 0);
                    }).elsewhen(loadValid, () -> assign(loadRow, loadRow.add(1)));
                })
                .is(PIVOT, () -> {
                    assign(pivot, pivotRead);
                    assign(lfsr, lfsrNext(lfsr));
                    assign(row, 0);
                    assign(wpG, 0);
                    assign(wpL, 0);
                    assign(eqCount, 0);
                    assign(roundCount, roundCount.add(1));
                    assign(state, SCAN);
                })
                .is(SCAN, () -> {
                    assign(row, row.add(1));
                    when(lastScanRow, () -> assign(state, DRAIN));
                })
                .is(DRAIN, () -> assign(state, DECIDE))
                .is(DECIDE, () -> {
                    Expr geAfterEq = wpG.add(eqCount);
                    when(kRem.leU(wpG), () -> {
                        assign(m, wpG);
                        assign(src, dstY.select(Expr.lit(3, SRC_YG), Expr.lit(3, SRC_XG)));
                        assign(dstY, dstY.not());
                        assign(state, PIVOT);
                    }).elsewhen(kRem.leU(geAfterEq), () -> {
                        assign(thr, pivot);
                        assign(eqTake, kRem.sub(wpG));
                        assign(eqSeen, 0);
                        assign(row, 0);
                        assign(state, OUTPUT);
                    }).otherwise(() -> {
                        assign(m, wpL);
                        assign(kRem, kRem.sub(geAfterEq));
                        assign(src, dstY.select(Expr.lit(3, SRC_YL), Expr.lit(3, SRC_XL)));
                        assign(dstY, dstY.not());
                        assign(state, PIVOT);
                    });
                })
                .is(OUTPUT, () -> {
                    assign(outValidReg, 1);
                    assign(outRowReg, row);
                    assign(outMaskReg, keepMask);
                    assign(eqSeen, seenAfterRow);
                    assign(row, row.add(1));
                    when(lastOutRow, () -> assign(state, DONE));
                })
                .otherwise(() -> assign(state, IDLE));
    }

    private List<Memory> banks(String name, TopK cfg) {
        List<Memory> list = new ArrayList<>();
        for (int b = 0; b < cfg.comparators(); b++) {
            list.add(memory(name + "_" + b, cfg.width(), cfg.rows()));
        }
        return list;
    }

    /** Bank {@code b} of the current source buffer at {@code addr}. */
    private Expr readSource(int b, Expr addr) {
        Expr fromIn = readAsync(inBuf.get(b), addr);
        Expr fromXg = readAsync(xg.get(b), addr);
        Expr fromXl = readAsync(xl.get(b), addr);
        Expr fromYg = readAsync(yg.get(b), addr);
        Expr fromYl = readAsync(yl.get(b), addr);
        return src.eq(SRC_XG).select(fromXg, src.eq(SRC_XL).select(fromXl,
                src.eq(SRC_YG).select(fromYg, src.eq(SRC_YL).select(fromYl, fromIn))));
    }

    /** Bits {@code bits[0]} (lsb) .. {@code bits[p-1]} (msb) as one vector. */
    private static Expr msbFirst(List<Expr> lsbFirst) {
        Expr[] parts = new Expr[lsbFirst.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = lsbFirst.get(parts.length - 1 - i);
        }
        return Expr.cat(parts);
    }

    /** Number of set bits of {@code mask}, as {@code width} bits. */
    private Expr popcount(String name, Signal mask, int width) {
        List<Expr> ones = new ArrayList<>();
        for (int i = 0; i < mask.width(); i++) {
            ones.add(mask.bit(i));
        }
        Expr sum = Logic.adderTree(this, name, ones, false, false, null);
        return named(name, sum.resize(width));
    }

    /**
     * Zero eliminator plus rotator: lanes of {@code s1Val} whose {@code mask} bit is set are packed
     * to the low lanes in order ({@code log2 P} stages, stage s moving a value down by 2^s when bit s
     * of its count of cleared lanes below it is set; LSB-first stages never collide), rotated by
     * {@code wp mod P}, and written to bank {@code (wp + j) mod P}, row {@code (wp + j) / P} of the
     * destination buffer of this round's pair.
     */
    private void append(String tag, TopK cfg, Signal mask, Signal wp, List<Memory> xBanks, List<Memory> yBanks) {
        int p = cfg.comparators();
        int lw = laneWidth(cfg);
        int rw = rowWidth(cfg);
        // displacement of each lane: cleared lanes below it
        Expr[] data = new Expr[p];
        Expr[] valid = new Expr[p];
        Expr[] disp = new Expr[p];
        Expr zeros = Expr.zero(lw);
        for (int l = 0; l < p; l++) {
            data[l] = s1Val[l];
            valid[l] = mask.bit(l);
            disp[l] = zeros;
            zeros = zeros.add(mask.bit(l).not().zext(lw));
            if (l < p - 1) {
                zeros = named("ze_" + tag + "_zeros_" + (l + 1), zeros);
            }
        }
        for (int s = 0; s < lw; s++) {
            int sh = 1 << s;
            Expr[] nData = new Expr[p];
            Expr[] nValid = new Expr[p];
            Expr[] nDisp = new Expr[p];
            for (int i = 0; i < p; i++) {
                Expr stay = valid[i].and(disp[i].bit(s).not());
                Expr move = i + sh < p ? valid[i + sh].and(disp[i + sh].bit(s)) : Expr.zero(1);
                nValid[i] = named("ze_" + tag + "_s" + s + "_v" + i, move.or(stay));
                nData[i] = named("ze_" + tag + "_s" + s + "_d" + i,
                        i + sh < p ? move.select(data[i + sh], data[i]) : data[i]);
                nDisp[i] = i + sh < p ? move.select(disp[i + sh], disp[i]) : disp[i];
            }
            data = nData;
            valid = nValid;
            disp = nDisp;
        }
        // rotate by base = wp mod P
        Expr base = wp.slice(lw - 1, 0);
        for (int s = 0; s < lw; s++) {
            int sh = 1 << s;
            Expr[] nData = new Expr[p];
            Expr[] nValid = new Expr[p];
            for (int b = 0; b < p; b++) {
                int from = (b - sh + p) % p;
                nData[b] = named("rot_" + tag + "_s" + s + "_d" + b, base.bit(s).select(data[from], data[b]));
                nValid[b] = named("rot_" + tag + "_s" + s + "_v" + b, base.bit(s).select(valid[from], valid[b]));
            }
            data = nData;
            valid = nValid;
        }
        Expr rowBase = wp.slice(lw + rw - 1, lw);
        for (int b = 0; b < p; b++) {
            // banks below the rotation base continue on the next row (never the case for the last bank)
            Expr addr = b == p - 1 ? rowBase : Expr.lit(lw, b).ltU(base).select(rowBase.add(1), rowBase);
            write(xBanks.get(b), addr, data[b], valid[b].and(dstY.not()));
            write(yBanks.get(b), addr, data[b], valid[b].and(dstY));
        }
    }

    /** One step of the 16-bit Fibonacci LFSR x^16 + x^14 + x^13 + x^11 + 1 (shifts right). */
    static Expr lfsrNext(Signal l) {
        Expr fb = l.bit(0).xor(l.bit(2)).xor(l.bit(3)).xor(l.bit(5));
        return Expr.cat(fb, l.slice(15, 1));
    }

    /** The same LFSR step on a Java int, for models. */
    public static int lfsrNext(int l) {
        int fb = (l ^ (l >> 2) ^ (l >> 3) ^ (l >> 5)) & 1;
        return (l >>> 1) | (fb << 15);
    }
}
