package dev.sieve.hdl.sat;

import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.lib.Logic;
import java.util.ArrayList;
import java.util.List;

/**
 * The SAT accelerator: the {@link SparsePeArray} with its weight, activation and output buffers, a
 * controller that runs one GEMM pass from a descriptor, an AXI4 master memory port and an AXI4-Lite
 * register file. Buffer sizes and the DRAM layout are {@link SatAcceleratorLayout}'s.
 *
 * <pre>
 *   AXI4-Lite --> registers --> controller (IDLE, CHECK, COMPUTE, STORE;
 *                                           PREGEN_READ, PREGEN_WRITE per block: NmPregen)
 *                                  |            |                |
 *   AXI4 AR/R  ---> loader -------+--> weight buffer --> w stream --+      (both gated by the
 *                  (step order)   +--> act buffer ----> act stream -+--> SparsePeArray --+  words loaded)
 *   AXI4 AW/W/B <-- write engine <--- output buffer <-- accumulate (FP32 add / INT32 add) <-+
 *                  (final words as they finish)
 * </pre>
 *
 * <h2>Registers (32 bits, byte offsets; full-word writes, {@code wstrb} ignored)</h2>
 * {@code 0x00 CONTROL} (write 1 to bit 0: start, when idle; bit 1: interrupt enable),
 * {@code 0x04 STATUS} (bit 0 busy, bit 1 done, bit 2 error: the last descriptor was refused and
 * nothing ran), {@code 0x08 VECTORS}, {@code 0x0C K_TILES}, {@code 0x10 COL_TILES}, {@code 0x14 CHUNK},
 * {@code 0x18 MODE} (bits 3:0 pattern code, 7:4 row-segment code: S = 2^code segments of R/S rows,
 * {@code K_TILES} then counting segment tiles, bit 8 input-stationary order,
 * bit 12 pre-generation command: VECTORS dense blocks from W_ADDR, results to Y_ADDR, the pattern
 * code indexing the sparse patterns),
 * {@code 0x1C W_ADDR}, {@code 0x20 X_ADDR}, {@code 0x24 Y_ADDR}, {@code 0x28 CYCLES} (busy cycles of
 * the last command). {@code irq} is {@code done & enable}; a start clears done and error.
 *
 * <h2>One pass</h2>
 * CHECK (1 cycle) applies {@link SatAcceleratorLayout#refusal}'s rule. COMPUTE runs four engines at
 * once. The loader walks the schedule's steps (per chunk of vectors: column tiles outside and
 * reduction tiles inside, or the reverse for the input-stationary order) and reads what each step
 * uses first, one INCR burst per buffer word and one address per cycle: per segment tile its R/S
 * weight rows in the first chunk (later chunks reuse them), then, at the first column tile, the
 * activation slice of each reduction group the step begins; a second walker over the same order writes each arriving word into its buffer and counts
 * the words loaded. In DRAM a weight or activation word has the pass pattern's size
 * ({@link SatAcceleratorLayout#weightBits(dev.sieve.arch.NmPattern)},
 * {@link SatAcceleratorLayout#actBits(dev.sieve.arch.NmPattern)}: no index bits in a dense pass, R x kPerPe
 * values rather than R x lanes); the burst length, the stride and the spreading of the word onto the
 * buffer word's fields are chosen by the pattern code. The weight and activation sequencers feed the array's streams one tile per
 * step and start a step only once every word it needs is loaded, so the next step's data arrives
 * while the array computes and the array's shadow registers take the next tile's weights while the
 * current one streams (double-buffered weights); in a pass with one row segment every step but the
 * first overlaps the one before, so its fill runs under that step's drain and its vectors follow that
 * step's last one at once (steps of a pass with S > 1 segments wait for the drain,
 * {@code TileTiming.stepsOverlap}). The output sequencer adds each output onto its
 * accumulator in the output buffer (onto zero at the first reduction tile), so an output is
 * {@code ((0 + t_0) + t_1) + ...} over its reduction tiles in order, a tile sum being the array's
 * column sum (of one segment, see below). An output word written at its last reduction tile is final; the write engine stores
 * final words in the order they finish (one burst per word, the next address with the previous
 * burst's last beat), overlapping the compute that follows; STORE waits for the last responses.
 * A pre-generation command reads one dense block per burst into the {@link NmPregen} unit and
 * writes its forward and backward compressed forms ({@link SatAcceleratorLayout#pregenResultBits}),
 * block after block: {@code 1 + blocks (2 latency + Bp + Bq + 2 + NmPregen.LATENCY)} busy cycles
 * (the write burst starts once the unit's pipeline has the block's result).
 *
 * <h2>Row segments</h2>
 * With S = 2^code segments the array runs S segment tiles of R/S rows per step: lane l of step j is
 * tile {@code j S + l} of the chunk's walk (column tiles outside and reduction tiles inside, or the
 * reverse), so a step may mix column tiles and reduction tiles, and a chunk's last step may hold
 * fewer than S. The weight and activation words and their DRAM regions stay those of S = 1 (a word
 * per reduction group of S segment tiles); the loader fetches per segment tile its R/S weight rows
 * (first chunk) and, at the first tile of a group in the first column tile, the group's activation
 * slice; the weight sequencer reads lane l's rows into array rows {@code l R/S ..}. The activation
 * buffer is M = maxS banks of R/M rows, each read at two addresses: port A the group of the one tile
 * of each residue among kt_0 .. kt_0 + S - 1 (the lanes of lane 0's column tile, or every lane in the
 * input-stationary order, whose tiles of a step lie in that range), port B group 0 (lanes of the
 * next column tiles in the output-stationary order, whose reduction tiles start again at 0); each
 * lane's rows take the bank of its tile's residue. The output buffer is M banks, word (ct, p) in
 * bank {@code (ct + p) mod M}: the lanes of one column tile chain their partial sums onto its
 * accumulator in lane order, which is reduction-tile order,
 * {@code (((acc + t_a) + t_a+1) + ...)} (lane l adds in stage l, A cycles each; every word is
 * written S A cycles after its read), and lanes of different column tiles reach different banks.
 * So an output keeps the one order above over the schedule's segment tiles, the order of the
 * sw-driver's SAT device. Refused ({@link SatAcceleratorLayout#segmentRefusal}): S beyond
 * {@link SatAcceleratorLayout#maxSegments}, and in the input-stationary order more than S column
 * tiles that are not a multiple of S (a step would wrap from the last column tile to the first and
 * reach two words of one bank).
 *
 * <h2>Timing</h2>
 * With a memory that accepts every address at once, returns a read burst's beats one per cycle from
 * {@code latency + 1} cycles after the address (bursts back to back), takes write beats every cycle
 * and answers a burst {@code latency + 1} cycles after its last beat, a pass is busy for the sim
 * model's {@code TileTiming.PassClock} rule over its steps, each step reading its first-use words
 * (B beats each) and writing the words it finishes: the first step's reads, the last step's fill
 * and its writes are exposed; everything else overlaps the array unless the memory falls behind.
 *
 * <h2>Clock</h2>
 * No product sits between the controller's registers. The descriptor's derived counts (reduction
 * groups, a column tile's weight words R kGroups, the output bank's vectors, a step's advances and
 * its thresholds, the first and second chunks' lengths, the pass's second step, ...) and the refusal
 * rules are registers in two ranks that take their values every cycle: an AXI4-Lite write completes
 * at most every other cycle and the start is a write of its own, so the descriptor registers hold
 * still for two cycles before CHECK and both ranks are current there. Every walker keeps its chunk's
 * length (and length - 1) and last flag in registers, and the buffer words it addresses as running
 * sums that add a registered stride when it advances (per lane ct R kGroups + kt R / S,
 * (kt / S) N, ct ceil(N / M); the loader's tile and group words; the store's column word and
 * byte address) instead of products of its positions. The word counts are as wide as the buffers
 * need, and the write engine's "a final word is waiting" is a not-equal. The cycles are those of
 * the unregistered controller.
 */
public final class SatAccelerator extends Component {
    public static final int REG_CONTROL = 0x00;
    public static final int REG_STATUS = 0x04;
    public static final int REG_VECTORS = 0x08;
    public static final int REG_K_TILES = 0x0C;
    public static final int REG_COL_TILES = 0x10;
    public static final int REG_CHUNK = 0x14;
    public static final int REG_MODE = 0x18;
    public static final int REG_W_ADDR = 0x1C;
    public static final int REG_X_ADDR = 0x20;
    public static final int REG_Y_ADDR = 0x24;
    public static final int REG_CYCLES = 0x28;
    /** Address bits of the register window. */
    public static final int LITE_ADDR_BITS = 6;

    static final int IDLE = 0;
    static final int CHECK = 1;
    static final int COMPUTE = 4;
    static final int STORE = 5;
    static final int PREGEN_READ = 6;
    static final int PREGEN_WRITE = 7;

    private static final int CW = SatAcceleratorLayout.COUNT_BITS;
    private static final int BUS = SatAcceleratorLayout.BUS_BITS;

    // ---- AXI4-Lite slave
    public final Signal sAwvalid;
    public final Signal sAwready;
    public final Signal sAwaddr;
    public final Signal sWvalid;
    public final Signal sWready;
    public final Signal sWdata;
    public final Signal sWstrb;
    public final Signal sBvalid;
    public final Signal sBready;
    public final Signal sBresp;
    public final Signal sArvalid;
    public final Signal sArready;
    public final Signal sAraddr;
    public final Signal sRvalid;
    public final Signal sRready;
    public final Signal sRdata;
    public final Signal sRresp;
    // ---- AXI4 master
    public final Signal mArvalid;
    public final Signal mArready;
    public final Signal mAraddr;
    public final Signal mArlen;
    public final Signal mArsize;
    public final Signal mArburst;
    public final Signal mRvalid;
    public final Signal mRready;
    public final Signal mRdata;
    public final Signal mRresp;
    public final Signal mRlast;
    public final Signal mAwvalid;
    public final Signal mAwready;
    public final Signal mAwaddr;
    public final Signal mAwlen;
    public final Signal mAwsize;
    public final Signal mAwburst;
    public final Signal mWvalid;
    public final Signal mWready;
    public final Signal mWdata;
    public final Signal mWstrb;
    public final Signal mWlast;
    public final Signal mBvalid;
    public final Signal mBready;
    public final Signal mBresp;
    public final Signal irq;

    // ---- registers
    private final Signal state;
    private final Signal regVectors;
    private final Signal regKTiles;
    private final Signal regColTiles;
    private final Signal regChunk;
    private final Signal regMode;
    private final Signal regWAddr;
    private final Signal regXAddr;
    private final Signal regYAddr;
    private final Signal regCycles;
    private final Signal irqEnable;
    private final Signal done;
    private final Signal error;
    /** The descriptor's row-segment code (S = 2^code) and its reduction groups ceil(kTiles / S). */
    private final Signal segCode;
    private final Signal kGroups;
    /** {@link #kGroups} one cycle later (the descriptor holds still for two cycles before CHECK, see LaneSteps). */
    private final Signal kGroupsReg;

    private final SatAcceleratorLayout layout;
    private final SatDatapath dp;

    public SatAccelerator(SatConfig cfg) {
        this(SatAcceleratorLayout.of(cfg));
    }

    public SatAccelerator(SatAcceleratorLayout layout) {
        super("sat_accel_" + layout.datapath().rows() + "x" + layout.datapath().cols() + "_"
                + layout.datapath().tag() + "_w" + layout.weightDepth() + "_a" + layout.actDepth() + "_o"
                + layout.outDepth() + (layout.hasPregen() || layout.datapath().sparsePatterns().isEmpty() ? "" : "_nopregen"));
        this.layout = layout;
        this.dp = layout.datapath();

        sAwvalid = input("s_axil_awvalid", 1);
        sAwready = output("s_axil_awready", 1);
        sAwaddr = input("s_axil_awaddr", LITE_ADDR_BITS);
        sWvalid = input("s_axil_wvalid", 1);
        sWready = output("s_axil_wready", 1);
        sWdata = input("s_axil_wdata", 32);
        sWstrb = input("s_axil_wstrb", 4);
        sBvalid = output("s_axil_bvalid", 1);
        sBready = input("s_axil_bready", 1);
        sBresp = output("s_axil_bresp", 2);
        sArvalid = input("s_axil_arvalid", 1);
        sArready = output("s_axil_arready", 1);
        sAraddr = input("s_axil_araddr", LITE_ADDR_BITS);
        sRvalid = output("s_axil_rvalid", 1);
        sRready = input("s_axil_rready", 1);
        sRdata = output("s_axil_rdata", 32);
        sRresp = output("s_axil_rresp", 2);

        mArvalid = output("m_axi_arvalid", 1);
        mArready = input("m_axi_arready", 1);
        mAraddr = output("m_axi_araddr", 32);
        mArlen = output("m_axi_arlen", 8);
        mArsize = output("m_axi_arsize", 3);
        mArburst = output("m_axi_arburst", 2);
        mRvalid = input("m_axi_rvalid", 1);
        mRready = output("m_axi_rready", 1);
        mRdata = input("m_axi_rdata", BUS);
        mRresp = input("m_axi_rresp", 2);
        mRlast = input("m_axi_rlast", 1);
        mAwvalid = output("m_axi_awvalid", 1);
        mAwready = input("m_axi_awready", 1);
        mAwaddr = output("m_axi_awaddr", 32);
        mAwlen = output("m_axi_awlen", 8);
        mAwsize = output("m_axi_awsize", 3);
        mAwburst = output("m_axi_awburst", 2);
        mWvalid = output("m_axi_wvalid", 1);
        mWready = input("m_axi_wready", 1);
        mWdata = output("m_axi_wdata", BUS);
        mWstrb = output("m_axi_wstrb", BUS / 8);
        mWlast = output("m_axi_wlast", 1);
        mBvalid = input("m_axi_bvalid", 1);
        mBready = output("m_axi_bready", 1);
        mBresp = input("m_axi_bresp", 2);
        irq = output("irq", 1);

        state = reg("state", 3, IDLE);
        regVectors = reg("reg_vectors", 32, 0);
        regKTiles = reg("reg_k_tiles", 32, 0);
        regColTiles = reg("reg_col_tiles", 32, 0);
        regChunk = reg("reg_chunk", 32, 0);
        regMode = reg("reg_mode", 32, 0);
        regWAddr = reg("reg_w_addr", 32, 0);
        regXAddr = reg("reg_x_addr", 32, 0);
        regYAddr = reg("reg_y_addr", 32, 0);
        regCycles = reg("reg_cycles", 32, 0);
        irqEnable = reg("irq_enable", 1, 0);
        done = reg("done", 1, 0);
        error = reg("error", 1, 0);

        int maxCode = Integer.numberOfTrailingZeros(dp.rowSegments());
        segCode = named("seg_code", regMode.slice(7, 4));
        Expr kt16 = regKTiles.slice(CW - 1, 0);
        List<Expr> groups = new ArrayList<>();
        groups.add(kt16);
        for (int c = 1; c <= maxCode; c++) {
            groups.add(kt16.zext(CW + 1).add(Expr.lit(CW + 1, (1L << c) - 1)).shr(Expr.lit(5, c)).resize(CW));
        }
        kGroups = named("k_groups", SatBus.byCode(segCode, groups));
        kGroupsReg = regNext("pass_k_groups", kGroups);

        Signal start = registerFile();
        // registered, and reading registered counts: the descriptor registers are written in IDLE, at
        // the latest two cycles before the start write's CHECK (LaneSteps), so at CHECK this register
        // holds the rule on the descriptor being run
        Signal refused = regNext("refused", checkRule());
        controller(start, refused);
    }

    public SatAcceleratorLayout layout() {
        return layout;
    }

    private Expr inState(int s) {
        return state.eq(s);
    }

    // ================================================================ AXI4-Lite register file

    /** The register file; returns the start pulse (a write of bit 0 of CONTROL while idle). */
    private Signal registerFile() {
        Signal bvalidQ = reg("lite_bvalid", 1, 0);
        Signal rvalidQ = reg("lite_rvalid", 1, 0);
        Signal rdataQ = reg("lite_rdata", 32, 0);
        Signal writeFire = named("lite_write", sAwvalid.and(sWvalid).and(bvalidQ.not()));
        Signal readFire = named("lite_read", sArvalid.and(rvalidQ.not()));
        assign(sAwready, writeFire);
        assign(sWready, writeFire);
        assign(sBvalid, bvalidQ);
        assign(sBresp, 0);
        assign(sArready, rvalidQ.not());
        assign(sRvalid, rvalidQ);
        assign(sRdata, rdataQ);
        assign(sRresp, 0);
        when(writeFire, () -> assign(bvalidQ, 1)).elsewhen(sBready, () -> assign(bvalidQ, 0));
        when(readFire, () -> assign(rvalidQ, 1)).elsewhen(sRready, () -> assign(rvalidQ, 0));

        Expr wIndex = sAwaddr.slice(LITE_ADDR_BITS - 1, 2);
        Signal start = named("start", writeFire.and(wIndex.eq(REG_CONTROL / 4)).and(sWdata.bit(0))
                .and(inState(IDLE)));
        Signal[] writable = {regVectors, regKTiles, regColTiles, regChunk, regMode, regWAddr, regXAddr, regYAddr};
        int[] offsets = {REG_VECTORS, REG_K_TILES, REG_COL_TILES, REG_CHUNK, REG_MODE, REG_W_ADDR, REG_X_ADDR, REG_Y_ADDR};
        for (int i = 0; i < writable.length; i++) {
            Signal r = writable[i];
            when(writeFire.and(wIndex.eq(offsets[i] / 4)).and(inState(IDLE)), () -> assign(r, sWdata));
        }
        when(writeFire.and(wIndex.eq(REG_CONTROL / 4)), () -> assign(irqEnable, sWdata.bit(1)));

        Expr rIndex = sAraddr.slice(LITE_ADDR_BITS - 1, 2);
        Expr status = Expr.cat(Expr.zero(29), error, done, inState(IDLE).not());
        List<Expr> byIndex = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byIndex.add(Expr.zero(32));
        }
        byIndex.set(REG_CONTROL / 4, Expr.cat(Expr.zero(30), irqEnable, Expr.zero(1)));
        byIndex.set(REG_STATUS / 4, status);
        for (int i = 0; i < writable.length; i++) {
            byIndex.set(offsets[i] / 4, writable[i]);
        }
        byIndex.set(REG_CYCLES / 4, regCycles);
        Expr readValue = SatBus.muxTree(rIndex, byIndex);
        when(readFire, () -> assign(rdataQ, readValue));
        assign(irq, done.and(irqEnable));
        return start;
    }

    // ================================================================ the descriptor rule

    /** {@link SatAcceleratorLayout#refusal}'s tests on the descriptor registers. */
    private Expr checkRule() {
        Expr[] counts = {regVectors, regKTiles, regColTiles, regChunk};
        Expr bad = Expr.zero(1);
        for (Expr c : counts) {
            bad = bad.or(c.eq(0)).or(c.slice(31, CW).ne(0));
        }
        bad = bad.or(regChunk.gtU(regVectors));
        bad = bad.or(regMode.slice(3, 0).geU(Expr.lit(4, dp.patterns().size())));
        int maxCode = Integer.numberOfTrailingZeros(layout.maxSegments());
        bad = bad.or(regMode.slice(7, 4).gtU(Expr.lit(4, maxCode)));
        if (maxCode > 0) {
            // S > 1 in the input-stationary order: more than S column tiles only in rows of whole steps
            // (colTiles a multiple of S), else a step's lanes would reach two words of one output bank
            Expr ct16 = regColTiles.slice(CW - 1, 0);
            List<Expr> wraps = new ArrayList<>();
            wraps.add(Expr.zero(1));
            for (int c = 1; c <= maxCode; c++) {
                wraps.add(ct16.gtU(Expr.lit(CW, 1L << c)).and(ct16.slice(c - 1, 0).ne(0)));
            }
            bad = bad.or(segCode.ne(0).and(regMode.bit(8)).and(SatBus.byCode(segCode, wraps)));
        }
        Expr kt = kGroupsReg;
        Expr ct = regColTiles.slice(CW - 1, 0);
        Expr n = regVectors.slice(CW - 1, 0);
        int rw = Bits.widthFor(dp.rows());
        Expr wWords = named("check_tiles", kt.mulU(ct)).mulU(Expr.lit(rw, dp.rows()));
        bad = bad.or(wWords.gtU(Expr.lit(wWords.width(), layout.weightDepth())));
        Expr xWords = kt.mulU(n);
        bad = bad.or(xWords.gtU(Expr.lit(xWords.width(), layout.actDepth())));
        int mBits = Integer.numberOfTrailingZeros(dp.rowSegments());
        Expr bankVectors = named("check_bank_vectors", n.zext(CW + 1).add(Expr.lit(CW + 1, dp.rowSegments() - 1))
                .shr(Expr.lit(5, mBits)));
        Expr yWords = ct.mulU(bankVectors);
        bad = bad.or(yWords.gtU(Expr.lit(yWords.width(), layout.outBankDepth())));
        for (Expr a : new Expr[] {regWAddr, regXAddr, regYAddr}) {
            bad = bad.or(a.slice(11, 0).ne(0));
        }
        return bad;
    }

    /** {@link SatAcceleratorLayout#refusal(SatAcceleratorLayout.Pregen)}'s tests on the registers. */
    private Expr pregenRefused() {
        if (!layout.hasPregen()) {
            return Expr.lit(1, 1);
        }
        Expr bad = regVectors.eq(0).or(regVectors.slice(31, CW).ne(0));
        bad = bad.or(regMode.slice(3, 0).geU(Expr.lit(4, dp.sparsePatterns().size())));
        for (Expr a : new Expr[] {regWAddr, regYAddr}) {
            bad = bad.or(a.slice(11, 0).ne(0));
        }
        return bad;
    }

    // ================================================================ controller

    private void controller(Signal start, Signal refused) {
        int wBits = layout.weightBits();
        int aBits = layout.actBits();
        int oBits = layout.outBits();
        int maxSeg = dp.rowSegments();
        int mBits = Integer.numberOfTrailingZeros(maxSeg);
        Memory wBuf = memory("weight_buffer", wBits, layout.weightDepth());
        // activations in M = maxS banks of R/M rows each (every word written to all), so that each
        // lane of a step can read its own reduction tile's rows; outputs in M banks by (column tile
        // + vector) mod M, so that the lanes of a step reach different words at once
        Memory[] aBuf = new Memory[maxSeg];
        Memory[] oBuf = new Memory[maxSeg];
        for (int b = 0; b < maxSeg; b++) {
            aBuf[b] = memory(maxSeg == 1 ? "act_buffer" : "act_buffer_" + b, aBits / maxSeg, layout.actDepth());
            oBuf[b] = memory(maxSeg == 1 ? "out_buffer" : "out_buffer_" + b, oBits, layout.outBankDepth());
        }
        int wAw = wBuf.addressWidth();
        int aAw = aBuf[0].addressWidth();
        int oAw = oBuf[0].addressWidth();

        Expr n = regVectors.slice(CW - 1, 0);
        Expr kSeg = regKTiles.slice(CW - 1, 0); // the schedule's segment tiles
        Expr colTiles = regColTiles.slice(CW - 1, 0);
        Expr chunk = regChunk.slice(CW - 1, 0);
        Expr inputStationary = regMode.bit(8);
        Expr computing = inState(COMPUTE);
        LaneSteps steps = new LaneSteps(kSeg, colTiles, inputStationary);
        PassRegs pr = new PassRegs(n, chunk, wAw);
        // the loader's word counts: a pass loads at most weightDepth + actDepth words (the descriptor
        // rule), so max(wAw, aAw) + 2 bits hold them
        loadWidth = Math.max(wAw, aAw) + 2;
        Signal firstWords = regNext("pass_first_step_words", firstStepWords(steps, pr));
        // registered like the descriptor rule (see the constructor)
        Signal pregenRefusedQ = regNext("pregen_refused", pregenRefused());
        Signal vectorsM1 = regNext("pass_vectors_m1", n.sub(Expr.lit(CW, 1)));

        // ---- state and busy cycles
        when(inState(IDLE).not(), () -> assign(regCycles, regCycles.add(1)));
        when(start, () -> {
            assign(regCycles, 0);
            assign(done, 0);
            assign(error, 0);
        });

        // ---- read engine. COMPUTE: the loader walks the segment tiles in step order and fetches what
        // each uses first (its R/S weight rows in the first chunk, then, at the first column tile and
        // the first tile of a reduction group, the group's activation slice), one INCR burst per buffer
        // word, one address per cycle without waiting for data; a second walker over the same sequence
        // puts each arriving word into its buffer and counts the words loaded. PREGEN_READ: one burst
        // per block, after the previous one.
        int wBeats = SatAcceleratorLayout.beats(wBits);
        int aBeats = SatAcceleratorLayout.beats(aBits);
        boolean pregen = layout.hasPregen();
        int pBits = pregen ? layout.pregenBlockBits() : BUS;
        int pBeats = SatAcceleratorLayout.beats(pBits);
        int shiftBits = Math.max(Math.max(wBeats, aBeats), pBeats) * BUS;
        Signal pgBlock = reg("pregen_block", CW, 0);
        Expr pregenRead = inState(PREGEN_READ);
        Signal arDone = reg("ar_done", 1, 0);
        Signal shifter = regNoReset("rd_shifter", shiftBits);
        Expr loading = computing.or(pregenRead);
        Expr shifted = shiftBits == BUS ? mRdata : Expr.cat(mRdata, shifter.slice(shiftBits - 1, BUS));
        // weight and activation words in DRAM are sized for the pass's pattern (SatAcceleratorLayout
        // .weightBits(p), .actBits(p)): the word's beats, its stride and how it spreads onto the buffer
        // word are chosen by the pattern code, which stays put while a pass runs
        Expr patCode = regMode.slice(3, 0);
        List<Expr> wordsW = new ArrayList<>();
        List<Expr> wordsA = new ArrayList<>();
        List<Expr> lensW = new ArrayList<>();
        List<Expr> lensA = new ArrayList<>();
        List<Integer> shW = new ArrayList<>();
        List<Integer> shA = new ArrayList<>();
        java.util.Map<Integer, Expr> spreadW = new java.util.HashMap<>();
        java.util.Map<Integer, Expr> spreadA = new java.util.HashMap<>();
        for (dev.sieve.arch.NmPattern p : dp.patterns()) {
            int wb = layout.weightBits(p);
            int ab = layout.actBits(p);
            int wbt = SatAcceleratorLayout.beats(wb);
            int abt = SatAcceleratorLayout.beats(ab);
            int ib = SatAcceleratorLayout.indexBits(p);
            wordsW.add(spreadW.computeIfAbsent(ib, x -> named("r_word_w_i" + ib,
                    spreadWeights(shifted.slice(shiftBits - wbt * BUS + wb - 1, shiftBits - wbt * BUS), ib))));
            int k = dp.kPerPe(p);
            wordsA.add(spreadA.computeIfAbsent(k, x -> named("r_word_a_k" + k,
                    spreadActivations(shifted.slice(shiftBits - abt * BUS + ab - 1, shiftBits - abt * BUS), k))));
            lensW.add(Expr.lit(8, wbt - 1));
            lensA.add(Expr.lit(8, abt - 1));
            shW.add(Bits.log2Ceil(SatAcceleratorLayout.stride(wb)));
            shA.add(Bits.log2Ceil(SatAcceleratorLayout.stride(ab)));
        }
        Expr wordW = SatBus.muxTree(patCode, wordsW);
        Expr wordA = SatBus.muxTree(patCode, wordsA);
        Signal beat = named("r_beat", loading.and(mRvalid));
        Signal wordEnd = named("r_word_end", beat.and(mRlast));
        int pSh = Bits.log2Ceil(SatAcceleratorLayout.stride(pBits));

        LoadWalk la = new LoadWalk("load_ar", steps, pr, kSeg, colTiles, wAw, aAw);
        Signal laAll = reg("load_ar_all_issued", 1, 0);
        Signal loadAr = named("load_ar_fire", computing.and(laAll.not()).and(mArready));
        when(loadAr.and(la.wordLast).and(la.last), () -> assign(laAll, 1));
        la.advance(loadAr);

        LoadWalk lr = new LoadWalk("load_r", steps, pr, kSeg, colTiles, wAw, aAw);
        Signal loaded = reg("load_words", loadWidth, 0);
        Signal loadEnd = named("load_r_word_end", wordEnd.and(computing));
        when(loadEnd, () -> assign(loaded, loaded.add(1)));
        lr.advance(loadEnd);
        write(wBuf, lr.weightWord, wordW, loadEnd.and(lr.isW));
        for (int b = 0; b < maxSeg; b++) {
            int sliceBits = aBits / maxSeg;
            write(aBuf[b], lr.actWord, wordA.slice((b + 1) * sliceBits - 1, b * sliceBits),
                    loadEnd.and(lr.isW.not()));
        }

        Expr loadAddr = la.isW.select(regWAddr.add(byStride(patCode, la.weightWord.zext(32), shW)),
                regXAddr.add(byStride(patCode, la.actWord.zext(32), shA)));
        assign(mArvalid, pregenRead.select(arDone.not(), computing.and(laAll.not())));
        assign(mAraddr, pregenRead.select(regWAddr.add(pgBlock.zext(32).shl(Expr.lit(5, pSh))), loadAddr));
        assign(mArlen, pregenRead.select(Expr.lit(8, pBeats - 1),
                la.isW.select(SatBus.muxTree(patCode, lensW), SatBus.muxTree(patCode, lensA))));
        assign(mArsize, 4);
        assign(mArburst, 1);
        assign(mRready, loading);
        when(beat, () -> assign(shifter, shifted));
        when(pregenRead.and(mArvalid).and(mArready), () -> assign(arDone, 1));
        when(wordEnd, () -> assign(arDone, 0));

        // ---- the array and its three sequencers
        SparsePeArray array = new SparsePeArray(dp);
        Signal arrWReady = wire("arr_w_ready", 1);
        Signal arrActReady = wire("arr_act_ready", 1);
        Signal arrOutValid = wire("arr_out_valid", 1);
        Signal arrOutLast = wire("arr_out_last", 1);
        Signal arrOut = wire("arr_out", maxSeg * dp.cols() * SatDatapath.ACC_WIDTH);
        int rw = Bits.widthFor(dp.rows());
        int lw = Math.max(1, mBits);

        // weights: per step R rows, lane l's segment tile in rows l R/S .. (l+1) R/S - 1, read ahead
        // one word (the read register holds while the array stalls)
        LaneWalker ww = new LaneWalker("wseq", steps, pr, Sums.WEIGHT, wAw);
        Signal wRow = reg("wseq_row", rw, 0);
        Signal wLane = reg("wseq_lane", lw, 0);
        Signal wSegRow = reg("wseq_seg_row", rw, 0);
        Signal wIssued = reg("wseq_all_issued", 1, 0);
        Signal wValidQ = reg("wseq_valid", 1, 0);
        // the step's start test, loaded >= words of the steps up to this one, against a register
        // (wseq_need) that a walker one step ahead keeps current, so no add sits on the issue path
        LaneWalker wwAhead = new LaneWalker("wseq_ahead", steps, pr, Sums.NONE, 0);
        Signal wNeed = reg("wseq_need", loadWidth, 0);
        Signal wAvail = named("wseq_avail", loaded.geU(wNeed));
        Signal wLoad = named("wseq_load", computing.and(wValidQ.not().or(arrWReady)));
        Signal wIssue = named("wseq_issue", wLoad.and(wIssued.not()).and(wAvail));
        Signal wRowLast = named("wseq_row_last", wRow.eq(dp.rows() - 1));
        Signal wSegRowLast = named("wseq_seg_row_last", wSegRow.eq(segRows().sub(Expr.lit(rw, 1))));
        Expr wTile = named("wseq_lane_word", SatBus.muxTree(wLane, java.util.Arrays.asList(ww.word)));
        Signal wData = readSync("wseq_data", wBuf, wTile.add(wSegRow.resize(wAw)), wIssue);
        // every step but the pass's first overlaps the one before (its fill runs under that step's
        // drain) when the pass has one row segment: then it always pays (TileTiming.overlaps: the
        // shadow refills in C + D (R - 1) cycles, less than the fill R D + C + 1). Steps of a pass
        // with S > 1 segments wait for the drain: their merge chain (S x A) could read a word again
        // before the previous step's sum into it is written.
        Signal wOverlapQ = reg("wseq_overlap", 1, 0);
        when(wIssue, () -> assign(wOverlapQ, segCode.eq(0).and(ww.notFirst())));
        when(wLoad, () -> assign(wValidQ, wIssue));
        when(wIssue, () -> {
            assign(wRow, wRowLast.select(Expr.zero(rw), wRow.add(1)));
            assign(wSegRow, wRowLast.or(wSegRowLast).select(Expr.zero(rw), wSegRow.add(1)));
            assign(wLane, wRowLast.select(Expr.zero(lw), wSegRowLast.select(wLane.add(1), wLane)));
            when(wRowLast.and(ww.last), () -> assign(wIssued, 1));
        });
        when(wIssue.and(wRowLast), () -> assign(wNeed, wNeed.add(stepWords(wwAhead))));
        ww.advance(wIssue.and(wRowLast));
        wwAhead.advance(wIssue.and(wRowLast));

        // activations: vectors of the step's chunk; lane l takes the rows of its reduction tile kt_l,
        // which sit at rows (kt_l mod S) R/S .. of the group word kt_l / S. Port A of bank b reads the
        // group of the one tile of residue b (in units of R/S rows) among kt_0 .. kt_0 + S - 1 (the
        // lanes of lane 0's column tile, or all lanes in the input-stationary order); port B reads
        // group 0, for lanes of the next column tiles in the output-stationary order (their tiles
        // start again at 0, so they lie below S)
        LaneWalker aw = new LaneWalker("aseq", steps, pr, Sums.ACT, aAw);
        Signal aPos = reg("aseq_pos", CW, 0);
        Signal aIssued = reg("aseq_all_issued", 1, 0);
        Signal aValidQ = reg("aseq_valid", 1, 0);
        Signal aLastQ = reg("aseq_last", 1, 0);
        LaneWalker awAhead = new LaneWalker("aseq_ahead", steps, pr, Sums.NONE, 0);
        Signal aNeed = reg("aseq_need", loadWidth, 0);
        Signal aAvail = named("aseq_avail", loaded.geU(aNeed));
        Signal aLoad = named("aseq_load", computing.and(aValidQ.not().or(arrActReady)));
        Signal aIssue = named("aseq_issue", aLoad.and(aIssued.not()).and(aAvail));
        Signal aPosLast = named("aseq_pos_last", aPos.eq(aw.chunkRegs.lengthM1));
        // the vector base + pos, a register
        Signal aVec = reg("aseq_vector", CW, 0);
        Expr aAddr0 = named("aseq_addr", aw.word[0].add(aVec.resize(aAw)));
        Expr aData;
        if (maxSeg == 1) {
            aData = readSync("aseq_data", aBuf[0], aAddr0, aIssue);
        } else {
            Expr aAddr1 = named("aseq_addr_next", aw.wordPlusN().add(aVec.resize(aAw)));
            List<Expr> portA = new ArrayList<>();
            List<Expr> portB = new ArrayList<>();
            for (int b = 0; b < maxSeg; b++) {
                List<Expr> next = new ArrayList<>();
                for (int c = 0; c <= mBits; c++) {
                    int r = c == 0 ? 0 : b >> (mBits - c);
                    next.add(c == 0 || r == (1 << c) - 1 ? Expr.zero(1) : Expr.lit(c, r).ltU(aw.kt[0].slice(c - 1, 0)));
                }
                Expr addr = SatBus.byCode(segCode, next).select(aAddr1, aAddr0);
                portA.add(readSync("aseq_data_" + b, aBuf[b], addr.resize(aAw), aIssue));
                portB.add(readSync("aseq_data_b_" + b, aBuf[b], aVec.resize(aAw), aIssue));
            }
            List<Expr> slots = new ArrayList<>();
            for (int j = 0; j < maxSeg; j++) {
                List<Expr> src = new ArrayList<>();
                List<Expr> useB = new ArrayList<>();
                for (int c = 0; c <= mBits; c++) {
                    int sub = mBits - c;
                    int lane = j >> sub;
                    int q = j & ((1 << sub) - 1);
                    Expr res = c == 0 ? Expr.zero(mBits) : aw.kt[lane].slice(c - 1, 0).zext(mBits)
                            .shl(Expr.lit(5, sub)).resize(mBits);
                    src.add(res.or(Expr.lit(mBits, q)));
                    useB.add(inputStationary.not().and(aw.ct[lane].ne(aw.ct[0])));
                }
                Signal srcQ = reg("aseq_src_" + j, mBits, 0);
                Signal useBQ = reg("aseq_port_b_" + j, 1, 0);
                Expr srcNow = SatBus.byCode(segCode, src);
                Expr useBNow = SatBus.byCode(segCode, useB);
                when(aIssue, () -> {
                    assign(srcQ, srcNow);
                    assign(useBQ, useBNow);
                });
                slots.add(useBQ.select(SatBus.muxTree(srcQ, portB), SatBus.muxTree(srcQ, portA)));
            }
            aData = named("aseq_data", SatBus.pack(slots));
        }
        when(aLoad, () -> assign(aValidQ, aIssue));
        when(aIssue, () -> {
            assign(aLastQ, aPosLast);
            assign(aPos, aPosLast.select(Expr.zero(CW), aPos.add(1)));
            assign(aVec, aPosLast.select(aw.chunkLast.select(aw.base.add(chunk), aw.base), aVec.add(1)));
            when(aPosLast.and(aw.last), () -> assign(aIssued, 1));
        });
        when(aIssue.and(aPosLast), () -> assign(aNeed, aNeed.add(stepWords(awAhead))));
        aw.advance(aIssue.and(aPosLast));
        awAhead.advance(aIssue.and(aPosLast));

        instance("array", array)
                .connect(array.wValid, wValidQ)
                .connect(array.wReady, arrWReady)
                .connect(array.wPattern, regMode.slice(dp.patternWidth() - 1, 0))
                .connect(array.wSegments, regMode.slice(3 + dp.segmentWidth(), 4))
                .connect(array.wOverlap, wOverlapQ)
                .connect(array.wRow, wData)
                .connect(array.actValid, aValidQ)
                .connect(array.actReady, arrActReady)
                .connect(array.actLast, aLastQ)
                .connect(array.act, aData)
                .connect(array.outValid, arrOutValid)
                .connect(array.outLast, arrOutLast)
                .connect(array.out, arrOut);

        // outputs: per step and vector, every lane's partial sums. Lanes of one column tile (a run of
        // reduction tiles: consecutive lanes in the output-stationary order, lanes colTiles apart in the
        // input-stationary one) form one word's chain: its first lane (head) starts from the word's
        // accumulator (or zero at reduction tile 0), each later lane adds onto the previous lane's sum,
        // in reduction-tile order, and its last lane (tail) writes the word back.
        LaneWalker ow = new LaneWalker("oseq", steps, pr, Sums.OUT, oAw);
        Signal oPos = reg("oseq_pos", CW, 0);
        Signal oAllDone = reg("oseq_all_done", 1, 0);
        Signal oTake = named("oseq_take", computing.and(arrOutValid));
        Signal oPosLast = named("oseq_pos_last", oPos.eq(ow.chunkRegs.lengthM1));
        Signal oVec = reg("oseq_vector", CW, 0);
        int bw = Math.max(1, mBits);
        Expr[] oAddr = new Expr[maxSeg];
        Expr[] oBank = new Expr[maxSeg];
        Expr[] oHead = new Expr[maxSeg];
        Expr[] oTail = new Expr[maxSeg];
        Expr[] oFirst = new Expr[maxSeg];
        Expr[] oFinal = new Expr[maxSeg];
        List<List<Expr>> oPrev = new ArrayList<>();
        Signal kLast = regNext("pass_k_last", kSeg.sub(Expr.lit(CW, 1)));
        for (int l = 0; l < maxSeg; l++) {
            oAddr[l] = named("oseq_addr_" + l, ow.word[l].add(oVec.shr(Expr.lit(5, mBits)).resize(oAw)));
            oBank[l] = named("oseq_bank_" + l, outBank(ow.ct[l], oVec, bw));
            oFirst[l] = ow.kt[l].eq(0);
            oFinal[l] = ow.kt[l].eq(kLast);
            List<Expr> prev = new ArrayList<>();
            Expr hasPrev = Expr.zero(1);
            for (int j = 0; j < l; j++) {
                Expr os = j == l - 1 ? ow.ct[j].eq(ow.ct[l]) : Expr.zero(1);
                Expr p = named("oseq_prev_" + l + "_" + j, ow.valid[j].and(inputStationary.select(
                        colTiles.eq(l - j), os)));
                prev.add(p);
                hasPrev = hasPrev.or(p);
            }
            oPrev.add(prev);
            oHead[l] = named("oseq_head_" + l, ow.valid[l].and(hasPrev.not()));
        }
        for (int l = 0; l < maxSeg; l++) {
            Expr later = Expr.zero(1);
            for (int m = l + 1; m < maxSeg; m++) {
                later = later.or(ow.valid[m].and(oPrev.get(m).get(l)));
            }
            oTail[l] = named("oseq_tail_" + l, ow.valid[l].and(later.not()));
        }
        List<Expr> accReads = new ArrayList<>();
        for (int b = 0; b < maxSeg; b++) {
            Expr addr = Expr.zero(oAw);
            for (int l = maxSeg - 1; l >= 0; l--) {
                Expr mine = maxSeg == 1 ? Expr.lit(1, 1) : oBank[l].eq(b);
                addr = oHead[l].and(mine).select(oAddr[l], addr);
            }
            accReads.add(readSync(maxSeg == 1 ? "acc_read" : "acc_read_" + b, oBuf[b], addr, oTake));
        }
        int maxCode = mBits;
        Signal accValid = reg("acc_valid", 1, 0);
        Signal accIn = regNoReset("acc_in", maxSeg * oBits);
        // per lane, taken with the outputs: first (reduction tile 0), head, tail, final (the word's
        // last reduction tile), bank, address, and which earlier lane it adds onto
        List<Signal> accFirst = new ArrayList<>();
        List<Signal> accBank = new ArrayList<>();
        List<Expr> ctl = new ArrayList<>();
        List<Expr> prevBits = new ArrayList<>();
        assign(accValid, oTake);
        for (int l = 0; l < maxSeg; l++) {
            Signal first = regNoReset("acc_first_" + l, 1);
            Signal bank = regNoReset("acc_bank_" + l, bw);
            Signal tail = reg("acc_tail_" + l, 1, 0);
            Signal fin = reg("acc_final_" + l, 1, 0);
            Signal addr = regNoReset("acc_addr_" + l, oAw);
            accFirst.add(first);
            accBank.add(bank);
            int lane = l;
            Expr finNow = oTail[l].and(oFinal[l]);
            when(oTake, () -> {
                assign(first, oFirst[lane]);
                assign(bank, oBank[lane]);
                assign(tail, oTail[lane]);
                assign(fin, finNow);
                assign(addr, oAddr[lane]);
            });
            ctl.add(Expr.cat(addr, bank, fin, tail));
            if (l > 0) {
                Signal pb = regNoReset("acc_prev_" + l, l);
                Expr pNow = SatBus.pack(oPrev.get(l));
                when(oTake, () -> assign(pb, pNow));
                prevBits.add(pb);
            } else {
                prevBits.add(null);
            }
        }
        when(oTake, () -> {
            assign(accIn, arrOut);
            assign(oPos, oPosLast.select(Expr.zero(CW), oPos.add(1)));
            assign(oVec, oPosLast.select(ow.chunkLast.select(ow.base.add(chunk), ow.base), oVec.add(1)));
            when(oPosLast.and(ow.last), () -> assign(oAllDone, 1));
        });
        ow.advance(oTake.and(oPosLast));
        // the chain, per column: lane l adds at stage l (A = SatConfig.accumulateLatency cycles each,
        // 0 for INT8, the FP32 adder's stages for BF16) onto the previous lane's sum of its word or its
        // head value; with S segments every lane's sum is taken S A cycles after acc_valid
        int addLatency = dp.config().accumulateLatency();
        int ctlBits = ctl.get(0).width();
        List<List<Expr>> sumD = new ArrayList<>(); // sumD[l][k]: lane l's sum delayed k A cycles
        for (int l = 0; l < maxSeg; l++) {
            int lane = l;
            Expr readWord = maxSeg == 1 ? accReads.get(0) : SatBus.muxTree(accBank.get(l), accReads);
            Expr head = named("acc_head_" + l, accFirst.get(l).select(Expr.zero(oBits), readWord));
            head = Logic.delay(this, "acc_head_d" + l, head, l * addLatency, null);
            Expr part = SatBus.lane(accIn, l, oBits);
            part = Logic.delay(this, "acc_part_" + l, part, l * addLatency, null);
            Expr in = head;
            if (l > 0) {
                Expr pb = Logic.delay(this, "acc_prev_d" + l, prevBits.get(l), l * addLatency, null);
                for (int j = 0; j < l; j++) {
                    in = pb.bit(j).select(sumD.get(j).get(l - 1 - j), in);
                }
            }
            List<Expr> cols = new ArrayList<>();
            for (int c = 0; c < dp.cols(); c++) {
                Expr a = SatBus.lane(in, c, SatDatapath.ACC_WIDTH);
                Expr b = SatBus.lane(part, c, SatDatapath.ACC_WIDTH);
                switch (dp.format()) {
                    case INT8_INT32 -> cols.add(a.add(b));
                    case BF16_FP32 -> {
                        Fp32Adder add = new Fp32Adder(dp.config().fpAddStages());
                        Signal w = wire("acc_sum_" + (lane == 0 ? "" : lane + "_") + c, 32);
                        instance("acc_add_" + (lane == 0 ? "" : lane + "_") + c, add).connect(add.a, a)
                                .connect(add.b, b).connect(add.sum, w);
                        cols.add(w);
                    }
                    default -> throw new IllegalStateException("format " + dp.format());
                }
            }
            List<Expr> d = new ArrayList<>();
            d.add(named("acc_sum_lane_" + l, SatBus.pack(cols)));
            for (int k = 1; k < maxSeg - l; k++) {
                d.add(Logic.delay(this, "acc_sum_" + l + "_d" + k, d.get(k - 1), addLatency, null));
            }
            sumD.add(d);
        }
        // the write-back of every tail lane, S A cycles after acc_valid, to its bank
        List<List<Expr>> wEnBy = new ArrayList<>();
        List<List<Expr>> wAddrBy = new ArrayList<>();
        List<List<Expr>> wDataBy = new ArrayList<>();
        List<Expr> vBy = new ArrayList<>();
        List<Expr> dBy = new ArrayList<>();
        List<Expr> finBy = new ArrayList<>();
        for (int c = 0; c <= maxCode; c++) {
            int seg = 1 << c;
            int lat = seg * addLatency;
            String sfx = c == 0 ? "" : String.valueOf(c);
            Expr v = Logic.delay(this, "acc_valid_d" + sfx, accValid, lat, null);
            vBy.add(v);
            dBy.add(Logic.delay(this, "oseq_all_done_d" + sfx, oAllDone, lat, null));
            Expr ctlNow = SatBus.pack(ctl.subList(0, seg));
            Expr ctlD = Logic.delay(this, "acc_ctl_d" + sfx, ctlNow, lat, null);
            List<Expr> en = new ArrayList<>();
            List<Expr> ad = new ArrayList<>();
            List<Expr> da = new ArrayList<>();
            Expr finCount = Expr.zero(bw + 1);
            for (int l = 0; l < seg; l++) {
                Expr lc = SatBus.lane(ctlD, l, ctlBits);
                finCount = finCount.add(lc.bit(1).and(v).zext(bw + 1));
            }
            finBy.add(finCount);
            for (int b = 0; b < maxSeg; b++) {
                Expr e = Expr.zero(1);
                Expr a = Expr.zero(oAw);
                Expr dd = Expr.zero(oBits);
                for (int l = seg - 1; l >= 0; l--) {
                    Expr lc = SatBus.lane(ctlD, l, ctlBits);
                    Expr mine = lc.bit(0).and(maxSeg == 1 ? Expr.lit(1, 1) : lc.slice(1 + bw, 2).eq(b));
                    e = e.or(mine);
                    a = mine.select(lc.slice(ctlBits - 1, 2 + bw), a);
                    dd = mine.select(sumD.get(l).get(seg - 1 - l), dd);
                }
                en.add(e.and(v));
                ad.add(a);
                da.add(dd);
            }
            wEnBy.add(en);
            wAddrBy.add(ad);
            wDataBy.add(da);
        }
        for (int b = 0; b < maxSeg; b++) {
            List<Expr> en = new ArrayList<>();
            List<Expr> ad = new ArrayList<>();
            List<Expr> da = new ArrayList<>();
            for (int c = 0; c <= maxCode; c++) {
                en.add(wEnBy.get(c).get(b));
                ad.add(wAddrBy.get(c).get(b));
                da.add(wDataBy.get(c).get(b));
            }
            String sfx = maxSeg == 1 ? "" : "_" + b;
            write(oBuf[b], named("acc_wr_addr" + sfx, SatBus.byCode(segCode, ad)),
                    named("acc_wr_data" + sfx, SatBus.byCode(segCode, da)),
                    named("acc_wr_en" + sfx, SatBus.byCode(segCode, en)));
        }
        Expr allAdded = SatBus.byCode(segCode, dBy);
        Expr newFinals = named("acc_new_finals", SatBus.byCode(segCode, finBy));
        // output words written at their last reduction tile are final: the write engine may store them
        // a pass writes at most M outBankDepth words (the descriptor rule), so the write engine's
        // counts take oAw + log2 M + 2 bits
        int fw = oAw + mBits + 2;
        Signal finals = reg("store_ready", fw, 0);
        when(computing, () -> assign(finals, finals.add(newFinals.resize(fw))));
        // the delayed copies still hold the previous pass's 1 when COMPUTE starts again; oAllDone
        // itself is cleared on entry, and it stays 0 for the array's whole fill, which flushes them
        final Signal allAddedFinal = named("oseq_all_added", allAdded.and(oAllDone));

        // ---- write engine: in COMPUTE and STORE each output word once it is final (in the order
        // outputs become final: per chunk and column tile, its vectors), one INCR burst per word, the
        // address of the next word with the last beat of the previous one, responses counted; in
        // PREGEN_WRITE one result word per block, then its response.
        int oBeats = SatAcceleratorLayout.beats(oBits);
        int oSh = Bits.log2Ceil(SatAcceleratorLayout.stride(oBits));
        int qBits = pregen ? layout.pregenResultBits() : BUS;
        int qBeats = SatAcceleratorLayout.beats(qBits);
        int qSh = Bits.log2Ceil(SatAcceleratorLayout.stride(qBits));
        Expr pregenWrite = inState(PREGEN_WRITE);
        Expr storing = computing.or(inState(STORE)).or(pregenWrite);
        Signal wrActive = reg("wr_active", 1, 0);
        Signal wrBeat = reg("wr_beat", Bits.widthFor(Math.max(oBeats, qBeats)), 0);
        Signal wrIssued = reg("wr_issued", fw, 0);
        Signal wrAcked = reg("wr_acked", fw, 0);
        // the store walk: the final tiles (reduction tile K_TILES - 1 of each column tile) in step
        // order; final tiles of one step (consecutive column tiles) form a group whose words finish
        // together, vector after vector, lanes in order: per vector the group's column tiles
        Signal swBase = reg("store_base", CW, 0);
        Signal swPos = reg("store_pos", CW, 0);
        Signal swCtA = reg("store_group_ct", CW, 0);
        Signal swCt = reg("store_ct", CW, 0);
        Signal swLaneA = reg("store_group_lane", bw + 1, 0);
        Signal swLane = reg("store_lane", bw + 1, 0);
        ChunkRegs swChunk = new ChunkRegs("store");
        Signal swPosLast = named("store_pos_last", swPos.eq(swChunk.lengthM1));
        // running sums instead of products: the vector swBase + swPos, and per column tile (and the
        // group's first column tile, A) its first word's output buffer address ct ceil(N / M) and
        // its first word's DRAM byte address Y_ADDR + ct N stride
        Signal swVec = reg("store_vector", CW, 0);
        Signal swColAddr = reg("store_col_addr", oAw, 0);
        Signal swColAddrA = reg("store_group_col_addr", oAw, 0);
        Signal swColByte = reg("store_col_byte", 32, 0);
        Signal swColByteA = reg("store_group_col_byte", 32, 0);
        Signal colBytes = regNext("pass_col_bytes", n.zext(32).shl(Expr.lit(5, oSh)));
        Signal colTilesM1 = regNext("pass_col_tiles_m1", colTiles.sub(Expr.lit(CW, 1)));
        Expr swCtLast = named("store_ct_last", swCt.eq(colTilesM1));
        Expr swNextLane = named("store_next_lane", swLane.add(steps.finalLaneStep));
        Expr swSameStep = named("store_same_step", steps.finalStepsApart.not().and(swNextLane.ltU(steps.segs))
                .and(swCtLast.not()));
        Expr swWrapLane = named("store_wrap_lane", swNextLane.and(steps.segs.sub(Expr.lit(bw + 1, 1))));
        Signal wLastBeat = named("w_last_beat", pregenWrite.select(wrBeat.eq(qBeats - 1), wrBeat.eq(oBeats - 1)));
        Signal wFire = named("w_fire", storing.and(wrActive).and(mWready));
        // PREGEN_WRITE issues its burst once the unit's result is one cycle from its outputs
        // (NmPregen.LATENCY cycles after the block is complete in the shifter)
        Signal pgWait = reg("pregen_wait", Bits.widthFor(NmPregen.LATENCY), 0);
        when(pregenWrite.and(pgWait.ne(0)), () -> assign(pgWait, pgWait.sub(Expr.lit(pgWait.width(), 1))));
        Expr wordReady = pregenWrite.select(wrIssued.eq(0).and(pgWait.eq(0)), wrIssued.ne(finals));
        Signal awValid = named("aw_valid", storing.and(wordReady).and(wrActive.not().or(wFire.and(wLastBeat))));
        Signal awFire = named("aw_fire", awValid.and(mAwready));
        Expr storeTake = awFire.and(pregenWrite.not());
        Expr storeAddr = named("store_addr", swColAddr.add(swVec.shr(Expr.lit(5, mBits)).resize(oAw)));
        List<Expr> storeReads = new ArrayList<>();
        for (int b = 0; b < maxSeg; b++) {
            storeReads.add(readSync(maxSeg == 1 ? "store_read" : "store_read_" + b, oBuf[b], storeAddr, storeTake));
        }
        Expr storeRead = storeReads.get(0);
        if (maxSeg > 1) {
            Signal storeBank = reg("store_bank", bw, 0);
            Expr bankNow = outBank(swCt, swVec, bw);
            when(storeTake, () -> assign(storeBank, bankNow));
            storeRead = named("store_read", SatBus.muxTree(storeBank, storeReads));
        }
        Signal bFire = named("b_fire", storing.and(mBvalid));
        // colTiles N - 1: a product in the first rank, the subtraction in the second (see LaneSteps)
        Signal storeWords = regNext("pass_store_words", colTiles.mulU(n).resize(32));
        Signal storeWordsM1 = regNext("pass_store_words_m1", storeWords.sub(Expr.lit(32, 1)).resize(fw));
        Signal storeLast = named("store_last", wrAcked.eq(storeWordsM1));
        List<Expr> beatsOut = new ArrayList<>();
        Expr padded = storeRead.resize(oBeats * BUS);
        for (int b = 0; b < oBeats; b++) {
            beatsOut.add(SatBus.lane(padded, b, BUS));
        }
        assign(mAwvalid, awValid);
        assign(mAwaddr, pregenWrite.select(regYAddr, swColByte).add(pregenWrite.select(
                pgBlock.zext(32).shl(Expr.lit(5, qSh)), swVec.zext(32).shl(Expr.lit(5, oSh)))));
        assign(mAwlen, pregenWrite.select(Expr.lit(8, qBeats - 1), Expr.lit(8, oBeats - 1)));
        assign(mAwsize, 4);
        assign(mAwburst, 1);
        assign(mWvalid, storing.and(wrActive));
        Expr storeBeat = oBeats == 1 ? beatsOut.get(0) : SatBus.muxTree(wrBeat.resize(Bits.widthFor(oBeats)), beatsOut);
        Expr pregenBeat = Expr.zero(BUS);
        if (pregen) {
            // the pre-generation unit: its block is the read word (held in the shifter while the result
            // is written), its outputs valid NmPregen.LATENCY cycles after the cycle after the last beat
            NmPregen unit = new NmPregen(dp);
            Signal fv = wire("pregen_fwd_val", unit.fwdVal.width());
            Signal fi = wire("pregen_fwd_idx", unit.fwdIdx.width());
            Signal bv = wire("pregen_bwd_val", unit.bwdVal.width());
            Signal bi = wire("pregen_bwd_idx", unit.bwdIdx.width());
            Signal pv = wire("pregen_out_valid", 1);
            instance("pregen", unit)
                    .connect(unit.inValid, pregenRead.and(wordEnd))
                    .connect(unit.pattern, regMode.slice(NmPregen.patternWidth(dp) - 1, 0))
                    .connect(unit.block, shifter.slice(shiftBits - pBeats * BUS + pBits - 1, shiftBits - pBeats * BUS))
                    .connect(unit.outValid, pv)
                    .connect(unit.fwdVal, fv)
                    .connect(unit.fwdIdx, fi)
                    .connect(unit.bwdVal, bv)
                    .connect(unit.bwdIdx, bi);
            Expr result = Expr.cat(bi, bv, fi, fv).resize(qBeats * BUS);
            List<Expr> qOut = new ArrayList<>();
            for (int b = 0; b < qBeats; b++) {
                qOut.add(SatBus.lane(result, b, BUS));
            }
            pregenBeat = qBeats == 1 ? qOut.get(0) : SatBus.muxTree(wrBeat.resize(Bits.widthFor(qBeats)), qOut);
        }
        assign(mWdata, pregenWrite.select(pregenBeat, storeBeat));
        assign(mWstrb, Expr.ones(BUS / 8));
        assign(mWlast, wLastBeat);
        assign(mBready, storing);
        when(awFire, () -> {
            assign(wrActive, 1);
            assign(wrBeat, 0);
            assign(wrIssued, wrIssued.add(1));
        }).elsewhen(wFire, () -> {
            assign(wrBeat, wrBeat.add(1));
            when(wLastBeat, () -> assign(wrActive, 0));
        });
        Expr nextColAddr = swColAddr.add(pr.bankVectors.resize(oAw));
        Expr nextColByte = swColByte.add(colBytes);
        when(storeTake, () -> {
            when(swSameStep, () -> {
                assign(swCt, swCt.add(1));
                assign(swLane, swNextLane);
                assign(swColAddr, nextColAddr);
                assign(swColByte, nextColByte);
            }).elsewhen(swPosLast.not(), () -> {
                assign(swPos, swPos.add(1));
                assign(swVec, swVec.add(1));
                assign(swCt, swCtA);
                assign(swLane, swLaneA);
                assign(swColAddr, swColAddrA);
                assign(swColByte, swColByteA);
            }).elsewhen(swCtLast.not(), () -> {
                assign(swPos, 0);
                assign(swVec, swBase);
                assign(swCt, swCt.add(1));
                assign(swCtA, swCt.add(1));
                assign(swLane, swWrapLane);
                assign(swLaneA, swWrapLane);
                assign(swColAddr, nextColAddr);
                assign(swColAddrA, nextColAddr);
                assign(swColByte, nextColByte);
                assign(swColByteA, nextColByte);
            }).otherwise(() -> {
                assign(swPos, 0);
                assign(swVec, swBase.add(chunk));
                assign(swCt, 0);
                assign(swCtA, 0);
                assign(swLane, steps.finalLane0);
                assign(swLaneA, steps.finalLane0);
                assign(swBase, swBase.add(chunk));
                swChunk.next(pr);
                assign(swColAddr, 0);
                assign(swColAddrA, 0);
                assign(swColByte, regYAddr);
                assign(swColByteA, regYAddr);
            });
        });
        when(bFire, () -> assign(wrAcked, wrAcked.add(1)));

        // ---- the state machine
        switchOn(state)
                .is(IDLE, () -> when(start, () -> assign(state, CHECK)))
                .is(CHECK, () -> when(regMode.bit(12).and(pregenRefusedQ), () -> {
                    assign(state, IDLE);
                    assign(error, 1);
                    assign(done, 1);
                }).elsewhen(regMode.bit(12), () -> {
                    assign(state, PREGEN_READ);
                    assign(pgBlock, 0);
                    assign(arDone, 0);
                }).elsewhen(refused, () -> {
                    assign(state, IDLE);
                    assign(error, 1);
                    assign(done, 1);
                }).otherwise(() -> {
                    assign(state, COMPUTE);
                    la.restart();
                    assign(laAll, 0);
                    lr.restart();
                    assign(loaded, 0);
                    ww.restart();
                    aw.restart();
                    ow.restart();
                    assign(wRow, 0);
                    assign(wLane, 0);
                    assign(wSegRow, 0);
                    assign(wIssued, 0);
                    assign(wValidQ, 0);
                    wwAhead.restartAtSecondStep();
                    assign(wNeed, firstWords);
                    assign(aPos, 0);
                    assign(aVec, 0);
                    assign(aIssued, 0);
                    assign(aValidQ, 0);
                    awAhead.restartAtSecondStep();
                    assign(aNeed, firstWords);
                    assign(oPos, 0);
                    assign(oVec, 0);
                    assign(oAllDone, 0);
                    assign(finals, 0);
                    assign(swBase, 0);
                    assign(swPos, 0);
                    assign(swCt, 0);
                    assign(swCtA, 0);
                    assign(swLane, steps.finalLane0);
                    assign(swLaneA, steps.finalLane0);
                    swChunk.first(pr);
                    assign(swVec, 0);
                    assign(swColAddr, 0);
                    assign(swColAddrA, 0);
                    assign(swColByte, regYAddr);
                    assign(swColByteA, regYAddr);
                    assign(wrActive, 0);
                    assign(wrIssued, 0);
                    assign(wrAcked, 0);
                }))
                .is(COMPUTE, () -> when(allAddedFinal, () -> assign(state, STORE)))
                .is(STORE, () -> when(bFire.and(storeLast), () -> {
                    assign(state, IDLE);
                    assign(done, 1);
                }))
                .is(PREGEN_READ, () -> when(wordEnd, () -> {
                    assign(state, PREGEN_WRITE);
                    assign(pgWait, NmPregen.LATENCY - 1);
                    assign(wrActive, 0);
                    assign(wrIssued, 0);
                }))
                .is(PREGEN_WRITE, () -> when(bFire.and(pgBlock.eq(vectorsM1)), () -> {
                    assign(state, IDLE);
                    assign(done, 1);
                }).elsewhen(bFire, () -> {
                    assign(state, PREGEN_READ);
                    assign(pgBlock, pgBlock.add(1));
                }));
    }

    /**
     * A weight DRAM word of {@code indexBits} index bits per entry spread onto the buffer word: entry
     * j's value and index (zero-extended to the widest index) at {@code j * entryWidth}.
     */
    private Expr spreadWeights(Expr packed, int indexBits) {
        int vw = dp.valueWidth();
        int iw = dp.indexWidth();
        int ew = vw + indexBits;
        List<Expr> entries = new ArrayList<>();
        for (int j = 0; j < dp.cols() * dp.multipliers(); j++) {
            Expr value = packed.slice(j * ew + vw - 1, j * ew);
            Expr index = indexBits == 0 ? Expr.zero(iw) : packed.slice(j * ew + ew - 1, j * ew + vw).zext(iw);
            entries.add(Expr.cat(index, value));
        }
        return SatBus.pack(entries);
    }

    /**
     * An activation DRAM word of {@code kPerPe} values per row spread onto the buffer word: row r's
     * values onto lanes {@code r * lanes .. r * lanes + kPerPe - 1}, the lanes above zero.
     */
    private Expr spreadActivations(Expr packed, int kPerPe) {
        int vw = dp.valueWidth();
        int lanes = dp.lanes();
        List<Expr> rows = new ArrayList<>();
        for (int r = 0; r < dp.rows(); r++) {
            Expr values = packed.slice((r + 1) * kPerPe * vw - 1, r * kPerPe * vw);
            rows.add(kPerPe == lanes ? values : Expr.cat(Expr.zero((lanes - kPerPe) * vw), values));
        }
        return SatBus.pack(rows);
    }

    /** {@code word} shifted left by the stride exponent of the pattern {@code code} selects (a byte offset). */
    private static Expr byStride(Expr code, Expr word, List<Integer> shifts) {
        java.util.Map<Integer, Expr> shifted = new java.util.HashMap<>();
        List<Expr> options = new ArrayList<>();
        for (int sh : shifts) {
            options.add(shifted.computeIfAbsent(sh, x -> word.shl(Expr.lit(5, sh))));
        }
        return SatBus.muxTree(code, options);
    }

    /** Rows of one segment, R / S. */
    private Expr segRows() {
        int rw = Bits.widthFor(dp.rows());
        List<Expr> by = new ArrayList<>();
        for (int c = 0; c <= Integer.numberOfTrailingZeros(dp.rowSegments()); c++) {
            by.add(Expr.lit(rw, dp.rows() >> c));
        }
        return SatBus.byCode(segCode, by);
    }

    /** True when segment tile {@code kt} is the first of its reduction group: kt mod S = 0. */
    private Expr groupHead(Expr kt) {
        List<Expr> by = new ArrayList<>();
        for (int c = 0; c <= Integer.numberOfTrailingZeros(dp.rowSegments()); c++) {
            by.add(c == 0 ? Expr.lit(1, 1) : kt.slice(c - 1, 0).eq(0));
        }
        return SatBus.byCode(segCode, by);
    }

    /** True when lane {@code l} exists with the descriptor's S (l < S). */
    private Expr laneOn(int l) {
        return l == 0 ? Expr.lit(1, 1) : segCode.zext(4).geU(Expr.lit(4, 32 - Integer.numberOfLeadingZeros(l)));
    }

    /**
     * Words the loader fetches for the step at {@code w}: per lane its R/S weight rows in the first
     * chunk, then, at the first column tile and the first segment tile of a reduction group, the
     * group's activation slice.
     */
    private Expr stepWords(LaneWalker w) {
        return stepWords(w.ct, w.kt, w.valid, w.base.eq(0), w.length);
    }

    private Expr stepWords(Expr[] ct, Expr[] kt, Expr[] valid, Expr firstChunk, Expr length) {
        int lw = loadWidth;
        Expr words = Expr.zero(lw);
        Expr rs = segRows().resize(lw);
        for (int l = 0; l < ct.length; l++) {
            // lane 0 of a step is inside its chunk (valid) by construction
            Expr v = l == 0 ? Expr.lit(1, 1) : valid[l];
            words = words.add(v.and(firstChunk).select(rs, Expr.zero(lw)))
                    .add(v.and(ct[l].eq(0)).and(groupHead(kt[l])).select(length.resize(lw), Expr.zero(lw)));
        }
        return words;
    }

    /** Width of the loader's word counts (set in the controller). */
    private int loadWidth;

    /** {@link #stepWords} of a pass's first step. */
    private Expr firstStepWords(LaneSteps st, PassRegs pr) {
        int m = dp.rowSegments();
        Expr[] ct = new Expr[m];
        Expr[] kt = new Expr[m];
        Expr[] valid = new Expr[m];
        for (int l = 0; l < m; l++) {
            ct[l] = st.is.select(st.initInner[l], st.initOuter[l]).resize(CW);
            kt[l] = st.is.select(st.initOuter[l], st.initInner[l]).resize(CW);
            valid[l] = laneOn(l).and(st.initOuter[l].ltU(st.outerCount.zext(CW + 1)));
        }
        return stepWords(ct, kt, valid, Expr.lit(1, 1), pr.firstLength);
    }

    /** Output buffer bank of word (ct, vector p): (ct + p) mod M. */
    private Expr outBank(Expr ct, Expr vec, int width) {
        int mBits = Integer.numberOfTrailingZeros(dp.rowSegments());
        if (mBits == 0) {
            return Expr.zero(width);
        }
        return ct.slice(mBits - 1, 0).add(vec.slice(mBits - 1, 0));
    }

    /** {@code d} (signed, two's complement) times {@code a} (unsigned), modulo 2^width. */
    private static Expr linear(Expr d, Expr a, int width) {
        return d.resizeSigned(width).mulU(a.resize(width)).resize(width);
    }

    /** {@code a - b} when a > b, else 0 (width {@code w}). */
    private static Expr minusOrZero(Expr a, Expr b, int w) {
        Expr az = a.zext(w);
        Expr bz = b.zext(w);
        return az.gtU(bz).select(az.sub(bz), Expr.zero(w));
    }

    /**
     * The constants of a pass's walk over its segment tiles, from the descriptor: the flat order
     * (inner loop of {@code innerCount} tiles: reduction tiles in the output-stationary order, column
     * tiles in the input-stationary one), the advance of one step (S tiles: {@code dInner} inner and
     * {@code dOuter} outer positions), the lanes of a chunk's first step (tile l: l mod I, l / I), and
     * the walk over final tiles (reduction tile K_TILES - 1 of each column tile) the write engine takes.
     * All of them are registers: the first rank takes its value every cycle from the descriptor
     * registers, the second from the first (the step's thresholds, the pass's second step, the word
     * strides of the walkers' running sums); the descriptor holds still for two cycles before CHECK
     * (an AXI4-Lite write completes only every other cycle, and the start is a write of its own), so
     * both ranks hold the running descriptor's values in CHECK, when the walkers restart.
     */
    private final class LaneSteps {
        final Expr is;
        final Signal innerCount;
        final Signal outerCount;
        final Signal dInner;
        final Signal dOuter;
        /** The inner advance minus innerCount (signed, a carry's inner step) and dOuter + 1 (a carry's outer step). */
        final Signal dInnerCarry;
        final Signal dOuterCarry;
        final Expr[] initInner;
        final Expr[] initOuter;
        /** S, and the final tiles' lanes: step between them mod S, whether they are S or more apart, lane of the first. */
        final Signal segs;
        final Signal finalLaneStep;
        final Signal finalStepsApart;
        final Signal finalLane0;
        // second rank
        /** An inner position at or above this one carries into the outer position: innerCount - dInner. */
        final Signal carryFrom;
        /** Lane 0's outer position from which the next step leaves the chunk, without and with a carry. */
        final Signal chunkEndFrom;
        final Signal chunkEndFromCarry;
        /** The pass's second step: lanes, and whether the first step was its chunk's last. */
        final Signal[] secondInner;
        final Signal[] secondOuter;
        final Signal firstIsChunkLast;

        LaneSteps(Expr kSeg, Expr colTiles, Expr is) {
            int m = dp.rowSegments();
            int mBits = Integer.numberOfTrailingZeros(m);
            int bw = Math.max(1, mBits);
            int w = CW + 1;
            int w2 = CW + 2;
            this.is = is;
            Expr innerNow = is.select(colTiles, kSeg);
            Expr outerNow = is.select(kSeg, colTiles);
            innerCount = regNext("lane_inner_count", innerNow);
            outerCount = regNext("lane_outer_count", outerNow);
            List<Expr> di = new ArrayList<>();
            List<Expr> dOut = new ArrayList<>();
            List<Expr> sBy = new ArrayList<>();
            List<Expr> fls = new ArrayList<>();
            List<Expr> fsa = new ArrayList<>();
            List<Expr> fl0 = new ArrayList<>();
            Expr kMinus = kSeg.sub(Expr.lit(CW, 1));
            for (int c = 0; c <= mBits; c++) {
                int s = 1 << c;
                Expr a = Expr.lit(w, s);
                Expr b = Expr.zero(w);
                for (int v = 1; v <= s; v++) {
                    a = innerNow.eq(v).select(Expr.lit(w, s % v), a);
                    b = innerNow.eq(v).select(Expr.lit(w, s / v), b);
                }
                di.add(a);
                dOut.add(b);
                sBy.add(Expr.lit(bw + 1, s));
                Expr kMod = c == 0 ? Expr.zero(bw + 1) : kSeg.slice(c - 1, 0).zext(bw + 1);
                fls.add(is.select(Expr.lit(bw + 1, 1 % s), kMod));
                fsa.add(c == 0 ? Expr.lit(1, 1) : is.select(Expr.zero(1), kSeg.shr(Expr.lit(5, c)).ne(0)));
                fl0.add(c == 0 ? Expr.zero(bw + 1) : is.select(kMinus.slice(c - 1, 0).mulU(colTiles.slice(c - 1, 0))
                        .slice(c - 1, 0).zext(bw + 1), kMinus.slice(c - 1, 0).zext(bw + 1)));
            }
            Expr dInnerNow = SatBus.byCode(segCode, di);
            Expr dOuterNow = SatBus.byCode(segCode, dOut);
            dInner = regNext("lane_step_inner", dInnerNow);
            dOuter = regNext("lane_step_outer", dOuterNow);
            dInnerCarry = regNext("lane_step_inner_carry", dInnerNow.zext(w2).sub(innerNow.zext(w2)));
            dOuterCarry = regNext("lane_step_outer_carry", dOuterNow.add(Expr.lit(w, 1)));
            segs = regNext("lane_segments", SatBus.byCode(segCode, sBy));
            finalLaneStep = regNext("final_lane_step", SatBus.byCode(segCode, fls));
            finalStepsApart = regNext("final_steps_apart", SatBus.byCode(segCode, fsa));
            finalLane0 = regNext("final_lane_first", SatBus.byCode(segCode, fl0));
            initInner = new Expr[m];
            initOuter = new Expr[m];
            for (int l = 0; l < m; l++) {
                Expr a = Expr.lit(w, l);
                Expr b = Expr.zero(w);
                for (int v = 1; v <= l; v++) {
                    a = innerNow.eq(v).select(Expr.lit(w, l % v), a);
                    b = innerNow.eq(v).select(Expr.lit(w, l / v), b);
                }
                initInner[l] = l == 0 ? a : regNext("lane_first_inner_" + l, a);
                initOuter[l] = l == 0 ? b : regNext("lane_first_outer_" + l, b);
            }
            // the second rank, from the first
            carryFrom = regNext("lane_carry_from", innerCount.zext(w).sub(dInner));
            chunkEndFrom = regNext("lane_chunk_end_from", minusOrZero(outerCount, dOuter, w2));
            chunkEndFromCarry = regNext("lane_chunk_end_from_carry", minusOrZero(outerCount, dOuterCarry, w2));
            secondInner = new Signal[m];
            secondOuter = new Signal[m];
            Expr firstLast = null;
            for (int l = 0; l < m; l++) {
                Expr sum = initInner[l].zext(w2).add(dInner.zext(w2));
                Expr carry = sum.geU(innerCount.zext(w2));
                secondInner[l] = regNext("lane_second_inner_" + l, carry.select(sum.sub(innerCount.zext(w2)), sum).resize(w));
                Expr outer = initOuter[l].zext(w2).add(dOuter.zext(w2)).add(carry.zext(w2));
                secondOuter[l] = regNext("lane_second_outer_" + l, outer.resize(w));
                if (l == 0) {
                    firstLast = outer.geU(outerCount.zext(w2));
                }
            }
            firstIsChunkLast = regNext("lane_first_chunk_last", firstLast);
        }

        Expr carry(Expr inner) {
            return inner.geU(carryFrom);
        }

        Expr nextInner(Expr inner) {
            return carry(inner).select(inner.sub(carryFrom), inner.add(dInner));
        }

        Expr nextOuter(Expr inner, Expr outer) {
            return carry(inner).select(outer.add(dOuterCarry), outer.add(dOuter));
        }

        /** Whether the step after lane 0's position leaves the chunk (its outer position reaches outerCount). */
        Expr chunkEnds(Expr inner0, Expr outer0) {
            Expr o = outer0.zext(CW + 2);
            return carry(inner0).select(o.geU(chunkEndFromCarry), o.geU(chunkEndFrom));
        }

        /** The column-tile and reduction-tile advance of a step without a carry (signed, CW + 2 bits). */
        Expr ctStep(boolean carry) {
            Expr in = carry ? dInnerCarry : dInner.zext(CW + 2);
            Expr out = (carry ? dOuterCarry : dOuter).zext(CW + 2);
            return is.select(in, out);
        }

        Expr ktStep(boolean carry) {
            Expr in = carry ? dInnerCarry : dInner.zext(CW + 2);
            Expr out = (carry ? dOuterCarry : dOuter).zext(CW + 2);
            return is.select(out, in);
        }

        Expr initCt(int l) {
            return is.select(initInner[l], initOuter[l]);
        }

        Expr initKt(int l) {
            return is.select(initOuter[l], initInner[l]);
        }
    }

    /** The per-chunk registers of a walk: vectors left from the chunk's base, its length (and - 1), last chunk. */
    private final class ChunkRegs {
        final Signal rest;
        final Signal length;
        final Signal lengthM1;
        final Signal lastChunk;

        ChunkRegs(String prefix) {
            rest = reg(prefix + "_rest", CW, 0);
            length = reg(prefix + "_length", CW, 0);
            lengthM1 = reg(prefix + "_length_m1", CW, 0);
            lastChunk = reg(prefix + "_last_chunk", 1, 0);
        }

        /** The pass's first chunk. */
        void first(PassRegs p) {
            assign(rest, p.n);
            assign(length, p.firstLength);
            assign(lengthM1, p.firstLengthM1);
            assign(lastChunk, p.firstIsLast);
        }

        /** The pass's second chunk. */
        void second(PassRegs p) {
            assign(rest, p.secondRest);
            assign(length, p.secondLength);
            assign(lengthM1, p.secondLengthM1);
            assign(lastChunk, p.secondIsLast);
        }

        /** The next chunk: rest - chunk vectors left, the last one when that is at most chunk. */
        void next(PassRegs p) {
            Expr nextIsLast = rest.zext(CW + 1).leU(p.chunk2);
            assign(rest, rest.sub(p.chunk));
            assign(length, nextIsLast.select(rest.sub(p.chunk), p.chunk));
            assign(lengthM1, nextIsLast.select(rest.sub(p.chunkP1), p.chunkM1));
            assign(lastChunk, nextIsLast);
        }
    }

    /**
     * The pass's counts as registers, one rank from the descriptor registers (see {@link LaneSteps}):
     * the vectors, the chunk (and 2 chunk, chunk + 1, chunk - 1), the first and second chunks' lengths,
     * the reduction groups, R kGroups (a column tile's weight words) and the output bank's vectors.
     */
    private final class PassRegs {
        final Expr n;
        final Expr chunk;
        final Signal chunk2;
        final Signal chunkP1;
        final Signal chunkM1;
        final Signal firstLength;
        final Signal firstLengthM1;
        final Signal firstIsLast;
        final Signal secondRest;
        final Signal secondLength;
        final Signal secondLengthM1;
        final Signal secondIsLast;
        final Signal kGroupsQ;
        final Signal colWords;
        final Signal bankVectors;

        PassRegs(Expr n, Expr chunk, int wAw) {
            this.n = n;
            this.chunk = chunk;
            Expr c2 = chunk.zext(CW + 1).add(chunk.zext(CW + 1));
            chunk2 = regNext("pass_chunk2", c2);
            chunkP1 = regNext("pass_chunk_p1", chunk.add(Expr.lit(CW, 1)));
            chunkM1 = regNext("pass_chunk_m1", chunk.sub(Expr.lit(CW, 1)));
            Expr firstLast = n.leU(chunk);
            firstLength = regNext("pass_first_length", firstLast.select(n, chunk));
            firstLengthM1 = regNext("pass_first_length_m1", firstLast.select(n, chunk).sub(Expr.lit(CW, 1)));
            firstIsLast = regNext("pass_first_is_last", firstLast);
            Expr rest2 = n.sub(chunk);
            Expr secondLast = n.zext(CW + 1).leU(c2);
            secondRest = regNext("pass_second_rest", rest2);
            secondLength = regNext("pass_second_length", secondLast.select(rest2, chunk));
            secondLengthM1 = regNext("pass_second_length_m1", secondLast.select(rest2, chunk).sub(Expr.lit(CW, 1)));
            secondIsLast = regNext("pass_second_is_last", secondLast);
            kGroupsQ = kGroupsReg;
            int rw = Bits.widthFor(dp.rows());
            colWords = regNext("pass_col_words", kGroups.mulU(Expr.lit(rw, dp.rows())).resize(wAw));
            int mBits = Integer.numberOfTrailingZeros(dp.rowSegments());
            bankVectors = regNext("pass_bank_vectors", n.zext(CW + 1).add(Expr.lit(CW + 1, dp.rowSegments() - 1))
                    .shr(Expr.lit(5, mBits)).resize(CW));
        }
    }

    /** Which running word sums a {@link LaneWalker} keeps. */
    private enum Sums {
        /** None (the walkers one step ahead, which only count words). */
        NONE,
        /** Per lane its segment tile's weight word of row 0, ct R kGroups + kt R / S. */
        WEIGHT,
        /** Lane 0's activation group word, (kt / S) N, and the same plus N. */
        ACT,
        /** Per lane its column tile's first output word in its bank, ct ceil(N / M). */
        OUT
    }

    /**
     * A walk over the schedule's steps in order, every lane of a step at once: per chunk of vectors
     * ({@code base}, {@code length}), lane l of step j at tile j S + l of the chunk's flat order
     * ({@link LaneSteps}), valid while inside the chunk. The step logic is one add or compare per
     * register: the chunk's length and last flag are registers, lane 0's "next step leaves the chunk"
     * compares its outer position with a registered threshold, and the buffer words the lanes address
     * are running sums ({@link Sums}) that add a registered stride when the walk advances (one stride
     * without and one with a carry from the inner into the outer position) instead of products.
     */
    private final class LaneWalker {
        final String prefix;
        final LaneSteps st;
        final PassRegs pr;
        final Sums sums;
        final Signal base;
        final Signal[] inner;
        final Signal[] outer;
        final Expr[] ct;
        final Expr[] kt;
        final Expr[] valid;
        final ChunkRegs chunkRegs;
        final Signal length;
        final Expr chunkLast;
        final Expr last;
        /** The running sums: per lane (WEIGHT, OUT) or lane 0 and lane 0 plus N (ACT). */
        final Signal[] word;
        private final Expr[][] step;
        private final Expr[] init;
        private Signal wordNext;
        private Expr[] stepAct;

        LaneWalker(String prefix, LaneSteps st, PassRegs pr, Sums sums, int width) {
            int m = dp.rowSegments();
            int w = CW + 1;
            this.prefix = prefix;
            this.st = st;
            this.pr = pr;
            this.sums = sums;
            base = reg(prefix + "_base", CW, 0);
            inner = new Signal[m];
            outer = new Signal[m];
            ct = new Expr[m];
            kt = new Expr[m];
            valid = new Expr[m];
            for (int l = 0; l < m; l++) {
                inner[l] = reg(prefix + "_inner_" + l, w, 0);
                outer[l] = reg(prefix + "_outer_" + l, w, 0);
                ct[l] = named(prefix + "_ct_" + l, st.is.select(inner[l], outer[l]).resize(CW));
                kt[l] = named(prefix + "_kt_" + l, st.is.select(outer[l], inner[l]).resize(CW));
                valid[l] = named(prefix + "_valid_" + l, laneOn(l).and(outer[l].ltU(st.outerCount.zext(w))));
            }
            chunkRegs = new ChunkRegs(prefix);
            length = chunkRegs.length;
            chunkLast = named(prefix + "_chunk_last", st.chunkEnds(inner[0], outer[0]));
            last = named(prefix + "_final_step", chunkLast.and(chunkRegs.lastChunk));
            // strides (second rank: products of first-rank registers) and first-step values of the sums
            int lanes = sums == Sums.NONE ? 0 : sums == Sums.ACT ? 1 : m;
            word = new Signal[lanes];
            step = new Expr[2][];
            init = new Expr[lanes];
            Expr r = segRows();
            for (int l = 0; l < lanes; l++) {
                word[l] = reg(prefix + "_word_" + l, width, 0);
            }
            if (sums == Sums.WEIGHT || sums == Sums.OUT) {
                Expr aCt = sums == Sums.WEIGHT ? pr.colWords : pr.bankVectors;
                for (int c = 0; c < 2; c++) {
                    Expr s = linear(st.ctStep(c == 1), aCt, width);
                    if (sums == Sums.WEIGHT) {
                        s = s.add(linear(st.ktStep(c == 1), r, width));
                    }
                    step[c] = new Expr[] {regNext(prefix + "_stride" + (c == 1 ? "_carry" : ""), s)};
                }
                for (int l = 0; l < lanes; l++) {
                    if (l == 0) {
                        init[l] = Expr.zero(width);
                    } else {
                        Expr v = linear(st.initCt(l).zext(CW + 2), aCt, width);
                        if (sums == Sums.WEIGHT) {
                            v = v.add(linear(st.initKt(l).zext(CW + 2), r, width));
                        }
                        init[l] = regNext(prefix + "_first_word_" + l, v);
                    }
                }
            } else if (sums == Sums.ACT) {
                // (kt / S) N: a step moves kt by d, so the group by floor(d / S), plus one when kt's
                // residue and d's reach S; the strides floor(d / S) N and floor(d / S) N + N, per carry
                Expr nn = pr.n;
                wordNext = reg(prefix + "_word_next", width, 0);
                stepAct = new Expr[4];
                for (int c = 0; c < 2; c++) {
                    Expr d = st.ktStep(c == 1);
                    Expr q = d.sra(segCode.zext(5));
                    stepAct[2 * c] = regNext(prefix + "_stride" + (c == 1 ? "_carry" : ""), linear(q, nn, width));
                    stepAct[2 * c + 1] = regNext(prefix + "_stride" + (c == 1 ? "_carry" : "") + "_wrap",
                            linear(q.add(Expr.lit(CW + 2, 1)), nn, width));
                }
                init[0] = Expr.zero(width);
            }
        }

        Expr notFirst() {
            return base.ne(0).or(inner[0].ne(0)).or(outer[0].ne(0));
        }

        /** Lane 0's activation group word plus N (ACT). */
        Expr wordPlusN() {
            return wordNext;
        }

        private Expr actStride() {
            int mBits = Integer.numberOfTrailingZeros(dp.rowSegments());
            Expr carry0 = st.carry(inner[0]);
            Expr wrap = Expr.zero(1);
            if (mBits > 0) {
                List<Expr> by = new ArrayList<>();
                by.add(Expr.zero(1));
                Expr d = carry0.select(st.ktStep(true), st.ktStep(false));
                for (int c = 1; c <= mBits; c++) {
                    by.add(kt[0].slice(c - 1, 0).zext(c + 1).add(d.slice(c - 1, 0).zext(c + 1)).bit(c));
                }
                wrap = SatBus.byCode(segCode, by);
            }
            return carry0.select(wrap.select(stepAct[3], stepAct[2]), wrap.select(stepAct[1], stepAct[0]));
        }

        void advance(Expr when) {
            Expr actStride = sums == Sums.ACT ? named(prefix + "_act_stride", actStride()) : null;
            SatAccelerator.this.when(when, () -> SatAccelerator.this.when(chunkLast, () -> {
                assign(base, base.add(pr.chunk));
                chunkRegs.next(pr);
                setLanes(st.initInner, st.initOuter);
                restartWords();
            }).otherwise(() -> {
                for (int l = 0; l < inner.length; l++) {
                    assign(inner[l], st.nextInner(inner[l]));
                    assign(outer[l], st.nextOuter(inner[l], outer[l]));
                }
                for (int l = 0; l < word.length; l++) {
                    if (sums == Sums.ACT) {
                        assign(word[l], word[l].add(actStride));
                        assign(wordNext, wordNext.add(actStride));
                    } else {
                        Expr carry = st.carry(inner[l]);
                        assign(word[l], word[l].add(carry.select(step[1][0], step[0][0])));
                    }
                }
            }));
        }

        private void restartWords() {
            for (int l = 0; l < word.length; l++) {
                assign(word[l], init[l]);
            }
            if (wordNext != null) {
                assign(wordNext, pr.n.resize(wordNext.width()));
            }
        }

        private void setLanes(Expr[] in, Expr[] out) {
            for (int l = 0; l < inner.length; l++) {
                assign(inner[l], in[l]);
                assign(outer[l], out[l]);
            }
        }

        void restart() {
            assign(base, 0);
            chunkRegs.first(pr);
            setLanes(st.initInner, st.initOuter);
            restartWords();
        }

        /** Restarts at the pass's second step (the first advanced once; past the end if it has one step). */
        void restartAtSecondStep() {
            if (sums != Sums.NONE) {
                throw new IllegalStateException("only a walker without sums starts at the second step");
            }
            Expr firstLast = st.firstIsChunkLast;
            assign(base, firstLast.select(pr.chunk, Expr.zero(CW)));
            SatAccelerator.this.when(firstLast, () -> chunkRegs.second(pr)).otherwise(() -> chunkRegs.first(pr));
            for (int l = 0; l < inner.length; l++) {
                assign(inner[l], firstLast.select(st.initInner[l], st.secondInner[l]));
                assign(outer[l], firstLast.select(st.initOuter[l], st.secondOuter[l]));
            }
        }
    }

    /**
     * The loader's walk over segment tiles in step order, word by word: per chunk of vectors
     * ({@code base}, {@code length}), column tiles outside and reduction tiles inside (output
     * stationary), or the reverse; after the first chunk only the tiles that load something: the first
     * tile of each reduction group at the first column tile. A tile's words are its R/S weight rows
     * (first chunk: phase {@code isW}) and then, at the first column tile and the first tile of a
     * reduction group, the group's activation slice. Everything the word logic reads is a register:
     * the chunk's length, the inner and outer "last" flags, ct = 0 and "first tile of a group", and
     * the words themselves, running sums instead of products: the tile's weight word
     * ct R kGroups + kt R / S and the group's activation word (kt / S) N + base, each updated with
     * one add when the walk advances, and the word being read, one more than the last.
     */
    private final class LoadWalk {
        final Signal base;
        final Signal outer;
        final Signal inner;
        final Signal first;
        final ChunkRegs chunkRegs;
        final Signal innerLast;
        final Signal outerLast;
        final Signal ctZero;
        final Signal groupHeadQ;
        final Signal outerWord;
        final Signal tileWord;
        final Signal actBase;
        final Signal isW;
        final Signal row;
        final Signal act;
        /** The word read now: weight buffer word (phase isW) or activation buffer word. */
        final Signal weightWord;
        final Signal actWord;
        final Signal wordLast;
        final Expr last;
        private final PassRegs pr;
        private final LaneSteps st;
        private final Signal innerOneF;
        private final Signal outerOneF;
        private final Signal innerOneL;
        private final Signal outerOneL;
        private final Signal innerM2F;
        private final Signal outerM2F;
        private final Signal innerM2L;
        private final Signal outerM2L;
        private final Signal strideIn;
        private final Signal strideOut;

        LoadWalk(String prefix, LaneSteps st, PassRegs pr, Expr kSeg, Expr colTiles, int wAw, int aAw) {
            this.pr = pr;
            this.st = st;
            Expr is = st.is;
            int rw = Bits.widthFor(dp.rows());
            base = reg(prefix + "_base", CW, 0);
            outer = reg(prefix + "_outer", CW, 0);
            inner = reg(prefix + "_inner", CW, 0);
            first = reg(prefix + "_first", 1, 1);
            chunkRegs = new ChunkRegs(prefix);
            innerLast = reg(prefix + "_inner_last", 1, 0);
            outerLast = reg(prefix + "_outer_last", 1, 0);
            ctZero = reg(prefix + "_ct_zero", 1, 1);
            groupHeadQ = reg(prefix + "_group_head", 1, 1);
            outerWord = reg(prefix + "_outer_word", wAw, 0);
            tileWord = reg(prefix + "_tile_word", wAw, 0);
            actBase = reg(prefix + "_act_base", aAw, 0);
            isW = reg(prefix + "_is_w", 1, 1);
            row = reg(prefix + "_row", rw, 0);
            act = reg(prefix + "_act", CW, 0);
            weightWord = reg(prefix + "_weight_word", wAw, 0);
            actWord = reg(prefix + "_act_word", aAw, 0);
            // the counts of the first chunk (colTiles x kSeg segment tiles) and of the later ones
            // (1 x kGroups groups), their "one" flags and count - 2 (a position's last test one step early)
            Expr one = Expr.lit(CW, 1);
            Expr two = Expr.lit(CW, 2);
            Expr inF = is.select(colTiles, kSeg);
            Expr outF = is.select(kSeg, colTiles);
            innerOneF = regNext(prefix + "_inner_one_first", inF.eq(1));
            outerOneF = regNext(prefix + "_outer_one_first", outF.eq(1));
            innerM2F = regNext(prefix + "_inner_m2_first", inF.sub(two));
            outerM2F = regNext(prefix + "_outer_m2_first", outF.sub(two));
            Expr kq = pr.kGroupsQ;
            innerOneL = regNext(prefix + "_inner_one_later", is.select(Expr.lit(1, 1), kq.eq(1)));
            outerOneL = regNext(prefix + "_outer_one_later", is.select(kq.eq(1), Expr.lit(1, 1)));
            innerM2L = regNext(prefix + "_inner_m2_later", is.select(one.sub(two), kq.sub(two)));
            outerM2L = regNext(prefix + "_outer_m2_later", is.select(kq.sub(two), one.sub(two)));
            // weight words: the inner position moves by aIn, the outer by aOut (R kGroups for ct, R / S for kt)
            Expr r = segRows().zext(wAw);
            strideIn = regNext(prefix + "_stride_inner", is.select(pr.colWords, r));
            strideOut = regNext(prefix + "_stride_outer", is.select(r, pr.colWords));
            Expr hasAct = ctZero.and(groupHeadQ);
            Expr rowLast = row.eq(segRows().sub(Expr.lit(rw, 1)));
            wordLast = named(prefix + "_word_last", isW.select(rowLast.and(hasAct.not()),
                    act.eq(chunkRegs.lengthM1)));
            last = named(prefix + "_final_step", innerLast.and(outerLast).and(chunkRegs.lastChunk));
        }

        /** One word read ({@code fire}): the next row, the slice after the last row, or the next tile. */
        void advance(Expr fire) {
            Expr is = st.is;
            int rw = row.width();
            int aAw = actWord.width();
            Expr hasAct = ctZero.and(groupHeadQ);
            Expr rowLast = row.eq(segRows().sub(Expr.lit(rw, 1)));
            Expr chunkEnd = innerLast.and(outerLast);
            Expr firstNext = first.and(chunkEnd.not());
            Expr k = is.select(outer, inner);
            // k moves to k + 1 (or to 0, or stays): kt's next tile in the first chunk, the next group after
            Expr kInc = is.select(innerLast.and(outerLast.not()), innerLast.not());
            Expr kZero = is.select(chunkEnd, innerLast);
            int mBits = Integer.numberOfTrailingZeros(dp.rowSegments());
            List<Expr> ones = new ArrayList<>();
            for (int c = 0; c <= mBits; c++) {
                ones.add(c == 0 ? Expr.lit(1, 1) : k.slice(c - 1, 0).eq((1L << c) - 1));
            }
            Expr groupEnds = named("load_group_ends_" + loadWalks++, SatBus.byCode(segCode, ones));
            Expr groupStep = first.not().or(groupEnds);
            Expr nextActBase = chunkEnd.select(base.add(pr.chunk).resize(aAw), kZero.select(base.resize(aAw),
                    kInc.and(groupStep).select(actBase.add(pr.n.resize(aAw)), actBase)));
            Expr outerNext = outerWord.add(strideOut);
            Expr nextTileWord = innerLast.select(outerLast.select(Expr.zero(tileWord.width()), outerNext),
                    tileWord.add(strideIn));
            Expr innerOneNext = firstNext.select(innerOneF, innerOneL);
            Expr innerM2 = first.select(innerM2F, innerM2L);
            Expr outerM2 = first.select(outerM2F, outerM2L);
            Expr tileEnd = wordLast;
            when(fire, () -> {
                when(isW, () -> {
                    assign(row, rowLast.select(Expr.zero(rw), row.add(1)));
                    assign(weightWord, weightWord.add(1));
                });
                when(isW.not(), () -> {
                    assign(act, act.add(1));
                    assign(actWord, actWord.add(1));
                });
                when(isW.and(rowLast).and(hasAct), () -> {
                    assign(isW, 0);
                    assign(act, 0);
                    assign(actWord, actBase);
                });
                when(tileEnd, () -> {
                    assign(isW, firstNext);
                    assign(row, 0);
                    assign(act, 0);
                    assign(weightWord, nextTileWord);
                    assign(actWord, nextActBase);
                    assign(tileWord, nextTileWord);
                    assign(actBase, nextActBase);
                    assign(outerWord, innerLast.select(outerLast.select(Expr.zero(outerWord.width()), outerNext),
                            outerWord));
                    assign(inner, innerLast.select(Expr.zero(CW), inner.add(1)));
                    assign(outer, innerLast.select(outerLast.select(Expr.zero(CW), outer.add(1)), outer));
                    assign(first, firstNext);
                    when(chunkEnd, () -> {
                        assign(base, base.add(pr.chunk));
                        chunkRegs.next(pr);
                    });
                    assign(innerLast, innerLast.select(innerOneNext, inner.eq(innerM2)));
                    assign(outerLast, innerLast.select(outerLast.select(outerOneL, outer.eq(outerM2)), outerLast));
                    assign(ctZero, is.select(innerLast, innerLast.select(outerLast, ctZero)));
                    assign(groupHeadQ, firstNext.not().or(kZero).or(kInc.select(groupEnds, groupHeadQ)));
                });
            });
        }

        void restart() {
            assign(base, 0);
            assign(outer, 0);
            assign(inner, 0);
            assign(first, 1);
            chunkRegs.first(pr);
            assign(innerLast, innerOneF);
            assign(outerLast, outerOneF);
            assign(ctZero, 1);
            assign(groupHeadQ, 1);
            assign(outerWord, 0);
            assign(tileWord, 0);
            assign(actBase, 0);
            assign(isW, 1);
            assign(row, 0);
            assign(act, 0);
            assign(weightWord, 0);
            assign(actWord, 0);
        }
    }

    private int loadWalks;
}
