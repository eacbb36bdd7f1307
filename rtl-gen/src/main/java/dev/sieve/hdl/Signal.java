package dev.sieve.hdl;

import java.util.Objects;

/**
 * A named hardware signal, and the IR node that refers to it. Equality is identity of the
 * declaration ({@link Decl}), so two signals are equal only if they are the same declaration.
 */
public record Signal(Decl decl, int width, Kind kind) implements Expr {

    /** What drives a signal and how it is emitted. */
    public enum Kind {
        /** A module input port. */
        INPUT,
        /** A module output port, driven by an assignment or an instance output. */
        OUTPUT,
        /** A combinational internal signal. */
        WIRE,
        /** A clocked register. */
        REG,
        /** The registered data of a synchronous memory read port. */
        READ_DATA
    }

    public Signal {
        Objects.requireNonNull(decl, "decl");
        Objects.requireNonNull(kind, "kind");
        if (width < 1) {
            throw new HdlException("signal " + decl.describe() + " has width " + width
                    + "; widths must be at least 1 (declared at " + decl.site() + ")");
        }
    }

    /** The signal's name; assigned from the generator's field name at elaboration if not given. */
    public String name() {
        return decl.name();
    }

    @Override
    public String toString() {
        return decl.describe() + "[" + width + "]";
    }

    /**
     * A declaration's identity: its owner, its (possibly late-assigned) name and where it was
     * declared. Names come from Java field names when the component is elaborated.
     */
    public static final class Decl {
        private final Component owner;
        private final Site site;
        private String name;

        Decl(Component owner, String name, Site site) {
            this.owner = owner;
            this.name = name;
            this.site = site;
        }

        public Component owner() {
            return owner;
        }

        public Site site() {
            return site;
        }

        public String name() {
            return name;
        }

        boolean named() {
            return name != null;
        }

        void name(String newName) {
            this.name = newName;
        }

        /** The name if known, otherwise where it was declared. */
        String describe() {
            if (name == null && owner != null) {
                owner.nameFromFields();
            }
            return name != null ? "'" + name + "'" : "<unnamed signal declared at " + site + ">";
        }
    }
}
