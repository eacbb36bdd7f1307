package dev.sieve.arch;

import dev.sieve.arch.NumberFormat;

/**
 * Energy per operation, from M. Horowitz, "Computing's Energy Problem (and what we can do about it)",
 * ISSCC 2014, 45 nm, 0.9 V (Table/figure of operation energies):
 * <ul>
 * <li>8-bit integer multiply 0.2 pJ, 32-bit integer add 0.1 pJ: one INT8xINT8-&gt;INT32 MAC = 0.3 pJ;</li>
 * <li>16-bit float multiply 1.1 pJ (used for BF16), 32-bit float add 0.9 pJ: one BF16-&gt;FP32 MAC = 2.0 pJ;</li>
 * <li>SRAM read, 64-bit word, 32 KB array: 20 pJ, i.e. 2.5 pJ per byte (the buffers are assumed banked
 *     into 32 KB arrays; writes are charged like reads);</li>
 * <li>DRAM, 64-bit access: 1.3 - 2.6 nJ; Sieve uses the low end, 1.3 nJ / 8 B = 162.5 pJ per byte.</li>
 * </ul>
 * Not in the table and not modelled: the N:M index decode and M-to-1 multiplexers, registers and
 * wires inside the array, clock and leakage.
 *
 * @param macPj        pJ per multiply-accumulate actually performed
 * @param sramPjPerByte pJ per byte read or written in an on-chip buffer
 * @param dramPjPerByte pJ per byte moved to or from DRAM
 */
public record EnergyTable(double macPj, double sramPjPerByte, double dramPjPerByte) {

    /** Horowitz ISSCC 2014 45 nm figures for {@code format}. */
    public static EnergyTable horowitz45nm(NumberFormat format) {
        double mac = switch (format) {
            case INT8_INT32 -> 0.2 + 0.1;
            case BF16_FP32 -> 1.1 + 0.9;
        };
        return new EnergyTable(mac, 20.0 / 8, 1300.0 / 8);
    }
}
