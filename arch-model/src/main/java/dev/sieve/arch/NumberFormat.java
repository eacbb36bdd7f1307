package dev.sieve.arch;

import java.util.Arrays;
import java.util.Locale;

/**
 * The number format of one multiply-accumulate: operand width in, accumulator width out. Shared by
 * the cycle models (byte counts, energy per MAC) and the RTL generators (datapath widths).
 */
public enum NumberFormat {
    /** 8-bit signed integer operands, 32-bit signed integer accumulation. */
    INT8_INT32("int8", 1, 4),
    /** bfloat16 operands, IEEE binary32 accumulation. */
    BF16_FP32("bf16", 2, 4);

    private final String label;
    private final int operandBytes;
    private final int accumulatorBytes;

    NumberFormat(String label, int operandBytes, int accumulatorBytes) {
        this.label = label;
        this.operandBytes = operandBytes;
        this.accumulatorBytes = accumulatorBytes;
    }

    /** Bytes of one operand (weight or activation value). */
    public int operandBytes() {
        return operandBytes;
    }

    /** Bytes of one accumulator (partial sum, weight gradient). */
    public int accumulatorBytes() {
        return accumulatorBytes;
    }

    /** Short name used on the command line: {@code int8} or {@code bf16}. */
    public String label() {
        return label;
    }

    /** Parses {@code int8} or {@code bf16} (case-insensitive). */
    public static NumberFormat parse(String text) {
        for (NumberFormat f : values()) {
            if (f.label.equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("number format '" + text + "' is not allowed; allowed: "
                + String.join(", ", Arrays.stream(values()).map(NumberFormat::label).toList()));
    }

    @Override
    public String toString() {
        return label.toUpperCase(Locale.ROOT) + (this == INT8_INT32 ? "xINT8->INT32" : "xBF16->FP32");
    }
}
