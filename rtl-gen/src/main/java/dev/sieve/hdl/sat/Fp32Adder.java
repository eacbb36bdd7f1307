package dev.sieve.hdl.sat;

import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * Combinational FP32 adder with Sieve's semantics ({@code dev.sieve.arch.fp.Fp32Ops#add}): round
 * to nearest even, subnormal inputs and results flushed to signed zero, canonical NaN.
 *
 * <p>Datapath: swap so that {@code big} has the larger magnitude; put both significands in units of
 * 2^-27 of big's last place (52 bits) and shift the smaller right by the exponent difference (bits
 * shifted beyond 27 places are below a quarter of the result's last place and cannot change the
 * rounding); add or subtract; normalise with a six-stage leading-zero shifter; round on the
 * round bit and the sticky OR of the bits below it.
 */
public final class Fp32Adder extends Component {
    public final Signal a;
    public final Signal b;
    public final Signal sum;

    private final Signal bigIsB;
    private final Signal alignedSum;
    private final Signal normalized;
    private final Signal leadingZeros;
    private final Signal exponent;
    private final Signal rounded;

    public Fp32Adder() {
        super("sat_fp32_add");
        a = input("a", 32);
        b = input("b", 32);
        sum = output("sum", 32);

        Expr ea = a.slice(30, 23);
        Expr eb = b.slice(30, 23);
        Expr aZero = ea.eq(0);
        Expr bZero = eb.eq(0);
        Expr aInf = ea.eq(0xFF).and(a.slice(22, 0).eq(0));
        Expr bInf = eb.eq(0xFF).and(b.slice(22, 0).eq(0));
        Expr aNan = ea.eq(0xFF).and(a.slice(22, 0).ne(0));
        Expr bNan = eb.eq(0xFF).and(b.slice(22, 0).ne(0));

        // ---- swap: big has the larger magnitude (zeros are handled apart)
        Expr magA = aZero.select(Expr.zero(31), a.slice(30, 0));
        Expr magB = bZero.select(Expr.zero(31), b.slice(30, 0));
        bigIsB = named("big_is_b", magA.ltU(magB));
        Expr big = bigIsB.select(b, a);
        Expr small = bigIsB.select(a, b);
        Expr eBig = big.slice(30, 23);
        Expr eSmall = small.slice(30, 23);
        Expr shift = eBig.sub(eSmall);
        Expr sigBig = Expr.cat(Expr.lit(2, 1), big.slice(22, 0), Expr.zero(27));
        Expr sigSmall = Expr.cat(Expr.lit(2, 1), small.slice(22, 0), Expr.zero(27)).shr(shift);
        Expr subtract = big.msb().xor(small.msb());
        alignedSum = named("aligned_sum", subtract.select(sigBig.sub(sigSmall), sigBig.add(sigSmall)));

        // ---- normalise: shift left until bit 51 is set, counting the shifts
        Expr cur = alignedSum;
        Expr[] zeroRuns = new Expr[6];
        int stage = 0;
        for (int k = 32; k >= 1; k >>= 1) {
            Expr topZero = cur.slice(51, 52 - k).eq(0);
            zeroRuns[stage++] = topZero;
            cur = topZero.select(Expr.cat(cur.slice(51 - k, 0), Expr.zero(k)), cur);
        }
        normalized = named("normalized", cur);
        leadingZeros = named("leading_zeros", Expr.cat(zeroRuns));

        // ---- round to nearest even
        Expr mant = named("mantissa", normalized.slice(51, 28));
        Expr roundBit = normalized.bit(27);
        Expr sticky = normalized.slice(26, 0).orReduce();
        Expr roundUp = roundBit.and(sticky.or(mant.bit(0)));
        rounded = named("rounded", mant.zext(25).add(roundUp.zext(25)));
        Expr carry = rounded.bit(24);
        // exponent of the result, 10-bit two's complement: eBig + 1 - leading zeros + carry
        exponent = named("exponent", eBig.zext(10).add(1).sub(leadingZeros.zext(10)).add(carry.zext(10)));
        Expr overflow = exponent.geS(Expr.lit(10, 0xFF));
        Expr underflow = exponent.leS(Expr.zero(10));
        Expr exactZero = alignedSum.eq(0);
        Expr sign = big.msb();
        Expr finite = Expr.cat(sign, exponent.slice(7, 0), rounded.slice(22, 0));
        Expr normalResult = exactZero.select(Expr.zero(32),
                overflow.select(Expr.cat(sign, Expr.lit(31, 0x7F80_0000L)),
                        underflow.select(Expr.cat(sign, Expr.zero(31)), finite)));

        // ---- special operands
        Expr nan = aNan.or(bNan).or(aInf.and(bInf).and(a.msb().xor(b.msb())));
        Expr result = nan.select(Expr.lit(32, 0x7FC0_0000L),
                aInf.select(a,
                        bInf.select(b,
                                aZero.and(bZero).select(Expr.cat(a.msb().and(b.msb()), Expr.zero(31)),
                                        aZero.select(b,
                                                bZero.select(a, normalResult))))));
        assign(sum, result);
    }
}
