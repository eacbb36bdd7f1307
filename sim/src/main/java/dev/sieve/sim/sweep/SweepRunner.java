package dev.sieve.sim.sweep;

import dev.sieve.concurrent.HostThreads;
import dev.sieve.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Runs a sweep: every (point, workload) pair once, in parallel. Each finished pair is saved at
 * once, atomically, under {@code DIR/.points/}; a rerun skips pairs already saved, so an
 * interrupted sweep (Ctrl-C or SIGTERM) resumes where it stopped. When all pairs are done the
 * runner writes {@code points.csv}, {@code layers.csv} and {@code pareto.csv}, in point order, the
 * same bytes whether or not the sweep was interrupted.
 */
public final class SweepRunner<W> {

    /** What a run did. */
    public record Outcome(int points, int done, int skipped, double wallSeconds, boolean complete, Path dir,
                          List<Row> rows) {
        public double pointsPerSecond() {
            return wallSeconds == 0 ? 0 : done / wallSeconds;
        }

        /** The closing line; {@code wall} counts the whole command, plots included. */
        public String summaryLine(double wall) {
            return String.format(Locale.ROOT, "sweep: points=%d done=%d skipped=%d wall_s=%.2f points_per_s=%.1f",
                    points, done, skipped, wall, wall == 0 ? 0 : done / wall);
        }
    }

    /** One finished (point, workload) pair, as saved. */
    public record Row(int index, String workload, Map<String, String> params, List<String> metrics,
                      List<List<String>> layers, double cycles, double cost) {
    }

    private final SweepSpec spec;
    private final SweepEvaluator<W> evaluator;
    private final Path dir;
    private final int threads;
    private final PrintStream progress;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private final long start;
    private boolean resources;
    private final Map<Integer, dev.sieve.tools.ResourceReport> unitReports = new java.util.HashMap<>();
    private final Map<Integer, Long> unitCopies = new java.util.HashMap<>();

    /** Columns {@code --resources} adds: Yosys counts for the whole accelerator and fractions of an XCVU9P. */
    public static final List<String> RESOURCE_COLUMNS = List.of("lut", "ff", "dsp", "bram36", "lut_pct", "ff_pct",
            "dsp_pct", "bram36_pct");

    /** A runner whose reported wall time counts from {@code startNanos} ({@link System#nanoTime()}). */
    public SweepRunner(SweepSpec spec, SweepEvaluator<W> evaluator, Path dir, int threads, PrintStream progress,
                       long startNanos) {
        this.start = startNanos;
        this.spec = spec;
        this.evaluator = evaluator;
        this.dir = dir;
        this.threads = Math.max(1, threads);
        this.progress = progress;
    }

    /**
     * Joins Yosys estimates into the reports: each distinct unit is synthesized once (cached by
     * content hash across runs) and scaled by its copy count; the Pareto front then weighs cycles
     * against the most used FPGA resource instead of energy.
     */
    public SweepRunner<W> withResources() {
        this.resources = true;
        return this;
    }

    /** Asks a running sweep to stop after the points in flight; their results are kept. */
    public void stop() {
        stopping.set(true);
    }

    public Outcome run() {
        List<Map<String, String>> points = spec.points();
        Map<Path, W> loaded = new LinkedHashMap<>();
        for (Path w : spec.workloads()) {
            loaded.put(w, evaluator.load(w));
        }
        Path store = dir.resolve(".points");
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store, e);
        }
        List<Runnable> todo = new ArrayList<>();
        int total = points.size() * loaded.size();
        int skipped = 0;
        int index = 0;
        List<Path> files = new ArrayList<>();
        for (Map<String, String> p : points) {
            for (Map.Entry<Path, W> w : loaded.entrySet()) {
                int i = index++;
                String workload = w.getKey().getFileName().toString();
                Path file = store.resolve(String.format(Locale.ROOT, "p%07d-%s.csv", i, key(p, workload)));
                files.add(file);
                if (Files.isRegularFile(file)) {
                    skipped++;
                    continue;
                }
                W loadedWorkload = w.getValue();
                todo.add(() -> save(file, new Row(i, workload, p, null, null, 0, 0),
                        evaluator.evaluate(p, loadedWorkload)));
            }
        }
        if (resources) {
            estimateUnits(points, loaded.size());
        }
        int done = execute(todo, total, skipped, start);
        boolean complete = !stopping.get() && done == todo.size();
        List<Row> rows = new ArrayList<>();
        if (complete) {
            for (Path f : files) {
                Row r = load(f);
                rows.add(resources ? new Row(r.index(), r.workload(), r.params(), r.metrics(), r.layers(), r.cycles(),
                        resourceCost(r)) : r);
            }
            writeReports(rows);
        }
        return new Outcome(total, done, skipped, (System.nanoTime() - start) / 1e9, complete, dir, rows);
    }

    private void estimateUnits(List<Map<String, String>> points, int workloads) {
        Map<String, dev.sieve.tools.ResourceReport> byUnit = new LinkedHashMap<>();
        int index = 0;
        for (Map<String, String> p : points) {
            SweepEvaluator.Hardware hw = evaluator.hardware(p);
            for (int w = 0; w < workloads; w++, index++) {
                if (hw == null) {
                    continue;
                }
                dev.sieve.tools.ResourceReport r = byUnit.get(hw.unit().name());
                if (r == null) {
                    if (progress != null) {
                        progress.println("resources: synthesizing " + hw.unit().name() + " with Yosys (cached by content hash)");
                    }
                    r = dev.sieve.tools.ResourceCache.estimate(hw.unit());
                    byUnit.put(hw.unit().name(), r);
                }
                unitReports.put(index, r);
                unitCopies.put(index, hw.copies());
            }
        }
    }

    /** The resource columns of point {@code index}, and its most used fraction of the device. */
    private List<String> resourceCells(int index) {
        dev.sieve.tools.ResourceReport r = unitReports.get(index);
        if (r == null) {
            return java.util.Collections.nCopies(RESOURCE_COLUMNS.size(), "");
        }
        long n = unitCopies.get(index);
        dev.sieve.tools.ResourceReport.Device d = dev.sieve.tools.ResourceReport.Device.XCVU9P;
        long lut = n * r.lutSites();
        long ff = n * r.ff();
        long dsp = n * r.dsp();
        double bram = n * r.bram36();
        return List.of(Long.toString(lut), Long.toString(ff), Long.toString(dsp), String.format(Locale.ROOT, "%.1f", bram),
                pct(lut, d.luts()), pct(ff, d.ffs()), pct(dsp, d.dsps()), pct(bram, d.bram36()));
    }

    private static String pct(double used, double available) {
        return String.format(Locale.ROOT, "%.3f", 100 * used / available);
    }

    private double resourceCost(Row r) {
        List<String> cells = resourceCells(r.index());
        if (cells.get(4).isEmpty()) {
            return r.cost();
        }
        double max = 0;
        for (int i = 4; i < 8; i++) {
            max = Math.max(max, Double.parseDouble(cells.get(i)));
        }
        return max;
    }

    private int execute(List<Runnable> todo, int total, int skipped, long start) {
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
        Progress bar = new Progress(progress, total, skipped, start);
        try {
            while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                bar.show(finished.get());
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
        bar.show(finished.get());
        bar.end();
        return finished.get();
    }

    // ------------------------------------------------------------------ persistence

    private void save(Path file, Row id, SweepEvaluator.PointResult r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            csv.printRecord("point", id.index(), id.workload(), r.cycles(), r.cost());
            List<String> params = new ArrayList<>();
            id.params().forEach((k, v) -> {
                params.add(k);
                params.add(v);
            });
            csv.printRecord(params);
            csv.printRecord(r.row());
            for (List<String> layer : r.layers()) {
                csv.printRecord(layer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(file, out.toString());
    }

    private static Row load(Path file) {
        try (CSVParser p = CSVParser.parse(new StringReader(Files.readString(file, StandardCharsets.UTF_8)),
                CSVFormat.DEFAULT)) {
            List<CSVRecord> recs = p.getRecords();
            CSVRecord head = recs.get(0);
            Map<String, String> params = new LinkedHashMap<>();
            CSVRecord pr = recs.get(1);
            for (int i = 0; i + 1 < pr.size(); i += 2) {
                params.put(pr.get(i), pr.get(i + 1));
            }
            List<List<String>> layers = new ArrayList<>();
            for (int i = 3; i < recs.size(); i++) {
                layers.add(recs.get(i).toList());
            }
            return new Row(Integer.parseInt(head.get(1)), head.get(2), params, recs.get(2).toList(), layers,
                    Double.parseDouble(head.get(3)), Double.parseDouble(head.get(4)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read saved point " + file, e);
        }
    }

    private void writeReports(List<Row> rows) {
        List<String> paramNames = new ArrayList<>(spec.parameters().keySet());
        List<String> head = new ArrayList<>(List.of("point", "workload"));
        head.addAll(paramNames);
        List<String> pointHead = new ArrayList<>(head);
        pointHead.addAll(evaluator.pointColumns());
        if (resources) {
            pointHead.addAll(RESOURCE_COLUMNS);
        }
        pointHead.add("pareto");
        List<String> layerHead = new ArrayList<>(head);
        layerHead.addAll(evaluator.layerColumns());
        java.util.Set<Integer> front = Pareto.front(rows);
        StringBuilder points = new StringBuilder();
        StringBuilder layers = new StringBuilder();
        StringBuilder pareto = new StringBuilder();
        try (CSVPrinter pc = new CSVPrinter(points, CSVFormat.DEFAULT.builder().setHeader(pointHead.toArray(String[]::new)).get());
             CSVPrinter lc = new CSVPrinter(layers, CSVFormat.DEFAULT.builder().setHeader(layerHead.toArray(String[]::new)).get());
             CSVPrinter fc = new CSVPrinter(pareto, CSVFormat.DEFAULT.builder().setHeader(pointHead.toArray(String[]::new)).get())) {
            for (Row r : rows) {
                List<String> prefix = new ArrayList<>(List.of(Integer.toString(r.index()), r.workload()));
                prefix.addAll(r.params().values());
                List<String> line = new ArrayList<>(prefix);
                line.addAll(r.metrics());
                if (resources) {
                    line.addAll(resourceCells(r.index()));
                }
                line.add(front.contains(r.index()) ? "yes" : "no");
                pc.printRecord(line);
                if (front.contains(r.index())) {
                    fc.printRecord(line);
                }
                for (List<String> l : r.layers()) {
                    List<String> ll = new ArrayList<>(prefix);
                    ll.addAll(l);
                    lc.printRecord(ll);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(dir.resolve("points.csv"), points.toString());
        AtomicFiles.writeString(dir.resolve("layers.csv"), layers.toString());
        AtomicFiles.writeString(dir.resolve("pareto.csv"), pareto.toString());
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

    /** A one-line progress bar on the terminal: points done, rate, ETA. */
    private static final class Progress {
        private final PrintStream out;
        private final int total;
        private final int skipped;
        private final long start;
    private boolean resources;
    private final Map<Integer, dev.sieve.tools.ResourceReport> unitReports = new java.util.HashMap<>();
    private final Map<Integer, Long> unitCopies = new java.util.HashMap<>();

    /** Columns {@code --resources} adds: Yosys counts for the whole accelerator and fractions of an XCVU9P. */
    public static final List<String> RESOURCE_COLUMNS = List.of("lut", "ff", "dsp", "bram36", "lut_pct", "ff_pct",
            "dsp_pct", "bram36_pct");
        private final boolean tty = System.console() != null;
        private long lastPrint;

        Progress(PrintStream out, int total, int skipped, long start) {
            this.out = out;
            this.total = total;
            this.skipped = skipped;
            this.start = start;
        }

        void show(int finished) {
            long now = System.nanoTime();
            if (out == null || (!tty && now - lastPrint < 5_000_000_000L && finished + skipped < total)) {
                return;
            }
            lastPrint = now;
            int done = finished + skipped;
            double secs = (now - start) / 1e9;
            double rate = secs > 0 ? finished / secs : 0;
            double eta = rate > 0 ? (total - done) / rate : 0;
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) width * done / total);
            String bar = "#".repeat(filled) + ".".repeat(width - filled);
            out.printf(Locale.ROOT, "%s[%s] %d/%d points, %.1f points/s, ETA %.0f s%s", tty ? "\r" : "", bar, done,
                    total, rate, eta, tty ? "" : "\n");
            out.flush();
        }

        void end() {
            if (out != null && tty) {
                out.println();
            }
        }
    }
}
