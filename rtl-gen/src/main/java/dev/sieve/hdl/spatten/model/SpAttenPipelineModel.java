package dev.sieve.hdl.spatten.model;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.spatten.SpAttenPipeline;
import dev.sieve.hdl.spatten.TopKEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden cycle model of {@link SpAttenPipeline}, written from its documented protocol and the
 * stage lengths of {@link AttentionPipeline}: four stages (Q·K, softmax, select, value) with their
 * own state, handing a query on when the next stage is idle; a refetch decided in the softmax stage
 * claims the Q·K array once no pass of the next query runs on it. Scores are computed when a K beat
 * is accepted (into the logit bank of the query whose pass it is), the softmax sum at the decision
 * cycle, the probabilities when the select stage takes the query and prob·V when a V beat is
 * accepted, all with {@link AttentionArithmetic}; only the stage counters follow the clock. The top-k engine is its own golden model, {@link TopKEngineModel},
 * ticked every cycle; its rows are loaded when its selection starts (loading is not visible outside
 * the engine). Each accepted start gets a tag (0, 1, .. from reset) that follows the query through
 * the stages, for benches.
 */
public final class SpAttenPipelineModel implements CycleModel {
    private static final int RST = 0, START = 1, Q = 2, N = 3, K = 4, LSB = 5, TAU = 6, K_VALID = 7, K_PAYLOAD = 8,
            V_VALID = 9, V_PAYLOAD = 10, OUT_READY = 11;
    private static final int K_READY = 12, V_READY = 13, OUT_VALID = 14, OUT_PAYLOAD = 15, BUSY = 16, ERR = 17,
            REFETCH = 18, SEL_VALID = 19, SEL_ROW = 20, SEL_MASK = 21, READY = 22;

    private final AttentionPipeline cfg;
    private final List<Port> ports;
    private final TopKEngineModel engine;
    private final int w = AttentionArithmetic.WORD_BITS;
    private final int d;
    private final int shift;
    private final long[] in = new long[12];
    private BigInteger qIn = BigInteger.ZERO, kPayload = BigInteger.ZERO, vPayload = BigInteger.ZERO;

    // Q·K stage: arguments, phase, logit bank (0..2) and the maximum of its query's logits
    private int stA, nA, kA, lsb, tau, cnt, drainA, tagA, nextTag, bankA;
    private int[] q;
    private long maxA;
    private boolean maxValidA;
    // softmax stage: its query's arguments, phase, bank, maximum, sum; a refetch pass counts cntS
    private int stS, nS, kS, lsbS, tauS, cntS, rowS, drainS, tagS, bankS;
    private int[] qS;
    private boolean passS, refS;
    private long maxS;
    private boolean maxValidS;
    private long sum;
    private final long[][] logits;
    private long scoreAcc;
    // select stage
    private int stB, nB, kB, rowB, drainB, tagB;
    private boolean refB;
    private final int[] probB;
    private int lfsrAtSelection;
    // value stage
    private int stC, nC, kC, vcnt, drainC, tagC;
    private boolean refC;
    private final int[] probC;
    private final long[] acc;

    public SpAttenPipelineModel(AttentionPipeline cfg) {
        this.cfg = cfg;
        this.d = cfg.headDim();
        this.shift = AttentionArithmetic.logitShift(d);
        int nw = SpAttenPipeline.countWidth(cfg);
        int iw = SpAttenPipeline.indexWidth(cfg);
        ports = List.of(Port.input("rst", 1), Port.input("start", 1), Port.input("q", d * w), Port.input("n", nw),
                Port.input("k", nw), Port.input("lsb", SpAttenPipeline.LSB_BITS),
                Port.input("tau", SpAttenPipeline.TAU_BITS), Port.input("k_valid", 1),
                Port.input("k_payload", cfg.qkMultipliers() * w), Port.input("v_valid", 1),
                Port.input("v_payload", cfg.rowsPerBeat() * iw + cfg.pvMultipliers() * w),
                Port.input("out_ready", 1),
                Port.output("k_ready", 1), Port.output("v_ready", 1), Port.output("out_valid", 1),
                Port.output("out_payload", d * w + 1), Port.output("busy", 1), Port.output("err", 1),
                Port.output("refetch", 1), Port.output("sel_valid", 1),
                Port.output("sel_row", TopKEngine.rowWidth(cfg.topk())),
                Port.output("sel_mask", cfg.topk().comparators()), Port.output("ready", 1));
        engine = new TopKEngineModel(cfg.topk());
        logits = new long[3][cfg.maxN() + cfg.keysPerBeat()];
        probB = new int[cfg.maxN() + cfg.softmaxLanes()];
        probC = new int[cfg.maxN() + cfg.softmaxLanes()];
        acc = new long[d];
        q = new int[d];
        reset();
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        engine.reset();
        stA = SpAttenPipeline.A_IDLE;
        stS = SpAttenPipeline.S_IDLE;
        stB = SpAttenPipeline.B_IDLE;
        stC = SpAttenPipeline.C_IDLE;
        nA = kA = lsb = tau = cnt = drainA = tagA = nextTag = bankA = 0;
        nS = kS = lsbS = tauS = cntS = rowS = drainS = tagS = bankS = 0;
        nB = kB = rowB = drainB = tagB = 0;
        nC = kC = vcnt = drainC = tagC = 0;
        passS = refS = refB = refC = false;
        q = new int[d];
        qS = new int[d];
        maxA = maxS = 0;
        maxValidA = maxValidS = false;
        sum = 0;
        scoreAcc = 0;
        java.util.Arrays.fill(acc, 0);
    }

    @Override
    public void setInput(int port, long value) {
        setInput(port, CycleModel.unsigned(value));
    }

    @Override
    public void setInput(int port, BigInteger value) {
        switch (port) {
            case Q -> qIn = value;
            case K_PAYLOAD -> kPayload = value;
            case V_PAYLOAD -> vPayload = value;
            default -> in[port] = value.longValue();
        }
    }

    @Override
    public void tick() {
        boolean rst = in[RST] != 0;
        boolean engBusy = engine.output("busy") != 0;
        boolean engDone = engine.output("done") != 0;
        boolean engStart = stB == SpAttenPipeline.TOPK && !engBusy;
        if (engStart && !rst) {
            loadEngine();
        }
        engine.setInput("rst", rst ? 1 : 0);
        engine.setInput("load_valid", 0);
        engine.setInput("load_data", BigInteger.ZERO);
        engine.setInput("start", engStart ? 1 : 0);
        engine.setInput("n", nB);
        engine.setInput("k", kB);
        engine.tick();
        if (rst) {
            reset();
            return;
        }
        final int a0 = stA, s0 = stS, b0 = stB, c0 = stC;
        boolean ready = ready();
        boolean handAS = a0 == SpAttenPipeline.A_DONE && s0 == SpAttenPipeline.S_IDLE;
        boolean handSB = s0 == SpAttenPipeline.S_DONE && b0 == SpAttenPipeline.B_IDLE;
        boolean handBC = b0 == SpAttenPipeline.B_DONE && c0 == SpAttenPipeline.C_IDLE;
        // ---- value stage
        switch (c0) {
            case SpAttenPipeline.C_IDLE -> {
                if (handBC) {
                    stC = SpAttenPipeline.PV;
                    vcnt = 0;
                    nC = nB;
                    kC = kB;
                    refC = refB;
                    tagC = tagB;
                    System.arraycopy(probB, 0, probC, 0, probB.length);
                    java.util.Arrays.fill(acc, 0);
                }
            }
            case SpAttenPipeline.PV -> {
                if (in[V_VALID] != 0) {
                    acceptV();
                    if (++vcnt == cfg.vBeats(Math.min(kC, nC))) {
                        stC = SpAttenPipeline.PV_DRAIN;
                        drainC = AttentionPipeline.PV_DRAIN - 1;
                    }
                }
            }
            case SpAttenPipeline.PV_DRAIN -> {
                if (drainC-- == 0) {
                    stC = SpAttenPipeline.OUT;
                }
            }
            case SpAttenPipeline.OUT -> {
                if (in[OUT_READY] != 0) {
                    stC = SpAttenPipeline.C_IDLE;
                }
            }
            default -> stC = SpAttenPipeline.C_IDLE;
        }
        // ---- select stage
        switch (b0) {
            case SpAttenPipeline.B_IDLE -> {
                if (handSB) {
                    stB = SpAttenPipeline.DIV;
                    rowB = 0;
                    nB = nS;
                    kB = kS;
                    refB = refS;
                    tagB = tagS;
                    // lanes past key n - 1 in the last row hold e = 0, so probability 0
                    int rowsB = softRows(nB) * cfg.softmaxLanes();
                    for (int j = 0; j < rowsB; j++) {
                        probB[j] = j < nB
                                ? AttentionArithmetic.prob(AttentionArithmetic.exp(maxS - logits[bankS][j]), sum) : 0;
                    }
                    lfsrAtSelection = engine.lfsr();
                }
            }
            case SpAttenPipeline.DIV -> {
                if (rowB++ == softRows(nB) - 1) {
                    stB = SpAttenPipeline.DIV_DRAIN;
                    drainB = AttentionPipeline.DIV_DRAIN - 1;
                }
            }
            case SpAttenPipeline.DIV_DRAIN -> {
                if (drainB-- == 0) {
                    stB = AttentionPipeline.selects(nB, kB) ? SpAttenPipeline.TOPK : SpAttenPipeline.B_DONE;
                }
            }
            case SpAttenPipeline.TOPK -> {
                if (engDone) {
                    stB = SpAttenPipeline.B_DONE;
                }
            }
            case SpAttenPipeline.B_DONE -> {
                if (c0 == SpAttenPipeline.C_IDLE) {
                    stB = SpAttenPipeline.B_IDLE;
                }
            }
            default -> stB = SpAttenPipeline.B_IDLE;
        }
        // ---- softmax stage
        switch (s0) {
            case SpAttenPipeline.S_IDLE -> {
                if (handAS) {
                    stS = SpAttenPipeline.EXP;
                    rowS = 0;
                    nS = nA;
                    kS = kA;
                    lsbS = lsb;
                    tauS = tau;
                    System.arraycopy(q, 0, qS, 0, d);
                    bankS = bankA;
                    maxS = maxA;
                    maxValidS = maxValidA;
                    tagS = tagA;
                    passS = false;
                    refS = false;
                }
            }
            case SpAttenPipeline.EXP -> {
                if (rowS++ == softRows(nS) - 1) {
                    stS = SpAttenPipeline.EXP_DRAIN;
                    drainS = AttentionPipeline.EXP_DRAIN - 1;
                }
            }
            case SpAttenPipeline.EXP_DRAIN -> {
                if (drainS-- == 0) {
                    stS = SpAttenPipeline.DECIDE;
                }
            }
            case SpAttenPipeline.DECIDE -> {
                sum = 0;
                for (int j = 0; j < nS; j++) {
                    sum += AttentionArithmetic.exp(maxS - logits[bankS][j]);
                }
                int lsbCur = passS ? 0 : lsbS;
                stS = lsbCur > 0 && AttentionArithmetic.refetch(sum, tauS) ? SpAttenPipeline.R_WAIT
                        : SpAttenPipeline.S_DONE;
            }
            case SpAttenPipeline.R_WAIT -> {
                // the Q·K array is free unless a pass of the next query runs on it
                if (a0 != SpAttenPipeline.QK && a0 != SpAttenPipeline.QK_DRAIN) {
                    stS = SpAttenPipeline.R_QK;
                    passS = true;
                    refS = true;
                    cntS = 0;
                    maxValidS = false;
                }
            }
            case SpAttenPipeline.R_QK -> {
                if (in[K_VALID] != 0) {
                    acceptK(true);
                    if (++cntS == cfg.kBeats(nS)) {
                        stS = SpAttenPipeline.R_DRAIN;
                        drainS = AttentionPipeline.QK_DRAIN - 1;
                    }
                }
            }
            case SpAttenPipeline.R_DRAIN -> {
                if (drainS-- == 0) {
                    stS = SpAttenPipeline.EXP;
                    rowS = 0;
                }
            }
            case SpAttenPipeline.S_DONE -> {
                if (b0 == SpAttenPipeline.B_IDLE) {
                    stS = SpAttenPipeline.S_IDLE;
                }
            }
            default -> stS = SpAttenPipeline.S_IDLE;
        }
        // ---- Q·K stage
        switch (a0) {
            case SpAttenPipeline.A_IDLE -> {
                if (in[START] != 0 && ready) {
                    start();
                }
            }
            case SpAttenPipeline.QK -> {
                if (in[K_VALID] != 0) {
                    acceptK(false);
                    if (++cnt == cfg.kBeats(nA)) {
                        stA = SpAttenPipeline.QK_DRAIN;
                        drainA = AttentionPipeline.QK_DRAIN - 1;
                    }
                }
            }
            case SpAttenPipeline.QK_DRAIN -> {
                if (drainA-- == 0) {
                    stA = SpAttenPipeline.A_DONE;
                }
            }
            case SpAttenPipeline.A_DONE -> {
                if (s0 == SpAttenPipeline.S_IDLE) {
                    stA = SpAttenPipeline.A_IDLE;
                    bankA = (bankA + 1) % 3;
                }
            }
            default -> stA = SpAttenPipeline.A_IDLE;
        }
    }

    /** Whether a start is taken: the Q·K stage idle and no refetch waiting for or using the array. */
    private boolean ready() {
        return stA == SpAttenPipeline.A_IDLE && stS != SpAttenPipeline.R_WAIT && stS != SpAttenPipeline.R_QK
                && stS != SpAttenPipeline.R_DRAIN;
    }

    private void start() {
        nA = (int) in[N];
        kA = (int) in[K];
        lsb = (int) in[LSB];
        tau = (int) in[TAU];
        boolean bad = nA == 0 || nA > cfg.maxN() || kA == 0 || lsb > w - 1;
        stA = bad ? SpAttenPipeline.ERR : SpAttenPipeline.QK;
        for (int e = 0; e < d; e++) {
            q[e] = lane(qIn, e);
        }
        cnt = 0;
        maxValidA = false;
        tagA = nextTag++;
    }

    private int softRows(int n) {
        return (n + cfg.softmaxLanes() - 1) / cfg.softmaxLanes();
    }

    /**
     * Scores of the accepted K beat of the Q·K stage's query, or of the softmax stage's refetch
     * pass (full precision); a key complete in it becomes a logit and joins the maximum.
     */
    private void acceptK(boolean refetchPass) {
        int p = cfg.qkMultipliers();
        int lsbCur = refetchPass ? 0 : lsb;
        int[] q = refetchPass ? qS : this.q;
        int cnt = refetchPass ? cntS : this.cnt;
        int n = refetchPass ? nS : nA;
        if (p >= d) {
            for (int j = 0; j < cfg.keysPerBeat(); j++) {
                int key = cnt * cfg.keysPerBeat() + j;
                long s = 0;
                for (int e = 0; e < d; e++) {
                    s += (long) AttentionArithmetic.dropLsb(q[e], lsbCur)
                            * AttentionArithmetic.dropLsb(lane(kPayload, j * d + e), lsbCur);
                }
                if (key < n) {
                    logit(refetchPass, key, s);
                }
            }
        } else {
            int bpk = cfg.beatsPerKey();
            int b = cnt % bpk;
            long s = 0;
            for (int l = 0; l < p; l++) {
                s += (long) AttentionArithmetic.dropLsb(q[b * p + l], lsbCur)
                        * AttentionArithmetic.dropLsb(lane(kPayload, l), lsbCur);
            }
            scoreAcc = b == 0 ? s : scoreAcc + s;
            if (b == bpk - 1) {
                logit(refetchPass, cnt / bpk, scoreAcc);
            }
        }
    }

    private void logit(boolean refetchPass, int key, long score) {
        long t = score >> shift;
        if (refetchPass) {
            logits[bankS][key] = t;
            if (!maxValidS || t > maxS) {
                maxS = t;
            }
            maxValidS = true;
        } else {
            logits[bankA][key] = t;
            if (!maxValidA || t > maxA) {
                maxA = t;
            }
            maxValidA = true;
        }
    }

    /** The accepted V beat's rows (with their key indices) times their probabilities. */
    private void acceptV() {
        int pv = cfg.pvMultipliers();
        int kv = cfg.rowsPerBeat();
        int iw = SpAttenPipeline.indexWidth(cfg);
        int dataBits = pv * w;
        int bpr = cfg.beatsPerRow();
        int keep = Math.min(kC, nC);
        for (int r = 0; r < kv; r++) {
            int rowNo = (vcnt / bpr) * kv + r;
            if (rowNo >= keep) {
                continue;
            }
            int index = vPayload.shiftRight(dataBits + r * iw).intValue() & ((1 << iw) - 1);
            long p = probC[index];
            if (pv >= d) {
                for (int e = 0; e < d; e++) {
                    acc[e] += p * lane(vPayload, r * d + e);
                }
            } else {
                int base = (vcnt % bpr) * pv;
                for (int l = 0; l < pv; l++) {
                    acc[base + l] += p * lane(vPayload, l);
                }
            }
        }
    }

    /** The probabilities, in rows of P values, into the engine while it is idle (before its start). */
    private void loadEngine() {
        int pc = cfg.topk().comparators();
        for (int r = 0; r < (nB + pc - 1) / pc; r++) {
            BigInteger word = BigInteger.ZERO;
            for (int l = pc - 1; l >= 0; l--) {
                int i = r * pc + l;
                word = word.shiftLeft(w).or(BigInteger.valueOf(i < nB ? probB[i] : 0));
            }
            engine.setInput("rst", 0);
            engine.setInput("start", 0);
            engine.setInput("load_valid", 1);
            engine.setInput("load_data", word);
            engine.tick();
        }
    }

    /** Signed 12-bit lane {@code l} of {@code word}. */
    private int lane(BigInteger word, int l) {
        int v = word.shiftRight(l * w).intValue() & ((1 << w) - 1);
        return (v << (32 - w)) >> (32 - w);
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case K_READY -> stA == SpAttenPipeline.QK || stS == SpAttenPipeline.R_QK ? 1 : 0;
            case V_READY -> stC == SpAttenPipeline.PV ? 1 : 0;
            case OUT_VALID -> stC == SpAttenPipeline.OUT ? 1 : 0;
            case OUT_PAYLOAD -> outputWide(port).longValue();
            case BUSY -> busy() ? 1 : 0;
            case ERR -> stA == SpAttenPipeline.ERR ? 1 : 0;
            case REFETCH -> stS == SpAttenPipeline.R_QK ? 1 : 0;
            case READY -> ready() ? 1 : 0;
            case SEL_VALID -> engine.output("out_valid");
            case SEL_ROW -> engine.output("out_row");
            case SEL_MASK -> engine.output("out_mask");
            default -> throw new IllegalArgumentException("not an output: " + port);
        };
    }

    @Override
    public BigInteger outputWide(int port) {
        if (port != OUT_PAYLOAD) {
            return CycleModel.unsigned(output(port));
        }
        if (stC != SpAttenPipeline.OUT) {
            return BigInteger.ZERO;
        }
        BigInteger word = refC ? BigInteger.ONE : BigInteger.ZERO;
        for (int e = d - 1; e >= 0; e--) {
            word = word.shiftLeft(w).or(BigInteger.valueOf(AttentionArithmetic.output(acc[e]) & ((1 << w) - 1)));
        }
        return word;
    }

    // ---------------------------------------------------------------- views for benches

    /** The Q·K stage's phase ({@link SpAttenPipeline#A_IDLE} ..). */
    public int scoreState() {
        return stA;
    }

    /** The softmax stage's phase ({@link SpAttenPipeline#S_IDLE} ..). */
    public int softmaxState() {
        return stS;
    }

    /** Whether the K stream is taken now ({@code k_ready}). */
    public boolean kReady() {
        return output(K_READY) != 0;
    }

    /** Tag of the query whose K stream is taken now: the softmax stage's in a refetch pass, else the Q·K stage's. */
    public int kTag() {
        return stS == SpAttenPipeline.R_QK ? tagS : tagA;
    }

    /** The select stage's phase ({@link SpAttenPipeline#B_IDLE} ..). */
    public int selectState() {
        return stB;
    }

    /** The value stage's phase ({@link SpAttenPipeline#C_IDLE} ..). */
    public int valueState() {
        return stC;
    }

    /** Whether any stage holds a query. */
    public boolean busy() {
        return stA != SpAttenPipeline.A_IDLE || stS != SpAttenPipeline.S_IDLE || stB != SpAttenPipeline.B_IDLE
                || stC != SpAttenPipeline.C_IDLE;
    }

    /** Tags of the queries in the Q·K, select and value stages (meaningful while each is not idle). */
    public int scoreTag() {
        return tagA;
    }

    public int selectTag() {
        return tagB;
    }

    public int valueTag() {
        return tagC;
    }

    /** The K stream now serves a refetch (second) pass. */
    public boolean secondPass() {
        return stS == SpAttenPipeline.R_QK;
    }

    /** The output vector as signed elements (valid while {@code out_valid}). */
    public int[] outputVector() {
        int[] o = new int[d];
        for (int e = 0; e < d; e++) {
            o[e] = AttentionArithmetic.output(acc[e]);
        }
        return o;
    }

    /**
     * The engine's LFSR state when the select stage took its query (its selection, if any, starts
     * from it), for cost checks that replay the selection.
     */
    public int lfsrAtSelection() {
        return lfsrAtSelection;
    }

    /** The select stage's query's probabilities, keys 0 .. n - 1. */
    public int[] probabilities() {
        return java.util.Arrays.copyOf(probB, nB);
    }

    /** Whether the select stage's query refetched. */
    public boolean selectRefetched() {
        return refB;
    }

    /** Whether the value stage's query refetched. */
    public boolean refetched() {
        return refC;
    }

    /** Kept key indices of the current selection's keep-mask row, if one is on {@code sel_*} now. */
    public List<Integer> selectedNow() {
        List<Integer> out = new ArrayList<>();
        if (engine.output("out_valid") != 0) {
            int pc = cfg.topk().comparators();
            long mask = engine.output("out_mask");
            int rowIdx = (int) engine.output("out_row");
            for (int l = 0; l < pc; l++) {
                if ((mask >> l & 1) == 1) {
                    out.add(rowIdx * pc + l);
                }
            }
        }
        return out;
    }
}
