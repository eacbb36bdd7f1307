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
 * stage lengths of {@link AttentionPipeline}: three stages (score, select, value) with their own
 * state, handing a query on when the next stage is idle. Scores are computed when a K beat is
 * accepted, the softmax sum at the decision cycle, the probabilities when the select stage takes the
 * query and prob·V when a V beat is accepted, all with {@link AttentionArithmetic}; only the stage
 * counters follow the clock. The top-k engine is its own golden model, {@link TopKEngineModel},
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

    // score stage: arguments, phase, logits of its query, their maximum and the sum
    private int stA, nA, kA, lsb, tau, cnt, rowA, drainA, tagA, nextTag;
    private boolean pass, refA;
    private int[] q;
    private final long[] logits;
    private long max;
    private boolean maxValid;
    private long sum;
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
        logits = new long[cfg.maxN() + cfg.keysPerBeat()];
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
        stB = SpAttenPipeline.B_IDLE;
        stC = SpAttenPipeline.C_IDLE;
        nA = kA = lsb = tau = cnt = rowA = drainA = tagA = nextTag = 0;
        nB = kB = rowB = drainB = tagB = 0;
        nC = kC = vcnt = drainC = tagC = 0;
        pass = refA = refB = refC = false;
        q = new int[d];
        max = 0;
        maxValid = false;
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
        final int a0 = stA, b0 = stB, c0 = stC;
        boolean handAB = a0 == SpAttenPipeline.A_DONE && b0 == SpAttenPipeline.B_IDLE;
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
                if (handAB) {
                    stB = SpAttenPipeline.DIV;
                    rowB = 0;
                    nB = nA;
                    kB = kA;
                    refB = refA;
                    tagB = tagA;
                    // lanes past key n - 1 in the last row hold e = 0, so probability 0
                    int rowsB = softRows(nB) * cfg.softmaxLanes();
                    for (int j = 0; j < rowsB; j++) {
                        probB[j] = j < nB ? AttentionArithmetic.prob(AttentionArithmetic.exp(max - logits[j]), sum) : 0;
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
        // ---- score stage
        switch (a0) {
            case SpAttenPipeline.A_IDLE -> {
                if (in[START] != 0) {
                    start();
                }
            }
            case SpAttenPipeline.QK -> {
                if (in[K_VALID] != 0) {
                    acceptK();
                    if (++cnt == cfg.kBeats(nA)) {
                        stA = SpAttenPipeline.QK_DRAIN;
                        drainA = AttentionPipeline.QK_DRAIN - 1;
                    }
                }
            }
            case SpAttenPipeline.QK_DRAIN -> {
                if (drainA-- == 0) {
                    stA = SpAttenPipeline.EXP;
                    rowA = 0;
                }
            }
            case SpAttenPipeline.EXP -> {
                if (rowA++ == softRows(nA) - 1) {
                    stA = SpAttenPipeline.EXP_DRAIN;
                    drainA = AttentionPipeline.EXP_DRAIN - 1;
                }
            }
            case SpAttenPipeline.EXP_DRAIN -> {
                if (drainA-- == 0) {
                    stA = SpAttenPipeline.DECIDE;
                }
            }
            case SpAttenPipeline.DECIDE -> {
                sum = 0;
                for (int j = 0; j < nA; j++) {
                    sum += AttentionArithmetic.exp(max - logits[j]);
                }
                int lsbCur = pass ? 0 : lsb;
                if (lsbCur > 0 && AttentionArithmetic.refetch(sum, tau)) {
                    stA = SpAttenPipeline.QK;
                    pass = true;
                    refA = true;
                    cnt = 0;
                    maxValid = false;
                } else {
                    stA = SpAttenPipeline.A_DONE;
                }
            }
            case SpAttenPipeline.A_DONE -> {
                if (b0 == SpAttenPipeline.B_IDLE) {
                    stA = SpAttenPipeline.A_IDLE;
                }
            }
            default -> stA = SpAttenPipeline.A_IDLE;
        }
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
        pass = false;
        refA = false;
        cnt = 0;
        maxValid = false;
        tagA = nextTag++;
    }

    private int softRows(int n) {
        return (n + cfg.softmaxLanes() - 1) / cfg.softmaxLanes();
    }

    /** Scores of the accepted K beat; a key complete in it becomes a logit and joins the maximum. */
    private void acceptK() {
        int p = cfg.qkMultipliers();
        int lsbCur = pass ? 0 : lsb;
        if (p >= d) {
            for (int j = 0; j < cfg.keysPerBeat(); j++) {
                int key = cnt * cfg.keysPerBeat() + j;
                long s = 0;
                for (int e = 0; e < d; e++) {
                    s += (long) AttentionArithmetic.dropLsb(q[e], lsbCur)
                            * AttentionArithmetic.dropLsb(lane(kPayload, j * d + e), lsbCur);
                }
                if (key < nA) {
                    logit(key, s);
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
                logit(cnt / bpk, scoreAcc);
            }
        }
    }

    private void logit(int key, long score) {
        long t = score >> shift;
        logits[key] = t;
        if (!maxValid || t > max) {
            max = t;
        }
        maxValid = true;
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
            case K_READY -> stA == SpAttenPipeline.QK ? 1 : 0;
            case V_READY -> stC == SpAttenPipeline.PV ? 1 : 0;
            case OUT_VALID -> stC == SpAttenPipeline.OUT ? 1 : 0;
            case OUT_PAYLOAD -> outputWide(port).longValue();
            case BUSY -> busy() ? 1 : 0;
            case ERR -> stA == SpAttenPipeline.ERR ? 1 : 0;
            case REFETCH -> stA == SpAttenPipeline.QK && pass ? 1 : 0;
            case READY -> stA == SpAttenPipeline.A_IDLE ? 1 : 0;
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

    /** The score stage's phase ({@link SpAttenPipeline#A_IDLE} ..). */
    public int scoreState() {
        return stA;
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
        return stA != SpAttenPipeline.A_IDLE || stB != SpAttenPipeline.B_IDLE || stC != SpAttenPipeline.C_IDLE;
    }

    /** Tags of the queries in the score, select and value stages (meaningful while each is not idle). */
    public int scoreTag() {
        return tagA;
    }

    public int selectTag() {
        return tagB;
    }

    public int valueTag() {
        return tagC;
    }

    /** The score stage's query is in its second (refetch) pass. */
    public boolean secondPass() {
        return pass;
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
