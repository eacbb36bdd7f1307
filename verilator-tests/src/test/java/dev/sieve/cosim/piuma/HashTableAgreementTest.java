package dev.sieve.cosim.piuma;

import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.cosim.Verilator;
import dev.sieve.dataflow.piuma.LinearProbeTable;
import dev.sieve.hdl.piuma.HashAccumulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PIUMA model's scratchpad table ({@link LinearProbeTable}, what the cycle model counts probes
 * with) and the Verilated hash-accumulate unit ({@link HashAccumulator}) are the same table: fed the
 * same key streams, they agree for every request on the key's home slot and its probe count, and at
 * the end of every round on the drained (slot, key, sum) sequence. The streams are seeded random
 * keys, and adversarial ones: keys that all share the second-to-last home slot, so their probe
 * chain wraps around the table's end, mixed with keys whose homes are the first slots the chain
 * runs over. A change to either side's hash or probe rule breaks the agreement.
 *
 * <p>The unit is observed at its ports only. One request at a time: the cycles from its acceptance
 * until {@code busy} falls are its probes (one compare per slot read). A drain with {@code
 * out_ready} high presents slot {@code s} in the {@code s}-th cycle after it starts, so each key's
 * slot is read off the cycle it leaves; its home is that slot minus the probes of its first insert
 * (linear probing never moves a key). The two designs are those {@link HashAccumulatorCosimTest}
 * compiles (the Verilator cache serves them).
 */
class HashTableAgreementTest {

    /** What one side did with a stream: per request the home slot and probes, per round the drained slots. */
    record Trace(List<String> requests, List<String> drained) {
    }

    @ParameterizedTest(name = "key {0} bits, value {1} bits, {2} slots")
    @CsvSource({"16, 16, 64", "20, 32, 256"})
    void modelTableAndVerilatedUnitAgreeOnHomesProbesAndDrains(int keyWidth, int valueWidth, int slots) {
        HashUnit unit = new HashUnit(keyWidth, valueWidth, slots);
        CompiledDesign design = Verilator.compile(new HashAccumulator(unit).build());
        List<long[][]> rounds = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(keyWidth * 31L + slots);
        for (int round = 0; round < 6; round++) {
            rounds.add(randomRound(r, unit, round % 2 == 0 ? slots / 2 : 3 * slots / 4));
        }
        rounds.add(wrappingRound(r, unit));
        rounds.add(wrappingRound(r, unit));

        Trace model = model(unit, rounds);
        Trace rtl = rtl(design, unit, rounds);
        for (int i = 0; i < model.requests().size(); i++) {
            assertEquals(model.requests().get(i), rtl.requests().get(i), "request " + i + " (model vs RTL)");
        }
        assertEquals(model.requests().size(), rtl.requests().size());
        assertEquals(model.drained(), rtl.drained(), "drained (round, slot, key, sum)");

        // the streams exercise what they are meant to: collisions, long chains, a chain over the end
        long collided = model.requests().stream().filter(s -> !s.endsWith(" probes 1")).count();
        int longest = model.requests().stream().mapToInt(s -> Integer.parseInt(s.substring(s.lastIndexOf(' ') + 1)))
                .max().orElse(0);
        assertTrue(collided > 100, "requests that probed past their home: " + collided);
        assertTrue(longest >= 8, "longest probe chain " + longest);
        assertTrue(wrapped(unit, model), "a probe chain wraps around the table's end");
    }

    /** Requests of {@code distinct} random keys, each sent one to six times in random order. */
    private static long[][] randomRound(SplittableRandom r, HashUnit unit, int distinct) {
        LinkedHashSet<Long> keys = new LinkedHashSet<>();
        while (keys.size() < distinct) {
            keys.add(r.nextLong(1L << unit.keyWidth()));
        }
        List<long[]> requests = new ArrayList<>();
        for (long k : keys) {
            int times = 1 + r.nextInt(6);
            for (int n = 0; n < times; n++) {
                requests.add(new long[] {k, 1 + r.nextInt(100)});
            }
        }
        java.util.Collections.shuffle(requests, new java.util.Random(r.nextLong()));
        return requests.toArray(new long[0][]);
    }

    /**
     * Half the table's worth of keys whose home is the second-to-last slot (their chain runs over the
     * end into slots 0, 1, ...), interleaved with keys whose homes are slots 0 .. 7, then every key
     * again.
     */
    private static long[][] wrappingRound(SplittableRandom r, HashUnit unit) {
        int last = unit.slots() - 1;
        List<Long> colliding = new ArrayList<>();
        List<Long> low = new ArrayList<>();
        LinkedHashSet<Long> seen = new LinkedHashSet<>();
        while (colliding.size() < unit.slots() / 2 || low.size() < 8) {
            long k = r.nextLong(1L << unit.keyWidth());
            int home = new LinearProbeTable(unit.slots()).home(k);
            if (home == last - 1 && colliding.size() < unit.slots() / 2 && seen.add(k)) {
                colliding.add(k);
            } else if (home < 8 && low.size() < 8 && seen.add(k)) {
                low.add(k);
            }
        }
        List<long[]> requests = new ArrayList<>();
        for (int i = 0; i < colliding.size(); i++) {
            requests.add(new long[] {colliding.get(i), 1 + r.nextInt(100)});
            if (i % 4 == 3 && i / 4 < low.size()) {
                requests.add(new long[] {low.get(i / 4), 1 + r.nextInt(100)});
            }
        }
        for (long k : seen) {
            requests.add(new long[] {k, 1 + r.nextInt(100)});
        }
        return requests.toArray(new long[0][]);
    }

    private static Trace model(HashUnit unit, List<long[][]> rounds) {
        LinearProbeTable table = new LinearProbeTable(unit.slots());
        long sumMask = (1L << unit.valueWidth()) - 1;
        List<String> requests = new ArrayList<>();
        List<String> drained = new ArrayList<>();
        for (int round = 0; round < rounds.size(); round++) {
            table.reset(unit.slots());
            for (long[] q : rounds.get(round)) {
                int home = table.home(q[0]);
                int probes = Math.abs(table.accumulate(q[0], q[1]));
                requests.add(request(round, q[0], home, probes));
            }
            for (int s = 0; s < table.size(); s++) {
                if (table.occupied(s)) {
                    drained.add(round + ": slot " + s + " key " + table.key(s) + " sum "
                            + ((long) table.sum(s) & sumMask));
                }
            }
        }
        return new Trace(requests, drained);
    }

    private static Trace rtl(CompiledDesign design, HashUnit unit, List<long[][]> rounds) {
        List<String> requests = new ArrayList<>();
        List<String> drained = new ArrayList<>();
        try (VerilatedModel hw = design.newModel()) {
            hw.poke("in_valid", 0);
            hw.poke("drain", 0);
            hw.poke("out_ready", 1);
            hw.reset(2);
            waitIdle(hw, unit.slots() + 4); // clearing after reset: one slot per cycle
            for (int round = 0; round < rounds.size(); round++) {
                Map<Long, Integer> firstProbes = new HashMap<>();
                List<long[]> sent = new ArrayList<>();
                for (long[] q : rounds.get(round)) {
                    hw.poke("in_key", q[0]);
                    hw.poke("in_value", q[1]);
                    hw.poke("in_valid", 1);
                    hw.eval();
                    assertEquals(1, hw.peekLong("in_ready"), "an idle unit accepts");
                    hw.step();
                    hw.poke("in_valid", 0);
                    int probes = waitIdle(hw, unit.slots() + 4);
                    firstProbes.putIfAbsent(q[0], probes);
                    sent.add(new long[] {q[0], probes});
                }
                // drain: slot s leaves s cycles after the start
                Map<Long, Integer> slotOf = new HashMap<>();
                hw.poke("drain", 1);
                hw.step();
                for (int s = 0; s < unit.slots(); s++) {
                    hw.eval();
                    if (hw.peekLong("out_valid") == 1) {
                        long key = hw.peekLong("out_key");
                        slotOf.put(key, s);
                        drained.add(round + ": slot " + s + " key " + key + " sum " + hw.peekLong("out_value"));
                    }
                    hw.step();
                }
                hw.poke("drain", 0);
                waitIdle(hw, 4);
                assertEquals(0, hw.peekLong("count"), "the drain empties the table");
                for (long[] q : sent) {
                    int slot = slotOf.getOrDefault(q[0], -1);
                    int home = slot < 0 ? -1 : Math.floorMod(slot - (firstProbes.get(q[0]) - 1), unit.slots());
                    requests.add(request(round, q[0], home, (int) q[1]));
                }
            }
        }
        return new Trace(requests, drained);
    }

    /** Steps until {@code busy} is low; returns the cycles it took. */
    private static int waitIdle(VerilatedModel hw, int limit) {
        int n = 0;
        while (true) {
            hw.eval();
            if (hw.peekLong("busy") == 0) {
                return n;
            }
            assertTrue(n < limit, "the unit stays busy for more than " + limit + " cycles");
            hw.step();
            n++;
        }
    }

    private static String request(int round, long key, int home, int probes) {
        return round + ": key " + key + " home " + home + " probes " + probes;
    }

    /** True when some key's probe chain crossed from the last slot to slot 0. */
    private static boolean wrapped(HashUnit unit, Trace model) {
        for (String s : model.requests()) {
            String[] f = s.split(" ");
            int home = Integer.parseInt(f[4]);
            int probes = Integer.parseInt(f[6]);
            if (home + probes - 1 >= unit.slots()) {
                return true;
            }
        }
        return false;
    }
}
