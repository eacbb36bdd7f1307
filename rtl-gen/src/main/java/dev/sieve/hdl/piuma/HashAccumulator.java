package dev.sieve.hdl.piuma;

import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;

/**
 * A pipelined hash-accumulate unit, the scratchpad table of SMASH in hardware: (key, value)
 * requests accumulate into a linear-probing hash table held in one block RAM; a drain streams
 * the occupied slots out in slot order and empties the table.
 *
 * <p><b>Slots.</b> One word {@code {occupied, key, sum}} per slot. The home slot of a key and the
 * probe rule are the unit's own, {@link HashUnit#home(long, int)} and {@link HashUnit#nextSlot}
 * (XOR-fold, linear probing): the generator wires each slot address bit as the XOR of the key bits
 * {@link HashUnit#keyBitsOf} names. The parameters are {@link HashUnit}'s, taken as they are from
 * {@code PiumaConfig.hashUnit()} or built from the catalog's parameters (its rules are the
 * generator's limits).
 *
 * <p><b>Pipeline.</b> Accepting a request reads its home slot (a registered read); the next cycle
 * compares: an empty slot takes the key and the value, a slot with the key adds the value (the sum
 * wraps modulo {@code 2^valueWidth}), and either way a new request can be accepted in that same
 * cycle, so a stream without collisions runs at one request per cycle. A slot holding another
 * key costs one more cycle per probe ({@code in_ready} is low meanwhile). The write of the previous
 * cycle is forwarded to the compare, so back-to-back requests for the same slot are exact.
 *
 * <p><b>Full table.</b> A new key that meets a full table probes every slot once ({@code depth}
 * cycles) and then leaves through the spill port: {@code spill_valid} is high for one cycle with
 * the key and the value, and the table is unchanged. Keys already present keep accumulating.
 *
 * <p><b>Drain.</b> While {@code drain} is high no request is accepted; once the pipeline is empty
 * the unit reads slot 0, 1, ... and presents each occupied slot on {@code out} (ready/valid),
 * clearing it as it leaves; empty slots take one cycle each. After the last slot it accepts
 * requests again ({@code busy} low). After reset it clears every slot ({@code depth} cycles,
 * {@code busy} high). Outputs carry zeros when not valid.
 */
public final class HashAccumulator extends Component {

    /** Bits of the occupancy count {@code count}, 0 .. slots. */
    public static int countWidth(HashUnit cfg) {
        return Bits.widthFor(cfg.slots());
    }

    static final int INIT = 0;
    static final int RUN = 1;
    static final int DRAIN = 2;

    public final Signal inValid;
    public final Signal inReady;
    public final Signal inKey;
    public final Signal inValue;
    public final Signal drain;
    public final Signal outValid;
    public final Signal outReady;
    public final Signal outKey;
    public final Signal outValue;
    public final Signal spillValid;
    public final Signal spillKey;
    public final Signal spillValue;
    public final Signal count;
    public final Signal busy;

    private final Memory slots;
    private final Signal state;
    private final Signal index;
    private final Signal s1Valid;
    private final Signal s1Key;
    private final Signal s1Value;
    private final Signal s1Addr;
    private final Signal s1Probes;
    private final Signal fwdValid;
    private final Signal fwdAddr;
    private final Signal fwdData;
    private final Signal used;
    private final Signal rdAddr;
    private final Signal rdEn;
    private final Signal rdData;
    private final Signal slot;
    private final Signal hit;
    private final Signal empty;
    private final Signal probe;
    private final Signal spill;
    private final Signal accept;
    private final Signal drainStart;
    private final Signal drainAdvance;
    private final Signal home;
    private final Signal wrEn;
    private final Signal wrAddr;
    private final Signal wrData;

    public HashAccumulator(HashUnit cfg) {
        super("hash_acc_k" + cfg.keyWidth() + "_v" + cfg.valueWidth() + "_d" + cfg.slots());
        int kw = cfg.keyWidth();
        int vw = cfg.valueWidth();
        int aw = cfg.addressWidth();
        int sw = cfg.slotWidth();
        int last = cfg.slots() - 1;
        int countWidth = countWidth(cfg);

        // ---- ports
        inValid = input("in_valid", 1);
        inReady = output("in_ready", 1);
        inKey = input("in_key", kw);
        inValue = input("in_value", vw);
        drain = input(1);
        outValid = output("out_valid", 1);
        outReady = input("out_ready", 1);
        outKey = output("out_key", kw);
        outValue = output("out_value", vw);
        spillValid = output("spill_valid", 1);
        spillKey = output("spill_key", kw);
        spillValue = output("spill_value", vw);
        count = output(countWidth);
        busy = output(1);

        // ---- state
        slots = memory(sw, cfg.slots());
        state = reg(2, INIT);
        index = reg(aw, 0);
        s1Valid = reg("s1_valid", 1, 0);
        s1Key = reg("s1_key", kw, 0);
        s1Value = reg("s1_value", vw, 0);
        s1Addr = reg("s1_addr", aw, 0);
        s1Probes = reg("s1_probes", aw, 0);
        fwdValid = reg("fwd_valid", 1, 0);
        fwdAddr = reg("fwd_addr", aw, 0);
        fwdData = reg("fwd_data", sw, 0);
        used = reg(countWidth, 0);

        // ---- read port and the compare stage (with forwarding of last cycle's write)
        rdAddr = wire("rd_addr", aw);
        rdEn = wire("rd_en", 1);
        rdData = readSync("rd_data", slots, rdAddr, rdEn);
        Expr isInit = state.eq(INIT);
        Expr isRun = state.eq(RUN);
        Expr isDrain = state.eq(DRAIN);
        slot = named("slot", fwdValid.and(fwdAddr.eq(s1Addr)).select(fwdData, rdData));
        Expr occupied = slot.bit(sw - 1);
        Expr slotKey = slot.slice(kw + vw - 1, vw);
        Expr slotSum = slot.slice(vw - 1, 0);
        hit = named("hit", s1Valid.and(occupied).and(slotKey.eq(s1Key)));
        empty = named("empty", s1Valid.and(occupied.not()));
        Expr collision = s1Valid.and(occupied).and(slotKey.ne(s1Key));
        spill = named("spill", collision.and(s1Probes.eq(last)));
        probe = named("probe", collision.and(s1Probes.ne(last)));

        // ---- handshakes
        assign(inReady, isRun.and(drain.not()).and(probe.not()));
        accept = named("accept", inValid.and(inReady));
        drainStart = named("drain_start", isRun.and(drain).and(s1Valid.not()));
        Expr drainOccupied = rdData.bit(sw - 1);
        drainAdvance = named("drain_advance", isDrain.and(drainOccupied.not().or(outReady)));
        assign(outValid, isDrain.and(drainOccupied));
        assign(outKey, outValid.select(rdData.slice(kw + vw - 1, vw), Expr.zero(kw)));
        assign(outValue, outValid.select(rdData.slice(vw - 1, 0), Expr.zero(vw)));
        assign(spillValid, spill);
        assign(spillKey, spill.select(s1Key, Expr.zero(kw)));
        assign(spillValue, spill.select(s1Value, Expr.zero(vw)));
        assign(count, used);
        assign(busy, isRun.not().or(s1Valid));

        // ---- hash: each slot address bit the XOR of the key bits HashUnit names (a constant 0 if none)
        Expr[] addressBits = new Expr[aw];
        for (int b = 0; b < aw; b++) {
            Expr x = null;
            for (int k : HashUnit.keyBitsOf(b, kw, aw)) {
                x = x == null ? inKey.bit(k) : x.xor(inKey.bit(k));
            }
            addressBits[aw - 1 - b] = x == null ? Expr.zero(1) : x;
        }
        home = named("home", Expr.cat(addressBits));

        // ---- read address: a new request's home slot, the next probe (HashUnit.nextSlot: an
        // address-width increment wraps at the table's end), or the next drained slot
        assign(rdAddr, accept.select(home, probe.select(s1Addr.add(1),
                drainStart.select(Expr.zero(aw), index.add(1)))));
        assign(rdEn, accept.or(probe).or(drainStart).or(drainAdvance.and(index.ne(last))));

        // ---- write port: clearing (init, drain) or the compare stage's update
        wrEn = named("wr_en", isInit.or(hit).or(empty).or(drainAdvance));
        wrAddr = named("wr_addr", isRun.select(s1Addr, index));
        Expr newSum = hit.select(slotSum.add(s1Value), s1Value);
        wrData = named("wr_data", isRun.select(Expr.cat(Expr.lit(1, 1), s1Key, newSum), Expr.zero(sw)));
        write(slots, wrAddr, wrData, wrEn);
        assign(fwdValid, wrEn);
        assign(fwdAddr, wrAddr);
        assign(fwdData, wrData);

        // ---- control
        switchOn(state)
                .is(INIT, () -> {
                    assign(index, index.add(1));
                    when(index.eq(last), () -> assign(state, RUN));
                })
                .is(RUN, () -> when(drainStart, () -> {
                    assign(state, DRAIN);
                    assign(index, 0);
                }))
                .is(DRAIN, () -> when(drainAdvance, () -> {
                    assign(index, index.add(1));
                    when(index.eq(last), () -> assign(state, RUN));
                }));
        when(accept, () -> {
            assign(s1Valid, 1);
            assign(s1Key, inKey);
            assign(s1Value, inValue);
            assign(s1Addr, home);
            assign(s1Probes, 0);
        }).elsewhen(probe, () -> {
            assign(s1Addr, s1Addr.add(1));
            assign(s1Probes, s1Probes.add(1));
        }).otherwise(() -> assign(s1Valid, 0));
        when(empty, () -> assign(used, used.add(1)))
                .elsewhen(outValid.and(outReady), () -> assign(used, used.sub(1)));
    }
}
