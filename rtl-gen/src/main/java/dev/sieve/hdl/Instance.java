package dev.sieve.hdl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submodule placed inside a parent component. Each child input is connected to an expression
 * of the parent; each child output may drive one parent wire or output.
 */
public final class Instance {
    private final Component parent;
    private final String name;
    private final Component child;
    private final Site site;
    final Map<Signal, Expr> inputs = new LinkedHashMap<>();
    final Map<Signal, Signal> outputs = new LinkedHashMap<>();

    Instance(Component parent, String name, Component child, Site site) {
        Verilog.checkIdentifier(name, site);
        this.parent = parent;
        this.name = name;
        this.child = child;
        this.site = site;
    }

    public String name() {
        return name;
    }

    public Component child() {
        return child;
    }

    Site site() {
        return site;
    }

    /**
     * Connects {@code childPort}: an input takes {@code parentSide}'s value; an output drives
     * {@code parentSide}, which must then be a wire or output of the parent.
     */
    public Instance connect(Signal childPort, Expr parentSide) {
        if (childPort.decl().owner() != child) {
            throw new HdlException("port " + childPort.decl().describe() + " does not belong to instance '" + name
                    + "' of module '" + child.moduleName() + "', at " + Site.caller());
        }
        if (childPort.width() != parentSide.width()) {
            throw new HdlException("width mismatch connecting " + name + "." + childPort.decl().describe() + " ("
                    + childPort.width() + " bits) to " + Expr.describe(parentSide) + " (" + parentSide.width()
                    + " bits), at " + Site.caller());
        }
        boolean dup;
        if (childPort.kind() == Signal.Kind.INPUT) {
            dup = inputs.put(childPort, parentSide) != null;
        } else if (childPort.kind() == Signal.Kind.OUTPUT) {
            if (!(parentSide instanceof Signal target)
                    || (target.kind() != Signal.Kind.WIRE && target.kind() != Signal.Kind.OUTPUT)) {
                throw new HdlException("output " + name + "." + childPort.decl().describe()
                        + " must drive a wire or output of the parent, not " + Expr.describe(parentSide)
                        + ", at " + Site.caller());
            }
            parent.checkOwner(target.decl(), "drive");
            dup = outputs.put(childPort, target) != null;
        } else {
            throw new HdlException(childPort.decl().describe() + " is not a port, at " + Site.caller());
        }
        if (dup) {
            throw new HdlException("port " + name + "." + childPort.decl().describe() + " connected twice, at "
                    + Site.caller());
        }
        return this;
    }

    /** Connects a child stream to a parent stream of the same direction as seen from outside. */
    public Instance connect(Stream childStream, Stream parentStream) {
        connect(childStream.valid(), parentStream.valid());
        connect(childStream.ready(), parentStream.ready());
        connect(childStream.payload(), parentStream.payload());
        return this;
    }
}
