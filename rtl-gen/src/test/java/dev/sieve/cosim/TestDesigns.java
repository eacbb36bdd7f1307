package dev.sieve.cosim;

import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The designs the cosim tests share; each is compiled (or fetched from the cache) once per JVM. */
final class TestDesigns {
    private static final Map<String, CompiledDesign> COMPILED = new ConcurrentHashMap<>();

    private TestDesigns() {}

    static Path resource(String name) {
        try {
            return Path.of(TestDesigns.class.getResource("/cosim/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource cosim/" + name, e);
        }
    }

    static CompiledDesign mac8() {
        return COMPILED.computeIfAbsent("mac8",
                k -> Verilator.compile(List.of(CosimBench.referenceDesign()), "mac8"));
    }

    static CompiledDesign wideAcc() {
        return COMPILED.computeIfAbsent("wide_acc",
                k -> Verilator.compile(List.of(resource("wide_acc.v")), "wide_acc"));
    }

    static CompiledDesign scaler(int k) {
        return COMPILED.computeIfAbsent("scaler" + k,
                key -> Verilator.compile(List.of(resource("scaler.v")), "scaler", Map.of("K", k)));
    }

    static CompiledDesign combXor() {
        return COMPILED.computeIfAbsent("comb_xor",
                k -> Verilator.compile(List.of(resource("comb_xor.v")), "comb_xor"));
    }

    static BigInteger mask(int width) {
        return BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    }

    /** Java model of wide_acc.v: s = x + y (101 bits), r accumulates x (100 bits), nq = ~q. */
    static class WideAccModel implements CycleModel {
        private static final List<Port> PORTS = List.of(Port.input("rst", 1), Port.input("x", 100),
                Port.input("y", 100), Port.input("q", 64), Port.output("s", 101), Port.output("r", 100),
                Port.output("nq", 64));
        private boolean rst;
        private BigInteger x = BigInteger.ZERO;
        private BigInteger y = BigInteger.ZERO;
        private long q;
        private BigInteger r = BigInteger.ZERO;

        @Override
        public List<Port> ports() {
            return PORTS;
        }

        @Override
        public void reset() {
            r = BigInteger.ZERO;
        }

        @Override
        public void setInput(int port, long value) {
            switch (port) {
                case 0 -> rst = value != 0;
                case 3 -> q = value;
                default -> throw new IllegalArgumentException("narrow input " + port);
            }
        }

        @Override
        public void setInput(int port, BigInteger value) {
            switch (port) {
                case 1 -> x = value;
                case 2 -> y = value;
                default -> throw new IllegalArgumentException("wide input " + port);
            }
        }

        @Override
        public void tick() {
            r = rst ? BigInteger.ZERO : r.add(x).and(mask(100));
        }

        @Override
        public long output(int port) {
            if (port == 6) {
                return ~q;
            }
            throw new IllegalArgumentException("narrow output " + port);
        }

        @Override
        public BigInteger outputWide(int port) {
            return switch (port) {
                case 4 -> x.add(y);
                case 5 -> r;
                default -> throw new IllegalArgumentException("wide output " + port);
            };
        }
    }

    /** Java model of comb_xor.v: no state, outputs computed from the applied inputs. */
    static final class CombXorModel implements CycleModel {
        private static final List<Port> PORTS = List.of(Port.input("a", 16), Port.input("b", 16),
                Port.output("y", 16), Port.output("parity", 1));
        private long a;
        private long b;

        @Override
        public List<Port> ports() {
            return PORTS;
        }

        @Override
        public void reset() {}

        @Override
        public void setInput(int port, long value) {
            if (port == 0) {
                a = value;
            } else {
                b = value;
            }
        }

        @Override
        public void tick() {}

        @Override
        public long output(int port) {
            return port == 2 ? a ^ b : Long.bitCount(a ^ b) & 1;
        }
    }
}
