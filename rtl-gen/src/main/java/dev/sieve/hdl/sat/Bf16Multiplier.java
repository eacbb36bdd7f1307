package dev.sieve.hdl.sat;

import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * Combinational BF16 x BF16 -> FP32 multiplier with Sieve's semantics
 * ({@code dev.sieve.arch.fp.Fp32Ops#mulBf16}): the 8 x 8-bit significand product is exact in FP32;
 * overflow gives infinity, results below 2^-126 and subnormal inputs become signed zeros, and
 * NaN, Inf x 0 give the canonical NaN.
 */
public final class Bf16Multiplier extends Component {
    public final Signal a;
    public final Signal b;
    public final Signal product;

    private final Signal significands;
    private final Signal exponent;

    public Bf16Multiplier() {
        super("sat_bf16_mul");
        a = input("a", 16);
        b = input("b", 16);
        product = output("product", 32);

        Expr ea = a.slice(14, 7);
        Expr eb = b.slice(14, 7);
        Expr aZero = ea.eq(0);
        Expr bZero = eb.eq(0);
        Expr aInf = ea.eq(0xFF).and(a.slice(6, 0).eq(0));
        Expr bInf = eb.eq(0xFF).and(b.slice(6, 0).eq(0));
        Expr aNan = ea.eq(0xFF).and(a.slice(6, 0).ne(0));
        Expr bNan = eb.eq(0xFF).and(b.slice(6, 0).ne(0));
        Expr sign = a.msb().xor(b.msb());

        significands = named("significands", Expr.cat(Expr.lit(1, 1), a.slice(6, 0))
                .mulU(Expr.cat(Expr.lit(1, 1), b.slice(6, 0))));
        Expr high = significands.bit(15);
        Expr fraction = high.select(Expr.cat(significands.slice(14, 0), Expr.zero(8)),
                Expr.cat(significands.slice(13, 0), Expr.zero(9)));
        // 10-bit two's complement: ea + eb - 127 + high, in -125 .. 382
        exponent = named("exponent", ea.zext(10).add(eb.zext(10)).sub(127).add(high.zext(10)));
        Expr overflow = exponent.geS(Expr.lit(10, 0xFF));
        Expr underflow = exponent.leS(Expr.zero(10));
        Expr inf = Expr.cat(sign, Expr.lit(31, 0x7F80_0000L));
        Expr zero = Expr.cat(sign, Expr.zero(31));

        Expr nan = aNan.or(bNan).or(aInf.and(bZero)).or(bInf.and(aZero));
        Expr result = nan.select(Expr.lit(32, 0x7FC0_0000L),
                aInf.or(bInf).select(inf,
                        aZero.or(bZero).select(zero,
                                overflow.select(inf,
                                        underflow.select(zero, Expr.cat(sign, exponent.slice(7, 0), fraction))))));
        assign(product, result);
    }
}
