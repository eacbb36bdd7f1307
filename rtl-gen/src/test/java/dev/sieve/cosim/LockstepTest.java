package dev.sieve.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lockstep checking of RTL against Java golden models. */
class LockstepTest {

    @Test
    void correctModelPassesOnRandomStimulus() {
        LockstepResult r = Lockstep.of(TestDesigns.mac8(), new Mac8Model()).cycles(200_000).seed(3).check();
        assertTrue(r.passed());
        assertEquals(200_000, r.cycles());
    }

    @Test
    void correctModelPassesWithRandomResetsAndUserStimulus() {
        LockstepResult r = Lockstep.of(TestDesigns.mac8(), new Mac8Model())
                .cycles(20_000)
                .batchCycles(777) // batch boundaries must not matter
                .drive("rst", c -> c % 1000 == 999 ? 1 : 0)
                .drive("en", c -> (c / 3) & 1)
                .run();
        assertTrue(r.passed(), () -> r.mismatch().orElseThrow().describe());
    }

    @Test
    void wideModelPassesOnRandomStimulus() {
        LockstepResult r = Lockstep.of(TestDesigns.wideAcc(), new TestDesigns.WideAccModel()).cycles(20_000).check();
        assertEquals(20_000, r.cycles());
    }

    @Test
    void combinationalModelPasses() {
        LockstepResult r = Lockstep.of(TestDesigns.combXor(), new TestDesigns.CombXorModel()).cycles(50_000).check();
        assertEquals(50_000, r.cycles());
    }

    @Test
    void catchesAModelThatIsOneCycleLate(@TempDir Path waves) throws Exception {
        // en rises at cycle 10 with a = 3, b = 5: after that edge the RTL shows acc = 15, while a model
        // that presents its accumulator one cycle late still shows 0.
        LockstepResult r = Lockstep.of(TestDesigns.mac8(), new LateMac8Model())
                .cycles(1000)
                .drive("en", c -> c >= 10 ? 1 : 0)
                .drive("a", c -> 3)
                .drive("b", c -> 5)
                .waveformDir(waves)
                .run();
        Mismatch m = r.mismatch().orElseThrow();
        assertEquals(10, m.cycle());
        assertEquals("acc", m.port().name());
        assertEquals("0x000000", m.expectedHex());
        assertEquals("0x00000f", m.actualHex());
        assertWaveform(m, waves);
        assertEquals(2 * (2 + 10) + 1, m.waveformTime(), "two reset cycles, then cycle 10's rising edge");
        assertTrue(Files.readString(m.waveform()).contains("\n#" + m.waveformTime() + "\n"));
    }

    @Test
    void catchesAModelWithOneWrongBit(@TempDir Path waves) throws Exception {
        // a = cycle mod 256 and b = 200: a + b first needs bit 8 at cycle 56 (56 + 200 = 256),
        // which the faulty model drops.
        LockstepResult r = Lockstep.of(TestDesigns.mac8(), new DroppedCarryMac8Model())
                .cycles(10_000)
                .drive("a", c -> c & 0xFF)
                .drive("b", c -> 200)
                .waveformDir(waves)
                .run();
        Mismatch m = r.mismatch().orElseThrow();
        assertEquals(56, m.cycle());
        assertEquals(new Port("sum", 9, Direction.OUTPUT), m.port());
        assertEquals("0x000", m.expectedHex());
        assertEquals("0x100", m.actualHex());
        assertWaveform(m, waves);
        CosimMismatchException e = assertThrows(CosimMismatchException.class,
                () -> Lockstep.of(TestDesigns.mac8(), new DroppedCarryMac8Model()).drive("a", c -> c & 0xFF)
                        .drive("b", c -> 200).waveformDir(waves).check());
        assertTrue(e.getMessage().contains("cycle 56, port sum[9]: expected 0x000 (Java model), actual 0x100 (RTL)"),
                e.getMessage());
        assertTrue(e.getMessage().contains(m.waveform().toString()), e.getMessage());
    }

    @Test
    void catchesAWrongBitInAPortWiderThan64Bits(@TempDir Path waves) {
        CycleModel faulty = new TestDesigns.WideAccModel() {
            @Override
            public BigInteger outputWide(int port) {
                BigInteger v = super.outputWide(port);
                return port == 5 ? v.clearBit(97) : v; // r with bit 97 stuck at 0
            }
        };
        Mismatch m = Lockstep.of(TestDesigns.wideAcc(), faulty).cycles(1000).waveformDir(waves).run()
                .mismatch().orElseThrow();
        assertEquals("r", m.port().name());
        assertTrue(m.actual().testBit(97));
        assertEquals(m.actual().clearBit(97), m.expected());
        assertEquals(2 + 25, m.expectedHex().length(), "0x and 25 hex digits for 100 bits");
    }

    @Test
    void portMismatchIsAnErrorBeforeAnyCycleRuns() {
        CountingModel model = new CountingModel(List.of(Port.input("rst", 1), Port.input("a", 8),
                Port.input("b", 9), Port.output("acc", 23), Port.output("sum", 9), Port.output("extra", 4)));
        PortMismatchException e = assertThrows(PortMismatchException.class,
                () -> Lockstep.of(TestDesigns.mac8(), model).cycles(100).run());
        String msg = e.getMessage();
        assertTrue(msg.contains("'b': RTL has input b[8], Java model has input b[9]"), msg);
        assertTrue(msg.contains("'acc': RTL has output acc[24], Java model has output acc[23]"), msg);
        assertTrue(msg.contains("RTL port input en[1] is missing from the Java model"), msg);
        assertTrue(msg.contains("Java model port output extra[4] does not exist in the RTL"), msg);
        assertEquals(4, e.problems().size());
        assertEquals(0, model.calls, "nothing ran");
    }

    @Test
    void directionMismatchIsAPortMismatch() {
        CountingModel model = new CountingModel(List.of(Port.input("rst", 1), Port.input("en", 1),
                Port.input("a", 8), Port.input("b", 8), Port.output("acc", 24), Port.input("sum", 9)));
        PortMismatchException e = assertThrows(PortMismatchException.class,
                () -> Lockstep.checkPorts(TestDesigns.mac8(), model));
        assertEquals(List.of("port 'sum': RTL has output sum[9], Java model has input sum[9]"), e.problems());
    }

    private static void assertWaveform(Mismatch m, Path dir) throws Exception {
        assertTrue(m.waveform() != null && Files.isRegularFile(m.waveform()), "waveform written: " + m);
        assertTrue(Files.size(m.waveform()) > 0);
        assertEquals(dir.toAbsolutePath(), m.waveform().getParent());
        assertTrue(m.waveform().getFileName().toString().endsWith("-cycle" + m.cycle() + ".vcd"));
    }

    /** Presents acc one cycle late: the value before the latest edge. */
    static final class LateMac8Model extends ForwardingCycleModel {
        private long shown;

        LateMac8Model() {
            super(new Mac8Model());
        }

        @Override
        public void reset() {
            inner.reset();
            shown = 0;
        }

        @Override
        public void tick() {
            shown = inner.output(Mac8Model.ACC);
            inner.tick();
        }

        @Override
        public long output(int port) {
            return port == Mac8Model.ACC ? shown : inner.output(port);
        }
    }

    /** Drops the carry (bit 8) of sum. */
    static final class DroppedCarryMac8Model extends ForwardingCycleModel {
        DroppedCarryMac8Model() {
            super(new Mac8Model());
        }

        @Override
        public long output(int port) {
            long v = inner.output(port);
            return port == Mac8Model.SUM ? v & 0xFF : v;
        }
    }

    /** Declares the given ports and counts every call that would mean a run started. */
    static final class CountingModel implements CycleModel {
        private final List<Port> ports;
        int calls;

        CountingModel(List<Port> ports) {
            this.ports = ports;
        }

        @Override
        public List<Port> ports() {
            return ports;
        }

        @Override
        public void reset() {
            calls++;
        }

        @Override
        public void setInput(int port, long value) {
            calls++;
        }

        @Override
        public void tick() {
            calls++;
        }

        @Override
        public long output(int port) {
            calls++;
            return 0;
        }
    }
}
