package dev.sieve.cosim.piuma;

import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.cosim.Stimulus;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.piuma.HashAccumulator;
import dev.sieve.hdl.piuma.model.HashAccumulatorModel;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.ResourceReport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hash-accumulate unit's RTL equals its Java model on every output bit of every cycle, under
 * random key streams built to collide (few distinct keys for the table, keys that share home
 * slots), a table driven full so that new keys spill, random back-pressure on the drain, drains
 * mid-stream and resets mid-traffic. A separate functional check shows that what a drain returns
 * is the per-key sum of what went in.
 */
class HashAccumulatorCosimTest {
    private static final long CYCLES = 60_000;

    private static long rnd(long seed, long cycle) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + cycle).nextLong();
    }

    private static boolean chance(long seed, long cycle, double p) {
        return new SplittableRandom(seed * 0xD1B54A32D192ED03L + cycle).nextDouble() < p;
    }

    @ParameterizedTest(name = "key {0} bits, value {1} bits, depth {2}, {3} distinct keys")
    @CsvSource({
        // 8 slots, 12 distinct keys: the table fills and new keys spill; XOR-fold homes collide
        "6, 8, 8, 12",
        // 4 slots, 4 keys of 1 bit..: smallest table, exactly full
        "2, 3, 4, 4",
        // 64 slots, 40 keys out of a 16-bit space: long probe chains around a half-full table
        "16, 16, 64, 40",
        // 256 slots, 600 keys: a nearly full table, long probe chains, wide values wrapping
        "20, 32, 256, 600"})
    void rtlEqualsModelUnderCollidingStreams(int keyWidth, int valueWidth, int depth, int distinct) {
        HashUnit cfg = new HashUnit(keyWidth, valueWidth, depth);
        CompiledDesign d = Verilator.compile(new HashAccumulator(cfg).build());
        long seed = keyWidth * 1000L + depth;
        long[] keys = new long[distinct];
        SplittableRandom r = new SplittableRandom(seed);
        for (int k = 0; k < distinct; k++) {
            // half of the keys share the home slot of key 0's neighbourhood: heavy collisions
            long key = r.nextLong() & ((1L << keyWidth) - 1);
            keys[k] = k % 2 == 0 ? key : (key & ~((long) depth - 1)) | (k % 4);
            keys[k] &= (1L << keyWidth) - 1;
        }
        long period = 6L * depth + 400;
        Stimulus inValid = c -> chance(seed, c, 0.85) ? 1 : 0;
        Stimulus inKey = c -> keys[(int) Math.floorMod(rnd(seed + 1, c), (long) distinct)];
        Stimulus inValue = c -> rnd(seed + 2, c) & ((1L << valueWidth) - 1);
        Stimulus drain = c -> c % period >= period - 3 * depth ? 1 : 0;
        Stimulus outReady = c -> chance(seed + 3, c, 0.7) ? 1 : 0;
        Stimulus rst = c -> c % 17_011 == 17_010 ? 1 : 0;
        LockstepResult result = Lockstep.of(d, new HashAccumulatorModel(cfg)).cycles(CYCLES).seed(seed)
                .drive("in_valid", inValid).drive("in_key", inKey).drive("in_value", inValue).drive("drain", drain)
                .drive("out_ready", outReady).drive("rst", rst).check();
        assertTrue(result.passed());

        // the stimulus really exercises probing, drains and (when keys outnumber slots) spills
        HashAccumulatorModel m = new HashAccumulatorModel(cfg);
        m.reset();
        long probing = 0;
        long drained = 0;
        long spills = 0;
        for (long c = 0; c < CYCLES; c++) {
            m.setInput("rst", rst.valueAt(c));
            m.setInput("in_valid", inValid.valueAt(c));
            m.setInput("in_key", inKey.valueAt(c));
            m.setInput("in_value", inValue.valueAt(c));
            m.setInput("drain", drain.valueAt(c));
            m.setInput("out_ready", outReady.valueAt(c));
            m.tick();
            probing += m.output("busy") == 1 && m.output("in_ready") == 0 && drain.valueAt(c) == 0 ? 1 : 0;
            drained += m.output("out_valid") & outReady.valueAt(c);
            spills += m.output("spill_valid");
        }
        assertTrue(probing > 100, "collisions stall the input: " + probing + " cycles");
        assertTrue(drained > 100, "drains hand out entries: " + drained);
        if (distinct > depth && depth <= 8) {
            // small tables fill within one accumulation window; the 256-slot table's probe chains grow
            // so long near full that a window ends (drain) before it is full
            assertTrue(spills > 10, "a full table spills new keys: " + spills);
        }
    }

    @Test
    void drainReturnsThePerKeySumsAndSpillsWhatDidNotFit() {
        // functional check on the model (the lockstep tests tie the RTL to it): 8 slots, 10 keys
        HashUnit cfg = new HashUnit(8, 16, 8);
        HashAccumulatorModel m = new HashAccumulatorModel(cfg);
        m.reset();
        for (int c = 0; c < 8; c++) {
            m.tick(); // clearing after reset: one slot per cycle
        }
        Map<Long, Long> want = new HashMap<>();
        Map<Long, Long> spilled = new HashMap<>();
        SplittableRandom r = new SplittableRandom(5);
        int sent = 0;
        long key = 0;
        long value = 0;
        boolean pending = false;
        for (int c = 0; c < 5_000 && sent < 400; c++) {
            if (!pending) {
                key = r.nextInt(10) * 3L;
                value = 1 + r.nextInt(100);
                pending = true;
            }
            m.setInput("in_valid", 1);
            m.setInput("in_key", key);
            m.setInput("in_value", value);
            m.setInput("drain", 0);
            m.setInput("out_ready", 0);
            boolean accepted = m.output("in_ready") == 1;
            if (m.output("spill_valid") == 1) {
                spilled.merge(m.output("spill_key"), m.output("spill_value"), Long::sum);
            }
            m.tick();
            if (accepted) {
                want.merge(key, value, Long::sum);
                sent++;
                pending = false;
            }
        }
        m.setInput("in_valid", 0);
        for (int c = 0; c < 20; c++) {
            if (m.output("spill_valid") == 1) {
                spilled.merge(m.output("spill_key"), m.output("spill_value"), Long::sum);
            }
            m.tick();
        }
        Map<Long, Long> got = new HashMap<>();
        m.setInput("drain", 1);
        m.setInput("out_ready", 1);
        for (int c = 0; c < 40; c++) {
            m.tick();
            if (m.output("out_valid") == 1) {
                got.merge(m.output("out_key"), m.output("out_value"), Long::sum);
            }
        }
        assertEquals(8, got.size(), "a full table drains all 8 slots");
        for (Map.Entry<Long, Long> e : want.entrySet()) {
            long inTable = got.getOrDefault(e.getKey(), 0L);
            long out = spilled.getOrDefault(e.getKey(), 0L);
            assertEquals(e.getValue() & 0xFFFF, (inTable + out) & 0xFFFF, "key " + e.getKey() + ": table + spill = sum");
        }
    }

    @Test
    void resourcesOfA1024SlotUnit(@TempDir Path dir) {
        // 1024 slots x (1 + 20 + 32) = 53 bits: a RAMB36 in 1K x 36 mode holds 36 of the bits and a
        // RAMB18 in 1K x 18 mode the other 17, so 1.5 BRAM36 (2 if Yosys rounds the second up)
        HashAccumulator h = new HashAccumulator(new HashUnit(20, 32, 1024));
        ResourceReport r = GeneratedRtl.generate(h.build(), dir.resolve("h")).estimate();
        System.out.println("hash_accumulator k20 v32 d1024:\n" + r.toTable());
        assertEquals(0, r.dsp(), r.toTable());
        assertTrue(r.bram36() >= 1.5 && r.bram36() <= 2.0, r.toTable());
    }
}
