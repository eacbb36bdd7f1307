package dev.sieve.cosim;

import java.util.Objects;

/**
 * One top-level port of a design or of a {@link CycleModel}: its name, its width in bits and its
 * direction. Values of a port travel as {@link #words()} little-endian 64-bit words.
 */
public record Port(String name, int width, Direction dir) {

    public Port {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        if (name.isBlank()) {
            throw new IllegalArgumentException("port name must not be blank");
        }
        if (width < 1) {
            throw new IllegalArgumentException("port " + name + ": width must be >= 1, got " + width);
        }
    }

    public static Port input(String name, int width) {
        return new Port(name, width, Direction.INPUT);
    }

    public static Port output(String name, int width) {
        return new Port(name, width, Direction.OUTPUT);
    }

    /** Number of 64-bit words a value of this port occupies: ceil(width / 64). */
    public int words() {
        return (width + 63) / 64;
    }

    /** True when a value fits in one {@code long} (width at most 64). */
    public boolean narrow() {
        return width <= 64;
    }

    /** Bit mask of the port's width, for ports of at most 64 bits. */
    public long mask() {
        return Bits.mask(width);
    }

    @Override
    public String toString() {
        return dir.name().toLowerCase(java.util.Locale.ROOT) + " " + name + "[" + width + "]";
    }
}
