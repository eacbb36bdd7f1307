package dev.sieve.hdl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link Component}'s recorded statements into a checked {@link ModuleDef}: lowers
 * when-chains to muxes (last assignment wins), then checks single drivers, latches, undriven
 * signals, combinational loops (through instances too) and reports unused bits.
 */
final class Elaborator {

    private final Component c;
    private final Map<Stmt.WhenChain, Set<Signal>> chainTargets = new IdentityHashMap<>();

    private Elaborator(Component c) {
        this.c = c;
    }

    static ModuleDef elaborate(Component c) {
        return new Elaborator(c).run();
    }

    /** A lowered value: an expression, or undefined on some path (a latch) or on all paths. */
    private record Val(Expr expr, Site partial) {
        static final Val UNDEFINED = new Val(null, null);

        boolean defined() {
            return expr != null;
        }
    }

    private ModuleDef run() {
        List<Instance> instances = c.instances;
        List<ModuleDef.InstanceDef> instanceDefs = new ArrayList<>();
        boolean childClocked = false;
        Map<Instance, ModuleDef> childDefs = new LinkedHashMap<>();
        for (Instance inst : instances) {
            ModuleDef def = inst.child().build();
            childDefs.put(inst, def);
            childClocked |= def.clocked();
        }

        // ---- names
        int auto = 0;
        Map<String, Site> names = new HashMap<>();
        List<Signal.Decl> decls = new ArrayList<>();
        for (Signal s : c.ports) {
            decls.add(s.decl());
        }
        for (Signal s : c.internals) {
            decls.add(s.decl());
        }
        for (Memory m : c.memories) {
            decls.add(m.decl());
        }
        for (Signal.Decl d : decls) {
            if (!d.named()) {
                d.name("_s" + auto++);
            }
            claim(names, d.name(), d.site());
        }
        for (Instance i : instances) {
            claim(names, i.name(), i.site());
        }

        boolean clocked = !c.resetValues.isEmpty() || !c.memories.isEmpty() || childClocked;
        List<Signal> ports = new ArrayList<>();
        Signal clk = null;
        Signal rst = null;
        if (clocked) {
            clk = new Signal(new Signal.Decl(c, "clk", Site.UNKNOWN), 1, Signal.Kind.INPUT);
            rst = new Signal(new Signal.Decl(c, "rst", Site.UNKNOWN), 1, Signal.Kind.INPUT);
            claim(names, "clk", Site.UNKNOWN);
            claim(names, "rst", Site.UNKNOWN);
            ports.add(clk);
            ports.add(rst);
        }
        ports.addAll(c.ports);

        // ---- drivers by instances and read ports
        Map<Signal, String> structuralDriver = new LinkedHashMap<>();
        for (Component.SyncRead r : c.syncReads) {
            structuralDriver.put(r.data(), "read port at " + r.site());
        }
        for (Instance inst : instances) {
            ModuleDef def = childDefs.get(inst);
            Map<String, Expr> ins = new LinkedHashMap<>();
            Map<String, Signal> outs = new LinkedHashMap<>();
            if (def.clocked()) {
                ins.put("clk", clk);
                ins.put("rst", rst);
            }
            for (Signal p : inst.child().ports) {
                if (p.kind() == Signal.Kind.INPUT) {
                    Expr e = inst.inputs.get(p);
                    if (e == null) {
                        throw new HdlException("input '" + p.name() + "' of instance '" + inst.name() + "' (module '"
                                + def.name() + "') is not connected, instance at " + inst.site());
                    }
                    ins.put(p.name(), e);
                } else {
                    Signal target = inst.outputs.get(p);
                    if (target != null) {
                        String prior = structuralDriver.put(target, "instance '" + inst.name() + "' output '"
                                + p.name() + "' at " + inst.site());
                        if (prior != null) {
                            throw new HdlException("double driver: " + target.decl().describe() + " is driven by "
                                    + prior + " and by instance '" + inst.name() + "' output '" + p.name() + "'");
                        }
                    }
                    outs.put(p.name(), target);
                }
            }
            instanceDefs.add(new ModuleDef.InstanceDef(inst.name(), def, Collections.unmodifiableMap(ins),
                    Collections.unmodifiableMap(outs)));
        }

        // ---- targets of assignments, double drivers at top level
        Set<Signal> targets = new LinkedHashSet<>();
        Map<Signal, Site> topLevel = new HashMap<>();
        for (Stmt s : c.body) {
            if (s instanceof Stmt.Assign a) {
                Site prior = topLevel.put(a.target(), a.site());
                if (prior != null) {
                    throw new HdlException("double driver: " + a.target().decl().describe()
                            + " is assigned unconditionally at " + prior + " and again at " + a.site()
                            + "; the first assignment would never take effect");
                }
            }
        }
        Component.forEachStmt(c.body, s -> {
            if (s instanceof Stmt.Assign a) {
                targets.add(a.target());
                String prior = structuralDriver.get(a.target());
                if (prior != null) {
                    throw new HdlException("double driver: " + a.target().decl().describe() + " is driven by "
                            + prior + " and assigned at " + a.site());
                }
            }
        });

        // ---- lowering
        Map<Signal, Expr> drivers = new LinkedHashMap<>();
        List<ModuleDef.RegDef> regs = new ArrayList<>();
        for (Signal s : orderedSignals(ports)) {
            if (s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT) {
                if (targets.contains(s)) {
                    Val v = lower(c.body, s, Val.UNDEFINED);
                    if (!v.defined()) {
                        throw new HdlException("latch: " + s.decl().describe() + " is assigned in only some branches"
                                + " of the when at " + v.partial() + " and has no default assignment before it;"
                                + " assign a default first or add an otherwise branch that assigns it");
                    }
                    drivers.put(s, v.expr());
                } else if (!structuralDriver.containsKey(s)) {
                    throw new HdlException("undriven: " + kindWord(s) + " " + s.decl().describe()
                            + " (declared at " + s.decl().site() + ") is never assigned");
                }
            } else if (s.kind() == Signal.Kind.REG) {
                if (!targets.contains(s)) {
                    throw new HdlException("undriven: register " + s.decl().describe() + " (declared at "
                            + s.decl().site() + ") is never assigned");
                }
                Expr next = lower(c.body, s, new Val(s, null)).expr();
                Expr enable = null;
                if (next instanceof Expr.Mux m && m.ifFalse() == s) {
                    enable = m.sel();
                    next = m.ifTrue();
                }
                regs.add(new ModuleDef.RegDef(s, c.resetOf(s), enable, next));
            }
        }

        // ---- memory ports
        List<ModuleDef.WriteDef> writes = new ArrayList<>();
        collectWrites(c.body, null, writes);
        List<ModuleDef.ReadDef> reads = new ArrayList<>();
        for (Component.SyncRead r : c.syncReads) {
            reads.add(new ModuleDef.ReadDef(r.memory(), r.data(), r.address(), r.enable()));
        }

        // ---- every expression only uses this module's signals
        List<Expr> roots = new ArrayList<>(drivers.values());
        for (ModuleDef.RegDef r : regs) {
            roots.add(r.next());
            if (r.enable() != null) {
                roots.add(r.enable());
            }
        }
        for (ModuleDef.WriteDef w : writes) {
            roots.add(w.address());
            roots.add(w.data());
            roots.add(w.enable());
        }
        for (ModuleDef.ReadDef r : reads) {
            roots.add(r.address());
            roots.add(r.enable());
        }
        for (ModuleDef.InstanceDef i : instanceDefs) {
            roots.addAll(i.inputs().values());
        }
        Map<Signal, BitSet> read = new HashMap<>();
        IdentityHashMap<Expr, Boolean> visited = new IdentityHashMap<>();
        for (Expr e : roots) {
            markReads(e, read, visited);
        }
        if (clocked && (!regs.isEmpty() || !writes.isEmpty() || !reads.isEmpty())) {
            read.computeIfAbsent(clk, k -> new BitSet()).set(0);
        }
        if (regs.stream().anyMatch(r -> r.reset() != null)) {
            read.computeIfAbsent(rst, k -> new BitSet()).set(0);
        }

        // ---- combinational loops and paths
        Map<Signal, Set<Signal>> deps = new LinkedHashMap<>();
        for (Map.Entry<Signal, Expr> d : drivers.entrySet()) {
            deps.put(d.getKey(), combSignals(d.getValue()));
        }
        for (ModuleDef.InstanceDef i : instanceDefs) {
            for (Map.Entry<String, Signal> o : i.outputs().entrySet()) {
                if (o.getValue() == null) {
                    continue;
                }
                Set<Signal> ds = new LinkedHashSet<>();
                for (String in : i.module().combPaths().getOrDefault(o.getKey(), Set.of())) {
                    ds.addAll(combSignals(i.inputs().get(in)));
                }
                deps.put(o.getValue(), ds);
            }
        }
        checkLoops(deps);
        Map<String, Set<String>> combPaths = new LinkedHashMap<>();
        for (Signal p : c.ports) {
            if (p.kind() == Signal.Kind.OUTPUT) {
                Set<String> ins = new LinkedHashSet<>();
                reachInputs(p, deps, ins, new HashMap<>());
                combPaths.put(p.name(), Collections.unmodifiableSet(ins));
            }
        }

        // ---- unused
        Map<Signal, BitSet> unused = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Signal s : orderedSignals(ports)) {
            if (s.kind() == Signal.Kind.OUTPUT) {
                continue;
            }
            BitSet bits = read.getOrDefault(s, new BitSet());
            if (bits.cardinality() == s.width()) {
                continue;
            }
            BitSet missing = new BitSet();
            missing.set(0, s.width());
            missing.andNot(bits);
            unused.put(s, missing);
            if (s == rst || s == clk) {
                continue; // implicit ports are kept for a uniform interface
            }
            warnings.add("unused: " + kindWord(s) + " '" + s.name() + "'"
                    + (missing.cardinality() == s.width() ? " is never read" : " bits " + ranges(missing) + " are never read")
                    + " (declared at " + s.decl().site() + ")");
        }
        for (ModuleDef.InstanceDef i : instanceDefs) {
            for (Map.Entry<String, Signal> o : i.outputs().entrySet()) {
                if (o.getValue() == null) {
                    warnings.add("unused: output '" + o.getKey() + "' of instance '" + i.name() + "' is not connected");
                }
            }
        }

        return new ModuleDef(c.moduleName(), c.getClass().getName(), List.copyOf(ports), List.copyOf(c.internals),
                Collections.unmodifiableMap(drivers), List.copyOf(regs), List.copyOf(c.memories), List.copyOf(writes),
                List.copyOf(reads), List.copyOf(instanceDefs), Collections.unmodifiableMap(combPaths),
                Collections.unmodifiableMap(unused), List.copyOf(warnings));
    }

    private List<Signal> orderedSignals(List<Signal> ports) {
        List<Signal> all = new ArrayList<>(ports);
        all.addAll(c.internals);
        return all;
    }

    private static void claim(Map<String, Site> names, String name, Site site) {
        Site prior = names.putIfAbsent(name, site);
        if (prior != null) {
            throw new HdlException("name '" + name + "' is used twice in one module (declared at " + prior + " and at "
                    + site + ")");
        }
    }

    private static String kindWord(Signal s) {
        return switch (s.kind()) {
            case INPUT -> "input";
            case OUTPUT -> "output";
            case WIRE -> "wire";
            case REG -> "register";
            case READ_DATA -> "read data";
        };
    }

    // ------------------------------------------------------------ lowering

    private Val lower(List<Stmt> block, Signal target, Val incoming) {
        Val v = incoming;
        for (Stmt s : block) {
            if (s instanceof Stmt.Assign a) {
                if (a.target() == target) {
                    v = new Val(a.value(), null);
                }
            } else if (s instanceof Stmt.WhenChain w) {
                if (!targetsOf(w).contains(target)) {
                    continue;
                }
                List<Val> arms = new ArrayList<>();
                for (Stmt.Branch b : w.branches) {
                    arms.add(lower(b.body(), target, v));
                }
                Val acc = w.otherwise != null ? lower(w.otherwise, target, v) : v;
                for (int i = w.branches.size() - 1; i >= 0; i--) {
                    acc = merge(w.branches.get(i).cond(), arms.get(i), acc, w.site);
                }
                v = acc;
            }
        }
        return v;
    }

    private static Val merge(Expr cond, Val ifTrue, Val ifFalse, Site site) {
        if (ifTrue.defined() && ifFalse.defined()) {
            if (ifTrue.expr() == ifFalse.expr()) {
                return ifTrue;
            }
            return new Val(new Expr.Mux(cond, ifTrue.expr(), ifFalse.expr()), null);
        }
        Site partial = ifTrue.partial() != null ? ifTrue.partial() : ifFalse.partial();
        if (partial == null && (ifTrue.defined() || ifFalse.defined())) {
            partial = site;
        }
        return new Val(null, partial);
    }

    private Set<Signal> targetsOf(Stmt.WhenChain w) {
        Set<Signal> t = chainTargets.get(w);
        if (t == null) {
            Set<Signal> found = new java.util.HashSet<>();
            for (Stmt.Branch b : w.branches) {
                Component.forEachStmt(b.body(), s -> addTarget(s, found));
            }
            if (w.otherwise != null) {
                Component.forEachStmt(w.otherwise, s -> addTarget(s, found));
            }
            chainTargets.put(w, found);
            t = found;
        }
        return t;
    }

    private static void addTarget(Stmt s, Set<Signal> found) {
        if (s instanceof Stmt.Assign a) {
            found.add(a.target());
        }
    }

    private static void collectWrites(List<Stmt> block, Expr path, List<ModuleDef.WriteDef> out) {
        for (Stmt s : block) {
            if (s instanceof Stmt.MemWrite w) {
                Expr en = path == null ? w.enable() : path.and(w.enable());
                out.add(new ModuleDef.WriteDef(w.memory(), w.address(), w.data(), en));
            } else if (s instanceof Stmt.WhenChain w) {
                Expr notEarlier = null;
                for (Stmt.Branch b : w.branches) {
                    Expr taken = notEarlier == null ? b.cond() : notEarlier.and(b.cond());
                    collectWrites(b.body(), path == null ? taken : path.and(taken), out);
                    notEarlier = notEarlier == null ? b.cond().not() : notEarlier.and(b.cond().not());
                }
                if (w.otherwise != null) {
                    collectWrites(w.otherwise, path == null ? notEarlier : path.and(notEarlier), out);
                }
            }
        }
    }

    // ------------------------------------------------------------ analysis

    private void markReads(Expr e, Map<Signal, BitSet> read, IdentityHashMap<Expr, Boolean> visited) {
        if (visited.put(e, Boolean.TRUE) != null) {
            return;
        }
        if (e instanceof Signal s) {
            ownedHere(s);
            read.computeIfAbsent(s, k -> new BitSet()).set(0, s.width());
        } else if (e instanceof Expr.Slice sl && sl.arg() instanceof Signal s) {
            ownedHere(s);
            read.computeIfAbsent(s, k -> new BitSet()).set(sl.lo(), sl.hi() + 1);
        } else {
            for (Expr child : children(e)) {
                markReads(child, read, visited);
            }
        }
    }

    private void ownedHere(Signal s) {
        if (s.decl().owner() != c) {
            throw new HdlException("module '" + c.moduleName() + "' uses " + s.decl().describe() + " of module '"
                    + s.decl().owner().moduleName() + "' (declared at " + s.decl().site()
                    + "); connect it through an instance");
        }
    }

    static List<Expr> children(Expr e) {
        if (e instanceof Expr.Unary u) {
            return List.of(u.arg());
        } else if (e instanceof Expr.Binary b) {
            return List.of(b.a(), b.b());
        } else if (e instanceof Expr.Mux m) {
            return List.of(m.sel(), m.ifTrue(), m.ifFalse());
        } else if (e instanceof Expr.Concat cc) {
            return cc.parts();
        } else if (e instanceof Expr.Slice sl) {
            return List.of(sl.arg());
        } else if (e instanceof Expr.Extend x) {
            return List.of(x.arg());
        } else if (e instanceof Expr.MemRead r) {
            return List.of(r.address());
        }
        return List.of();
    }

    /** Signals an expression reads combinationally (wires, outputs and inputs; state breaks paths). */
    private static Set<Signal> combSignals(Expr e) {
        Set<Signal> out = new LinkedHashSet<>();
        Deque<Expr> todo = new ArrayDeque<>();
        IdentityHashMap<Expr, Boolean> seen = new IdentityHashMap<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (seen.put(x, Boolean.TRUE) != null) {
                continue;
            }
            if (x instanceof Signal s) {
                if (s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT || s.kind() == Signal.Kind.INPUT) {
                    out.add(s);
                }
            } else {
                for (Expr ch : children(x)) {
                    todo.push(ch);
                }
            }
        }
        return out;
    }

    private static void checkLoops(Map<Signal, Set<Signal>> deps) {
        Map<Signal, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
        Deque<Signal> stack = new ArrayDeque<>();
        for (Signal s : deps.keySet()) {
            visitLoop(s, deps, state, stack);
        }
    }

    private static void visitLoop(Signal s, Map<Signal, Set<Signal>> deps, Map<Signal, Integer> state,
                                  Deque<Signal> stack) {
        Integer st = state.get(s);
        if (st != null) {
            if (st == 1) {
                List<String> loop = new ArrayList<>();
                boolean in = false;
                for (java.util.Iterator<Signal> it = stack.descendingIterator(); it.hasNext(); ) {
                    Signal x = it.next();
                    in |= x == s;
                    if (in) {
                        loop.add(x.name());
                    }
                }
                loop.add(s.name());
                throw new HdlException("combinational loop: " + String.join(" -> ", loop)
                        + "; break it with a register");
            }
            return;
        }
        state.put(s, 1);
        stack.push(s);
        for (Signal d : deps.getOrDefault(s, Set.of())) {
            visitLoop(d, deps, state, stack);
        }
        stack.pop();
        state.put(s, 2);
    }

    private static void reachInputs(Signal s, Map<Signal, Set<Signal>> deps, Set<String> out,
                                    Map<Signal, Boolean> seen) {
        if (seen.put(s, Boolean.TRUE) != null) {
            return;
        }
        if (s.kind() == Signal.Kind.INPUT) {
            out.add(s.name());
            return;
        }
        for (Signal d : deps.getOrDefault(s, Set.of())) {
            reachInputs(d, deps, out, seen);
        }
    }

    private static String ranges(BitSet bits) {
        List<String> parts = new ArrayList<>();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int end = bits.nextClearBit(i) - 1;
            parts.add(end == i ? "[" + i + "]" : "[" + end + ":" + i + "]");
            i = bits.nextSetBit(end + 1);
        }
        return String.join(", ", parts);
    }
}
