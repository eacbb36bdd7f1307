package dev.sieve.hdl.sat;

import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * Pipelined FP32 adder with Sieve's semantics ({@code dev.sieve.arch.fp.Fp32Ops#add}): round to
 * nearest even, subnormal inputs and results flushed to signed zero, canonical NaN. {@code sum} shows
 * {@code add(a, b)} of the operands given {@code stages} cycles earlier ({@link #latency}); after a
 * reset it shows {@code +0} (the sum of zeros) until operands given after the reset arrive.
 *
 * <p>Datapath, in four parts: (1) special operands, and the swap so that {@code big} has the larger
 * magnitude, with the exponent difference d; (2) alignment: both significands with three extra low
 * bits (guard, round, sticky), the smaller shifted right by d with every bit shifted beyond them ORed
 * into the sticky bit, then a 28-bit add or subtract (the classic guard/round/sticky adder: a
 * subtraction that needs a left shift of more than one place has d &lt;= 1 and so lost no bits);
 * (3) normalisation: a carry shifts right by one (folding the lost bit into sticky), otherwise a
 * five-stage leading-zero shifter; (4) rounding to nearest even on guard and sticky, exponent,
 * overflow to infinity, underflow to a signed zero, and the special result. Pipeline registers sit
 * after part 2 ({@code stages >= 2}), after part 1 ({@code stages >= 3}), after part 3
 * ({@code stages == 4}) and always at the output.
 */
public final class Fp32Adder extends Component {
    /** Pipeline stages the adder may have: 1 .. 4. */
    public static final int MAX_STAGES = 4;

    public final Signal a;
    public final Signal b;
    public final Signal sum;
    private final int stages;

    /** An adder with {@link SatConfig#DEFAULT_FP_ADD_STAGES} stages. */
    public Fp32Adder() {
        this(SatConfig.DEFAULT_FP_ADD_STAGES);
    }

    public Fp32Adder(int stages) {
        super("sat_fp32_add_p" + stages);
        if (stages < 1 || stages > MAX_STAGES) {
            throw new IllegalArgumentException("Fp32Adder stages = " + stages + " is out of range; allowed 1 .. " + MAX_STAGES);
        }
        this.stages = stages;
        a = input("a", 32);
        b = input("b", 32);
        sum = output("sum", 32);

        // ---- part 1: special operands, swap, exponent difference
        Expr ea = a.slice(30, 23);
        Expr eb = b.slice(30, 23);
        Expr aZero = ea.eq(0);
        Expr bZero = eb.eq(0);
        Expr aInf = ea.eq(0xFF).and(a.slice(22, 0).eq(0));
        Expr bInf = eb.eq(0xFF).and(b.slice(22, 0).eq(0));
        Expr aNan = ea.eq(0xFF).and(a.slice(22, 0).ne(0));
        Expr bNan = eb.eq(0xFF).and(b.slice(22, 0).ne(0));
        Expr nan = aNan.or(bNan).or(aInf.and(bInf).and(a.msb().xor(b.msb())));
        Expr special0 = nan.or(aInf).or(bInf).or(aZero).or(bZero);
        Expr specialValue0 = nan.select(Expr.lit(32, 0x7FC0_0000L),
                aInf.select(a,
                        bInf.select(b,
                                aZero.and(bZero).select(Expr.cat(a.msb().and(b.msb()), Expr.zero(31)),
                                        aZero.select(b, a)))));
        Expr bigIsB = a.slice(30, 0).ltU(b.slice(30, 0));
        Expr big0 = bigIsB.select(b, a);
        Expr small0 = bigIsB.select(a, b);
        Expr diff0 = big0.slice(30, 23).sub(small0.slice(30, 23));
        // after a reset every stage holds "special, +0": the sum of two zeros
        Signal special1 = stage("special_1", special0, stages >= 3, 1);
        Signal specialValue1 = stage("special_value_1", specialValue0, stages >= 3, 0);
        Signal big1 = stage("big_1", big0, stages >= 3, 0);
        Signal small1 = stage("small_1", small0, stages >= 3, 0);
        Signal diff1 = stage("diff_1", diff0, stages >= 3, 0);

        // ---- part 2: align the smaller significand (guard, round, sticky) and add
        Expr sigSmallWide = Expr.cat(Expr.lit(1, 1), small1.slice(22, 0), Expr.zero(26)); // 50 bits, 23 below sticky
        Expr shifted = sigSmallWide.shr(diff1.slice(4, 0));
        Expr far = diff1.geU(Expr.lit(8, 27)); // every bit of the smaller operand is below the sticky bit
        Expr alignedSmall = far.select(Expr.lit(27, 1),
                Expr.cat(shifted.slice(49, 24), shifted.bit(23).or(shifted.slice(22, 0).orReduce())));
        Expr sigBig = Expr.cat(Expr.lit(1, 1), big1.slice(22, 0), Expr.zero(3));
        Expr subtract = big1.msb().xor(small1.msb());
        Expr sum0 = subtract.select(sigBig.zext(28).sub(alignedSmall.zext(28)), sigBig.zext(28).add(alignedSmall.zext(28)));
        Signal special2 = stage("special_2", special1, stages >= 2, 1);
        Signal specialValue2 = stage("special_value_2", specialValue1, stages >= 2, 0);
        Signal sign2 = stage("sign_2", big1.msb(), stages >= 2, 0);
        Signal exp2 = stage("exp_2", big1.slice(30, 23), stages >= 2, 0);
        Signal sum2 = stage("sum_2", sum0, stages >= 2, 0);

        // ---- part 3: normalise to a leading one at bit 26
        Expr carryOut = sum2.bit(27);
        Expr cur = sum2.slice(26, 0);
        Expr[] zeroRuns = new Expr[5];
        int stage = 0;
        for (int k = 16; k >= 1; k >>= 1) {
            Expr topZero = cur.slice(26, 27 - k).eq(0);
            zeroRuns[stage++] = topZero;
            cur = topZero.select(Expr.cat(cur.slice(26 - k, 0), Expr.zero(k)), cur);
        }
        Expr leadingZeros = Expr.cat(zeroRuns);
        Expr rightShifted = Expr.cat(sum2.slice(27, 2), sum2.bit(1).or(sum2.bit(0)));
        Expr normalized0 = carryOut.select(rightShifted, cur);
        // exponent before rounding, 10-bit two's complement: e_big + carry - leading zeros
        Expr exponent0 = carryOut.select(exp2.zext(10).add(1), exp2.zext(10).sub(leadingZeros.zext(10)));
        Signal special3 = stage("special_3", special2, stages >= 4, 1);
        Signal specialValue3 = stage("special_value_3", specialValue2, stages >= 4, 0);
        Signal sign3 = stage("sign_3", sign2, stages >= 4, 0);
        Signal zero3 = stage("zero_3", sum2.eq(0), stages >= 4, 0);
        Signal normalized3 = stage("normalized_3", normalized0, stages >= 4, 0);
        Signal exponent3 = stage("exponent_3", exponent0, stages >= 4, 0);

        // ---- part 4: round to nearest even, pack
        Expr mant = normalized3.slice(26, 3);
        Expr guard = normalized3.bit(2);
        Expr sticky = normalized3.bit(1).or(normalized3.bit(0));
        Expr roundUp = guard.and(sticky.or(mant.bit(0)));
        Expr rounded = mant.zext(25).add(roundUp.zext(25));
        Expr exponent = exponent3.add(rounded.bit(24).zext(10));
        Expr overflow = exponent.geS(Expr.lit(10, 0xFF));
        Expr underflow = exponent.leS(Expr.zero(10));
        Expr finite = Expr.cat(sign3, exponent.slice(7, 0), rounded.slice(22, 0));
        Expr normalResult = zero3.select(Expr.zero(32),
                overflow.select(Expr.cat(sign3, Expr.lit(31, 0x7F80_0000L)),
                        underflow.select(Expr.cat(sign3, Expr.zero(31)), finite)));
        Signal out = reg("sum_q", 32, 0);
        assign(out, special3.select(specialValue3, normalResult));
        assign(sum, out);
    }

    /** Cycles from operands to their sum: the number of stages. */
    public int latency() {
        return stages;
    }

    /** {@code value} through a register reset to {@code resetValue} when {@code registered}, else a named wire. */
    private Signal stage(String name, Expr value, boolean registered, long resetValue) {
        if (!registered) {
            return named(name, value);
        }
        Signal r = reg(name, value.width(), resetValue);
        assign(r, value);
        return r;
    }
}
