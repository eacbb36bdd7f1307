package dev.sieve.hdl.piuma.model;

import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.piuma.HashAccumulator;
import java.util.List;

/**
 * Golden model of {@link HashAccumulator}, written from its specification as a table of slots and
 * a one-request compare stage: after reset it clears one slot per cycle; a request is accepted
 * when running, not draining and not probing; the cycle after acceptance (and after each probe)
 * the request's slot decides hit, empty, collision with a probe to the next slot, or - after
 * {@code slots} slots - a spill. Home slots and probes follow {@link HashUnit#home(long, int)} and
 * {@link HashUnit#nextSlot}, the unit's own definition. A drain walks the slots in order, presenting the occupied ones.
 * The registered read of the RAM is modelled as the RTL has it: a read issued in a cycle returns
 * the slot as it was before that cycle's write, which the compare stage corrects by forwarding.
 */
public final class HashAccumulatorModel implements CycleModel {
    private static final int RST = 0, IN_VALID = 1, IN_KEY = 2, IN_VALUE = 3, DRAIN = 4, OUT_READY = 5;
    private static final int IN_READY = 6, OUT_VALID = 7, OUT_KEY = 8, OUT_VALUE = 9, SPILL_VALID = 10,
            SPILL_KEY = 11, SPILL_VALUE = 12, COUNT = 13, BUSY = 14;
    private static final int S_INIT = 0, S_RUN = 1, S_DRAIN = 2;

    private final HashUnit cfg;
    private final List<Port> ports;
    private final long[] in = new long[6];
    private final long[] slots;
    private final int last;
    private final long keyMask;
    private final long valueMask;
    private final int vw;
    // registers
    private int state;
    private int index;
    private boolean s1Valid;
    private long s1Key;
    private long s1Value;
    private int s1Addr;
    private int s1Probes;
    private boolean fwdValid;
    private int fwdAddr;
    private long fwdData;
    private int used;
    private long rdData;

    public HashAccumulatorModel(HashUnit cfg) {
        this.cfg = cfg;
        int kw = cfg.keyWidth();
        vw = cfg.valueWidth();
        ports = List.of(Port.input("rst", 1), Port.input("in_valid", 1), Port.input("in_key", kw),
                Port.input("in_value", vw), Port.input("drain", 1), Port.input("out_ready", 1),
                Port.output("in_ready", 1), Port.output("out_valid", 1), Port.output("out_key", kw),
                Port.output("out_value", vw), Port.output("spill_valid", 1), Port.output("spill_key", kw),
                Port.output("spill_value", vw), Port.output("count", HashAccumulator.countWidth(cfg)), Port.output("busy", 1));
        slots = new long[cfg.slots()];
        last = cfg.slots() - 1;
        keyMask = (1L << kw) - 1;
        valueMask = (1L << vw) - 1;
        reset();
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        state = S_INIT;
        index = 0;
        s1Valid = false;
        s1Key = 0;
        s1Value = 0;
        s1Addr = 0;
        s1Probes = 0;
        fwdValid = false;
        fwdAddr = 0;
        fwdData = 0;
        used = 0;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    // ---- the compare stage, from the registers and the read data
    private long slot() {
        return fwdValid && fwdAddr == s1Addr ? fwdData : rdData;
    }

    private boolean occupied(long word) {
        return (word >>> (cfg.slotWidth() - 1)) != 0;
    }

    private long keyOf(long word) {
        return (word >>> vw) & keyMask;
    }

    private boolean hit() {
        return s1Valid && occupied(slot()) && keyOf(slot()) == s1Key;
    }

    private boolean empty() {
        return s1Valid && !occupied(slot());
    }

    private boolean collision() {
        return s1Valid && occupied(slot()) && keyOf(slot()) != s1Key;
    }

    private boolean probe() {
        return collision() && s1Probes != last;
    }

    private boolean spill() {
        return collision() && s1Probes == last;
    }

    private boolean inReady() {
        return state == S_RUN && in[DRAIN] == 0 && !probe();
    }

    private boolean outValid() {
        return state == S_DRAIN && occupied(rdData);
    }

    @Override
    public void tick() {
        if (in[RST] != 0) {
            reset();
            return;
        }
        boolean hit = hit();
        boolean empty = empty();
        boolean probe = probe();
        boolean accept = in[IN_VALID] != 0 && inReady();
        boolean drainStart = state == S_RUN && in[DRAIN] != 0 && !s1Valid;
        boolean outValid = outValid();
        boolean drainAdvance = state == S_DRAIN && (!occupied(rdData) || in[OUT_READY] != 0);
        int home = cfg.home(in[IN_KEY] & keyMask);

        // write port (the registered read below sees the slot before this write)
        boolean wrEn = state == S_INIT || hit || empty || drainAdvance;
        int wrAddr = state == S_RUN ? s1Addr : index;
        long sum = hit ? (slot() + s1Value) & valueMask : s1Value;
        long wrData = state == S_RUN ? (1L << (cfg.slotWidth() - 1)) | (s1Key << vw) | sum : 0;

        // read port
        int rdAddr = accept ? home
                : probe ? HashUnit.nextSlot(s1Addr, cfg.slots()) : drainStart ? 0 : (index + 1) & last;
        boolean rdEn = accept || probe || drainStart || (drainAdvance && index != last);
        if (rdEn) {
            rdData = slots[rdAddr];
        }
        if (wrEn) {
            slots[wrAddr] = wrData;
        }
        fwdValid = wrEn;
        fwdAddr = wrAddr;
        fwdData = wrData;

        // control
        switch (state) {
            case S_INIT -> {
                if (index == last) {
                    state = S_RUN;
                }
                index = (index + 1) & last;
            }
            case S_RUN -> {
                if (drainStart) {
                    state = S_DRAIN;
                    index = 0;
                }
            }
            case S_DRAIN -> {
                if (drainAdvance) {
                    if (index == last) {
                        state = S_RUN;
                    }
                    index = (index + 1) & last;
                }
            }
            default -> {
            }
        }
        int nextProbes = s1Probes;
        int nextAddr = s1Addr;
        if (accept) {
            s1Valid = true;
            s1Key = in[IN_KEY] & keyMask;
            s1Value = in[IN_VALUE] & valueMask;
            nextAddr = home;
            nextProbes = 0;
        } else if (probe) {
            nextAddr = HashUnit.nextSlot(s1Addr, cfg.slots());
            nextProbes = s1Probes + 1;
        } else {
            s1Valid = false;
        }
        s1Addr = nextAddr;
        s1Probes = nextProbes;
        if (empty) {
            used++;
        } else if (outValid && in[OUT_READY] != 0) {
            used--;
        }
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case IN_READY -> inReady() ? 1 : 0;
            case OUT_VALID -> outValid() ? 1 : 0;
            case OUT_KEY -> outValid() ? keyOf(rdData) : 0;
            case OUT_VALUE -> outValid() ? rdData & valueMask : 0;
            case SPILL_VALID -> spill() ? 1 : 0;
            case SPILL_KEY -> spill() ? s1Key : 0;
            case SPILL_VALUE -> spill() ? s1Value : 0;
            case COUNT -> used;
            case BUSY -> state != S_RUN || s1Valid ? 1 : 0;
            default -> throw new IllegalArgumentException("not an output: " + port);
        };
    }
}
