package dev.sieve.cosim.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.ForwardingCycleModel;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.cosim.Mismatch;
import dev.sieve.cosim.Port;
import dev.sieve.cosim.PortMismatchException;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.lib.AdderTree;
import dev.sieve.hdl.lib.Counter;
import dev.sieve.hdl.lib.DelayLine;
import dev.sieve.hdl.lib.Fifo;
import dev.sieve.hdl.lib.Mac;
import dev.sieve.hdl.lib.Ram;
import dev.sieve.hdl.lib.StreamStage;
import dev.sieve.hdl.lib.model.AdderTreeModel;
import dev.sieve.hdl.lib.model.CounterModel;
import dev.sieve.hdl.lib.model.DelayLineModel;
import dev.sieve.hdl.lib.model.FifoModel;
import dev.sieve.hdl.lib.model.MacModel;
import dev.sieve.hdl.lib.model.RamModel;
import dev.sieve.hdl.lib.model.StreamStageModel;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library blocks, generated over several parameter values, run in lockstep with their Java
 * models under seeded random stimulus (with occasional resets) and agree on every output bit of
 * every cycle. The last tests show that the checker catches a model one cycle late and a model
 * with one wrong bit.
 */
class LibraryCosimTest {

    private static final long CYCLES = 20_000;

    /** A pseudo-random bit that is high with probability {@code p}, a pure function of the cycle. */
    private static long bit(long seed, long cycle, double p) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + cycle).nextDouble() < p ? 1 : 0;
    }

    private static LockstepResult lockstep(CompiledDesign design, CycleModel model, long seed, Lockstep... unused) {
        Lockstep run = Lockstep.of(design, model).cycles(CYCLES).seed(seed);
        if (design.hasReset()) {
            run.drive("rst", c -> c % 1_999 == 1_998 ? 1 : 0); // a reset now and then, mid-traffic
        }
        return run.check();
    }

    @ParameterizedTest(name = "modulus {0}")
    @ValueSource(longs = {2, 10, 256})
    void counterMatchesModel(long modulus) {
        Counter.Config cfg = new Counter.Config(modulus);
        CompiledDesign d = Verilator.compile(new Counter(cfg).build());
        Lockstep.of(d, new CounterModel(cfg)).cycles(CYCLES).seed(modulus)
                .drive("enable", c -> bit(1, c, 0.8)).drive("clear", c -> bit(2, c, 0.01))
                .drive("rst", c -> c % 2_999 == 7 ? 1 : 0).check();
    }

    @ParameterizedTest(name = "width {0}, depth {1}")
    @org.junit.jupiter.params.provider.CsvSource({"1, 2", "8, 5", "16, 16", "70, 4"})
    void fifoMatchesModelUnderRandomBackpressure(int width, int depth) {
        Fifo.Config cfg = new Fifo.Config(width, depth);
        CompiledDesign d = Verilator.compile(new Fifo(cfg).build());
        for (double pIn : new double[] {0.3, 0.9}) {
            Lockstep.of(d, new FifoModel(cfg)).cycles(CYCLES).seed(width * 31L + depth)
                    .drive("in_valid", c -> bit(3, c, pIn)).drive("out_ready", c -> bit(4, c, 0.6))
                    .drive("rst", c -> c % 4_001 == 4_000 ? 1 : 0).check();
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {1, 100})
    void streamStageMatchesModel(int width) {
        StreamStage.Config cfg = new StreamStage.Config(width);
        CompiledDesign d = Verilator.compile(new StreamStage(cfg).build());
        lockstep(d, new StreamStageModel(cfg), width);
    }

    @Test
    void macMatchesModelSignedUnsignedAndWide() {
        for (Mac.Config cfg : List.of(new Mac.Config(8, 8, 24, true), new Mac.Config(16, 12, 32, false),
                new Mac.Config(32, 32, 96, true))) {
            CompiledDesign d = Verilator.compile(new Mac(cfg).build());
            Lockstep.of(d, new MacModel(cfg)).cycles(CYCLES).seed(cfg.accWidth())
                    .drive("valid", c -> bit(5, c, 0.7)).drive("clear", c -> bit(6, c, 0.05)).check();
        }
    }

    @Test
    void adderTreeMatchesModelCombinationalAndPipelined() {
        for (AdderTree.Config cfg : List.of(new AdderTree.Config(8, 7, true, false),
                new AdderTree.Config(1, 2, false, false), new AdderTree.Config(16, 16, true, true),
                new AdderTree.Config(12, 5, false, true))) {
            CompiledDesign d = Verilator.compile(new AdderTree(cfg).build());
            lockstep(d, new AdderTreeModel(cfg), cfg.width() * 100L + cfg.count());
        }
    }

    @Test
    void delayLineMatchesModel() {
        DelayLine.Config cfg = new DelayLine.Config(13, 5);
        lockstep(Verilator.compile(new DelayLine(cfg).build()), new DelayLineModel(cfg), 9);
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {3, 64})
    void ramMatchesModelReadFirst(int depth) {
        Ram.Config cfg = new Ram.Config(16, depth);
        CompiledDesign d = Verilator.compile(new Ram(cfg).build());
        // a narrow address range makes same-address read/write collisions frequent
        Lockstep.of(d, new RamModel(cfg)).cycles(CYCLES).seed(depth)
                .drive("wr_addr", c -> new SplittableRandom(c).nextInt(Math.min(depth, 4)))
                .drive("rd_addr", c -> new SplittableRandom(c + 77).nextInt(Math.min(depth, 4))).check();
    }

    // ---- the checker catches wrong models

    @Test
    void checkerCatchesAModelOneCycleLate() throws Exception {
        Counter.Config cfg = new Counter.Config(10);
        CompiledDesign d = Verilator.compile(new Counter(cfg).build());
        LockstepResult r = Lockstep.of(d, new OneCycleLate(new CounterModel(cfg), 3)).cycles(1_000)
                .drive("enable", c -> 1).drive("clear", c -> 0).run();
        Mismatch m = r.mismatch().orElseThrow();
        // enabled every cycle: the RTL shows 1 after the first edge, the late model still 0
        assertEquals(0, m.cycle());
        assertEquals("value", m.port().name());
        assertEquals(0, m.expected().intValue());
        assertEquals(1, m.actual().intValue());
        assertTrue(Files.size(m.waveform()) > 0, "a waveform is written for the failing run");
    }

    @Test
    void checkerCatchesAModelWithOneWrongBit() throws Exception {
        Fifo.Config cfg = new Fifo.Config(8, 4);
        CompiledDesign d = Verilator.compile(new Fifo(cfg).build());
        FifoModel good = new FifoModel(cfg);
        CycleModel bad = new ForwardingCycleModel(good) {
            @Override
            public long output(int port) {
                long v = good.output(port);
                return port == good.portIndex("count") && v == 3 ? v ^ 0b100 : v; // one bit wrong, only at 3
            }
        };
        LockstepResult r = Lockstep.of(d, bad).cycles(5_000).drive("in_valid", c -> 1).drive("out_ready", c -> 0).run();
        Mismatch m = r.mismatch().orElseThrow();
        assertEquals(2, m.cycle(), "third push makes count 3");
        assertEquals("count", m.port().name());
        assertEquals(7, m.expected().intValue());
        assertEquals(3, m.actual().intValue());
        assertTrue(Files.size(m.waveform()) > 0);
    }

    @Test
    void modelWithAWrongPortWidthIsRejectedBeforeTheRun() {
        Counter.Config cfg = new Counter.Config(10);
        CompiledDesign d = Verilator.compile(new Counter(cfg).build());
        CycleModel wrong = new ForwardingCycleModel(new CounterModel(cfg)) {
            @Override
            public List<Port> ports() {
                return List.of(Port.input("rst", 1), Port.input("enable", 1), Port.input("clear", 1),
                        Port.output("value", 5), Port.output("wrap", 1));
            }
        };
        Executable run = () -> Lockstep.of(d, wrong).cycles(10).run();
        PortMismatchException e = org.junit.jupiter.api.Assertions.assertThrows(PortMismatchException.class, run);
        assertTrue(e.getMessage().contains("value"), e.getMessage());
    }

    /** Shows output {@code port} one cycle after the inner model does. */
    private static final class OneCycleLate extends ForwardingCycleModel {
        private final int port;
        private long shown;

        OneCycleLate(CycleModel inner, int port) {
            super(inner);
            this.port = port;
        }

        @Override
        public void reset() {
            super.reset();
            shown = inner.output(port);
        }

        @Override
        public void tick() {
            shown = inner.output(port);
            super.tick();
        }

        @Override
        public long output(int p) {
            return p == port ? shown : super.output(p);
        }
    }
}
