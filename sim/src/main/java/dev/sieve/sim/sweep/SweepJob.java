package dev.sieve.sim.sweep;

import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Families;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything another process needs to evaluate a sweep's points, and nothing that exists only on
 * the machine that started it: the family's name, the objective saved, the saved columns, and each
 * workload by content — a file workload travels as its bytes and is written into a local folder
 * named after its hash before the family loads it, so executors never need the driver's paths.
 * Serializable (Apache Spark ships it to executors); {@link #evaluate} loads the family and the
 * workloads once per process and job.
 */
public record SweepJob(String id, String family, String objective, List<String> columns, List<Shipped> workloads,
                       int pointColumns, int itemColumns) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A workload as shipped: the spec's text, its name in reports, and for a file its name and bytes
     * ({@code content} null for a built-in workload).
     */
    public record Shipped(String text, String label, String fileName, String hash, byte[] content)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Evaluators of the jobs this process has seen, by {@link #id}. */
    private static final Map<String, PointEngine.Evaluator> READY = new ConcurrentHashMap<>();

    /** Evaluates {@code task} in this process (loading the family and the workloads on first use). */
    public String evaluate(PointTask task) {
        return READY.computeIfAbsent(id, k -> prepare()).evaluate(task);
    }

    private PointEngine.Evaluator prepare() {
        AcceleratorFamily<?> f = Families.all().get(family);
        if (f == null) {
            throw new IllegalStateException("accelerator family '" + family + "' is not on this process's class path; "
                    + "found " + Families.all().keySet());
        }
        return evaluator(f);
    }

    private <W> PointEngine.Evaluator evaluator(AcceleratorFamily<W> f) {
        List<W> loaded = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Shipped s : workloads) {
            loaded.add(f.load(new AcceleratorFamily.Workload(s.text(), s.content() == null ? null : materialize(s))));
            labels.add(s.label());
        }
        return evaluator(f, loaded, labels, columns, objective, pointColumns, itemColumns);
    }

    /** The evaluator of a family whose workloads are loaded. */
    static <W> PointEngine.Evaluator evaluator(AcceleratorFamily<W> f, List<W> loaded, List<String> labels,
                                              List<String> columns, String objective, int nPoint, int nItem) {
        return t -> PointStore.text(columns, labels.get(t.workload()), t.params(),
                f.evaluate(t.params(), loaded.get(t.workload())), objective, nPoint, nItem);
    }

    /** Writes a shipped file into {@code java.io.tmpdir/sieve-workloads/HASH/NAME} (once) and returns its path. */
    private static Path materialize(Shipped s) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "sieve-workloads", s.hash());
        Path file = dir.resolve(s.fileName());
        try {
            if (!Files.isRegularFile(file) || !PointStore.content(file, null).equals("sha256:" + s.hash())) {
                dev.sieve.io.AtomicFiles.write(file, s.content());
            }
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write workload " + s.fileName() + " into " + dir, e.getCause());
        }
        return file;
    }

    /** Reads a file workload's bytes for shipping. */
    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workload " + file, e);
        }
    }
}
