package dev.sieve.cosim;

import java.math.BigInteger;
import java.util.List;

/**
 * A cycle-accurate Java golden model of a clocked block, checked against its RTL by {@link Lockstep}.
 *
 * <p>The model declares its ports in {@link #ports()}: the RTL's ports without {@code clk}, with the
 * same names, widths and directions ({@code rst}, if the RTL has it, is an ordinary 1-bit input
 * here). The {@code int port} arguments below are indices into that list, so an implementation can
 * keep its inputs in a {@code long[]} and switch on the index; ports wider than 64 bits use the
 * {@link BigInteger} methods.
 *
 * <p>Per cycle the checker calls {@code setInput} for every input, then {@link #tick()} (the rising
 * clock edge), then reads every output: outputs are the values after the edge, with that cycle's
 * inputs still applied (the same convention as {@link VerilatedModel}). A combinational model does
 * its work in {@code output} (or in {@code tick}) and keeps no state.
 */
public interface CycleModel {

    /** The model's ports (no {@code clk}); index {@code i} of this list is port number {@code i}. */
    List<Port> ports();

    /** Puts the model in the state the RTL is in after its reset sequence (rst held high, then low). */
    void reset();

    /** Applies input {@code port} (width at most 64) for the current cycle; the value fits the width. */
    void setInput(int port, long value);

    /** Applies a wide input. The default accepts values that fit in 64 bits; override for wide ports. */
    default void setInput(int port, BigInteger value) {
        setInput(port, value.longValue());
    }

    /** One rising clock edge: registers take their next value from the applied inputs. */
    void tick();

    /** Output {@code port} (width at most 64) after the last tick; bits above the width are ignored. */
    long output(int port);

    /** A wide output. The default widens {@link #output(int)}; override for ports wider than 64 bits. */
    default BigInteger outputWide(int port) {
        return Bits.unsigned(output(port));
    }

    /** The unsigned value of a 64-bit word, for models that keep wide ports as BigInteger. */
    static BigInteger unsigned(long value) {
        return Bits.unsigned(value);
    }

    /** Index of port {@code name} in {@link #ports()}. */
    default int portIndex(String name) {
        List<Port> ps = ports();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no port '" + name + "'; ports: " + ps);
    }

    default void setInput(String port, long value) {
        setInput(portIndex(port), value);
    }

    default void setInput(String port, BigInteger value) {
        int i = portIndex(port);
        if (ports().get(i).narrow()) {
            setInput(i, value.longValue());
        } else {
            setInput(i, value);
        }
    }

    default long output(String port) {
        return output(portIndex(port));
    }

    default BigInteger outputWide(String port) {
        int i = portIndex(port);
        return ports().get(i).narrow()
                ? Bits.unsigned(output(i) & ports().get(i).mask())
                : outputWide(i);
    }
}
