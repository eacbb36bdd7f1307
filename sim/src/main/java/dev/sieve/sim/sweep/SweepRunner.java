package dev.sieve.sim.sweep;

import dev.sieve.concurrent.HostThreads;
import dev.sieve.io.Progress;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.AcceleratorFamily.Workload;
import dev.sieve.sim.family.Column;
import dev.sieve.sim.family.PointResult;
import dev.sieve.tools.ResourceCache;
import dev.sieve.tools.ResourceReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Runs a sweep of any {@link AcceleratorFamily}: every (point, workload) pair once, in parallel,
 * each workload loaded once. Each finished pair is saved at once, atomically, under
 * {@code DIR/.points/}; a rerun skips pairs already saved, so an interrupted sweep (Ctrl-C or
 * SIGTERM) resumes where it stopped. When all pairs are done the runner writes {@code points.csv},
 * {@code ITEMS.csv} (the family's per-layer or per-core rows) and {@code pareto.csv}, in point order,
 * the same bytes whether or not the sweep was interrupted. Every CSV goes through {@link ReportWriter}.
 */
public final class SweepRunner<W> {

    /** What a run did; {@code front} holds the indices of the rows on the Pareto front ({@link Pareto#front}). */
    public record Outcome(int points, int done, int skipped, double wallSeconds, boolean complete, Path dir,
                          List<Row> rows, Set<Integer> front, List<Path> reports) {
        public double pointsPerSecond() {
            return wallSeconds == 0 ? 0 : done / wallSeconds;
        }

        /** The closing line; {@code wall} counts the whole command, plots included. */
        public String summaryLine(double wall) {
            return String.format(Locale.ROOT, "sweep: points=%d done=%d skipped=%d wall_s=%.2f points_per_s=%.1f",
                    points, done, skipped, wall, wall == 0 ? 0 : done / wall);
        }
    }

    /**
     * One finished (point, workload) pair, as saved: its report cells (formatted), its item rows, and
     * the two Pareto objectives unrounded ({@code cost} is the resource fraction under {@code --resources}).
     */
    public record Row(int index, String workload, Map<String, String> params, List<String> metrics,
                      List<List<String>> items, double cycles, double cost) {
    }

    /** Columns {@code --resources} adds: Yosys counts for the whole accelerator and fractions of an XCVU9P. */
    public static final List<String> RESOURCE_COLUMNS = List.of("lut", "ff", "dsp", "bram36", "lut_pct", "ff_pct",
            "dsp_pct", "bram36_pct");

    private final SweepSpec spec;
    private final AcceleratorFamily<W> family;
    private final Path dir;
    private final int threads;
    private final PrintStream progress;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final long start;
    private final List<String> storeColumns;
    private final List<Map<String, String>> points;
    private final List<String> paramNames;
    private final int nPoint;
    private final int nItem;
    private Map<Workload, W> loaded;
    private List<AcceleratorFamily.Hardware> hardware;
    private final Map<Integer, ResourceReport> unitReports = new HashMap<>();
    private final Map<Integer, Long> unitCopies = new HashMap<>();

    /** A runner whose reported wall time counts from {@code startNanos} ({@link System#nanoTime()}). */
    public SweepRunner(SweepSpec spec, AcceleratorFamily<W> family, Path dir, int threads, PrintStream progress,
                       long startNanos) {
        if (!family.name().equals(spec.accelerator())) {
            throw new IllegalArgumentException("the spec names accelerator '" + spec.accelerator() + "', not '"
                    + family.name() + "'");
        }
        this.start = startNanos;
        this.spec = spec;
        this.family = family;
        this.dir = dir;
        this.threads = Math.max(1, threads);
        this.progress = progress;
        this.storeColumns = storeColumns(spec, family);
        this.points = spec.points();
        this.paramNames = List.copyOf(spec.parameters().keySet());
        this.nPoint = family.pointColumns().size();
        this.nItem = family.itemColumns().size();
    }

    /** The spec's points ({@link SweepSpec#points()}), computed once for the runner. */
    public List<Map<String, String>> points() {
        return points;
    }

    /**
     * Joins Yosys estimates into the reports: each distinct unit is synthesized once (cached by
     * content hash across runs) and scaled by its copy count; the Pareto front then weighs cycles
     * against the most used FPGA resource instead of the family's cost. {@code hardware} is the
     * family's {@link AcceleratorFamily#hardware} of each of {@link #points()}, in order (null where none).
     */
    public SweepRunner<W> withResources(List<AcceleratorFamily.Hardware> hardware) {
        if (hardware.size() != points.size()) {
            throw new IllegalArgumentException(hardware.size() + " hardware entries for " + points.size() + " points");
        }
        this.hardware = new ArrayList<>(hardware);
        return this;
    }

    /** Asks a running sweep to stop after the points in flight; their results are kept. */
    public void stop() {
        stopping.set(true);
    }

    /**
     * Loads every workload of the spec once (before anything is written). Errors: the family's for a
     * file (an InputException or an IllegalArgumentException naming the file and line); for a
     * built-in workload an InputException naming the spec's line.
     */
    public Map<Workload, W> load() {
        if (loaded == null) {
            Map<Workload, W> m = new LinkedHashMap<>();
            for (Workload w : spec.workloads()) {
                try {
                    m.put(w, family.load(w));
                } catch (IllegalArgumentException e) {
                    if (w.file() != null) {
                        throw e;
                    }
                    throw new dev.sieve.io.InputException(spec.file(), spec.workloadLines().getOrDefault(w.label(), 0),
                            "workloads", "'" + w.text() + "': " + e.getMessage());
                }
            }
            loaded = m;
        }
        return loaded;
    }

    /** The report files a complete run writes, in the order the command lists them. */
    public List<Path> reportFiles() {
        return List.of(dir.resolve("points.csv"), dir.resolve(family.itemName() + ".csv"), dir.resolve("pareto.csv"));
    }

    public Outcome run() {
        Map<Workload, W> workloads = load();
        Path store = dir.resolve(".points");
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store, e);
        }
        List<Runnable> todo = new ArrayList<>();
        int total = points.size() * workloads.size();
        int skipped = 0;
        int index = 0;
        List<Path> files = new ArrayList<>();
        Map<Path, Row> saved = new HashMap<>(); // read once here, kept for the reports
        for (Map<String, String> p : points) {
            for (Map.Entry<Workload, W> w : workloads.entrySet()) {
                int i = index++;
                String workload = w.getKey().label();
                Path file = store.resolve(String.format(Locale.ROOT, "p%07d-%s.csv", i, key(p, workload)));
                files.add(file);
                Row kept = Files.isRegularFile(file) ? read(file) : null;
                if (kept != null) {
                    saved.put(file, kept);
                    skipped++;
                    continue;
                }
                W loadedWorkload = w.getValue();
                todo.add(() -> save(file, i, workload, p, family.evaluate(p, loadedWorkload)));
            }
        }
        if (hardware != null) {
            estimateUnits(workloads.size());
        }
        int done = execute(todo, total, skipped);
        boolean complete = !stopping.get() && done == todo.size();
        List<Row> rows = new ArrayList<>();
        Set<Integer> front = Set.of();
        if (complete) {
            for (Path f : files) {
                Row r = saved.containsKey(f) ? saved.get(f) : read(f);
                if (r == null) {
                    throw new IllegalStateException("saved point " + f + " cannot be read back");
                }
                rows.add(hardware != null ? new Row(r.index(), r.workload(), r.params(), r.metrics(), r.items(), r.cycles(),
                        resourceCost(r)) : r);
            }
            front = Pareto.front(rows);
            writeReports(rows, front);
        }
        return new Outcome(total, done, skipped, (System.nanoTime() - start) / 1e9, complete, dir, rows, front,
                complete ? reportFiles() : List.of());
    }

    private void estimateUnits(int workloads) {
        Map<String, ResourceReport> byUnit = new LinkedHashMap<>();
        int index = 0;
        for (AcceleratorFamily.Hardware hw : hardware) {
            for (int w = 0; w < workloads; w++, index++) {
                if (hw == null) {
                    continue;
                }
                ResourceReport r = byUnit.get(hw.unit().name());
                if (r == null) {
                    if (progress != null) {
                        progress.println("resources: synthesizing " + hw.unit().name() + " with Yosys (cached by content hash)");
                    }
                    r = ResourceCache.estimate(hw.unit());
                    byUnit.put(hw.unit().name(), r);
                }
                unitReports.put(index, r);
                unitCopies.put(index, hw.copies());
            }
        }
    }

    /** The resource cells of point {@code index} (empty when its family has no hardware). */
    private List<Object> resourceCells(int index) {
        ResourceReport r = unitReports.get(index);
        if (r == null) {
            return Collections.nCopies(RESOURCE_COLUMNS.size(), "");
        }
        long n = unitCopies.get(index);
        ResourceReport.Device d = ResourceReport.Device.XCVU9P;
        long lut = n * r.lutSites();
        long ff = n * r.ff();
        long dsp = n * r.dsp();
        double bram = n * r.bram36();
        return List.of(lut, ff, dsp, bram, pct(lut, d.luts()), pct(ff, d.ffs()), pct(dsp, d.dsps()),
                pct(bram, d.bram36()));
    }

    private static double pct(double used, double available) {
        return 100 * used / available;
    }

    /** The most used fraction of the device, in %, or the family's cost when the point has no hardware. */
    private double resourceCost(Row r) {
        List<Object> cells = resourceCells(r.index());
        if (!(cells.get(4) instanceof Double)) {
            return r.cost();
        }
        double max = 0;
        for (int i = 4; i < 8; i++) {
            max = Math.max(max, (Double) cells.get(i));
        }
        return max;
    }

    private int execute(List<Runnable> todo, int total, int skipped) {
        if (todo.isEmpty()) {
            return 0;
        }
        ExecutorService pool = HostThreads.pool(threads, "sweep-worker");
        AtomicInteger finished = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable r : todo) {
            futures.add(pool.submit(() -> {
                if (stopping.get()) {
                    return;
                }
                r.run();
                finished.incrementAndGet();
            }));
        }
        pool.shutdown();
        try (Progress bar = Progress.start(progress, "sweep", total, skipped, "points")) {
            while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                bar.stepTo(skipped + finished.get());
            }
            bar.stepTo(skipped + finished.get());
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
        return finished.get();
    }

    // ------------------------------------------------------------------ persistence

    /**
     * The columns of a saved point: one {@code point} row (index, workload, parameters, the unrounded
     * objectives, the point's cells) and one {@code item} row per item. A saved file whose columns
     * differ (another spec, another version of the family) is computed again.
     */
    private static List<String> storeColumns(SweepSpec spec, AcceleratorFamily<?> family) {
        List<String> c = new ArrayList<>(List.of("row", "point", "workload"));
        spec.parameters().keySet().forEach(p -> c.add("param." + p));
        c.add("objective.cycles");
        // a spec naming an objective saves it under its name, so a resumed sweep with another objective
        // recomputes its points; the default keeps the name earlier sweeps saved
        c.add(spec.objective() == null ? "objective.cost" : "objective." + spec.objective());
        family.pointColumns().forEach(col -> c.add("point." + col.name()));
        family.itemColumns().forEach(col -> c.add("item." + col.name()));
        return List.copyOf(c);
    }

    private void save(Path file, int index, String workload, Map<String, String> params, PointResult r) {
        if (r.row().size() != nPoint || r.items().stream().anyMatch(i -> i.size() != nItem)) {
            throw new IllegalStateException(family.name() + ": a result row does not match its columns (" + nPoint
                    + " point columns, " + nItem + " item columns)");
        }
        int fixed = 3 + params.size() + 2;
        ReportWriter.stream(file, storeColumns, w -> {
            List<Object> point = new ArrayList<>(List.of("point", index, workload));
            point.addAll(params.values());
            // the objectives unrounded (Double.toString round-trips), so a resumed front is the same
            point.add(Double.toString(r.cycles()));
            point.add(Double.toString(r.cost(spec.objective())));
            point.addAll(r.row());
            point.addAll(Collections.nCopies(nItem, ""));
            w.row(point);
            for (List<?> item : r.items()) {
                List<Object> cells = new ArrayList<>(Collections.nCopies(fixed + nPoint, ""));
                cells.set(0, "item");
                cells.addAll(item);
                w.row(cells);
            }
        });
    }

    /** A saved point, or null if {@code file} was saved with other columns. */
    private Row read(Path file) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(in, format)) {
            if (!p.getHeaderNames().equals(storeColumns)) {
                return null;
            }
            List<CSVRecord> recs = p.getRecords();
            if (recs.isEmpty() || !recs.get(0).get(0).equals("point")) {
                return null;
            }
            List<String> head = recs.get(0).toList();
            int nParams = paramNames.size();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < nParams; i++) {
                params.put(paramNames.get(i), head.get(3 + i));
            }
            int obj = 3 + nParams;
            int firstPoint = obj + 2;
            int firstItem = firstPoint + nPoint;
            List<List<String>> items = new ArrayList<>();
            for (int i = 1; i < recs.size(); i++) {
                List<String> cells = recs.get(i).toList();
                items.add(List.copyOf(cells.subList(firstItem, cells.size())));
            }
            return new Row(Integer.parseInt(head.get(1)), head.get(2), params,
                    List.copyOf(head.subList(firstPoint, firstItem)), items, Double.parseDouble(head.get(obj)),
                    Double.parseDouble(head.get(obj + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read saved point " + file, e);
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            return null; // not a point this version wrote: compute it again
        }
    }

    private void writeReports(List<Row> rows, Set<Integer> front) {
        List<String> head = new ArrayList<>(List.of("point", "workload"));
        head.addAll(spec.parameters().keySet());
        List<String> pointHead = new ArrayList<>(head);
        pointHead.addAll(Column.names(family.pointColumns()));
        if (hardware != null) {
            pointHead.addAll(RESOURCE_COLUMNS);
        }
        pointHead.add("pareto");
        List<String> itemHead = new ArrayList<>(head);
        itemHead.addAll(Column.names(family.itemColumns()));
        List<Path> files = reportFiles();
        // the front and the items are published first, the points table last: a reader that sees
        // the new points.csv sees the new tables beside it
        ReportWriter.stream(files.get(0), pointHead, pc -> ReportWriter.stream(files.get(1), itemHead,
                ic -> ReportWriter.stream(files.get(2), pointHead, fc -> {
                    for (Row r : rows) {
                        List<Object> prefix = new ArrayList<>(List.of(r.index(), r.workload()));
                        prefix.addAll(r.params().values());
                        List<Object> line = new ArrayList<>(prefix);
                        line.addAll(r.metrics());
                        if (hardware != null) {
                            line.addAll(resourceCells(r.index()));
                        }
                        line.add(front.contains(r.index()) ? "yes" : "no");
                        pc.row(line);
                        if (front.contains(r.index())) {
                            fc.row(line);
                        }
                        for (List<String> l : r.items()) {
                            List<Object> ll = new ArrayList<>(prefix);
                            ll.addAll(l);
                            ic.row(ll);
                        }
                    }
                })));
    }

    /** A short content key of a point, so a changed spec does not reuse stale results. */
    private static String key(Map<String, String> p, String workload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(workload.getBytes(StandardCharsets.UTF_8));
            p.forEach((k, v) -> sha.update((k + "=" + v + ";").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
