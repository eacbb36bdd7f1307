package dev.sieve.sim.sweep;

import static dev.sieve.sim.sweep.YamlInput.line;

import dev.sieve.io.InputException;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.AcceleratorFamily.Workload;
import dev.sieve.sim.family.ParamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A sweep specification, read from YAML:
 *
 * <pre>
 * name: resnet18-nm              # optional, names the default output folder
 * accelerator: sat               # which family evaluates the points
 * workloads: [resnet18.csv]      # files relative to this file, or the family's built-in names
 * parameters:                    # values to combine (a list, or one value)
 *   array: [8x8, 16x16, 32x32]
 *   nm: [dense, '2:4', '2:8']
 * constraints:                   # optional; every one must hold for a point to run
 *   - array_n * array_m &lt;= 1024
 * output: out/sweep-resnet       # optional, relative to the working directory
 * objective: energy              # optional: the Pareto front's second objective, one the family
 *                                # names ({@link AcceleratorFamily#objectives()}); default its own cost
 * </pre>
 *
 * Every error names the file, the line and the key, and what is allowed.
 */
public record SweepSpec(Path file, String name, String accelerator, List<Workload> workloads,
                        Map<String, List<String>> parameters, List<Constraint> constraints, Path output,
                        Map<String, Integer> workloadLines, String objective) {

    private static final Set<String> KEYS = Set.of("name", "accelerator", "workloads", "parameters", "constraints",
            "output", "objective");

    /**
     * Reads and checks {@code file}; {@code families} are the accelerators a spec may name, by name:
     * the one named checks the parameter names and values and says which workloads are built in.
     */
    public static SweepSpec read(Path file, Map<String, ? extends AcceleratorFamily<?>> families) {
        Node root = YamlInput.compose(file);
        if (!(root instanceof MappingNode map)) {
            throw new InputException(file, root == null ? 0 : line(root), null,
                    "a sweep spec is a mapping with keys " + sorted(KEYS));
        }
        String name = null;
        String acc = null;
        AcceleratorFamily<?> family = null;
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        String accelerators = String.join(", ", families.keySet());
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("accelerator")) {
                acc = scalar(file, t.getValueNode(), "accelerator");
                family = families.get(acc);
                if (family != null) {
                    family.parameters().forEach(p -> params.put(p.name(), p));
                } else {
                    throw new InputException(file, line(t.getValueNode()), "accelerator", "'" + acc
                            + "' is not supported; allowed: " + accelerators);
                }
            }
        }
        if (acc == null) {
            throw new InputException(file, line(root), "accelerator", "missing; allowed: " + accelerators);
        }
        List<Workload> workloads = new ArrayList<>();
        Map<String, Integer> workloadLines = new LinkedHashMap<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<Constraint> constraints = new ArrayList<>();
        Path output = null;
        String objective = null;
        Path base = file.toAbsolutePath().getParent();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(file, t.getKeyNode(), "key");
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = scalar(file, v, "name");
                case "accelerator" -> {
                    // read above, before the parameters it decides
                }
                case "workloads" -> {
                    for (Node n : items(v)) {
                        Workload w = workload(file, n, base, family);
                        if (workloads.stream().anyMatch(x -> same(x, w))) {
                            throw new InputException(file, line(n), "workloads", "'" + w.text() + "' is listed twice");
                        }
                        workloads.add(w);
                        workloadLines.put(w.text(), line(n));
                    }
                }
                case "parameters" -> {
                    if (!(v instanceof MappingNode pm)) {
                        throw new InputException(file, line(v), "parameters", "expected a mapping of name: [values]");
                    }
                    for (NodeTuple p : pm.getValue()) {
                        String pname = scalar(file, p.getKeyNode(), "parameters");
                        ParamSpec spec = params.get(pname);
                        if (spec == null) {
                            throw new InputException(file, line(p.getKeyNode()), "parameters." + pname,
                                    "unknown parameter; allowed: " + String.join(", ", params.keySet()));
                        }
                        List<String> vs = new ArrayList<>();
                        for (Node n : items(p.getValueNode())) {
                            String value = scalar(file, n, "parameters." + pname);
                            String problem = spec.check(value);
                            if (problem != null) {
                                throw new InputException(file, line(n), "parameters." + pname,
                                        "value '" + value + "' " + problem + "; allowed " + spec.allowed());
                            }
                            if (vs.contains(value)) {
                                throw new InputException(file, line(n), "parameters." + pname,
                                        "value '" + value + "' is listed twice");
                            }
                            vs.add(value);
                        }
                        if (vs.isEmpty()) {
                            throw new InputException(file, line(p.getValueNode()), "parameters." + pname,
                                    "no values; allowed " + spec.allowed());
                        }
                        values.put(pname, List.copyOf(vs));
                    }
                }
                case "constraints" -> {
                    for (Node n : items(v)) {
                        String text = scalar(file, n, "constraints");
                        try {
                            constraints.add(Constraint.parse(text).at(line(n)));
                        } catch (IllegalArgumentException e) {
                            throw new InputException(file, line(n), "constraints", e.getMessage());
                        }
                    }
                }
                case "output" -> output = Path.of(scalar(file, v, "output"));
                case "objective" -> {
                    objective = scalar(file, v, "objective");
                    if (!family.objectives().containsKey(objective)) {
                        throw new InputException(file, line(v), "objective", "'" + objective + "' is not an objective of "
                                + acc + "; allowed: " + (family.objectives().isEmpty() ? "none (remove the key)"
                                : String.join(", ", new java.util.TreeSet<>(family.objectives().keySet()))));
                    }
                }
                default -> throw new InputException(file, line(t.getKeyNode()), key,
                        "unknown key; allowed: " + sorted(KEYS));
            }
        }
        if (workloads.isEmpty()) {
            throw new InputException(file, line(root), "workloads", "missing; give at least one workload");
        }
        for (ParamSpec p : params.values()) {
            values.putIfAbsent(p.name(), List.of(p.defaultValue()));
        }
        SweepSpec spec = new SweepSpec(file, name == null ? stem(file) : name, acc, List.copyOf(workloads),
                values, List.copyOf(constraints), output, Map.copyOf(workloadLines), objective);
        // every constraint must resolve its names on the first point
        Map<String, String> first = new LinkedHashMap<>();
        values.forEach((k, vs) -> first.put(k, vs.get(0)));
        for (Constraint c : constraints) {
            c.testAt(file, first);
        }
        return spec;
    }

    /** Points of the full cartesian product, before constraints ({@link Long#MAX_VALUE} if that overflows). */
    public long combinations() {
        try {
            return Constraint.count(parameters);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The points, lazily: the cartesian product of the parameter values, first parameter slowest,
     * filtered by the constraints; one point is made at a time, so memory does not grow with the
     * count. A constraint that cannot be evaluated at a point (it divides by zero) is an error naming
     * the constraint's line; so are constraints that leave no point, when the iterator is first asked.
     */
    public Iterable<Map<String, String>> points() {
        return () -> new Iterator<>() {
            private final List<String> names = new ArrayList<>(parameters.keySet());
            private final int[] idx = new int[names.size()];
            private boolean exhausted;
            private boolean any;
            private Map<String, String> next = advance(true);

            private Map<String, String> advance(boolean first) {
                while (!exhausted) {
                    if (!first && !step()) {
                        exhausted = true;
                        break;
                    }
                    first = false;
                    Map<String, String> p = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        p.put(names.get(i), parameters.get(names.get(i)).get(idx[i]));
                    }
                    boolean keep = true;
                    for (Constraint c : constraints) {
                        if (!c.testAt(file, p)) {
                            keep = false;
                            break;
                        }
                    }
                    if (keep) {
                        any = true;
                        return p;
                    }
                }
                if (!any && !constraints.isEmpty()) {
                    throw new InputException(file, constraints.get(0).line(), "constraints", "the constraints leave none "
                            + "of the " + combinations() + " points; allowed: constraints that keep at least one point");
                }
                return null;
            }

            /** The next combination, last parameter fastest; false after the last one. */
            private boolean step() {
                int i = names.size() - 1;
                while (i >= 0 && ++idx[i] == parameters.get(names.get(i)).size()) {
                    idx[i] = 0;
                    i--;
                }
                return i >= 0;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map<String, String> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map<String, String> p = next;
                next = advance(false);
                return p;
            }
        };
    }

    /**
     * The name reports give {@code w}: its file name, or the path as the spec writes it when another
     * workload of the spec has the same file name (so the two stay apart in {@code points.csv}), or
     * the built-in's text.
     */
    public String label(Workload w) {
        if (w.file() == null) {
            return w.text();
        }
        for (Workload o : workloads) {
            if (o != w && o.file() != null && o.file().getFileName().equals(w.file().getFileName())) {
                return w.text().replace('\\', '/');
            }
        }
        return w.label();
    }

    /** A workload entry: the family's built-in name, else a file relative to the spec. */
    private static Workload workload(Path file, Node n, Path base, AcceleratorFamily<?> family) {
        String text = scalar(file, n, "workloads");
        boolean builtIn;
        try {
            builtIn = family.builtIn(text);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line(n), "workloads", e.getMessage());
        }
        if (builtIn) {
            return new Workload(text, null);
        }
        Path w = base.resolve(text);
        if (!Files.isRegularFile(w)) {
            throw new InputException(file, line(n), "workloads", "file not found: " + w);
        }
        return new Workload(text, w);
    }

    /** The same built-in, or the same file however its path is written. */
    private static boolean same(Workload a, Workload b) {
        if (a.file() == null || b.file() == null) {
            return a.file() == null && b.file() == null && a.text().equals(b.text());
        }
        return a.file().toAbsolutePath().normalize().equals(b.file().toAbsolutePath().normalize());
    }

    private static List<Node> items(Node v) {
        return v instanceof SequenceNode s ? s.getValue() : List.of(v);
    }

    private static String scalar(Path file, Node n, String field) {
        if (!(n instanceof ScalarNode s)) {
            throw new InputException(file, line(n), field, "expected a single value");
        }
        return s.getValue().trim();
    }

    private static String stem(Path f) {
        String s = f.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}
