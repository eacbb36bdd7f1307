package dev.sieve.cosim;

import java.math.BigInteger;
import java.nio.file.Path;

/**
 * The first disagreement between RTL and Java model: at {@code cycle} (0 = first cycle after reset)
 * output {@code port} was {@code actual} in the RTL but {@code expected} by the model.
 * {@code waveform} is a VCD of the replayed run up to and including that cycle (null if it could not
 * be written), where the cycle's rising edge is at time {@code waveformTime}.
 */
public record Mismatch(long cycle, Port port, BigInteger expected, BigInteger actual, Path waveform,
        long waveformTime) {

    public String expectedHex() {
        return Bits.hex(expected, port.width());
    }

    public String actualHex() {
        return Bits.hex(actual, port.width());
    }

    /** Human-readable report, one line. */
    public String describe() {
        return "cycle " + cycle + ", port " + port.name() + "[" + port.width() + "]: expected " + expectedHex()
                + " (Java model), actual " + actualHex() + " (RTL); waveform "
                + (waveform == null ? "not written" : waveform + " (rising edge at time " + waveformTime + ")");
    }
}
