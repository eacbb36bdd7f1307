package dev.sieve.driver;

/** The number format a backend computes a GEMM in. */
public enum Arithmetic {
    /** Operands and accumulation in Java {@code float} (IEEE binary32, round to nearest even, subnormals kept). */
    FP32,
    /**
     * Operands rounded to BF16 ({@link Bf16Rounding}), exact BF16 x BF16 products in FP32 and FP32 sums
     * with Sieve's datapath rules ({@link dev.sieve.arch.fp.Fp32Ops}: flush to zero, canonical NaN).
     */
    BF16_FP32
}
