package dev.sieve.hdl;

import dev.sieve.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an elaborated {@link ModuleDef} as readable Verilog-2005: one module per file named after
 * the module, ANSI ports, {@code assign} for combinational logic, one {@code always @(posedge clk)}
 * per register with a synchronous reset, and memories as {@code reg} arrays with a registered read
 * so that synthesis infers block RAM. Output is deterministic: the same design gives the same bytes.
 *
 * <p>Expressions are inlined where Verilog's sizing rules cannot change their meaning; products,
 * arithmetic shifts, slices of expressions and shared subexpressions get a named {@code _tN} wire.
 * Bits that nothing reads are gathered into a {@code _unused_ok} reduction (the Verilator idiom),
 * after being reported by the checks, so the file lints clean under {@code -Wall}.
 */
public final class VerilogEmitter {

    private final ModuleDef m;
    private final IdentityHashMap<Expr, Integer> uses = new IdentityHashMap<>();
    private final IdentityHashMap<Expr, String> temps = new IdentityHashMap<>();
    private final List<String> tempDecls = new ArrayList<>();
    private final List<String> tempAssigns = new ArrayList<>();
    private final List<String> extraUnused = new ArrayList<>();
    /** Bits of each {@code _tN} wire that something reads (a slice of an expression reads only part of it). */
    private final Map<String, BitSet> tempReads = new LinkedHashMap<>();
    private final Map<String, Integer> tempWidths = new LinkedHashMap<>();

    private VerilogEmitter(ModuleDef m) {
        this.m = m;
    }

    /** The Verilog text of one module (its submodules are separate files). */
    public static String emit(ModuleDef m) {
        return new VerilogEmitter(m).render();
    }

    /** File name → Verilog text for the module and every module below it, children first. */
    public static Map<String, String> emitAll(ModuleDef top) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ModuleDef d : top.hierarchy()) {
            files.put(d.name() + ".v", emit(d));
        }
        return files;
    }

    /**
     * Writes every module file of {@code top} into {@code dir}, each atomically (temporary file
     * then rename), and returns the paths, children first.
     */
    public static List<Path> write(ModuleDef top, Path dir) {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, String> f : emitAll(top).entrySet()) {
            Path target = dir.resolve(f.getKey());
            AtomicFiles.writeString(target, f.getValue());
            out.add(target);
        }
        return out;
    }

    // ------------------------------------------------------------------ rendering

    private String render() {
        countUses();
        StringBuilder body = new StringBuilder();

        for (Map.Entry<Signal, Expr> d : m.drivers().entrySet()) {
            body.append("  assign ").append(d.getKey().name()).append(" = ").append(expr(d.getValue(), true))
                    .append(";\n");
        }
        for (ModuleDef.RegDef r : m.regs()) {
            body.append("\n  always @(posedge clk) begin\n");
            String name = r.reg().name();
            String next = expr(r.next(), true);
            String indent = "    ";
            if (r.reset() != null) {
                body.append("    if (rst) begin\n      ").append(name).append(" <= ").append(literal(r.reset()))
                        .append(";\n    end else");
                if (r.enable() != null) {
                    body.append(" if (").append(expr(r.enable(), false)).append(")");
                }
                body.append(" begin\n      ").append(name).append(" <= ").append(next).append(";\n    end\n");
            } else if (r.enable() != null) {
                body.append(indent).append("if (").append(expr(r.enable(), false)).append(") begin\n      ")
                        .append(name).append(" <= ").append(next).append(";\n    end\n");
            } else {
                body.append(indent).append(name).append(" <= ").append(next).append(";\n");
            }
            body.append("  end\n");
        }
        for (Memory mem : m.memories()) {
            List<ModuleDef.WriteDef> ws = m.writes().stream().filter(w -> w.memory() == mem).toList();
            if (!ws.isEmpty()) {
                body.append("\n  always @(posedge clk) begin\n");
                for (ModuleDef.WriteDef w : ws) {
                    body.append("    if (").append(expr(w.enable(), false)).append(") begin\n      ")
                            .append(mem.name()).append("[").append(expr(w.address(), false)).append("] <= ")
                            .append(expr(w.data(), false)).append(";\n    end\n");
                }
                body.append("  end\n");
            }
        }
        for (ModuleDef.ReadDef r : m.reads()) {
            body.append("\n  always @(posedge clk) begin\n    if (").append(expr(r.enable(), false))
                    .append(") begin\n      ").append(r.data().name()).append(" <= ").append(r.memory().name())
                    .append("[").append(expr(r.address(), false)).append("];\n    end\n  end\n");
        }
        for (ModuleDef.InstanceDef i : m.instances()) {
            body.append("\n  ").append(i.module().name()).append(" ").append(i.name()).append(" (\n");
            List<String> conns = new ArrayList<>();
            for (Signal p : i.module().ports()) {
                String actual;
                if (p.kind() == Signal.Kind.INPUT) {
                    actual = expr(i.inputs().get(p.name()), false);
                } else if (i.outputs().get(p.name()) != null) {
                    actual = i.outputs().get(p.name()).name();
                } else {
                    actual = "_" + i.name() + "_" + p.name();
                    tempDecls.add("  wire " + range(p.width()) + actual + ";");
                    extraUnused.add(actual);
                }
                conns.add("    ." + p.name() + "(" + actual + ")");
            }
            body.append(String.join(",\n", conns)).append("\n  );\n");
        }

        StringBuilder out = new StringBuilder();
        out.append("// Generated by Sieve from ").append(m.generator()).append(". Do not edit.\n");
        out.append("`default_nettype none\n\n");
        out.append("module ").append(m.name()).append(" (\n");
        List<String> portLines = new ArrayList<>();
        for (Signal p : m.ports()) {
            portLines.add("  " + (p.kind() == Signal.Kind.INPUT ? "input  wire " : "output wire ") + range(p.width())
                    + p.name());
        }
        out.append(String.join(",\n", portLines)).append("\n);\n");

        boolean decls = false;
        for (Signal s : m.internals()) {
            String kw = s.kind() == Signal.Kind.WIRE ? "wire " : "reg  ";
            out.append("  ").append(kw).append(range(s.width())).append(s.name()).append(";\n");
            decls = true;
        }
        for (Memory mem : m.memories()) {
            out.append("  reg  ").append(range(mem.width())).append(mem.name()).append(" [0:").append(mem.depth() - 1)
                    .append("];\n");
            decls = true;
        }
        for (String t : tempDecls) {
            out.append(t).append('\n');
            decls = true;
        }
        String unused = unusedLine();
        if (unused != null) {
            out.append(unused).append('\n');
            decls = true;
        }
        if (decls) {
            out.append('\n');
        }
        for (String t : tempAssigns) {
            out.append(t).append('\n');
        }
        out.append(body);
        out.append("endmodule\n\n`default_nettype wire\n");
        return out.toString();
    }

    private String unusedLine() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Signal, BitSet> u : m.unused().entrySet()) {
            Signal s = u.getKey();
            BitSet bits = u.getValue();
            if (bits.cardinality() == s.width()) {
                parts.add(s.name());
                continue;
            }
            for (int i = bits.nextSetBit(0); i >= 0; ) {
                int end = bits.nextClearBit(i) - 1;
                parts.add(s.name() + (end == i ? "[" + i + "]" : "[" + end + ":" + i + "]"));
                i = bits.nextSetBit(end + 1);
            }
        }
        parts.addAll(extraUnused);
        for (Map.Entry<String, BitSet> t : tempReads.entrySet()) {
            int width = tempWidths.get(t.getKey());
            BitSet unread = new BitSet();
            unread.set(0, width);
            unread.andNot(t.getValue());
            for (int i = unread.nextSetBit(0); i >= 0; ) {
                int end = unread.nextClearBit(i) - 1;
                parts.add(t.getKey() + (end == i ? "[" + i + "]" : "[" + end + ":" + i + "]"));
                i = unread.nextSetBit(end + 1);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return "  // read by nothing (reported by Sieve's checks); gathered here so lint stays clean\n"
                + "  wire _unused_ok = &{1'b0, " + String.join(", ", parts) + ", 1'b0};";
    }

    private static String range(int width) {
        return width == 1 ? "" : "[" + (width - 1) + ":0] ";
    }

    static String literal(Expr.Const c) {
        return c.width() + "'h" + c.value().toString(16);
    }

    // ------------------------------------------------------------------ expressions

    private void countUses() {
        List<Expr> roots = new ArrayList<>(m.drivers().values());
        for (ModuleDef.RegDef r : m.regs()) {
            roots.add(r.next());
            if (r.enable() != null) {
                roots.add(r.enable());
            }
        }
        for (ModuleDef.WriteDef w : m.writes()) {
            roots.add(w.enable());
            roots.add(w.address());
            roots.add(w.data());
        }
        for (ModuleDef.ReadDef r : m.reads()) {
            roots.add(r.enable());
            roots.add(r.address());
        }
        for (ModuleDef.InstanceDef i : m.instances()) {
            roots.addAll(i.inputs().values());
        }
        for (Expr e : roots) {
            countUses(e);
        }
    }

    private void countUses(Expr e) {
        Integer n = uses.merge(e, 1, Integer::sum);
        if (n == 1) {
            for (Expr ch : Elaborator.children(e)) {
                countUses(ch);
            }
        }
    }

    /** Renders {@code e}; {@code root} is true where the context width is exactly e's width. */
    private String expr(Expr e, boolean root) {
        if (e instanceof Signal s) {
            return s.name();
        }
        if (e instanceof Expr.Const c) {
            return literal(c);
        }
        String t = temps.get(e);
        if (t != null) {
            return read(t, 0, e.width() - 1);
        }
        if (!root && (mustName(e) || (uses.getOrDefault(e, 1) > 1 && !cheap(e)))) {
            return read(temp(e), 0, e.width() - 1);
        }
        return inline(e);
    }

    private static boolean mustName(Expr e) {
        return e instanceof Expr.Binary b && (b.op().isMul() || b.op() == Expr.BinaryOp.SRA);
    }

    private static boolean cheap(Expr e) {
        if (e instanceof Expr.Slice sl) {
            return sl.arg() instanceof Signal;
        }
        if (e instanceof Expr.Unary u) {
            return u.op() == Expr.UnaryOp.NOT && u.arg() instanceof Signal;
        }
        return false;
    }

    /** A name for {@code e}: the signal itself, or a {@code _tN} wire driven by it. */
    private String nameOf(Expr e) {
        if (e instanceof Signal s) {
            return s.name();
        }
        String t = temps.get(e);
        return t != null ? t : temp(e);
    }

    /** Records that bits {@code lo..hi} of {@code name} are read, if it is a temporary; returns the name. */
    private String read(String name, int lo, int hi) {
        BitSet bits = tempReads.get(name);
        if (bits != null) {
            bits.set(lo, hi + 1);
        }
        return name;
    }

    private String temp(Expr e) {
        String name = "_t" + temps.size();
        temps.put(e, name);
        tempReads.put(name, new BitSet());
        tempWidths.put(name, e.width());
        tempDecls.add("  wire " + range(e.width()) + name + ";");
        String rhs = inline(e);
        tempAssigns.add("  assign " + name + " = " + rhs + ";");
        return name;
    }

    private String inline(Expr e) {
        if (e instanceof Signal || e instanceof Expr.Const) {
            return expr(e, true);
        }
        if (e instanceof Expr.Unary u) {
            String a = expr(u.arg(), false);
            return switch (u.op()) {
                case NOT -> "~" + a;
                case NEG -> "-" + a;
                case AND_REDUCE -> "&" + a;
                case OR_REDUCE -> "|" + a;
                case XOR_REDUCE -> "^" + a;
            };
        }
        if (e instanceof Expr.Binary b) {
            String a = expr(b.a(), false);
            String c = expr(b.b(), false);
            if (b.op() == Expr.BinaryOp.SRA) {
                return "$signed(" + a + ") >>> " + c;
            }
            if (b.op().isSigned()) {
                return "($signed(" + a + ") " + b.op().verilog + " $signed(" + c + "))";
            }
            return "(" + a + " " + b.op().verilog + " " + c + ")";
        }
        if (e instanceof Expr.Mux mx) {
            return "(" + expr(mx.sel(), false) + " ? " + expr(mx.ifTrue(), false) + " : " + expr(mx.ifFalse(), false)
                    + ")";
        }
        if (e instanceof Expr.Concat cc) {
            List<String> parts = new ArrayList<>();
            for (Expr p : cc.parts()) {
                parts.add(expr(p, false));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (e instanceof Expr.Slice sl) {
            if (sl.lo() == 0 && sl.hi() == sl.arg().width() - 1) {
                return expr(sl.arg(), false);
            }
            String base = read(nameOf(sl.arg()), sl.lo(), sl.hi());
            return sl.hi() == sl.lo() ? base + "[" + sl.lo() + "]" : base + "[" + sl.hi() + ":" + sl.lo() + "]";
        }
        if (e instanceof Expr.Extend x) {
            int pad = x.width() - x.arg().width();
            if (pad == 0) {
                return expr(x.arg(), false);
            }
            if (!x.signed()) {
                return "{{" + pad + "{1'b0}}, " + expr(x.arg(), false) + "}";
            }
            String base = read(nameOf(x.arg()), 0, x.arg().width() - 1);
            String sign = x.arg().width() == 1 ? base : base + "[" + (x.arg().width() - 1) + "]";
            return "{{" + pad + "{" + sign + "}}, " + base + "}";
        }
        Expr.MemRead r = (Expr.MemRead) e;
        return r.memory().name() + "[" + expr(r.address(), false) + "]";
    }
}
