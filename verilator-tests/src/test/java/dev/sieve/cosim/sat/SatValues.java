package dev.sieve.cosim.sat;

import dev.sieve.arch.NumberFormat;
import java.util.SplittableRandom;

/**
 * Seeded operand generators that hit the corners: zeros, equal magnitudes (ties), the largest
 * magnitudes, and for BF16 infinities, NaNs, subnormals and values whose products underflow or
 * overflow. {@code specialPercent} sets how often an Inf or NaN appears.
 */
final class SatValues {
    private SatValues() {
    }

    static int int8(SplittableRandom rnd) {
        int k = rnd.nextInt(100);
        if (k < 15) {
            return 0;
        }
        if (k < 30) {
            return new int[] {0x7F, 0x80, 0x81, 0x01, 0xFF}[rnd.nextInt(5)]; // 127, -128, -127, 1, -1
        }
        if (k < 65) {
            return rnd.nextInt(-3, 4) & 0xFF; // many equal magnitudes
        }
        return rnd.nextInt(256);
    }

    static int bf16(SplittableRandom rnd, int specialPercent) {
        int k = rnd.nextInt(1000);
        int sign = rnd.nextBoolean() ? 0x8000 : 0;
        if (k < specialPercent * 10) {
            return switch (rnd.nextInt(3)) {
                case 0 -> sign | 0x7F80; // infinity
                case 1 -> 0x7FC0 | sign; // quiet NaN
                default -> sign | 0x7F80 | rnd.nextInt(1, 0x80); // NaN with a payload
            };
        }
        k = rnd.nextInt(100);
        if (k < 10) {
            return sign; // +-0
        }
        if (k < 14) {
            return sign | rnd.nextInt(1, 0x80); // subnormal: reads as zero
        }
        if (k < 18) {
            return sign | 0x7F7F; // largest finite: products overflow to infinity
        }
        if (k < 22) {
            return sign | (rnd.nextInt(1, 8) << 7) | rnd.nextInt(0x80); // tiny: products underflow
        }
        if (k < 40) {
            return sign | (127 << 7) | (rnd.nextInt(4) << 5); // a few values near 1: ties and cancellation
        }
        return sign | (rnd.nextInt(121, 134) << 7) | rnd.nextInt(0x80); // moderate range: rounding
    }

    static int value(NumberFormat format, SplittableRandom rnd, int specialPercent) {
        return switch (format) {
            case INT8_INT32 -> int8(rnd);
            case BF16_FP32 -> bf16(rnd, specialPercent);
        };
    }
}
