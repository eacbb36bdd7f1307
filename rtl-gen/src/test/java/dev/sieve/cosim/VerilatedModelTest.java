package dev.sieve.cosim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Driving one Verilated model from Java: ports, single steps, resets, batches and waveforms. */
class VerilatedModelTest {

    @Test
    void portTableComesFromTheRtlWithClockAndResetRecognised() {
        CompiledDesign mac = TestDesigns.mac8();
        assertEquals(List.of("clk", "rst", "en", "a", "b", "acc", "sum"),
                mac.ports().stream().map(Port::name).sorted((x, y) -> order(x) - order(y)).toList());
        assertEquals(new Port("acc", 24, Direction.OUTPUT), mac.port("acc").orElseThrow());
        assertEquals(new Port("a", 8, Direction.INPUT), mac.port("a").orElseThrow());
        assertTrue(mac.hasClock());
        assertTrue(mac.hasReset());
        assertEquals(-1, mac.inputLayout().indexOf("clk"), "the clock is driven natively, never from a frame");
    }

    private static int order(String name) {
        return List.of("clk", "rst", "en", "a", "b", "acc", "sum").indexOf(name);
    }

    @Test
    void registeredOutputChangesOnlyOnTheRisingEdge() {
        try (VerilatedModel m = TestDesigns.mac8().newModel()) {
            m.reset(2);
            m.poke("en", 1);
            m.poke("a", 7);
            m.poke("b", 6);
            assertEquals(0, m.peekLong("acc"), "before the edge");
            m.step(1);
            assertEquals(42, m.peekLong("acc"), "0 + 7*6 after one edge");
            m.step(3);
            assertEquals(4 * 42, m.peekLong("acc"));
            m.poke("en", 0);
            m.step(5);
            assertEquals(4 * 42, m.peekLong("acc"), "en = 0 holds the accumulator");
            assertEquals(2 + 1 + 3 + 5, m.cycles());
        }
    }

    @Test
    void combinationalOutputFollowsPokedInputsWithoutAClock() {
        try (VerilatedModel m = TestDesigns.mac8().newModel()) {
            m.poke("a", 200);
            m.poke("b", 100);
            assertEquals(300, m.peekLong("sum"), "9-bit sum keeps the carry");
            assertEquals(BigInteger.valueOf(300), m.peek("sum"));
        }
    }

    @Test
    void resetHoldsRstHighThenReleasesIt() {
        try (VerilatedModel m = TestDesigns.mac8().newModel()) {
            m.poke("en", 1);
            m.poke("a", 255);
            m.poke("b", 255);
            m.step(3);
            assertEquals(3L * 255 * 255, m.peekLong("acc"));
            m.reset(1);
            assertEquals(0, m.peekLong("acc"));
            assertEquals(0, m.peekLong("rst"), "rst is released after the reset cycles");
            m.step(1);
            assertEquals(255 * 255, m.peekLong("acc"));
        }
    }

    @Test
    void pokeRejectsValuesWiderThanThePortAndWritesToOutputs() {
        try (VerilatedModel m = TestDesigns.mac8().newModel()) {
            assertThrows(IllegalArgumentException.class, () -> m.poke("a", 256));
            assertThrows(IllegalArgumentException.class, () -> m.poke("a", -1));
            assertThrows(IllegalArgumentException.class, () -> m.poke("acc", 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.poke("nope", 1));
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
        }
    }

    @Test
    void widePortsOver64BitsRoundTripExactly() {
        BigInteger x = BigInteger.ONE.shiftLeft(99).add(BigInteger.valueOf(0x1234_5678_9ABCL)).add(BigInteger.ONE.shiftLeft(70));
        BigInteger y = TestDesigns.mask(100); // all ones: x + y carries into bit 100
        try (VerilatedModel m = TestDesigns.wideAcc().newModel()) {
            assertEquals(new Port("s", 101, Direction.OUTPUT), m.design().port("s").orElseThrow());
            m.reset(1);
            m.poke("x", x);
            m.poke("y", y);
            m.poke("q", 0x0123_4567_89AB_CDEFL);
            assertEquals(x.add(y), m.peek("s"), "101-bit combinational sum");
            assertEquals(~0x0123_4567_89AB_CDEFL, m.peekLong("nq"), "exactly 64 bits uses all of a long");
            m.step(2);
            assertEquals(x.shiftLeft(1).and(TestDesigns.mask(100)), m.peek("r"), "r = 2x mod 2^100");
            assertThrows(IllegalArgumentException.class, () -> m.peekLong("r"));
            assertThrows(IllegalArgumentException.class, () -> m.poke("x", BigInteger.ONE.shiftLeft(100)));
        }
    }

    @Test
    void batchedRunEqualsStepByStep() {
        CompiledDesign mac = TestDesigns.mac8();
        int cycles = 2000;
        Random rnd = new Random(7);
        try (VerilatedModel stepped = mac.newModel(); VerilatedModel batched = mac.newModel()) {
            CycleBuffer in = batched.newInputBuffer(cycles);
            CycleBuffer out = batched.newOutputBuffer(cycles);
            stepped.reset(2);
            batched.reset(2);
            long[][] expected = new long[cycles][];
            for (int k = 0; k < cycles; k++) {
                long rst = rnd.nextInt(50) == 0 ? 1 : 0;
                long en = rnd.nextInt(2);
                long a = rnd.nextInt(256);
                long b = rnd.nextInt(256);
                in.set(k, "rst", rst);
                in.set(k, "en", en);
                in.set(k, "a", a);
                in.set(k, "b", b);
                stepped.poke("rst", rst);
                stepped.poke("en", en);
                stepped.poke("a", a);
                stepped.poke("b", b);
                stepped.step(1);
                expected[k] = new long[] {stepped.peekLong("acc"), stepped.peekLong("sum")};
            }
            batched.runBatch(in, out);
            for (int k = 0; k < cycles; k++) {
                assertArrayEquals(expected[k], new long[] {out.getLong(k, "acc"), out.getLong(k, "sum")},
                        "cycle " + k);
            }
            assertEquals(stepped.peekLong("acc"), batched.peekLong("acc"));
            assertEquals(stepped.cycles(), batched.cycles());
        }
    }

    @Test
    void batchedRunEqualsStepByStepForWidePorts() {
        CompiledDesign wide = TestDesigns.wideAcc();
        int cycles = 300;
        Random rnd = new Random(11);
        try (VerilatedModel stepped = wide.newModel(); VerilatedModel batched = wide.newModel()) {
            CycleBuffer in = batched.newInputBuffer(cycles);
            CycleBuffer out = batched.newOutputBuffer(cycles);
            stepped.reset(1);
            batched.reset(1);
            BigInteger[][] expected = new BigInteger[cycles][];
            for (int k = 0; k < cycles; k++) {
                BigInteger x = new BigInteger(100, rnd);
                BigInteger y = new BigInteger(100, rnd);
                BigInteger q = new BigInteger(64, rnd);
                in.set(k, "x", x);
                in.set(k, "y", y);
                in.set(k, "q", q);
                stepped.poke("x", x);
                stepped.poke("y", y);
                stepped.poke("q", q);
                stepped.step(1);
                expected[k] = new BigInteger[] {stepped.peek("s"), stepped.peek("r"), stepped.peek("nq")};
            }
            batched.runBatch(in, out, 0); // an empty batch runs nothing
            assertEquals(1, batched.cycles());
            batched.runBatch(in, out);
            for (int k = 0; k < cycles; k++) {
                assertArrayEquals(expected[k], new BigInteger[] {out.get(k, "s"), out.get(k, "r"), out.get(k, "nq")},
                        "cycle " + k);
            }
        }
    }

    @Test
    void traceWritesAVcdOfTheCyclesRun(@TempDir Path dir) throws Exception {
        Path vcd = dir.resolve("waves/mac.vcd");
        try (VerilatedModel m = TestDesigns.mac8().traced().newModel()) {
            m.enableTrace(vcd);
            m.reset(1);
            m.poke("en", 1);
            m.poke("a", 3);
            m.poke("b", 4);
            m.step(2);
            assertThrows(IllegalStateException.class, () -> m.enableTrace(dir.resolve("other.vcd")));
        }
        String text = Files.readString(vcd);
        assertTrue(text.contains("$enddefinitions"), "VCD header");
        assertTrue(text.contains(" acc "), "acc is traced");
        assertTrue(text.contains("\n#5\n"), "three cycles: times 0..5, rising edges at odd times");
        assertFalse(text.contains("\n#6\n"));
    }

    @Test
    void designsBuildWithoutTracingAndTracedIsASecondBuildThatTraces(@TempDir Path dir) {
        CompiledDesign plain = TestDesigns.mac8();
        assertFalse(plain.hasTrace(), "the harness builds without --trace");
        try (VerilatedModel m = plain.newModel()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.enableTrace(dir.resolve("waves/no.vcd")));
            assertTrue(e.getMessage().contains("was built without --trace"), e.getMessage());
            assertNull(m.tracePath());
        }
        assertFalse(Files.exists(dir.resolve("waves")), "a refused waveform creates nothing");

        CompiledDesign traced = plain.traced();
        assertTrue(traced.hasTrace());
        assertNotEquals(plain.hash(), traced.hash(), "the traced build is cached apart");
        assertEquals(plain.ports(), traced.ports());
        assertSame(traced, plain.traced(), "built once per design object");
        assertSame(traced, traced.traced());
        // both builds run the same cycles: the trace changes what is recorded, not what is computed
        try (VerilatedModel a = plain.newModel(); VerilatedModel b = traced.newModel()) {
            Random rnd = new Random(15);
            a.reset(1);
            b.reset(1);
            for (int k = 0; k < 200; k++) {
                long en = rnd.nextInt(2);
                long x = rnd.nextInt(256);
                long y = rnd.nextInt(256);
                for (VerilatedModel m : List.of(a, b)) {
                    m.poke("en", en);
                    m.poke("a", x);
                    m.poke("b", y);
                    m.step(1);
                }
                assertEquals(a.peekLong("acc"), b.peekLong("acc"), "cycle " + k);
                assertEquals(a.peekLong("sum"), b.peekLong("sum"), "cycle " + k);
            }
        }
    }

    @Test
    void designWithoutClockIsDrivenAsCombinationalLogic() {
        CompiledDesign xor = TestDesigns.combXor();
        assertFalse(xor.hasClock());
        assertFalse(xor.hasReset());
        try (VerilatedModel m = xor.newModel()) {
            m.poke("a", 0xF0F0);
            m.poke("b", 0x0FF1);
            assertEquals(0xFF01, m.peekLong("y"));
            assertEquals(1, m.peekLong("parity"));
            CycleBuffer in = m.newInputBuffer(2);
            CycleBuffer out = m.newOutputBuffer(2);
            in.set(0, "a", 3);
            in.set(0, "b", 5);
            in.set(1, "a", 0xFFFF);
            m.runBatch(in, out);
            assertEquals(6, out.getLong(0, "y"));
            assertEquals(0, out.getLong(0, "parity"));
            assertEquals(0xFFFF, out.getLong(1, "y"));
        }
    }

    @Test
    void closedModelRefusesFurtherUse() {
        VerilatedModel m = TestDesigns.mac8().newModel();
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.step(1));
    }
}
