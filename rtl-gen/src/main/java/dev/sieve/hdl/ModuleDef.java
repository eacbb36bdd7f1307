package dev.sieve.hdl;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An elaborated, checked module: every wire and output has exactly one lowered driver, every
 * register its next-state expression, memories their ports, instances their connections.
 * Immutable once built; {@link VerilogEmitter} turns it into Verilog-2005.
 *
 * @param combPaths for each output port name, the input port names it depends on combinationally
 *                  (used to check loops through instances)
 * @param unused    signals with bits that nothing reads, by signal, with the unread bits
 * @param warnings  human-readable reports (unused signals), in declaration order
 */
public record ModuleDef(
        String name,
        String generator,
        List<Signal> ports,
        List<Signal> internals,
        Map<Signal, Expr> drivers,
        List<RegDef> regs,
        List<Memory> memories,
        List<WriteDef> writes,
        List<ReadDef> reads,
        List<InstanceDef> instances,
        Map<String, Set<String>> combPaths,
        Map<Signal, BitSet> unused,
        List<String> warnings) {

    /** A register: reset value (null for none), optional enable (null for always) and next state. */
    public record RegDef(Signal reg, Expr.Const reset, Expr enable, Expr next) {
    }

    /** A memory write port, enabled by {@code enable} (when-conditions already folded in). */
    public record WriteDef(Memory memory, Expr address, Expr data, Expr enable) {
    }

    /** A registered memory read port. */
    public record ReadDef(Memory memory, Signal data, Expr address, Expr enable) {
    }

    /** A placed submodule: input port name → parent expression; output port name → parent signal. */
    public record InstanceDef(String name, ModuleDef module, Map<String, Expr> inputs, Map<String, Signal> outputs) {
    }

    /** True when the module has a clock (registers, memories or stateful submodules). */
    public boolean clocked() {
        return !ports.isEmpty() && ports.get(0).name().equals("clk");
    }

    /** The port with this name, or null. */
    public Signal port(String portName) {
        for (Signal p : ports) {
            if (p.name().equals(portName)) {
                return p;
            }
        }
        return null;
    }

    /** This module and every module below it, each distinct module once, children first. */
    public List<ModuleDef> hierarchy() {
        Map<String, ModuleDef> seen = new LinkedHashMap<>();
        collect(this, seen);
        return new ArrayList<>(seen.values());
    }

    private static void collect(ModuleDef m, Map<String, ModuleDef> seen) {
        for (InstanceDef i : m.instances()) {
            collect(i.module(), seen);
        }
        ModuleDef prior = seen.get(m.name());
        if (prior == null) {
            seen.put(m.name(), m);
        } else if (prior != m && !VerilogEmitter.emit(prior).equals(VerilogEmitter.emit(m))) {
            throw new HdlException("two different modules are both named '" + m.name() + "' (generators "
                    + prior.generator() + " and " + m.generator()
                    + "); include the parameters in the module name");
        }
    }
}
