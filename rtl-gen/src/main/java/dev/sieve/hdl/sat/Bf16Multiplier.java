package dev.sieve.hdl.sat;

import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * Pipelined BF16 x BF16 -> FP32 multiplier with Sieve's semantics
 * ({@code dev.sieve.arch.fp.Fp32Ops#mulBf16}): the 8 x 8-bit significand product is exact in FP32;
 * overflow gives infinity, results below 2^-126 and subnormal inputs become signed zeros, and
 * NaN, Inf x 0 give the canonical NaN. {@code product} shows the product of the operands given
 * {@link #LATENCY} cycles earlier: a register after the significand product (with the exponent sum
 * and the special result), then one at the output. After a reset it shows {@code +0}.
 */
public final class Bf16Multiplier extends Component {
    /** Cycles from operands to product (the PE relies on it being {@code SatConfig.PRODUCT_STAGES}). */
    public static final int LATENCY = 2;

    public final Signal a;
    public final Signal b;
    public final Signal product;

    private final Signal significands;
    private final Signal exponent;

    public Bf16Multiplier() {
        super("sat_bf16_mul_p" + LATENCY);
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
        Expr sign0 = a.msb().xor(b.msb());
        Expr nan = aNan.or(bNan).or(aInf.and(bZero)).or(bInf.and(aZero));
        Expr special0 = nan.or(aInf).or(bInf).or(aZero).or(bZero);
        Expr specialValue0 = nan.select(Expr.lit(32, 0x7FC0_0000L),
                aInf.or(bInf).select(Expr.cat(sign0, Expr.lit(31, 0x7F80_0000L)), Expr.cat(sign0, Expr.zero(31))));

        // ---- stage 1: significand product, exponent sum (10-bit two's complement: ea + eb - 127)
        significands = reg("significands", 16, 0);
        assign(significands, Expr.cat(Expr.lit(1, 1), a.slice(6, 0)).mulU(Expr.cat(Expr.lit(1, 1), b.slice(6, 0))));
        Signal exponentSum = reg("exponent_sum", 10, 0);
        assign(exponentSum, ea.zext(10).add(eb.zext(10)).sub(127));
        Signal sign = reg("sign", 1, 0);
        assign(sign, sign0);
        Signal special = reg("special", 1, 1); // after a reset: "special, +0", the product of zeros
        assign(special, special0);
        Signal specialValue = reg("special_value", 32, 0);
        assign(specialValue, specialValue0);

        // ---- stage 2: normalise by the product's top bit, range, pack
        Expr high = significands.bit(15);
        Expr fraction = high.select(Expr.cat(significands.slice(14, 0), Expr.zero(8)),
                Expr.cat(significands.slice(13, 0), Expr.zero(9)));
        exponent = named("exponent", exponentSum.add(high.zext(10)));
        Expr overflow = exponent.geS(Expr.lit(10, 0xFF));
        Expr underflow = exponent.leS(Expr.zero(10));
        Expr inf = Expr.cat(sign, Expr.lit(31, 0x7F80_0000L));
        Expr zero = Expr.cat(sign, Expr.zero(31));
        Expr result = special.select(specialValue,
                overflow.select(inf, underflow.select(zero, Expr.cat(sign, exponent.slice(7, 0), fraction))));
        Signal out = reg("product_q", 32, 0);
        assign(out, result);
        assign(product, out);
    }
}
