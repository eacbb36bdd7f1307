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
 * uses first, one INCR burst per buffer word and one address per cycle: the R rows of its weight
 * tile in the first chunk (later chunks reuse them), then its activation slice at the first column
 * tile; a second walker over the same order writes each arriving word into its buffer and counts
 * the words loaded. The weight and activation sequencers feed the array's streams one tile per
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
 * With S = 2^code segments the array runs S segment tiles of R/S rows per step; the controller walks
 * <em>reduction groups</em> of S consecutive segment tiles ({@code ceil(K_TILES / S)}), which is
 * exactly the one-segment walk over R-row tiles: the weight and activation words, their DRAM regions
 * and the loader are those of S = 1. A step's S partial sums belong to one column tile, reduction
 * tiles {@code g S .. g S + S - 1}: per column a chain of S adds puts them onto the accumulator in
 * that order, {@code (((acc + t_gS) + t_gS+1) + ...)}, lanes past {@code K_TILES} skipped, and the
 * word is written S A cycles after the read (A the add's latency). So an output keeps the one order
 * above over the schedule's segment tiles, the order of the sw-driver's SAT device. The controller
 * runs S > 1 only when each step is one column tile: the output-stationary order with
 * {@code K_TILES} a multiple of S, or one column tile ({@link SatAcceleratorLayout#segmentRefusal});
 * other descriptors are refused, as are S beyond {@link SatAcceleratorLayout#maxSegments}.
 *
 * <h2>Timing</h2>
 * With a memory that accepts every address at once, returns a read burst's beats one per cycle from
 * {@code latency + 1} cycles after the address (bursts back to back), takes write beats every cycle
 * and answers a burst {@code latency + 1} cycles after its last beat, a pass is busy for the sim
 * model's {@code TileTiming.PassClock} rule over its steps, each step reading its first-use words
 * (B beats each) and writing the words it finishes: the first step's reads, the last step's fill
 * and its writes are exposed; everything else overlaps the array unless the memory falls behind.
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
    /** Width of a word position inside one step's loads: up to R + 65535. */
    private static final int PW = CW + 1;

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

        Signal start = registerFile();
        Signal refused = named("refused", checkRule());
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
            // S > 1: one column tile, or the output-stationary order with kTiles a multiple of S
            Expr kt16 = regKTiles.slice(CW - 1, 0);
            List<Expr> misaligned = new ArrayList<>();
            misaligned.add(Expr.zero(1));
            for (int c = 1; c <= maxCode; c++) {
                misaligned.add(kt16.slice(c - 1, 0).ne(0));
            }
            bad = bad.or(segCode.ne(0).and(regColTiles.slice(CW - 1, 0).ne(1))
                    .and(regMode.bit(8).or(SatBus.byCode(segCode, misaligned))));
        }
        Expr kt = kGroups;
        Expr ct = regColTiles.slice(CW - 1, 0);
        Expr n = regVectors.slice(CW - 1, 0);
        int rw = Bits.widthFor(dp.rows());
        Expr wWords = named("check_tiles", kt.mulU(ct)).mulU(Expr.lit(rw, dp.rows()));
        bad = bad.or(wWords.gtU(Expr.lit(wWords.width(), layout.weightDepth())));
        Expr xWords = kt.mulU(n);
        bad = bad.or(xWords.gtU(Expr.lit(xWords.width(), layout.actDepth())));
        Expr yWords = ct.mulU(n);
        bad = bad.or(yWords.gtU(Expr.lit(yWords.width(), layout.outDepth())));
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
        Memory wBuf = memory("weight_buffer", wBits, layout.weightDepth());
        Memory aBuf = memory("act_buffer", aBits, layout.actDepth());
        Memory oBuf = memory("out_buffer", oBits, layout.outDepth());
        int wAw = wBuf.addressWidth();
        int aAw = aBuf.addressWidth();
        int oAw = oBuf.addressWidth();

        Expr n = regVectors.slice(CW - 1, 0);
        Expr kTiles = kGroups; // the walkers step over reduction groups of R rows
        Expr colTiles = regColTiles.slice(CW - 1, 0);
        Expr chunk = regChunk.slice(CW - 1, 0);
        Expr inputStationary = regMode.bit(8);
        Expr computing = inState(COMPUTE);

        // ---- state and busy cycles
        when(inState(IDLE).not(), () -> assign(regCycles, regCycles.add(1)));
        when(start, () -> {
            assign(regCycles, 0);
            assign(done, 0);
            assign(error, 0);
        });

        // ---- read engine. COMPUTE: the loader walks the steps in order and fetches what each step
        // uses first (its weight tile's R rows in the first chunk, then its activation slice at the
        // first column tile), one INCR burst per buffer word, one address per cycle without waiting
        // for data; a second walker over the same sequence puts each arriving word into its buffer
        // and counts the words loaded. PREGEN_READ: one burst per block, after the previous one.
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
        Expr wordW = shifted.slice(shiftBits - wBeats * BUS + wBits - 1, shiftBits - wBeats * BUS);
        Expr wordA = shifted.slice(shiftBits - aBeats * BUS + aBits - 1, shiftBits - aBeats * BUS);
        Signal beat = named("r_beat", loading.and(mRvalid));
        Signal wordEnd = named("r_word_end", beat.and(mRlast));
        int wSh = Bits.log2Ceil(SatAcceleratorLayout.stride(wBits));
        int aSh = Bits.log2Ceil(SatAcceleratorLayout.stride(aBits));
        int pSh = Bits.log2Ceil(SatAcceleratorLayout.stride(pBits));

        Walker la = new Walker("load_ar", n, kTiles, colTiles, chunk, inputStationary, true);
        Signal laPos = reg("load_ar_pos", PW, 0);
        Signal laAll = reg("load_ar_all_issued", 1, 0);
        Signal laIsW = named("load_ar_is_w", laPos.ltU(weightWords(la)));
        Signal laLast = named("load_ar_word_last", laPos.eq(stepWords(la).sub(Expr.lit(PW, 1))));
        Signal loadAr = named("load_ar_fire", computing.and(laAll.not()).and(mArready));
        when(loadAr, () -> {
            assign(laPos, laLast.select(Expr.zero(PW), laPos.add(1)));
            when(laLast.and(la.last), () -> assign(laAll, 1));
        });
        la.advance(loadAr.and(laLast));

        Walker lr = new Walker("load_r", n, kTiles, colTiles, chunk, inputStationary, true);
        Signal lrPos = reg("load_r_pos", PW, 0);
        Signal loaded = reg("load_words", 32, 0);
        Signal lrIsW = named("load_r_is_w", lrPos.ltU(weightWords(lr)));
        Signal lrLast = named("load_r_word_last", lrPos.eq(stepWords(lr).sub(Expr.lit(PW, 1))));
        Signal loadEnd = named("load_r_word_end", wordEnd.and(computing));
        when(loadEnd, () -> {
            assign(lrPos, lrLast.select(Expr.zero(PW), lrPos.add(1)));
            assign(loaded, loaded.add(1));
        });
        lr.advance(loadEnd.and(lrLast));
        write(wBuf, weightWord(lr, lrPos).resize(wAw), wordW, loadEnd.and(lrIsW));
        write(aBuf, actWord(lr, lrPos).resize(aAw), wordA, loadEnd.and(lrIsW.not()));

        Expr loadAddr = laIsW.select(regWAddr.add(weightWord(la, laPos).resize(32).shl(Expr.lit(5, wSh))),
                regXAddr.add(actWord(la, laPos).resize(32).shl(Expr.lit(5, aSh))));
        assign(mArvalid, pregenRead.select(arDone.not(), computing.and(laAll.not())));
        assign(mAraddr, pregenRead.select(regWAddr.add(pgBlock.zext(32).shl(Expr.lit(5, pSh))), loadAddr));
        assign(mArlen, pregenRead.select(Expr.lit(8, pBeats - 1),
                laIsW.select(Expr.lit(8, wBeats - 1), Expr.lit(8, aBeats - 1))));
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
        Signal arrOut = wire("arr_out", dp.rowSegments() * dp.cols() * SatDatapath.ACC_WIDTH);

        // weights: tile (ct, kt), rows 0 .. R-1, read ahead one word (the read register holds while the array stalls)
        Walker ww = new Walker("wseq", n, kTiles, colTiles, chunk, inputStationary);
        Signal wRow = reg("wseq_row", Bits.widthFor(dp.rows()), 0);
        Signal wIssued = reg("wseq_all_issued", 1, 0);
        Signal wValidQ = reg("wseq_valid", 1, 0);
        // the step's start test, loaded >= words of the steps up to this one, against a register
        // (wseq_need) that a walker one step ahead keeps current, so no add sits on the issue path
        Walker wwAhead = new Walker("wseq_ahead", n, kTiles, colTiles, chunk, inputStationary);
        Signal wNeed = reg("wseq_need", 32, 0);
        Signal wAvail = named("wseq_avail", loaded.geU(wNeed));
        Signal wLoad = named("wseq_load", computing.and(wValidQ.not().or(arrWReady)));
        Signal wIssue = named("wseq_issue", wLoad.and(wIssued.not()).and(wAvail));
        Signal wRowLast = named("wseq_row_last", wRow.eq(dp.rows() - 1));
        Signal wTile = named("wseq_tile", ww.ct.mulU(kTiles).add(ww.kt.zext(2 * CW)));
        Expr wAddr = wTile.mulU(Expr.lit(Bits.widthFor(dp.rows()), dp.rows()))
                .add(wRow.zext(2 * CW + Bits.widthFor(dp.rows())));
        Signal wData = readSync("wseq_data", wBuf, wAddr.resize(wAw), wIssue);
        // every step but the pass's first overlaps the one before (its fill runs under that step's
        // drain) when the pass has one row segment: then it always pays (TileTiming.overlaps: the
        // shadow refills in C + D (R - 1) cycles, less than the fill R D + C + 1). Steps of a pass
        // with S > 1 segments wait for the drain: their merge chain (S x A) could read a word again
        // before the previous step's sum into it is written.
        Signal wOverlapQ = reg("wseq_overlap", 1, 0);
        when(wIssue, () -> assign(wOverlapQ, segCode.eq(0)
                .and(ww.base.ne(0).or(ww.outer.ne(0)).or(ww.inner.ne(0)))));
        when(wLoad, () -> assign(wValidQ, wIssue));
        when(wIssue, () -> {
            assign(wRow, wRowLast.select(Expr.zero(wRow.width()), wRow.add(1)));
            when(wRowLast.and(ww.last), () -> assign(wIssued, 1));
        });
        when(wIssue.and(wRowLast), () -> assign(wNeed, wNeed.add(stepWords(wwAhead).zext(32))));
        ww.advance(wIssue.and(wRowLast));
        wwAhead.advance(wIssue.and(wRowLast));

        // activations: vectors of the step's chunk, kt's slice
        Walker aw = new Walker("aseq", n, kTiles, colTiles, chunk, inputStationary);
        Signal aPos = reg("aseq_pos", CW, 0);
        Signal aIssued = reg("aseq_all_issued", 1, 0);
        Signal aValidQ = reg("aseq_valid", 1, 0);
        Signal aLastQ = reg("aseq_last", 1, 0);
        Walker awAhead = new Walker("aseq_ahead", n, kTiles, colTiles, chunk, inputStationary);
        Signal aNeed = reg("aseq_need", 32, 0);
        Signal aAvail = named("aseq_avail", loaded.geU(aNeed));
        Signal aLoad = named("aseq_load", computing.and(aValidQ.not().or(arrActReady)));
        Signal aIssue = named("aseq_issue", aLoad.and(aIssued.not()).and(aAvail));
        Signal aPosLast = named("aseq_pos_last", aPos.eq(aw.length.sub(Expr.lit(CW, 1))));
        Expr aAddr = aw.kt.mulU(n).add(aw.base.add(aPos).zext(2 * CW));
        Signal aData = readSync("aseq_data", aBuf, aAddr.resize(aAw), aIssue);
        when(aLoad, () -> assign(aValidQ, aIssue));
        when(aIssue, () -> {
            assign(aLastQ, aPosLast);
            assign(aPos, aPosLast.select(Expr.zero(CW), aPos.add(1)));
            when(aPosLast.and(aw.last), () -> assign(aIssued, 1));
        });
        when(aIssue.and(aPosLast), () -> assign(aNeed, aNeed.add(stepWords(awAhead).zext(32))));
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

        // outputs: read the accumulator, add in the next cycle, write back
        Walker ow = new Walker("oseq", n, kTiles, colTiles, chunk, inputStationary);
        Signal oPos = reg("oseq_pos", CW, 0);
        Signal oAllDone = reg("oseq_all_done", 1, 0);
        Signal oTake = named("oseq_take", computing.and(arrOutValid));
        Signal oPosLast = named("oseq_pos_last", oPos.eq(ow.length.sub(Expr.lit(CW, 1))));
        Expr oAddr = ow.ct.mulU(n).add(ow.base.add(oPos).zext(2 * CW));
        Signal accRead = readSync("acc_read", oBuf, oAddr.resize(oAw), oTake);
        int maxSeg = dp.rowSegments();
        int maxCode = Integer.numberOfTrailingZeros(maxSeg);
        Signal accValid = reg("acc_valid", 1, 0);
        Signal accFirst = regNoReset("acc_first", 1);
        Signal accFinal = reg("acc_final", 1, 0);
        Signal accAddr = regNoReset("acc_addr", oAw);
        Signal accIn = regNoReset("acc_in", maxSeg * oBits);
        // lane s > 0 of group g holds segment tile g S + s: it is added when s < S and that tile exists
        Signal accLanes = maxSeg > 1 ? reg("acc_lanes", maxSeg - 1, 0) : null;
        assign(accValid, oTake);
        when(oTake, () -> {
            assign(accFirst, ow.kt.eq(0));
            assign(accFinal, ow.kt.eq(kTiles.sub(Expr.lit(CW, 1))));
            assign(accAddr, oAddr.resize(oAw));
            assign(accIn, arrOut);
            assign(oPos, oPosLast.select(Expr.zero(CW), oPos.add(1)));
            when(oPosLast.and(ow.last), () -> assign(oAllDone, 1));
            if (accLanes != null) {
                List<Expr> firstTile = new ArrayList<>();
                for (int c = 0; c <= maxCode; c++) {
                    firstTile.add(ow.kt.zext(CW + maxCode).shl(Expr.lit(5, c)));
                }
                Expr gS = SatBus.byCode(segCode, firstTile);
                List<Expr> en = new ArrayList<>();
                for (int l = 1; l < maxSeg; l++) {
                    Expr inStep = segCode.zext(4).gtU(Expr.lit(4, Bits.log2Ceil(l + 1) - 1));
                    en.add(inStep.and(gS.add(Expr.lit(CW + maxCode, l)).ltU(regKTiles.slice(CW - 1, 0).zext(CW + maxCode))));
                }
                assign(accLanes, SatBus.pack(en));
            }
        });
        ow.advance(oTake.and(oPosLast));
        // the merge, per column: ((acc or 0) + lane 0) + lane 1 + ... in segment order, each add taking
        // A = SatConfig.accumulateLatency cycles (0 for INT8, the FP32 adder's stages for BF16); with
        // S segments the word is written S A cycles after acc_valid
        int addLatency = dp.config().accumulateLatency();
        List<Expr> sumsBySeg = new ArrayList<>(); // per code: the packed sums after 2^code lanes
        List<Expr> cur = new ArrayList<>();
        for (int c = 0; c < dp.cols(); c++) {
            Expr before = accFirst.select(Expr.zero(SatDatapath.ACC_WIDTH), SatBus.lane(accRead, c, SatDatapath.ACC_WIDTH));
            cur.add(before);
        }
        for (int l = 0; l < maxSeg; l++) {
            List<Expr> next = new ArrayList<>();
            Expr enabled = l == 0 ? Expr.lit(1, 1)
                    : Logic.delay(this, "acc_lane_en_" + l, accLanes.bit(l - 1), (l + 1) * addLatency, null);
            for (int c = 0; c < dp.cols(); c++) {
                Expr part = SatBus.lane(accIn, l * dp.cols() + c, SatDatapath.ACC_WIDTH);
                if (l > 0) {
                    part = Logic.delay(this, "acc_part_" + l + "_" + c, part, l * addLatency, null);
                }
                Expr sum;
                switch (dp.format()) {
                    case INT8_INT32 -> sum = cur.get(c).add(part);
                    case BF16_FP32 -> {
                        Fp32Adder add = new Fp32Adder(dp.config().fpAddStages());
                        Signal w = wire("acc_sum_" + (l == 0 ? "" : l + "_") + c, 32);
                        instance("acc_add_" + (l == 0 ? "" : l + "_") + c, add).connect(add.a, cur.get(c))
                                .connect(add.b, part).connect(add.sum, w);
                        sum = w;
                    }
                    default -> throw new IllegalStateException("format " + dp.format());
                }
                if (l > 0) {
                    Expr pass = Logic.delay(this, "acc_pass_" + l + "_" + c, cur.get(c), addLatency, null);
                    sum = enabled.select(sum, pass);
                }
                next.add(l == 0 ? sum : named("acc_merge_" + l + "_" + c, sum));
            }
            cur = next;
            if (Integer.bitCount(l + 1) == 1) {
                sumsBySeg.add(SatBus.pack(cur));
            }
        }
        List<Expr> vBy = new ArrayList<>();
        List<Expr> aBy = new ArrayList<>();
        List<Expr> dBy = new ArrayList<>();
        List<Expr> fBy = new ArrayList<>();
        for (int c = 0; c <= maxCode; c++) {
            int lat = (1 << c) * addLatency;
            vBy.add(Logic.delay(this, "acc_valid_d" + (c == 0 ? "" : c), accValid, lat, null));
            aBy.add(Logic.delay(this, "acc_addr_d" + (c == 0 ? "" : c), accAddr, lat, null));
            dBy.add(Logic.delay(this, "oseq_all_done_d" + (c == 0 ? "" : c), oAllDone, lat, null));
            fBy.add(Logic.delay(this, "acc_final_d" + (c == 0 ? "" : c), accFinal, lat, null));
        }
        Expr wrAccValid = SatBus.byCode(segCode, vBy);
        Expr wrAccAddr = SatBus.byCode(segCode, aBy);
        Expr allAdded = SatBus.byCode(segCode, dBy);
        Expr wrAccFinal = SatBus.byCode(segCode, fBy);
        write(oBuf, wrAccAddr, SatBus.byCode(segCode, sumsBySeg), wrAccValid);
        // output words written at their last reduction tile are final: the write engine may store them
        Signal finals = reg("store_ready", 32, 0);
        when(computing.and(wrAccValid).and(wrAccFinal), () -> assign(finals, finals.add(1)));
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
        Signal wrIssued = reg("wr_issued", 32, 0);
        Signal wrAcked = reg("wr_acked", 32, 0);
        Walker sw = new Walker("store", n, Expr.lit(CW, 1), colTiles, chunk, inputStationary);
        Signal swPos = reg("store_pos", CW, 0);
        Signal swPosLast = named("store_pos_last", swPos.eq(sw.length.sub(Expr.lit(CW, 1))));
        Expr swWord = sw.ct.mulU(n).resize(32).add(sw.base.zext(32)).add(swPos.zext(32));
        Signal wLastBeat = named("w_last_beat", pregenWrite.select(wrBeat.eq(qBeats - 1), wrBeat.eq(oBeats - 1)));
        Signal wFire = named("w_fire", storing.and(wrActive).and(mWready));
        // PREGEN_WRITE issues its burst once the unit's result is one cycle from its outputs
        // (NmPregen.LATENCY cycles after the block is complete in the shifter)
        Signal pgWait = reg("pregen_wait", Bits.widthFor(NmPregen.LATENCY), 0);
        when(pregenWrite.and(pgWait.ne(0)), () -> assign(pgWait, pgWait.sub(Expr.lit(pgWait.width(), 1))));
        Expr wordReady = pregenWrite.select(wrIssued.eq(0).and(pgWait.eq(0)), wrIssued.ltU(finals));
        Signal awValid = named("aw_valid", storing.and(wordReady).and(wrActive.not().or(wFire.and(wLastBeat))));
        Signal awFire = named("aw_fire", awValid.and(mAwready));
        Signal storeRead = readSync("store_read", oBuf, swWord.resize(oAw), awFire.and(pregenWrite.not()));
        Signal bFire = named("b_fire", storing.and(mBvalid));
        Expr storeWords = colTiles.mulU(n).resize(32);
        Signal storeLast = named("store_last", wrAcked.eq(storeWords.sub(Expr.lit(32, 1))));
        List<Expr> beatsOut = new ArrayList<>();
        Expr padded = storeRead.resize(oBeats * BUS);
        for (int b = 0; b < oBeats; b++) {
            beatsOut.add(SatBus.lane(padded, b, BUS));
        }
        assign(mAwvalid, awValid);
        assign(mAwaddr, regYAddr.add(pregenWrite.select(pgBlock.zext(32).shl(Expr.lit(5, qSh)),
                swWord.shl(Expr.lit(5, oSh)))));
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
        when(awFire.and(pregenWrite.not()), () -> assign(swPos, swPosLast.select(Expr.zero(CW), swPos.add(1))));
        sw.advance(awFire.and(pregenWrite.not()).and(swPosLast));
        when(bFire, () -> assign(wrAcked, wrAcked.add(1)));

        // ---- the state machine
        switchOn(state)
                .is(IDLE, () -> when(start, () -> assign(state, CHECK)))
                .is(CHECK, () -> when(regMode.bit(12).and(pregenRefused()), () -> {
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
                    assign(laPos, 0);
                    assign(laAll, 0);
                    lr.restart();
                    assign(lrPos, 0);
                    assign(loaded, 0);
                    ww.restart();
                    aw.restart();
                    ow.restart();
                    assign(wRow, 0);
                    assign(wIssued, 0);
                    assign(wValidQ, 0);
                    wwAhead.restartAtSecondStep();
                    assign(wNeed, firstStepWords(n, chunk));
                    assign(aPos, 0);
                    assign(aIssued, 0);
                    assign(aValidQ, 0);
                    awAhead.restartAtSecondStep();
                    assign(aNeed, firstStepWords(n, chunk));
                    assign(oPos, 0);
                    assign(oAllDone, 0);
                    assign(finals, 0);
                    sw.restart();
                    assign(swPos, 0);
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
                .is(PREGEN_WRITE, () -> when(bFire.and(pgBlock.eq(regVectors.slice(CW - 1, 0).sub(Expr.lit(CW, 1)))), () -> {
                    assign(state, IDLE);
                    assign(done, 1);
                }).elsewhen(bFire, () -> {
                    assign(state, PREGEN_READ);
                    assign(pgBlock, pgBlock.add(1));
                }));
    }

    /** Weight words the step at {@code w} loads: its tile's R rows in the first chunk, none after. */
    private Expr weightWords(Walker w) {
        return w.base.eq(0).select(Expr.lit(PW, dp.rows()), Expr.zero(PW));
    }

    /** {@link #stepWords} of a pass's first step: its weight tile and its activation slice, R + min(N, chunk). */
    private Expr firstStepWords(Expr n, Expr chunk) {
        return Expr.lit(32, dp.rows()).add(n.ltU(chunk).select(n, chunk).zext(32));
    }

    /** Words the step at {@code w} loads: {@link #weightWords}, then its slice's vectors at the first column tile. */
    private Expr stepWords(Walker w) {
        return weightWords(w).add(w.ct.eq(0).select(w.length.zext(PW), Expr.zero(PW)));
    }

    /** Weight buffer word (and DRAM word) of row {@code row} of the tile at {@code w}: (ct kTiles + kt) R + row. */
    private Expr weightWord(Walker w, Expr row) {
        Expr tile = named(w.prefix + "_tile", w.ct.mulU(kGroups).add(w.kt.zext(2 * CW)));
        int rw = Bits.widthFor(dp.rows());
        return tile.mulU(Expr.lit(rw, dp.rows())).add(row.resize(2 * CW + rw));
    }

    /** Activation word of load position {@code pos} (after the weight words) of the step at {@code w}: kt N + base + j. */
    private Expr actWord(Walker w, Expr pos) {
        return w.kt.mulU(regVectors.slice(CW - 1, 0)).resize(32).add(w.base.zext(32)).add(pos.zext(32))
                .sub(weightWords(w).zext(32));
    }

    /**
     * A walk over the schedule's steps in order: per chunk of vectors ({@code base}, {@code length}),
     * column tiles outside and reduction tiles inside (output stationary), or the reverse.
     */
    private final class Walker {
        final Signal base;
        final Signal outer;
        final Signal inner;
        final Signal ct;
        final Signal kt;
        final Signal length;
        final Signal last;
        private final Expr chunk;
        final String prefix;
        private final Signal innerLast;
        private final Signal outerLast;
        private final Expr innerCount;
        private final Expr outerCount;

        Walker(String prefix, Expr n, Expr kTiles, Expr colTiles, Expr chunk, Expr inputStationary) {
            this(prefix, n, kTiles, colTiles, chunk, inputStationary, false);
        }

        /**
         * {@code firstUseOnly}: after the first chunk, only the steps of the first column tile (the
         * steps that use an activation slice first), as the loader walks them.
         */
        Walker(String prefix, Expr n, Expr kTiles, Expr colTiles, Expr chunk, Expr inputStationary,
               boolean firstUseOnly) {
            this.chunk = chunk;
            this.prefix = prefix;
            base = reg(prefix + "_base", CW, 0);
            if (firstUseOnly) {
                colTiles = named(prefix + "_col_tiles", base.eq(0).select(colTiles, Expr.lit(CW, 1)));
            }
            outer = reg(prefix + "_outer", CW, 0);
            inner = reg(prefix + "_inner", CW, 0);
            innerCount = inputStationary.select(colTiles, kTiles);
            outerCount = inputStationary.select(kTiles, colTiles);
            ct = named(prefix + "_ct", inputStationary.select(inner, outer));
            kt = named(prefix + "_kt", inputStationary.select(outer, inner));
            Expr rest = n.sub(base);
            length = named(prefix + "_length", rest.ltU(chunk).select(rest, chunk));
            innerLast = named(prefix + "_inner_last", inner.eq(innerCount.sub(Expr.lit(CW, 1))));
            outerLast = named(prefix + "_outer_last", outer.eq(outerCount.sub(Expr.lit(CW, 1))));
            last = named(prefix + "_final_step", innerLast.and(outerLast).and(rest.leU(chunk)));
        }

        void advance(Expr when) {
            SatAccelerator.this.when(when, () -> {
                assign(inner, innerLast.select(Expr.zero(CW), inner.add(1)));
                SatAccelerator.this.when(innerLast, () -> {
                    assign(outer, outerLast.select(Expr.zero(CW), outer.add(1)));
                    SatAccelerator.this.when(outerLast, () -> assign(base, base.add(chunk)));
                });
            });
        }

        void restart() {
            assign(base, 0);
            assign(outer, 0);
            assign(inner, 0);
        }

        /** Restarts at the pass's second step (the first advanced once; past the end if it has one step). */
        void restartAtSecondStep() {
            Expr oneInner = innerCount.eq(1);
            Expr oneOuter = outerCount.eq(1);
            assign(inner, oneInner.select(Expr.zero(CW), Expr.lit(CW, 1)));
            assign(outer, oneInner.and(oneOuter.not()).select(Expr.lit(CW, 1), Expr.zero(CW)));
            assign(base, oneInner.and(oneOuter).select(chunk, Expr.zero(CW)));
        }
    }
}
