package dev.sieve.hdl;

/**
 * A memory array {@code reg [width-1:0] name [0:depth-1]}. Read it asynchronously with
 * {@link Component#readAsync} or through a registered port with {@link Component#readSync}
 * (the form Yosys maps to block RAM); write it with {@link Component#write}.
 */
public record Memory(Signal.Decl decl, int width, int depth) {

    public Memory {
        if (width < 1) {
            throw new HdlException("memory width must be at least 1, got " + width + " (at " + decl.site() + ")");
        }
        if (depth < 2) {
            throw new HdlException("memory depth must be at least 2, got " + depth + " (at " + decl.site() + ")");
        }
    }

    public String name() {
        return decl.name();
    }

    /** Address width: the fewest bits that index every word. */
    public int addressWidth() {
        return Bits.widthFor(depth - 1);
    }
}
