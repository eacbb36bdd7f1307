package dev.sieve.hdl.spatten;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.Stream;
import dev.sieve.hdl.lib.Logic;
import java.util.ArrayList;
import java.util.List;

/**
 * SpAtten's attention pipeline: Q·K on P multipliers, a fixed-point softmax, the
 * progressive-quantization decision, local-V selection on the {@link TopKEngine} and prob·V on Pv
 * multipliers, generated from {@link AttentionPipeline} (derived from {@code SpAttenConfig}) with
 * the arithmetic of {@link AttentionArithmetic}. Four stages work on four consecutive queries at
 * once, as the released design's units do: <b>Q·K</b> (the K stream into the array, logits into
 * the query's logit bank, their maximum), <b>softmax</b> (the exponential pass and the refetch
 * decision), <b>select</b> (the division pass, which fills the top-k engine, then the selection) and
 * <b>value</b> (prob·V and the output). Three logit banks (one each for the queries in Q·K, softmax
 * and select), two probability banks between select and value; a stage hands its query on in a
 * cycle of its own once the next stage is idle.
 *
 * <p><b>Refetch order.</b> A query that decides to refetch stays in the softmax stage: it waits a
 * cycle and until no pass of the next query runs on the Q·K array (a query started before the
 * decision finishes its pass and then waits, done, in the Q·K stage), claims the array for its
 * second pass with the full-precision keys (written into its own bank) and runs the exponential
 * pass again; {@code ready} is low from the decision until that second pass has drained, so no new
 * query takes the array meanwhile and queries still leave in the order they started.
 *
 * <p><b>Protocol.</b> While {@code ready} (the Q·K stage is idle and no refetch waits for or uses
 * the array), {@code start} takes a query
 * {@code q} (D elements, element 0 in the low bits), the key count {@code n} (1 .. maxN), the values
 * to keep {@code k} (1 or more; {@code k >= n} keeps all and runs no selection), the low bits
 * {@code lsb} (0 .. 11) the first pass clears from Q and K, and the refetch threshold {@code tau}
 * ({@link AttentionArithmetic#refetchThreshold}, 0 .. 4096+). Bad arguments ({@code n = 0},
 * {@code n > maxN}, {@code k = 0}, {@code lsb > 11}) raise {@code err} for one cycle and the Q·K
 * stage is ready again. Queries leave in the order they started.
 * <ol>
 *   <li><b>K stream</b> ({@code k_valid/k_ready/k_payload}): the Q·K stage's query's n keys, P
 *       elements a beat (a beat holds {@code P/D} whole keys when P ≥ D, else the next P elements of
 *       one key), lane 0 in the low bits; lanes past key n - 1 in the last beat are ignored.</li>
 *   <li>If {@code lsb > 0} and its largest probability is below {@code tau}, {@code refetch} goes
 *       high while the query's K stream is taken a second time (the next query's keys, if it had
 *       started, were taken before); these keys are used at full precision (the fetcher sends the
 *       MSBs it holds with the LSBs it refetched).</li>
 *   <li>When {@code k < n}, the engine's keep-mask rows for the select stage's query appear on
 *       {@code sel_valid/sel_row/sel_mask}: the V rows to fetch.</li>
 *   <li><b>V stream</b> ({@code v_valid/v_ready/v_payload}): the value stage's query's
 *       {@code min(k, n)} kept rows in ascending key order, each with its key index; payload =
 *       {@code {index_{R-1} .. index_0, lanes}}, Pv lanes ({@code Pv/D} rows when Pv ≥ D, else the
 *       next Pv elements of one row), {@code R = max(1, Pv/D)} indices of log2(maxN) bits.</li>
 *   <li><b>Output</b> ({@code out_valid/out_ready/out_payload}): {@code {refetched, o_{D-1} .. o_0}}
 *       held until taken (the payload is zero while {@code out_valid} is low).</li>
 * </ol>
 *
 * <p><b>Timing</b> ({@link dev.sieve.arch.spatten.QueryCost}, the cycle model's rule at the full
 * stream rate): Q·K takes the start cycle, the K beats and 2 cycles for the last logits and their
 * maximum; softmax takes {@code ceil(n/S)} reads of the exponential pass (S lanes), 2 cycles for
 * the sum and 1 decision cycle (a refetch: a wait cycle, the second Q·K pass, the second exponential
 * pass); select takes {@code ceil(n/S)} reads of the division pass, 15 cycles to the
 * last probability (13-stage divider), then the engine's selection and one cycle; value takes the V
 * beats, 2 cycles to the last accumulation and the output cycle. A run of queries follows
 * {@link dev.sieve.arch.spatten.QueryCost#schedule}.
 */
public final class SpAttenPipeline extends Component {
    /** Q·K-stage states, shared with the golden model. */
    public static final int A_IDLE = 0, QK = 1, QK_DRAIN = 2, A_DONE = 3, ERR = 4;
    /** Softmax-stage states: a pass, and a refetch waiting for the Q·K array, running on it and draining. */
    public static final int S_IDLE = 0, EXP = 1, EXP_DRAIN = 2, DECIDE = 3, R_WAIT = 4, R_QK = 5, R_DRAIN = 6,
            S_DONE = 7;
    /** Select-stage states. */
    public static final int B_IDLE = 0, DIV = 1, DIV_DRAIN = 2, TOPK = 3, B_DONE = 4;
    /** Value-stage states. */
    public static final int C_IDLE = 0, PV = 1, PV_DRAIN = 2, OUT = 3;
    /** Bits of the lsb argument and of the refetch threshold. */
    public static final int LSB_BITS = 4, TAU_BITS = 13;
    /** Quotient bits of the divider: probabilities up to 4096 before saturation. */
    static final int QUOTIENT_BITS = 13;

    public final Stream kIn, vIn, out;
    public final Signal start, q, n, k, lsb, tau;
    public final Signal ready, busy, err, refetch, selValid, selRow, selMask;

    private final AttentionPipeline cfg;

    /** Bits of {@code n} and {@code k}. */
    public static int countWidth(AttentionPipeline cfg) {
        return Bits.widthFor(cfg.maxN());
    }

    /** Bits of a key index. */
    public static int indexWidth(AttentionPipeline cfg) {
        return Bits.log2Ceil(cfg.maxN());
    }

    /** Bits of a score: a 24-bit product summed over D. */
    public static int scoreWidth(AttentionPipeline cfg) {
        return 2 * AttentionArithmetic.WORD_BITS + Bits.log2Ceil(cfg.headDim());
    }

    /** Bits of a prob·V accumulator: 25-bit products summed over maxN. */
    public static int accWidth(AttentionPipeline cfg) {
        return 2 * AttentionArithmetic.WORD_BITS + 1 + Bits.log2Ceil(cfg.maxN());
    }

    /** Bits of the sum of exponentials: up to maxN · 4095. */
    public static int sumWidth(AttentionPipeline cfg) {
        return Bits.widthFor((long) cfg.maxN() * AttentionArithmetic.PROB_MAX);
    }

    public SpAttenPipeline(AttentionPipeline cfg) {
        super("spatten_pipeline_p" + cfg.qkMultipliers() + "_pv" + cfg.pvMultipliers() + "_c"
                + cfg.topk().comparators() + "_d" + cfg.headDim() + "_n" + cfg.maxN());
        this.cfg = cfg;
        final int w = AttentionArithmetic.WORD_BITS;
        final int d = cfg.headDim();
        final int p = cfg.qkMultipliers();
        final int pv = cfg.pvMultipliers();
        final int s = cfg.softmaxLanes();
        final int kv = cfg.rowsPerBeat();
        final int nw = countWidth(cfg);
        final int iw = indexWidth(cfg);
        final int rows = cfg.maxN() / s;
        final int rw = Bits.log2Ceil(rows);
        final int sw = scoreWidth(cfg);
        final int tw = sw - AttentionArithmetic.logitShift(d);
        final int sumW = sumWidth(cfg);
        final int aw = accWidth(cfg);

        start = input("start", 1);
        q = input("q", d * w);
        n = input("n", nw);
        k = input("k", nw);
        lsb = input("lsb", LSB_BITS);
        tau = input("tau", TAU_BITS);
        kIn = streamIn("k", p * w);
        vIn = streamIn("v", kv * iw + pv * w);
        out = streamOut("out", d * w + 1);
        ready = output("ready", 1);
        busy = output("busy", 1);
        err = output("err", 1);
        refetch = output("refetch", 1);
        selValid = output("sel_valid", 1);
        selRow = output("sel_row", TopKEngine.rowWidth(cfg.topk()));
        selMask = output("sel_mask", cfg.topk().comparators());

        // ---- stage registers: score (A), select (B), value (C)
        Signal stA = reg("state_a", 3, A_IDLE);
        Signal stS = reg("state_s", 3, S_IDLE);
        Signal stB = reg("state_b", 3, B_IDLE);
        Signal stC = reg("state_c", 2, C_IDLE);
        Signal qReg = reg("q_reg", d * w, 0);
        Signal nA = reg("n_a", nw, 0);
        Signal kA = reg("k_a", nw, 0);
        Signal lsbReg = reg("lsb_reg", LSB_BITS, 0);
        Signal tauReg = reg("tau_reg", TAU_BITS, 0);
        Signal bankA = reg("bank_a", 2, 0);
        Signal maxA = reg("logit_max_a", tw, 0);
        int cw = Bits.widthFor((long) rows * cfg.beatsPerKey());
        Signal cnt = reg("beat_cnt", cw, 0);
        Signal dcntA = reg("drain_a", 2, 0);
        Signal qS = reg("q_s", d * w, 0);
        Signal nS = reg("n_s", nw, 0);
        Signal kS = reg("k_s", nw, 0);
        Signal lsbS = reg("lsb_s", LSB_BITS, 0);
        Signal tauS = reg("tau_s", TAU_BITS, 0);
        Signal passS = reg("pass_s", 1, 0);
        Signal refS = reg("refetched_s", 1, 0);
        Signal bankS = reg("bank_s", 2, 0);
        Signal maxS = reg("logit_max_s", tw, 0);
        Signal rowS = reg("row_s", rw + 1, 0);
        Signal dcntS = reg("drain_s", 2, 0);
        Signal nB = reg("n_b", nw, 0);
        Signal kB = reg("k_b", nw, 0);
        Signal refB = reg("refetched_b", 1, 0);
        Signal bankB = reg("bank_b", 2, 0);
        Signal pbB = reg("pbank_b", 1, 0);
        Signal rowB = reg("row_b", rw + 1, 0);
        Signal dcntB = reg("drain_b", 4, 0);
        Signal nC = reg("n_c", nw, 0);
        Signal kC = reg("k_c", nw, 0);
        Signal refC = reg("refetched_c", 1, 0);
        Signal pbC = reg("pbank_c", 1, 0);
        Signal dcntC = reg("drain_c", 2, 0);
        int vcw = Bits.widthFor(cfg.vBeats(cfg.maxN()));
        Signal vcnt = reg("v_cnt", vcw, 0);

        Expr handAS = named("hand_as", stA.eq(A_DONE).and(stS.eq(S_IDLE)));
        Expr handSB = named("hand_sb", stS.eq(S_DONE).and(stB.eq(B_IDLE)));
        Expr handBC = named("hand_bc", stB.eq(B_DONE).and(stC.eq(C_IDLE)));

        // the Q·K array serves the Q·K stage's pass, or the softmax stage's refetch pass (full precision)
        Expr refQk = named("ref_qk", stS.eq(R_QK));
        Expr refBusy = named("ref_busy", stS.eq(R_WAIT).or(refQk).or(stS.eq(R_DRAIN)));
        Expr elemMask = named("elem_mask", refQk.select(Expr.ones(w), Expr.ones(w).shl(lsbReg)));
        Expr nArr = named("n_arr", refQk.select(nS, nA));
        Expr pruneB = named("prune_b", kB.ltU(nB));
        Expr keepC = named("keep_rows_c", kC.ltU(nC).select(kC, nC));
        // rows of the softmax passes and beats of the streams, from each stage's latched arguments
        Expr softRowsS = named("soft_rows_s", nS.zext(nw + 1).add(s - 1).shr(Expr.lit(nw + 1, Bits.log2Ceil(s))));
        Expr lastSoftRowS = named("last_soft_row_s", softRowsS.sub(1));
        Expr softRowsB = named("soft_rows_b", nB.zext(nw + 1).add(s - 1).shr(Expr.lit(nw + 1, Bits.log2Ceil(s))));
        Expr lastSoftRowB = named("last_soft_row_b", softRowsB.sub(1));
        Expr kBeats = named("k_beats", nArr.zext(cw + nw).add(cfg.keysPerBeat() - 1)
                .shr(Expr.lit(cw + nw, Bits.log2Ceil(cfg.keysPerBeat())))
                .shl(Expr.lit(cw + nw, Bits.log2Ceil(cfg.beatsPerKey()))));
        Expr vBeats = named("v_beats", keepC.zext(vcw + nw).add(kv - 1)
                .shr(Expr.lit(vcw + nw, Bits.log2Ceil(kv)))
                .shl(Expr.lit(vcw + nw, Bits.log2Ceil(cfg.beatsPerRow()))));

        Expr kTake = named("k_take", stA.eq(QK).or(refQk));
        Expr kFire = named("k_fire", kIn.valid().and(kTake));
        Expr vFire = named("v_fire", vIn.valid().and(stC.eq(PV)));
        assign(kIn.ready(), kTake);
        assign(vIn.ready(), stC.eq(PV));
        Expr readyNow = named("ready_now", stA.eq(A_IDLE).and(refBusy.not()));
        assign(ready, readyNow);
        assign(busy, stA.ne(A_IDLE).or(stS.ne(S_IDLE)).or(stB.ne(B_IDLE)).or(stC.ne(C_IDLE)));
        assign(err, stA.eq(ERR));
        assign(refetch, refQk);

        // ================================================================ Q·K stage
        // stage 1: the accepted beat (masked) and the matching Q elements
        int bpkBits = Bits.log2Ceil(cfg.beatsPerKey());
        Expr beatInKey = bpkBits == 0 ? null : cnt.slice(bpkBits - 1, 0);
        Signal[] kb = new Signal[p];
        Signal[] qb = new Signal[p];
        for (int l = 0; l < p; l++) {
            kb[l] = reg("kb_" + l, w, 0);
            qb[l] = reg("qb_" + l, w, 0);
            Expr kLane = kIn.payload().slice(l * w + w - 1, l * w).and(elemMask);
            Expr qLane;
            if (p >= d) {
                int e = l % d;
                qLane = refQk.select(qS.slice(e * w + w - 1, e * w), qReg.slice(e * w + w - 1, e * w));
            } else {
                qLane = null;
                for (int b = cfg.beatsPerKey() - 1; b >= 0; b--) {
                    int e = b * p + l;
                    Expr v = refQk.select(qS.slice(e * w + w - 1, e * w), qReg.slice(e * w + w - 1, e * w));
                    qLane = qLane == null ? v : beatInKey.eq(b).select(v, qLane);
                }
            }
            final int lane = l;
            final Expr qm = qLane.and(elemMask);
            when(kFire, () -> {
                assign(kb[lane], kLane);
                assign(qb[lane], qm);
            });
        }
        Signal kbValid = regNext("kb_valid", kFire);
        Signal kbKey = reg("kb_key", rw, 0);
        when(kFire, () -> assign(kbKey, cnt.shr(Expr.lit(cw, bpkBits)).resize(rw)));
        // whose pass a beat belongs to: its logit bank and key count travel with it
        Signal kbBank = reg("kb_bank", 2, 0);
        Signal kbRef = p >= d ? reg("kb_ref", 1, 0) : null; // the key count is only needed to mask lanes (p >= d)
        when(kFire, () -> {
            assign(kbBank, refQk.select(bankS, bankA));
            if (kbRef != null) {
                assign(kbRef, refQk);
            }
        });
        // a key over several beats: its first and last beat
        Signal kbFirst = beatInKey == null ? null : reg("kb_first", 1, 0);
        Signal kbLast = beatInKey == null ? null : reg("kb_last", 1, 0);
        if (beatInKey != null) {
            when(kFire, () -> {
                assign(kbFirst, beatInKey.eq(0));
                assign(kbLast, beatInKey.eq(cfg.beatsPerKey() - 1));
            });
        }
        // stage 2: products
        Signal[] pr = new Signal[p];
        for (int l = 0; l < p; l++) {
            pr[l] = regNext("pr_" + l, kb[l].mulS(qb[l]));
        }
        Signal prValid = regNext("pr_valid", kbValid);
        Signal prKey = regNext("pr_key", kbKey);
        Signal prBank = regNext("pr_bank", kbBank);
        // the key count of the query whose pass it is: only the one-key-per-beat layout (p >= d) masks lanes
        Expr prN = p >= d ? named("pr_n", regNext("pr_ref", kbRef).select(nS, nA)) : null;
        Signal prFirst = kbFirst == null ? null : regNext("pr_first", kbFirst);
        Signal prLast = kbLast == null ? null : regNext("pr_last", kbLast);
        // stage 3: scores, logits into the bank of the query whose pass it is, running maximum
        int shift = AttentionArithmetic.logitShift(d);
        Expr[] logit = new Expr[s];
        Expr[] laneLive = new Expr[s];
        int lanesBits = Bits.log2Ceil(s);
        if (p >= d) {
            for (int j = 0; j < s; j++) {
                List<Expr> ops = new ArrayList<>();
                for (int e = 0; e < d; e++) {
                    ops.add(pr[j * d + e]);
                }
                Expr score = Logic.adderTree(this, "qk_sum_" + j, ops, true, false, null).resizeSigned(sw);
                logit[j] = named("logit_" + j, score.sra(Expr.lit(sw, shift)).slice(tw - 1, 0));
                Expr idx = lanesBits == 0 ? prKey.zext(nw) : Expr.cat(prKey, Expr.lit(lanesBits, j)).zext(nw);
                laneLive[j] = named("logit_live_" + j, prValid.and(idx.ltU(prN)));
            }
        } else {
            Signal sacc = reg("score_acc", sw, 0);
            Expr partial = Logic.adderTree(this, "qk_sum_0", List.of(pr), true, false, null).sext(sw);
            Expr full = named("score_full", prFirst.select(partial, sacc.add(partial)));
            when(prValid, () -> assign(sacc, full));
            logit[0] = named("logit_0", full.sra(Expr.lit(sw, shift)).slice(tw - 1, 0));
            laneLive[0] = named("logit_live_0", prValid.and(prLast));
        }
        // three logit banks per lane, one per query in the Q·K, softmax and select stages: the Q·K
        // array writes the bank of the query whose pass it runs, the softmax stage reads bank_s, the
        // select stage bank_b (consecutive queries hold consecutive banks, mod 3)
        Expr readingS = named("soft_read_s", stS.eq(EXP));
        Expr readingB = named("soft_read_b", stB.eq(DIV));
        Expr[] lgS = new Expr[s];
        Expr[] lgB = new Expr[s];
        for (int j = 0; j < s; j++) {
            Signal[] rd = new Signal[3];
            for (int x = 0; x < 3; x++) {
                Memory bank = memory("logit_bank_" + j + "_" + x, tw, rows);
                write(bank, prKey, logit[j], laneLive[j].and(prBank.eq(x)));
                // bank_s keeps its value after the softmax stage hands its query to select, so the
                // softmax stage addresses the bank only while it reads it
                Expr sReads = bankS.eq(x).and(readingS);
                Expr addr = sReads.select(rowS.resize(rw), rowB.resize(rw));
                Expr en = sReads.or(bankB.eq(x).and(readingB));
                rd[x] = readSync("logit_rd_" + j + "_" + x, bank, addr, en);
            }
            lgS[j] = named("logit_s_" + j, bankS.eq(2).select(rd[2], bankS.eq(1).select(rd[1], rd[0])));
            lgB[j] = named("logit_b_" + j, bankB.eq(2).select(rd[2], bankB.eq(1).select(rd[1], rd[0])));
        }
        Signal mx = reg("logit_max", tw, 0);
        Signal mxValid = reg("logit_max_valid", 1, 0);
        Expr curMax = mx;
        Expr curValid = mxValid;
        for (int j = 0; j < s; j++) {
            Expr take = laneLive[j].and(curValid.not().or(logit[j].gtS(curMax)));
            curMax = named("max_after_" + j, take.select(logit[j], curMax));
            curValid = curValid.or(laneLive[j]);
        }
        assign(mx, curMax);
        final Expr maxNext = curMax;
        assign(mxValid, curValid);

        // ================================================================ softmax stage: exponential pass
        int[] table = AttentionArithmetic.expTable();
        Signal rdValidS = regNext("rd_valid_s", readingS);
        Signal rdRowS = regNext("rd_row_s", rowS.resize(rw));
        Signal[] eS = expLanes(table, "s", rdValidS, rdRowS, nS, maxS, lgS, lanesBits, nw, tw, w);
        Signal eValidS = regNext("e_valid_s", rdValidS);
        Signal sum = reg("exp_sum", sumW, 0);
        List<Expr> es = new ArrayList<>();
        for (int j = 0; j < s; j++) {
            es.add(eS[j].zext(sumW));
        }
        Expr eTotal = es.size() == 1 ? es.get(0) : Logic.adderTree(this, "exp_lanes", es, false, false, null)
                .resize(sumW);
        // refetch decision: largest probability prob(4095, sum) below tau
        Expr bound = Expr.lit(TAU_BITS + sumW, (long) AttentionArithmetic.PROB_ONE * AttentionArithmetic.PROB_MAX);
        Expr needRefetch = named("need_refetch", passS.not().and(lsbS.ne(0)).and(tauS.bit(TAU_BITS - 1)
                .or(tauS.mulU(sum).gtU(bound))));

        // ================================================================ select stage: division pass
        Signal maxB = reg("logit_max_b", tw, 0);
        Signal sumB = reg("exp_sum_b", sumW, 0);
        Signal rdValidB = regNext("rd_valid_b", readingB);
        Signal rdRowB = regNext("rd_row_b", rowB.resize(rw));
        Signal[] eB = expLanes(table, "b", rdValidB, rdRowB, nB, maxB, lgB, lanesBits, nw, tw, w);
        Signal eValidB = regNext("e_valid_b", rdValidB);
        Signal eRowB = regNext("e_row_b", rdRowB);
        // divider: p = min(4095, 4096 e / sum)
        Expr[] prob = new Expr[s];
        for (int j = 0; j < s; j++) {
            Expr rem = eB[j].slice(w - 1, 1).zext(sumW);
            Expr quo = Expr.zero(1);
            for (int st = 0; st < QUOTIENT_BITS; st++) {
                Expr bitIn = st == 0 ? eB[j].bit(0) : Expr.zero(1);
                Expr x = Expr.cat(rem, bitIn);
                Expr ge = x.geU(sumB.zext(sumW + 1));
                Expr nextRem = ge.select(x.sub(sumB.zext(sumW + 1)), x).slice(sumW - 1, 0);
                Expr nextQuo = st == 0 ? ge : Expr.cat(quo, ge);
                if (st < QUOTIENT_BITS - 1) {
                    rem = regNext("div_" + j + "_rem_" + st, nextRem);
                }
                quo = regNext("div_" + j + "_quo_" + st, nextQuo);
            }
            prob[j] = named("prob_" + j, quo.bit(QUOTIENT_BITS - 1).select(
                    Expr.lit(w, AttentionArithmetic.PROB_MAX), quo.slice(w - 1, 0)));
        }
        Expr tag = Expr.cat(eValidB, eRowB);
        Expr tagOut = Logic.delay(this, "div_tag", tag, QUOTIENT_BITS, null);
        Expr pValid = named("prob_valid", tagOut.bit(rw));
        Expr pRow = named("prob_row", tagOut.slice(rw - 1, 0));
        // probabilities: two banks (select writes pbank_b, value reads pbank_c), S lanes (key index
        // mod S), one copy per V row of a beat
        Memory[][][] probBank = new Memory[2][s][kv];
        for (int x = 0; x < 2; x++) {
            for (int j = 0; j < s; j++) {
                for (int r = 0; r < kv; r++) {
                    probBank[x][j][r] = memory("prob_bank_" + x + "_" + j + "_" + r, w, rows);
                    write(probBank[x][j][r], pRow, prob[j], pValid.and(pbB.eq(x)));
                }
            }
        }
        // rows of the top-k engine: G groups of S probabilities
        int pc = cfg.topk().comparators();
        int groups = pc / s;
        int gBits = Bits.log2Ceil(groups);
        Signal[] pk = new Signal[pc];
        Expr slot = gBits == 0 ? null : pRow.slice(gBits - 1, 0);
        Expr[] loadLane = new Expr[pc];
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < s; j++) {
                int lane = g * s + j;
                pk[lane] = reg("pack_" + lane, w, 0);
                Expr here = slot == null ? Expr.ones(1) : slot.eq(g);
                final Signal reg = pk[lane];
                final Expr value = prob[j];
                when(pValid.and(here), () -> assign(reg, value));
                loadLane[lane] = here.select(prob[j], pk[lane]);
            }
        }
        Expr rowEnds = slot == null ? Expr.ones(1) : slot.eq(groups - 1);
        Expr loadValid = named("topk_load_valid", pValid.and(pruneB)
                .and(rowEnds.or(pRow.zext(rw + 1).eq(lastSoftRowB.resize(rw + 1)))));
        Expr[] lanesMsbFirst = new Expr[pc];
        for (int l = 0; l < pc; l++) {
            lanesMsbFirst[l] = loadLane[pc - 1 - l];
        }
        TopKEngine engine = new TopKEngine(cfg.topk());
        Signal engBusy = wire("topk_busy", 1);
        Signal engDone = wire("topk_done", 1);
        Expr engStart = named("topk_start", stB.eq(TOPK).and(engBusy.not()));
        instance("topk", engine)
                .connect(engine.loadValid, loadValid)
                .connect(engine.loadData, Expr.cat(lanesMsbFirst))
                .connect(engine.start, engStart)
                .connect(engine.n, nB)
                .connect(engine.k, kB)
                .connect(engine.busy, engBusy)
                .connect(engine.outValid, selValid)
                .connect(engine.outRow, selRow)
                .connect(engine.outMask, selMask)
                .connect(engine.done, engDone);

        // ================================================================ value stage: prob·V
        int dataBits = pv * w;
        Signal[] vb = new Signal[pv];
        for (int l = 0; l < pv; l++) {
            vb[l] = reg("vb_" + l, w, 0);
            final Signal reg = vb[l];
            final Expr lane = vIn.payload().slice(l * w + w - 1, l * w);
            when(vFire, () -> assign(reg, lane));
        }
        int bprBits = Bits.log2Ceil(cfg.beatsPerRow());
        int kvBits = Bits.log2Ceil(kv);
        Expr beatInRow = bprBits == 0 ? null : vcnt.slice(bprBits - 1, 0);
        Expr firstRowNo = vcnt.zext(vcw + kvBits).shr(Expr.lit(vcw + kvBits, bprBits))
                .shl(Expr.lit(vcw + kvBits, kvBits));
        Expr[] probRd = new Expr[s * kv];
        Signal[] vbLive = new Signal[kv];
        Signal[] vbSel = new Signal[kv];
        for (int r = 0; r < kv; r++) {
            Expr index = vIn.payload().slice(dataBits + r * iw + iw - 1, dataBits + r * iw);
            Expr addr = index.shr(Expr.lit(iw, lanesBits)).resize(rw);
            for (int j = 0; j < s; j++) {
                Signal rd0 = readSync("prob_rd_0_" + j + "_" + r, probBank[0][j][r], addr, vFire.and(pbC.eq(0)));
                Signal rd1 = readSync("prob_rd_1_" + j + "_" + r, probBank[1][j][r], addr, vFire.and(pbC.eq(1)));
                probRd[j * kv + r] = pbC.select(rd1, rd0);
            }
            vbLive[r] = reg("vb_live_" + r, 1, 0);
            final int rr = r;
            Expr rowNo = firstRowNo.add(r);
            final Expr live = rowNo.ltU(keepC.zext(vcw + kvBits));
            when(vFire, () -> assign(vbLive[rr], live));
            if (lanesBits > 0) {
                vbSel[r] = reg("vb_sel_" + r, lanesBits, 0);
                final Expr sel = index.slice(lanesBits - 1, 0);
                when(vFire, () -> assign(vbSel[rr], sel));
            }
        }
        Signal vbValid = regNext("vb_valid", vFire);
        Signal vbPos = beatInRow == null ? null : reg("vb_pos", bprBits, 0);
        if (beatInRow != null) {
            when(vFire, () -> assign(vbPos, beatInRow));
        }
        // stage 2: products (unsigned probability x signed V), zero for rows past the kept ones
        Signal[] pp = new Signal[pv];
        for (int l = 0; l < pv; l++) {
            int r = pv >= d ? l / d : 0;
            Expr pr0 = null;
            for (int j = s - 1; j >= 0; j--) {
                Expr v = probRd[j * kv + r];
                pr0 = pr0 == null ? v : vbSel[r].eq(j).select(v, pr0);
            }
            Expr product = pr0.zext(w + 1).mulS(vb[l]).resizeSigned(2 * w + 1);
            pp[l] = regNext("pp_" + l, vbLive[r].select(product, Expr.zero(2 * w + 1)));
        }
        Signal ppValid = regNext("pp_valid", vbValid);
        Signal ppPos = vbPos == null ? null : regNext("pp_pos", vbPos);
        // stage 3: accumulators, cleared when the value stage takes a query
        Signal[] acc = new Signal[d];
        for (int e = 0; e < d; e++) {
            acc[e] = reg("acc_" + e, aw, 0);
            Expr add;
            Expr enable = ppValid;
            if (pv >= d) {
                List<Expr> ops = new ArrayList<>();
                for (int r = 0; r < kv; r++) {
                    ops.add(pp[r * d + e]);
                }
                add = ops.size() == 1 ? ops.get(0).sext(aw)
                        : Logic.adderTree(this, "pv_sum_" + e, ops, true, false, null).sext(aw);
            } else {
                add = pp[e % pv].sext(aw);
                if (bprBits > 0) {
                    enable = enable.and(ppPos.eq(e / pv));
                }
            }
            final Signal a = acc[e];
            final Expr sumNext = acc[e].add(add);
            final Expr en = enable;
            when(handBC, () -> assign(a, Expr.zero(aw)))
                    .elsewhen(en, () -> assign(a, sumNext));
        }
        // output: clamp12(acc >> 12)
        Expr[] outMsbFirst = new Expr[d + 1];
        outMsbFirst[0] = refC;
        int hw = aw - AttentionArithmetic.OUTPUT_SHIFT;
        for (int e = 0; e < d; e++) {
            Expr hi = acc[e].sra(Expr.lit(aw, AttentionArithmetic.OUTPUT_SHIFT)).slice(hw - 1, 0);
            Expr over = hi.gtS(Expr.lit(hw, (1 << (w - 1)) - 1));
            Expr under = hi.ltS(Expr.lit(hw, -(1L << (w - 1)) & Bits.mask(hw)));
            outMsbFirst[d - e] = named("o_" + e, over.select(Expr.lit(w, (1 << (w - 1)) - 1),
                    under.select(Expr.lit(w, 1L << (w - 1)), hi.slice(w - 1, 0))));
        }
        assign(out.valid(), stC.eq(OUT));
        // the payload is zero except while offered, so the accumulators' timing stays inside
        assign(out.payload(), stC.eq(OUT).select(Expr.cat(outMsbFirst), Expr.zero(d * w + 1)));

        // ================================================================ Q·K-stage control
        switchOn(stA)
                .is(A_IDLE, () -> when(start.and(readyNow), () -> {
                    Expr bad = n.eq(0).or(n.gtU(Expr.lit(nw, cfg.maxN()))).or(k.eq(0))
                            .or(lsb.gtU(Expr.lit(LSB_BITS, w - 1)));
                    assign(stA, bad.select(Expr.lit(3, ERR), Expr.lit(3, QK)));
                    assign(qReg, q);
                    assign(nA, n);
                    assign(kA, k);
                    assign(lsbReg, lsb);
                    assign(tauReg, tau);
                    assign(cnt, 0);
                    assign(mxValid, 0);
                }))
                .is(QK, () -> when(kFire, () -> {
                    assign(cnt, cnt.add(1));
                    when(cnt.zext(cw + nw).eq(kBeats.sub(1)), () -> {
                        assign(stA, QK_DRAIN);
                        assign(dcntA, AttentionPipeline.QK_DRAIN - 1);
                    });
                }))
                .is(QK_DRAIN, () -> when(dcntA.eq(0), () -> {
                    assign(stA, A_DONE);
                    assign(maxA, maxNext);
                }).otherwise(() -> assign(dcntA, dcntA.sub(1))))
                .is(A_DONE, () -> when(stS.eq(S_IDLE), () -> {
                    assign(stA, A_IDLE);
                    assign(bankA, bankA.eq(2).select(Expr.zero(2), bankA.add(1)));
                }))
                .otherwise(() -> assign(stA, A_IDLE));

        // ================================================================ softmax-stage control
        switchOn(stS)
                .is(S_IDLE, () -> when(handAS, () -> {
                    assign(stS, EXP);
                    assign(rowS, 0);
                    assign(sum, 0);
                    assign(qS, qReg);
                    assign(nS, nA);
                    assign(kS, kA);
                    assign(lsbS, lsbReg);
                    assign(tauS, tauReg);
                    assign(bankS, bankA);
                    assign(maxS, maxA);
                    assign(passS, 0);
                    assign(refS, 0);
                }))
                .is(EXP, () -> {
                    assign(rowS, rowS.add(1));
                    when(rowS.zext(nw + 1).eq(lastSoftRowS), () -> {
                        assign(stS, EXP_DRAIN);
                        assign(dcntS, AttentionPipeline.EXP_DRAIN - 1);
                    });
                })
                .is(EXP_DRAIN, () -> when(dcntS.eq(0), () -> assign(stS, DECIDE))
                        .otherwise(() -> assign(dcntS, dcntS.sub(1))))
                .is(DECIDE, () -> assign(stS, needRefetch.select(Expr.lit(3, R_WAIT), Expr.lit(3, S_DONE))))
                // the refetch claims the Q·K array once no pass of the next query runs on it
                .is(R_WAIT, () -> when(stA.ne(QK).and(stA.ne(QK_DRAIN)), () -> {
                    assign(stS, R_QK);
                    assign(passS, 1);
                    assign(refS, 1);
                    assign(cnt, 0);
                    assign(mxValid, 0);
                }))
                .is(R_QK, () -> when(kFire, () -> {
                    assign(cnt, cnt.add(1));
                    when(cnt.zext(cw + nw).eq(kBeats.sub(1)), () -> {
                        assign(stS, R_DRAIN);
                        assign(dcntS, AttentionPipeline.QK_DRAIN - 1);
                    });
                }))
                .is(R_DRAIN, () -> when(dcntS.eq(0), () -> {
                    assign(stS, EXP);
                    assign(rowS, 0);
                    assign(sum, 0);
                    assign(maxS, maxNext);
                }).otherwise(() -> assign(dcntS, dcntS.sub(1))))
                .is(S_DONE, () -> when(stB.eq(B_IDLE), () -> assign(stS, S_IDLE)));
        // the exponential pass adds its lanes two cycles after each read
        when(eValidS, () -> assign(sum, sum.add(eTotal)));

        // ================================================================ select-stage control
        switchOn(stB)
                .is(B_IDLE, () -> when(handSB, () -> {
                    assign(stB, DIV);
                    assign(rowB, 0);
                    assign(nB, nS);
                    assign(kB, kS);
                    assign(maxB, maxS);
                    assign(sumB, sum);
                    assign(bankB, bankS);
                    assign(refB, refS);
                }))
                .is(DIV, () -> {
                    assign(rowB, rowB.add(1));
                    when(rowB.zext(nw + 1).eq(lastSoftRowB), () -> {
                        assign(stB, DIV_DRAIN);
                        assign(dcntB, AttentionPipeline.DIV_DRAIN - 1);
                    });
                })
                .is(DIV_DRAIN, () -> when(dcntB.eq(0), () -> assign(stB, pruneB.select(Expr.lit(3, TOPK),
                        Expr.lit(3, B_DONE)))).otherwise(() -> assign(dcntB, dcntB.sub(1))))
                .is(TOPK, () -> when(engDone, () -> assign(stB, B_DONE)))
                .is(B_DONE, () -> when(stC.eq(C_IDLE), () -> {
                    assign(stB, B_IDLE);
                    assign(pbB, pbB.not());
                }))
                .otherwise(() -> assign(stB, B_IDLE));

        // ================================================================ value-stage control
        switchOn(stC)
                .is(C_IDLE, () -> when(handBC, () -> {
                    assign(stC, PV);
                    assign(vcnt, 0);
                    assign(nC, nB);
                    assign(kC, kB);
                    assign(refC, refB);
                    assign(pbC, pbB);
                }))
                .is(PV, () -> when(vFire, () -> {
                    assign(vcnt, vcnt.add(1));
                    when(vcnt.zext(vcw + nw).eq(vBeats.sub(1)), () -> {
                        assign(stC, PV_DRAIN);
                        assign(dcntC, AttentionPipeline.PV_DRAIN - 1);
                    });
                }))
                .is(PV_DRAIN, () -> when(dcntC.eq(0), () -> assign(stC, OUT))
                        .otherwise(() -> assign(dcntC, dcntC.sub(1))))
                .is(OUT, () -> when(out.ready(), () -> assign(stC, C_IDLE)));
    }

    /** The exponential ROM on the gap between a maximum and a logit, saturated at the table's end. */
    /**
     * One softmax row's exponentials, a register per lane: lane j of row {@code row} holds key
     * {@code row·lanes + j}, and a lane past key {@code n − 1} (or a cycle that reads nothing) holds 0, so it
     * adds nothing to the sum and divides to probability 0. The softmax stage's exponential pass and the
     * select stage's division pass each have one ({@code stage} "s" or "b").
     */
    private Signal[] expLanes(int[] table, String stage, Expr reading, Expr row, Expr n, Expr max, Expr[] logits,
            int lanesBits, int nw, int tw, int w) {
        Signal[] e = new Signal[logits.length];
        for (int j = 0; j < logits.length; j++) {
            Expr live = lanesBits == 0 ? row.zext(nw).ltU(n)
                    : Expr.cat(row, Expr.lit(lanesBits, j)).zext(nw).ltU(n);
            Expr x = named("exp_" + stage + "_" + j, expOf(table, stage + "_" + j, max, logits[j], tw, w));
            e[j] = regNext("e_" + stage + "_" + j, reading.and(live).select(x, Expr.zero(w)));
        }
        return e;
    }

    private Expr expOf(int[] table, String suffix, Expr max, Expr logit, int tw, int w) {
        Expr gap = named("gap_" + suffix, max.sext(tw + 1).sub(logit.sext(tw + 1)));
        Expr idx = named("exp_idx_" + suffix, gap.geU(Expr.lit(tw + 1, AttentionArithmetic.EXP_ENTRIES - 1))
                .select(Expr.lit(10, AttentionArithmetic.EXP_ENTRIES - 1), gap.slice(9, 0)));
        return rom(table, idx, 0, AttentionArithmetic.EXP_ENTRIES, 10, w);
    }

    /** The pipeline this block was built from. */
    public AttentionPipeline config() {
        return cfg;
    }

    /**
     * {@code table[addr]} for {@code lo <= addr < lo + size} (a power of two) as a mux tree on the
     * address bits below {@code bits}, with equal halves folded into one constant.
     */
    private static Expr rom(int[] table, Expr addr, int lo, int size, int bits, int width) {
        boolean same = true;
        for (int i = lo + 1; i < lo + size; i++) {
            same &= table[i] == table[lo];
        }
        if (same) {
            return Expr.lit(width, table[lo]);
        }
        int half = size / 2;
        Expr low = rom(table, addr, lo, half, bits - 1, width);
        Expr high = rom(table, addr, lo + half, half, bits - 1, width);
        return addr.bit(bits - 1).select(high, low);
    }
}
