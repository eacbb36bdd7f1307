package dev.sieve.sim.sweep;

import dev.sieve.io.Progress;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.AcceleratorFamily.Workload;
import dev.sieve.sim.family.Column;
import dev.sieve.tools.HierarchicalEstimate;
import dev.sieve.tools.ResourceReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a sweep of any {@link AcceleratorFamily}: every (point, workload) pair once, each workload
 * loaded once, on a {@link PointEngine} (this process's threads, or Apache Spark). Points are made
 * lazily from the spec and handed to the engine a few at a time, so memory does not grow with the
 * number of points. Each finished pair is saved at once, atomically, under {@code DIR/.points/},
 * named by its content key ({@link PointStore#key}: the spec's values, the workload's content,
 * Sieve's version); a rerun skips pairs whose saved file is intact, recomputes damaged or stale
 * ones, so an interrupted sweep (Ctrl-C or SIGTERM) resumes where it stopped and a changed workload
 * file is never answered with old rows. When all pairs are done the runner writes
 * {@code points.csv}, {@code ITEMS.csv} (the family's per-layer or per-core rows) and
 * {@code pareto.csv}, in point order, the same bytes whether or not the sweep was interrupted and
 * whichever engine ran it. Every CSV goes through {@link ReportWriter}.
 */
public final class SweepRunner<W> {

    /** What a run did; {@code summary} feeds plots and the HTML report (null unless complete). */
    public record Outcome(long points, long done, long skipped, double wallSeconds, boolean complete, Path dir,
                          SweepSummary summary, List<Path> reports) {
        public double pointsPerSecond() {
            return wallSeconds == 0 ? 0 : done / wallSeconds;
        }

        /** The closing line; {@code wall} counts the whole command, plots included. */
        public String summaryLine(double wall) {
            return String.format(Locale.ROOT, "sweep: points=%d done=%d skipped=%d wall_s=%.2f points_per_s=%.1f",
                    points, done, skipped, wall, wall == 0 ? 0 : done / wall);
        }
    }

    /** A point the family refuses ({@link AcceleratorFamily#check}, or no hardware for {@code --resources}). */
    public static final class InvalidPoint extends RuntimeException {
        InvalidPoint(String message) {
            super(message);
        }
    }

    /** Columns {@code --resources} adds: Yosys counts for the whole accelerator and fractions of an XCVU9P. */
    public static final List<String> RESOURCE_COLUMNS = List.of("lut", "ff", "dsp", "bram36", "lut_pct", "ff_pct",
            "dsp_pct", "bram36_pct", "logic_levels", "fmax_mhz");

    private final SweepSpec spec;
    private final AcceleratorFamily<W> family;
    private final Path dir;
    private final PrintStream progress;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final long start;
    private final String version;
    private final List<String> storeColumns;
    private final List<String> paramNames;
    private final int nPoint;
    private final int nItem;
    private final PointStore store;
    private List<W> loaded;
    private List<String> labels;
    private List<String> contents;
    private long pointCount = -1;
    private boolean resources;
    /** Under --resources: each point's unit name and copies (by point index), and each unit's estimate. */
    private final Map<Long, Map.Entry<String, Long>> hardwareOf = new HashMap<>();
    private final Map<String, ResourceReport> unitReports = new HashMap<>();

    /**
     * A runner whose reported wall time counts from {@code startNanos} ({@link System#nanoTime()});
     * {@code version} (Sieve's) is part of every point's key.
     */
    public SweepRunner(SweepSpec spec, AcceleratorFamily<W> family, Path dir, PrintStream progress, long startNanos,
                       String version) {
        if (!family.name().equals(spec.accelerator())) {
            throw new IllegalArgumentException("the spec names accelerator '" + spec.accelerator() + "', not '"
                    + family.name() + "'");
        }
        this.start = startNanos;
        this.spec = spec;
        this.family = family;
        this.dir = dir;
        this.progress = progress;
        this.version = version;
        this.storeColumns = storeColumns(spec, family);
        this.paramNames = List.copyOf(spec.parameters().keySet());
        this.nPoint = family.pointColumns().size();
        this.nItem = family.itemColumns().size();
        this.store = new PointStore(dir);
    }

    /** Asks a running sweep to stop after the points in flight; their results are kept. */
    public void stop() {
        stopping.set(true);
    }

    /**
     * Walks every point once, before anything is written: the family checks it, and with
     * {@code resources} its hardware is found (each distinct unit estimated once, by content hash).
     * Returns the number of points; a point the family refuses is an {@link InvalidPoint}.
     */
    public long validate(boolean resources) {
        this.resources = resources;
        long n = 0;
        Map<String, AcceleratorFamily.Hardware> units = new LinkedHashMap<>();
        for (Map<String, String> p : spec.points()) {
            try {
                family.check(p);
            } catch (IllegalArgumentException e) {
                throw new InvalidPoint("point " + p + " is not valid: " + e.getMessage()
                        + "; add a constraint that leaves it out");
            }
            if (resources) {
                AcceleratorFamily.Hardware hw;
                try {
                    hw = family.hardware(p);
                } catch (IllegalArgumentException e) {
                    throw new InvalidPoint("point " + p + " has no RTL for --resources: " + e.getMessage()
                            + "; add a constraint that leaves it out, or drop --resources");
                }
                if (hw != null) {
                    units.putIfAbsent(hw.unit().name(), hw);
                    hardwareOf.put(n, Map.entry(hw.unit().name(), hw.copies()));
                }
            }
            n++;
        }
        pointCount = n;
        if (resources) {
            for (AcceleratorFamily.Hardware hw : units.values()) {
                // module by module: each distinct module once, cached by content hash
                unitReports.put(hw.unit().name(), HierarchicalEstimate.estimate(hw.unit(), line -> {
                    if (progress != null) {
                        progress.println(line);
                    }
                }).total());
            }
        }
        return n;
    }

    /**
     * Loads every workload of the spec once (before anything is written) and hashes its content.
     * Errors: the family's for a file (an InputException or an IllegalArgumentException naming the
     * file and line); for a built-in workload an InputException naming the spec's line.
     */
    public List<W> load() {
        if (loaded == null) {
            List<W> m = new ArrayList<>();
            List<String> l = new ArrayList<>();
            List<String> c = new ArrayList<>();
            for (Workload w : spec.workloads()) {
                try {
                    m.add(family.load(w));
                } catch (IllegalArgumentException e) {
                    if (w.file() != null) {
                        throw e;
                    }
                    throw new dev.sieve.io.InputException(spec.file(), spec.workloadLines().getOrDefault(w.text(), 0),
                            "workloads", "'" + w.text() + "': " + e.getMessage());
                }
                l.add(spec.label(w));
                c.add(PointStore.content(w.file(), w.text()));
            }
            loaded = m;
            labels = l;
            contents = c;
        }
        return loaded;
    }

    /** The report files a complete run writes, in the order the command lists them. */
    public List<Path> reportFiles() {
        return List.of(dir.resolve("points.csv"), dir.resolve(family.itemName() + ".csv"), dir.resolve("pareto.csv"));
    }

    /** What another process needs to evaluate this sweep's points (workload files by content). */
    public SweepJob job() {
        load();
        List<SweepJob.Shipped> shipped = new ArrayList<>();
        StringBuilder id = new StringBuilder(version).append('|').append(family.name()).append('|')
                .append(spec.objective()).append('|').append(String.join(",", storeColumns));
        for (int i = 0; i < spec.workloads().size(); i++) {
            Workload w = spec.workloads().get(i);
            String hash = contents.get(i).substring(contents.get(i).indexOf(':') + 1);
            shipped.add(new SweepJob.Shipped(w.text(), labels.get(i), w.file() == null ? null
                    : w.file().getFileName().toString(), hash, w.file() == null ? null : SweepJob.bytes(w.file())));
            id.append('|').append(labels.get(i)).append('=').append(contents.get(i));
        }
        return new SweepJob(PointStore.sha256(id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                family.name(), spec.objective(), storeColumns, shipped, nPoint, nItem);
    }

    /** Runs the sweep on this process's threads. */
    public Outcome run(int threads) {
        return run(new InProcessEngine(threads));
    }

    public Outcome run(PointEngine engine) {
        load();
        if (pointCount < 0) {
            validate(false);
        }
        int nw = loaded.size();
        long total = pointCount * nw;
        try {
            Files.createDirectories(store.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store.dir(), e);
        }
        int cleaned = store.cleanTemporaries();
        if (cleaned > 0 && progress != null) {
            progress.println("sweep: removed " + cleaned + " temporary files of an interrupted run from " + store.dir());
        }
        // pass 1: which pairs are saved and intact (a damaged one is removed here and computed again)
        ParetoFront front = new ParetoFront();
        long skipped = 0;
        long damaged = 0;
        for (Iterator<Pair> it = pairs(); it.hasNext(); ) {
            Pair p = it.next();
            boolean existed = Files.exists(store.file(p.key));
            PointStore.Saved s = existed ? store.read(p.key, storeColumns, paramNames, nPoint) : null;
            if (s != null) {
                skipped++;
                front.add(p.index, p.label, s.cycles(), cost(p.index / nw, s));
            } else if (existed) {
                damaged++;
            }
        }
        final long skippedBefore = skipped;
        if (damaged > 0 && progress != null) {
            progress.println("sweep: " + damaged + " saved points were damaged or saved by another version; "
                    + "computing them again");
        }
        // pass 2: the rest, lazily, on the engine
        AtomicLong done = new AtomicLong();
        if (skipped < total) {
            PointEngine.Evaluator local = SweepJob.evaluator(family, loaded, labels, storeColumns, spec.objective(),
                    nPoint, nItem);
            Iterator<Pair> all = pairs();
            Iterator<PointTask> todo = new Iterator<>() {
                private PointTask next = advance();

                private PointTask advance() {
                    while (all.hasNext()) {
                        Pair p = all.next();
                        if (!Files.exists(store.file(p.key))) {
                            return new PointTask(p.index, p.workload, p.params, p.key);
                        }
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public PointTask next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    PointTask t = next;
                    next = advance();
                    return t;
                }
            };
            try (Progress bar = Progress.start(progress, "sweep", total, skipped, "points")) {
                engine.run(local, jobFor(engine), todo, (t, text) -> {
                    PointStore.Saved s = PointStore.parse(text, storeColumns, paramNames, nPoint);
                    if (s == null) {
                        throw new IllegalStateException("the engine returned a damaged result for point " + t.index());
                    }
                    store.save(t.key(), text);
                    front.add(t.index(), labels.get(t.workload()), s.cycles(), cost(t.index() / nw, s));
                    bar.stepTo(skippedBefore + done.incrementAndGet());
                }, stopping);
            }
        }
        boolean complete = !stopping.get() && skipped + done.get() == total;
        SweepSummary summary = null;
        if (complete) {
            summary = writeReports(front.points(), total);
        }
        return new Outcome(total, done.get(), skipped, (System.nanoTime() - start) / 1e9, complete, dir, summary,
                complete ? reportFiles() : List.of());
    }

    /** The job for an engine that runs elsewhere (null in process: it would only read the workload files again). */
    private SweepJob jobFor(PointEngine engine) {
        return engine instanceof InProcessEngine ? null : job();
    }

    /** One (point, workload) pair in sweep order: first parameter slowest, workloads innermost. */
    private record Pair(long index, int workload, String label, Map<String, String> params, String key) {
    }

    private Iterator<Pair> pairs() {
        Iterator<Map<String, String>> points = spec.points().iterator();
        int nw = loaded.size();
        return new Iterator<>() {
            private long index;
            private Map<String, String> point;

            @Override
            public boolean hasNext() {
                return index % nw != 0 || points.hasNext();
            }

            @Override
            public Pair next() {
                int w = (int) (index % nw);
                if (w == 0) {
                    point = points.next();
                }
                String key = PointStore.key(version, family.name(), String.valueOf(spec.objective()), storeColumns,
                        labels.get(w), contents.get(w), point);
                return new Pair(index++, w, labels.get(w), point, key);
            }
        };
    }

    /** The Pareto cost of a saved point: the family's, or the most used FPGA resource under --resources. */
    private double cost(long point, PointStore.Saved s) {
        if (!resources) {
            return s.cost();
        }
        List<Object> cells = resourceCells(point);
        if (!(cells.get(4) instanceof Double)) {
            return s.cost();
        }
        double max = 0;
        for (int i = 4; i < 8; i++) {
            max = Math.max(max, (Double) cells.get(i));
        }
        return max;
    }

    /** The resource cells of point {@code point} (empty when its family has no hardware). */
    private List<Object> resourceCells(long point) {
        Map.Entry<String, Long> hw = hardwareOf.get(point);
        if (hw == null) {
            return Collections.nCopies(RESOURCE_COLUMNS.size(), "");
        }
        ResourceReport r = unitReports.get(hw.getKey());
        long n = hw.getValue();
        ResourceReport.Device d = ResourceReport.Device.XCVU9P;
        long lut = n * r.lutSites();
        long ff = n * r.ff();
        long dsp = n * r.dsp();
        double bram = n * r.bram36();
        // the unit's longest path and the clock it suggests (copies of a unit do not lengthen it)
        Object levels = r.logicDepth().<Object>map(ResourceReport.Depth::levels).orElse("");
        Object fmax = r.logicDepth().<Object>map(ResourceReport.Depth::suggestedClockMhz).orElse("");
        return List.of(lut, ff, dsp, bram, pct(lut, d.luts()), pct(ff, d.ffs()), pct(dsp, d.dsps()),
                pct(bram, d.bram36()), levels, fmax);
    }

    private static double pct(double used, double available) {
        return 100 * used / available;
    }

    // ------------------------------------------------------------------ persistence

    /**
     * The columns of a saved point: one {@code point} row (workload, parameters, the unrounded
     * objectives, the point's cells) and one {@code item} row per item. A saved file whose columns
     * differ (another spec, another version of the family) is computed again.
     */
    private static List<String> storeColumns(SweepSpec spec, AcceleratorFamily<?> family) {
        List<String> c = new ArrayList<>(List.of("row", "workload"));
        spec.parameters().keySet().forEach(p -> c.add("param." + p));
        c.add("objective.cycles");
        c.add(spec.objective() == null ? "objective.cost" : "objective." + spec.objective());
        family.pointColumns().forEach(col -> c.add("point." + col.name()));
        family.itemColumns().forEach(col -> c.add("item." + col.name()));
        return List.copyOf(c);
    }

    private SweepSummary writeReports(Set<Long> front, long total) {
        int nw = loaded.size();
        List<String> head = new ArrayList<>(List.of("point", "workload"));
        head.addAll(spec.parameters().keySet());
        List<String> pointHead = new ArrayList<>(head);
        pointHead.addAll(Column.names(family.pointColumns()));
        if (resources) {
            pointHead.addAll(RESOURCE_COLUMNS);
        }
        pointHead.add("pareto");
        List<String> itemHead = new ArrayList<>(head);
        itemHead.addAll(Column.names(family.itemColumns()));
        SweepSummary summary = new SweepSummary(pointHead, total, family, Column.names(family.pointColumns()));
        List<Path> files = reportFiles();
        // the front and the items are published first, the points table last: a reader that sees
        // the new points.csv sees the new tables beside it
        ReportWriter.stream(files.get(0), pointHead, pc -> ReportWriter.stream(files.get(1), itemHead,
                ic -> ReportWriter.stream(files.get(2), pointHead, fc -> {
                    for (Iterator<Pair> it = pairs(); it.hasNext(); ) {
                        Pair p = it.next();
                        PointStore.Saved r = store.read(p.key, storeColumns, paramNames, nPoint);
                        if (r == null) {
                            throw new IllegalStateException("saved point " + store.file(p.key) + " cannot be read back");
                        }
                        boolean onFront = front.contains(p.index);
                        List<Object> prefix = new ArrayList<>(List.of(p.index, r.workload()));
                        prefix.addAll(r.params().values());
                        List<Object> line = new ArrayList<>(prefix);
                        line.addAll(r.metrics());
                        if (resources) {
                            line.addAll(resourceCells(p.index / nw));
                        }
                        line.add(onFront ? "yes" : "no");
                        pc.row(line);
                        if (onFront) {
                            fc.row(line);
                        }
                        for (List<String> l : r.items()) {
                            List<Object> ll = new ArrayList<>(prefix);
                            ll.addAll(l);
                            ic.row(ll);
                        }
                        summary.accept(p.index, r, line.stream().map(ReportWriter::format).toList(), r.cycles(),
                                cost(p.index / nw, r), onFront);
                    }
                })));
        return summary;
    }
}
