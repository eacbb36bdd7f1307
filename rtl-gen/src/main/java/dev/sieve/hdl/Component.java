package dev.sieve.hdl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A hardware block under construction. A generator is a subclass whose constructor declares
 * ports first, then builds logic with plain Java; {@link #build()} elaborates it once into an
 * immutable {@link ModuleDef}, naming signals from the subclass's field names, lowering when-blocks
 * to muxes and running the design checks.
 *
 * <p>Clocked state uses one implicit clock {@code clk} and one synchronous active-high reset
 * {@code rst}, added as the first ports of any module that has registers, memories or stateful
 * instances.
 */
public abstract class Component {

    private final String moduleName;
    final List<Signal> ports = new ArrayList<>();
    final List<Signal> internals = new ArrayList<>();
    final Map<Signal, Expr.Const> resetValues = new LinkedHashMap<>();
    final List<Memory> memories = new ArrayList<>();
    final List<SyncRead> syncReads = new ArrayList<>();
    final List<Instance> instances = new ArrayList<>();
    final List<Stmt> body = new ArrayList<>();
    private final Deque<List<Stmt>> blocks = new ArrayDeque<>();
    private ModuleDef built;
    private boolean naming;

    /** Registered read port: {@code data <= mem[address]} on cycles where {@code enable} is high. */
    record SyncRead(Memory memory, Signal data, Expr address, Expr enable, Site site) {
    }

    protected Component(String moduleName) {
        if (moduleName == null || !moduleName.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new HdlException("module name '" + moduleName
                    + "' is not a Verilog identifier (letters, digits, underscores; starting with a letter)");
        }
        if (Verilog.isKeyword(moduleName)) {
            throw new HdlException("module name '" + moduleName + "' is a Verilog keyword");
        }
        this.moduleName = moduleName;
        blocks.push(body);
    }

    public final String moduleName() {
        return moduleName;
    }

    // ---------------------------------------------------------------- declarations

    /** An input port named from the field it is stored in. */
    public final Signal input(int width) {
        return input(null, width);
    }

    public final Signal input(String name, int width) {
        return port(name, width, Signal.Kind.INPUT);
    }

    /** An output port named from the field it is stored in. */
    public final Signal output(int width) {
        return output(null, width);
    }

    public final Signal output(String name, int width) {
        return port(name, width, Signal.Kind.OUTPUT);
    }

    /** A combinational signal; it must be driven on every path (no latches). */
    public final Signal wire(int width) {
        return wire(null, width);
    }

    public final Signal wire(String name, int width) {
        Signal s = declare(name, width, Signal.Kind.WIRE);
        internals.add(s);
        return s;
    }

    /** A wire driven by {@code value}, named {@code name}. */
    public final Signal named(String name, Expr value) {
        Signal s = wire(name, value.width());
        assign(s, value);
        return s;
    }

    /** A register with a synchronous reset to {@code resetValue}; it holds its value unless assigned. */
    public final Signal reg(int width, long resetValue) {
        return reg(null, width, resetValue);
    }

    public final Signal reg(String name, int width, long resetValue) {
        Signal s = declare(name, width, Signal.Kind.REG);
        resetValues.put(s, Expr.lit(width, resetValue));
        internals.add(s);
        return s;
    }

    /** A register without reset (data pipelines; lets synthesis pack it into DSPs and SRLs). */
    public final Signal regNoReset(String name, int width) {
        Signal s = declare(name, width, Signal.Kind.REG);
        resetValues.put(s, null);
        internals.add(s);
        return s;
    }

    /** A register that takes {@code next} every cycle, reset to zero. */
    public final Signal regNext(String name, Expr next) {
        Signal r = reg(name, next.width(), 0);
        assign(r, next);
        return r;
    }

    public final Memory memory(int width, int depth) {
        return memory(null, width, depth);
    }

    public final Memory memory(String name, int width, int depth) {
        Memory m = new Memory(newDecl(name), width, depth);
        memories.add(m);
        return m;
    }

    /** Combinational read: the word at {@code address}, in the same cycle. */
    public final Expr readAsync(Memory memory, Expr address) {
        checkOwner(memory.decl(), "read memory");
        return new Expr.MemRead(memory, address);
    }

    /**
     * Registered read port: the returned signal holds {@code memory[address]} one cycle after a
     * cycle where {@code enable} is high (the block-RAM read form).
     */
    public final Signal readSync(Memory memory, Expr address, Expr enable) {
        return readSync(null, memory, address, enable);
    }

    public final Signal readSync(String name, Memory memory, Expr address, Expr enable) {
        checkOwner(memory.decl(), "read memory");
        requireOneBit(enable, "read enable");
        if (address.width() != memory.addressWidth()) {
            throw new HdlException("read address " + Expr.describe(address) + " is " + address.width()
                    + " bits but memory " + memory.decl().describe() + " needs " + memory.addressWidth()
                    + " bits, at " + Site.caller());
        }
        Signal data = declare(name, memory.width(), Signal.Kind.READ_DATA);
        internals.add(data);
        syncReads.add(new SyncRead(memory, data, address, enable, Site.caller()));
        return data;
    }

    /** A write port: {@code memory[address] <= data} on clock edges where {@code enable} holds. */
    public final void write(Memory memory, Expr address, Expr data, Expr enable) {
        checkOwner(memory.decl(), "write memory");
        requireOneBit(enable, "write enable");
        if (address.width() != memory.addressWidth() || data.width() != memory.width()) {
            throw new HdlException("write to " + memory.decl().describe() + " (" + memory.width() + " bits x "
                    + memory.depth() + "): address " + Expr.describe(address) + " is " + address.width()
                    + " bits (needs " + memory.addressWidth() + "), data " + Expr.describe(data) + " is "
                    + data.width() + " bits (needs " + memory.width() + "), at " + Site.caller());
        }
        blocks.peek().add(new Stmt.MemWrite(memory, address, data, enable, Site.caller()));
    }

    /** A stream this component consumes: {@code valid} and {@code payload} in, {@code ready} out. */
    public final Stream streamIn(String prefix, int width) {
        return new Stream(input(prefix + "_valid", 1), output(prefix + "_ready", 1), input(prefix + "_payload", width));
    }

    /** A stream this component produces: {@code valid} and {@code payload} out, {@code ready} in. */
    public final Stream streamOut(String prefix, int width) {
        return new Stream(output(prefix + "_valid", 1), input(prefix + "_ready", 1), output(prefix + "_payload", width));
    }

    // ---------------------------------------------------------------- assignment and control

    /**
     * Drives {@code target} with {@code value}. Inside a when-block the assignment applies only
     * when the block's condition holds; the last assignment that applies wins.
     */
    public final void assign(Signal target, Expr value) {
        checkOwner(target.decl(), "assign");
        if (target.kind() == Signal.Kind.INPUT || target.kind() == Signal.Kind.READ_DATA) {
            throw new HdlException("cannot assign " + target.decl().describe() + ": it is "
                    + (target.kind() == Signal.Kind.INPUT ? "an input port" : "driven by a memory read port")
                    + ", at " + Site.caller());
        }
        if (target.width() != value.width()) {
            throw new HdlException("width mismatch in assignment: " + target.decl().describe() + " is "
                    + target.width() + " bits but " + Expr.describe(value) + " is " + value.width()
                    + " bits, at " + Site.caller() + "; resize explicitly (zext/sext/resize/slice)");
        }
        blocks.peek().add(new Stmt.Assign(target, value, Site.caller()));
    }

    public final void assign(Signal target, long constant) {
        assign(target, Expr.lit(target.width(), constant));
    }

    /** Starts a when-chain: {@code body} applies when {@code cond} (one bit) is high. */
    public final When when(Expr cond, Runnable body) {
        Stmt.WhenChain chain = new Stmt.WhenChain(Site.caller());
        blocks.peek().add(chain);
        When w = new When(chain);
        w.branch(cond, body);
        return w;
    }

    /** Continuation of a when-chain. */
    public final class When {
        private final Stmt.WhenChain chain;

        private When(Stmt.WhenChain chain) {
            this.chain = chain;
        }

        private void branch(Expr cond, Runnable body) {
            if (chain.otherwise != null) {
                throw new HdlException("elsewhen after otherwise at " + Site.caller());
            }
            requireOneBit(cond, "when condition");
            chain.branches.add(new Stmt.Branch(cond, record(body)));
        }

        public When elsewhen(Expr cond, Runnable body) {
            branch(cond, body);
            return this;
        }

        public void otherwise(Runnable body) {
            if (chain.otherwise != null) {
                throw new HdlException("second otherwise at " + Site.caller());
            }
            chain.otherwise = record(body);
        }
    }

    /** Starts a switch on {@code selector}: cases compare it for equality, the first match wins. */
    public final Switch switchOn(Expr selector) {
        return new Switch(selector);
    }

    /** A switch being built; lowered to a when-chain of equality tests. */
    public final class Switch {
        private final Expr selector;
        private final Set<BigInteger> seen = new LinkedHashSet<>();
        private When when;

        private Switch(Expr selector) {
            this.selector = selector;
        }

        public Switch is(long value, Runnable body) {
            Expr.Const c = Expr.lit(selector.width(), value);
            if (!seen.add(c.value())) {
                throw new HdlException("switch on " + Expr.describe(selector) + " has case " + value
                        + " twice, at " + Site.caller());
            }
            Expr cond = selector.eq(c);
            if (when == null) {
                when = when(cond, body);
            } else {
                when.elsewhen(cond, body);
            }
            return this;
        }

        public void otherwise(Runnable body) {
            if (when == null) {
                throw new HdlException("switch with only a default case, at " + Site.caller());
            }
            when.otherwise(body);
        }
    }

    private List<Stmt> record(Runnable body) {
        List<Stmt> block = new ArrayList<>();
        blocks.push(block);
        try {
            body.run();
        } finally {
            blocks.pop();
        }
        return block;
    }

    // ---------------------------------------------------------------- instances

    /** Instantiates {@code child} as a submodule named {@code name}; connect its ports next. */
    public final Instance instance(String name, Component child) {
        Instance inst = new Instance(this, name, child, Site.caller());
        instances.add(inst);
        return inst;
    }

    /** Instantiates {@code child} and connects every port to a same-named new wire in this component. */
    public final Instance instanceWithWires(String name, Component child) {
        Instance inst = instance(name, child);
        for (Signal p : child.build().ports()) {
            if (p.kind() == Signal.Kind.INPUT && (p.name().equals("clk") || p.name().equals("rst"))) {
                continue;
            }
            inst.connect(p, wire(name + "_" + p.name(), p.width()));
        }
        return inst;
    }

    // ---------------------------------------------------------------- elaboration

    /** Elaborates once (names, lowering, checks) and returns the immutable module. */
    public final synchronized ModuleDef build() {
        if (built == null) {
            nameFromFields();
            built = Elaborator.elaborate(this);
        }
        return built;
    }

    /** Names every still-unnamed signal, memory and instance from the field that holds it. */
    final void nameFromFields() {
        if (naming) {
            return;
        }
        naming = true;
        try {
            for (Class<?> c = getClass(); c != Component.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object value;
                    try {
                        value = f.get(this);
                    } catch (IllegalAccessException e) {
                        continue;
                    }
                    nameValue(f.getName(), value);
                }
            }
        } finally {
            naming = false;
        }
    }

    private void nameValue(String name, Object value) {
        if (value instanceof Signal s) {
            nameDecl(s.decl(), name);
        } else if (value instanceof Memory m) {
            nameDecl(m.decl(), name);
        } else if (value instanceof Signal[] arr) {
            for (int i = 0; i < arr.length; i++) {
                nameValue(name + "_" + i, arr[i]);
            }
        } else if (value instanceof Signal[][] arr) {
            for (int i = 0; i < arr.length; i++) {
                nameValue(name + "_" + i, arr[i]);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                nameValue(name + "_" + i, list.get(i));
            }
        } else if (value != null && value.getClass().isRecord() && value.getClass().getPackageName().startsWith("dev.sieve.hdl")) {
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                try {
                    nameValue(name + "_" + rc.getName(), rc.getAccessor().invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void nameDecl(Signal.Decl decl, String name) {
        if (decl != null && !decl.named() && decl.owner() == this) {
            decl.name(name);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Signal port(String name, int width, Signal.Kind kind) {
        if ("clk".equals(name) || "rst".equals(name)) {
            throw new HdlException("'" + name + "' is reserved for the implicit clock and reset, at " + Site.caller());
        }
        Signal s = declare(name, width, kind);
        ports.add(s);
        return s;
    }

    private Signal declare(String name, int width, Signal.Kind kind) {
        if (built != null) {
            throw new HdlException("module '" + moduleName + "' is already built; declare signals in its constructor");
        }
        return new Signal(newDecl(name), width, kind);
    }

    private Signal.Decl newDecl(String name) {
        if (name != null) {
            Verilog.checkIdentifier(name, Site.caller());
        }
        return new Signal.Decl(this, name, Site.caller());
    }

    /** The reset value of a register, or null if it has none. */
    final Expr.Const resetOf(Signal reg) {
        return resetValues.get(reg);
    }

    final void checkOwner(Signal.Decl decl, String what) {
        if (decl.owner() != this) {
            throw new HdlException("cannot " + what + " " + decl.describe() + " of module '"
                    + decl.owner().moduleName() + "' from module '" + moduleName
                    + "'; connect it through an instance, at " + Site.caller());
        }
    }

    static void requireOneBit(Expr e, String what) {
        if (e.width() != 1) {
            throw new HdlException(what + " " + Expr.describe(e) + " is " + e.width() + " bits; it must be 1 bit, at "
                    + Site.caller());
        }
    }

    /** Runs {@code action} for every expression statement in {@code stmts}, recursively. */
    static void forEachStmt(List<Stmt> stmts, Consumer<Stmt> action) {
        for (Stmt s : stmts) {
            action.accept(s);
            if (s instanceof Stmt.WhenChain w) {
                for (Stmt.Branch b : w.branches) {
                    forEachStmt(b.body(), action);
                }
                if (w.otherwise != null) {
                    forEachStmt(w.otherwise, action);
                }
            }
        }
    }
}
