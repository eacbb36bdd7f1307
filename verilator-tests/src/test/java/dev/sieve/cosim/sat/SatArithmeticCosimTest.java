package dev.sieve.cosim.sat;

import dev.sieve.arch.fp.Fp32Ops;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.Bf16Multiplier;
import dev.sieve.hdl.sat.Fp32Adder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pipelined BF16 multiplier and FP32 adder RTL equal {@code Fp32Ops} bit for bit, with their latency. */
class SatArithmeticCosimTest {
    private static final int CYCLES = 300_000;

    /**
     * A pipelined model: {@code out = op(a, b)} of the operands {@code latency} cycles earlier; after a
     * reset (port 0) the operands before it count as zeros ({@code op(0, 0) = +0} for both units).
     */
    private static final class Pipelined implements CycleModel {
        private final List<Port> ports;
        private final java.util.function.IntBinaryOperator op;
        private final int latency;
        private final long[] in = new long[3];
        private final java.util.ArrayDeque<Integer> results = new java.util.ArrayDeque<>();
        private int shown;

        Pipelined(List<Port> ports, java.util.function.IntBinaryOperator op, int latency) {
            this.ports = ports;
            this.op = op;
            this.latency = latency;
            reset();
        }

        @Override
        public List<Port> ports() {
            return ports;
        }

        @Override
        public void reset() {
            results.clear();
            for (int i = 0; i < latency - 1; i++) {
                results.addLast(op.applyAsInt(0, 0));
            }
            shown = op.applyAsInt(0, 0);
        }

        @Override
        public void setInput(int port, long value) {
            in[port] = value;
        }

        @Override
        public void tick() {
            if (in[0] != 0) {
                reset();
                return;
            }
            results.addLast(op.applyAsInt((int) in[1], (int) in[2]));
            shown = results.removeFirst();
        }

        @Override
        public long output(int port) {
            return shown & 0xFFFF_FFFFL;
        }
    }

    /** FP32 operands: half from the SAT value mix widened, half raw bits near each other. */
    private static long[] fp32Operands(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] v = new long[2 * CYCLES];
        for (int i = 0; i < CYCLES; i++) {
            int a = rnd.nextBoolean() ? SatValues.bf16(rnd, 5) << 16 | rnd.nextInt(1 << 16) : rnd.nextInt();
            int b = switch (rnd.nextInt(5)) {
                case 0 -> a ^ 0x8000_0000; // exact cancellation
                case 1 -> (a ^ 0x8000_0000) + rnd.nextInt(-5, 6); // near cancellation
                case 2 -> a + (rnd.nextInt(-30, 31) << 23); // exponent gaps around the shifter's limits
                case 3 -> SatValues.bf16(rnd, 5) << 16;
                default -> rnd.nextInt();
            };
            v[2 * i] = a & 0xFFFF_FFFFL;
            v[2 * i + 1] = b & 0xFFFF_FFFFL;
        }
        return v;
    }

    @Test
    void fp32AdderMatchesTheReferenceOnEdgeAndRandomOperands() {
        Fp32Adder adder = new Fp32Adder();
        CompiledDesign rtl = SatDesigns.compile(() -> adder);
        long[] ops = fp32Operands(11);
        CycleModel model = new Pipelined(List.of(Port.input("rst", 1), Port.input("a", 32), Port.input("b", 32),
                Port.output("sum", 32)), Fp32Ops::add, adder.latency());
        LockstepResult r = Lockstep.of(rtl, model).cycles(CYCLES)
                .drive("a", c -> ops[(int) (2 * c)]).drive("b", c -> ops[(int) (2 * c + 1)])
                .drive("rst", c -> c % 50_000 == 49_999 ? 1 : 0).check();
        assertEquals(CYCLES, r.cycles());
    }

    @Test
    void bf16MultiplierMatchesTheReferenceOnEveryOperandClass() {
        CompiledDesign rtl = SatDesigns.compile(Bf16Multiplier::new);
        SplittableRandom rnd = new SplittableRandom(5);
        long[] a = new long[CYCLES];
        long[] b = new long[CYCLES];
        for (int i = 0; i < CYCLES; i++) {
            a[i] = i < 65536 ? i : SatValues.bf16(rnd, 5); // every BF16 value once as a, then the mix
            b[i] = rnd.nextBoolean() ? SatValues.bf16(rnd, 5) : rnd.nextInt(1 << 16);
        }
        CycleModel model = new Pipelined(List.of(Port.input("rst", 1), Port.input("a", 16), Port.input("b", 16),
                Port.output("product", 32)), Fp32Ops::mulBf16, Bf16Multiplier.LATENCY);
        LockstepResult r = Lockstep.of(rtl, model).cycles(CYCLES)
                .drive("a", c -> a[(int) c]).drive("b", c -> b[(int) c])
                .drive("rst", c -> c % 50_000 == 49_999 ? 1 : 0).check();
        assertEquals(CYCLES, r.cycles());
    }
}
