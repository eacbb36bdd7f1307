package dev.sieve.sim.cli;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.concurrent.HostThreads;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.piuma.ReferenceSpgemm;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.piuma.Untimed;
import dev.sieve.dataflow.sparse.Coo;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.MatrixMarket;
import dev.sieve.dataflow.sparse.MatrixMarketException;
import dev.sieve.dataflow.sparse.Rmat;
import dev.sieve.io.OutputDir;
import dev.sieve.io.Progress;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.piuma.InnerBound;
import dev.sieve.sim.piuma.PiumaEnergy;
import dev.sieve.sim.piuma.PiumaStats;
import dev.sieve.sim.piuma.SpgemmSimulation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate piuma}: SpGEMM {@code C = A x B} on the PIUMA cycle model with one or all of the
 * algorithms, a CSV per algorithm and one summary line. The inner- and outer-product baselines
 * always run, so that the speedups are defined.
 */
@Command(name = "piuma", mixinStandardHelpOptions = true,
        description = {"Simulate SpGEMM C = A x B on a PIUMA-style machine (8 cores x (4 MT pipelines x 16 threads"
                + " + 2 ST pipelines), 4 MiB SPAD, 192 KiB cache, 8-byte DRAM accesses) and write"
                + " DIR/piuma_<algo>.csv per algorithm.",
                "A comes from --matrix (Matrix Market) or --rmat (Graph500 R-MAT); B from --b, else B = A.",
                "Runs too large for --max-ops are sampled (rows of A, or columns of B for inner) and scaled;"
                        + " the CSV says so (sampled_fraction < 1). The inner and outer baselines always run;"
                        + " when --algo does not name them they have their own budget, --baseline-max-ops.",
                "smash-v3 and inner (core-local) run one after the other on --jobs host threads; the other"
                        + " simulations run beside them, one per host thread; each reports its own wall time."},
        footer = {"", "Last line:", "  piuma: algo=A cycles=C speedup_vs_inner=X speedup_vs_outer=Y wall_s=W energy_pJ=E"
                        + " inner_sampled_fraction=F outer_sampled_fraction=G inner_cycles_min=M speedup_vs_inner_min=Z"
                        + " inner_error_pct=P outer_error_pct=Q",
                "  (for --algo all, A is smash-v3; a fraction of 1 means the baseline ran whole; a sampled"
                        + " inner baseline is estimated core by core (a pilot sample, then its slowest cores whole;"
                        + " F is the fraction of its loads simulated) or, when one core exceeds the budget, from"
                        + " column samples; a sampled outer baseline phase by phase (G is the fraction of its"
                        + " multiply phase simulated); P and Q are their estimated errors in percent, 0 for a"
                        + " whole run)", "", "Examples:",
                "  simulate piuma --rmat 12,16 --algo all --out out/piuma",
                "  simulate piuma --rmat 16,16 --algo smash-v3 --max-ops 0   (V3 whole, baselines sampled)",
                "  simulate piuma --matrix ../shared/data/matrices/cryg2500.mtx --algo smash-v3 --check"})
public final class PiumaCommand implements Callable<Integer> {

    @Option(names = "--matrix", paramLabel = "A.mtx", description = "A as a Matrix Market coordinate file.")
    Path matrix;

    @Option(names = "--rmat", paramLabel = "SCALE,EDGEFACTOR",
            description = "A as an R-MAT graph of 2^SCALE vertices and EDGEFACTOR x 2^SCALE edges (a=0.57, b=c=0.19).")
    String rmat;

    @Option(names = "--b", paramLabel = "B.mtx", description = "B as a Matrix Market file (default: B = A).")
    Path bFile;

    @Option(names = "--algo", paramLabel = "ALGO", description = "inner, outer, gustavson, smash-v1, smash-v2,"
            + " smash-v3 or all (default: ${DEFAULT-VALUE}).")
    String algo = "all";

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "piuma");

    @Option(names = "--seed", description = "R-MAT seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--cores", description = "Cores (default: 8; the DRAM bandwidth per core is kept).")
    Integer coresOption;

    @Option(names = "--threads", description = "Threads per multi-threaded pipeline (default: 16).")
    Integer threadsOption;

    @Option(names = "--max-ops", paramLabel = "N", description = "Operations one simulation may issue before it is"
            + " sampled; 0 never samples (default: ${DEFAULT-VALUE}).")
    double maxOps = 1.5e9;

    @Option(names = "--baseline-max-ops", paramLabel = "N", description = "The budget of the inner and outer"
            + " baselines when --algo does not name them; 0 never samples (default: ${DEFAULT-VALUE}).")
    double baselineMaxOps = 2e8;

    @Option(names = "--jobs", paramLabel = "J", description = "Simulations run at the same time, one per host"
            + " thread (default: the host's cores, ${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--check", description = "Compare every product with the reference SpGEMM: same entries, values"
            + " within the rounding another summation order can cause (not for sampled runs).")
    boolean check;

    /**
     * The rounding another summation order may cause, per term of an entry: summing n terms in any
     * order errs by at most (n - 1) 2^-53 times the sum of their magnitudes, so two orders differ by
     * at most twice that. Integer-valued inputs, as in the tests, agree exactly.
     */
    static double checkFactor(Csr a) {
        int terms = 1;
        for (int i = 0; i < a.rows(); i++) {
            terms = Math.max(terms, a.rowLength(i));
        }
        return 2.0 * (terms - 1) * 0x1.0p-53;
    }

    @Option(names = "--write-product", paramLabel = "C.mtx", description = "Write the product C of the headline"
            + " algorithm as a Matrix Market file (integer when A and B are integer or pattern, else real; exact"
            + " values), atomically.")
    Path productFile;

    @Option(names = "--explicit-zeros", paramLabel = "keep|drop", description = "Zeros stored in C (explicit zeros"
            + " of the inputs, sums that cancel): keep them as structure, as GraphBLAS does, or drop them, as SciPy"
            + " does (default: ${DEFAULT-VALUE}). The simulation always runs on the stored entries.")
    String explicitZeros = "keep";

    @Option(names = "--no-progress", description = "No progress display on stderr (operations done, rate, ETA).")
    boolean noProgress;

    /**
     * Bytes held per multiply-add when the product is kept for --write-product: C has at most one
     * entry per multiply-add, held as rows of (int column, double value) that grow by doubling
     * (up to 24 bytes), then as triples and compressed rows while it is assembled (28 bytes).
     */
    static final int PRODUCT_BYTES_PER_FLOP = 52;

    @Option(names = "--energy-table", paramLabel = "FILE",
            description = "Override entries of the energy table (lines 'key = pJ'); see README, Energy.")
    Path energyTable;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if ((matrix == null) == (rmat == null)) {
            throw new Simulate.UsageError("give A with exactly one of --matrix A.mtx or --rmat SCALE,EDGEFACTOR");
        }
        if (maxOps < 0 || Double.isNaN(maxOps)) {
            throw new Simulate.UsageError("--max-ops = " + maxOps + " is out of range; allowed 0 (never sample) or more");
        }
        if (baselineMaxOps < 0 || Double.isNaN(baselineMaxOps)) {
            throw new Simulate.UsageError("--baseline-max-ops = " + baselineMaxOps
                    + " is out of range; allowed 0 (never sample) or more");
        }
        Simulate.UsageError.requireRange("--jobs", jobs, 1, 256);
        EnergyTable table = EnergyTable.defaults();
        if (energyTable != null) {
            table = table.with(EnergyTable.read(energyTable));
        }
        final EnergyTable energy = table;
        OutputDir.prepare(out, "--out");
        if (!explicitZeros.equals("keep") && !explicitZeros.equals("drop")) {
            throw new Simulate.UsageError("--explicit-zeros = " + explicitZeros + " is not allowed; allowed: keep, drop");
        }
        if (productFile != null) {
            prepareProductFile(productFile);
        }
        List<Algorithm> requested = parseAlgorithms(algo);
        PiumaConfig cfg = PiumaConfig.defaults();
        try {
            if (coresOption != null) {
                cfg = cfg.withCores(coresOption);
            }
            if (threadsOption != null) {
                cfg = cfg.withThreadsPerMtPipeline(threadsOption);
            }
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage().replace("cores = ", "--cores = ")
                    .replace("threadsPerMtPipeline = ", "--threads = "));
        }
        String aName = matrix != null ? matrix.getFileName().toString() : "rmat-" + rmat.replace(',', '-');
        // the value fields of A and B (an R-MAT graph's values are ones: integer)
        MatrixMarket.Field[] fields = {MatrixMarket.Field.INTEGER, MatrixMarket.Field.INTEGER};
        Coo aFile = matrix != null ? readEntries(matrix, fields, 0) : null;
        fields[1] = fields[0];
        Coo bRead = bFile != null ? readEntries(bFile, fields, 1) : null;
        String bName = bFile != null ? bFile.getFileName().toString() : aName;
        Csr a;
        Csr b;
        if (aFile == null) {
            a = generate(rmat, seed);
            b = bRead != null ? checkedShape(bFile, bRead).toCsr() : a;
        } else {
            Coo bFileOrA = bRead != null ? bRead : aFile;
            if (aFile.cols() != bFileOrA.rows()) {
                throw new Simulate.UsageError("cannot multiply " + aName + " (" + aFile.rows() + " x " + aFile.cols()
                        + ") by " + bName + " (" + bFileOrA.rows() + " x " + bFileOrA.cols()
                        + "): A's columns must equal B's rows");
            }
            double shapeBytes = ((double) aFile.rows() + aFile.cols() + bFileOrA.cols() + 3) * MatrixMarket.BYTES_PER_ROW;
            if (shapeBytes > dev.sieve.io.Sizes.heapBudget()) {
                // hypersparse: the machine is given the non-empty part, as doubly compressed storage
                // keeps it; no array of the full shape is made
                hyper = Hypersparse.of(aFile, bFileOrA);
                a = hyper.a();
                b = hyper.b();
                System.out.printf(Locale.ROOT, "hypersparse: A (%d x %d) and B (%d x %d) would need %.1f MiB for"
                                + " their shape (64 bytes per row and column), more than this run has; simulating their"
                                + " non-empty part: A %d x %d, B %d x %d (the rows and columns that hold entries)%n", aFile.rows(), aFile.cols(),
                        bFileOrA.rows(), bFileOrA.cols(), shapeBytes / (1 << 20), a.rows(), a.cols(), b.rows(), b.cols());
            } else {
                a = aFile.toCsr();
                b = bRead != null ? bRead.toCsr() : a;
            }
        }
        if (a.cols() != b.rows()) {
            throw new Simulate.UsageError("cannot multiply " + aName + " (" + a.rows() + " x " + a.cols() + ") by "
                    + bName + " (" + b.rows() + " x " + b.cols() + "): A's columns must equal B's rows");
        }
        List<Algorithm> runs = new ArrayList<>(requested);
        for (Algorithm base : List.of(Algorithm.INNER, Algorithm.OUTER)) {
            if (!runs.contains(base)) {
                runs.add(0, base);
            }
        }
        runs.sort(null);
        Algorithm headline = requested.size() == 1 ? requested.get(0) : Algorithm.SMASH_V3;
        if (productFile != null) {
            // the product is held until it is written: refuse at once what cannot fit
            long flops = headline.start(a, b, cfg, false).flops();
            dev.sieve.io.Sizes.requireHeap(productFile, 0, "--write-product (multiply-adds of C = A x B)", flops,
                    PRODUCT_BYTES_PER_FLOP);
        }
        System.out.printf(Locale.ROOT, "A = %s: %d x %d, %d entries; B = %s: %d x %d, %d entries; machine: %d cores,"
                        + " %d threads%n", aName, a.rows(), a.cols(), a.nnz(), bName, b.rows(), b.cols(), b.nnz(),
                cfg.cores(), cfg.threads());
        Csr reference = check ? ReferenceSpgemm.multiply(a, b) : null;
        Csr magnitude = check ? ReferenceSpgemm.multiply(a.mapValues(Math::abs), b.mapValues(Math::abs)) : null;
        double factor = check ? checkFactor(a) : 0;
        Map<Algorithm, SpgemmSimulation.Result> results = new EnumMap<>(Algorithm.class);
        Map<Algorithm, PiumaEnergy> energies = new EnumMap<>(Algorithm.class);
        System.out.printf(Locale.ROOT, "%-10s %14s %9s %12s %7s %7s %7s %9s %s%n", "algo", "cycles", "sampled",
                "ops", "issue%", "dram%", "active%", "wall_s", "Mops/s");
        final PiumaConfig machine = cfg;
        double expected = 0;
        for (Algorithm alg : runs) {
            expected += SpgemmSimulation.expectedOps(alg, a, b, machine, budget(alg, requested));
        }
        AtomicLong opsDone = new AtomicLong();
        long total = Math.max(1, Math.round(expected));
        ProgressTicker ticker = new ProgressTicker(noProgress ? Progress.none()
                : Progress.start(System.err, "piuma", total, "ops"), total, opsDone);
        Map<Algorithm, Future<SpgemmSimulation.Result>> pending = new EnumMap<>(Algorithm.class);
        // the simulations are independent. The core-local ones (smash-v3, inner) spread over --jobs host
        // threads and run one after the other; the others run one per host thread from the start, on
        // one thread fewer than --jobs while core-local runs remain (so that no core idles while the
        // last of them finishes)
        boolean anyCoreLocal = runs.stream().anyMatch(Algorithm::coreLocal);
        int others = (int) runs.stream().filter(x -> !x.coreLocal()).count();
        ExecutorService pool = others == 0 ? null
                : HostThreads.pool(Math.max(1, Math.min(anyCoreLocal ? jobs - 1 : jobs, others)), "piuma-sim");
        try {
            for (Algorithm alg : runs) {
                if (!alg.coreLocal()) {
                    double budget = budget(alg, requested);
                    boolean keep = keep(alg, headline);
                    pending.put(alg, pool.submit(() -> SpgemmSimulation.run(alg, a, b, machine, budget, keep, 1,
                            opsDone)));
                }
            }
            for (Algorithm alg : runs) {
                if (alg.coreLocal()) {
                    results.put(alg, SpgemmSimulation.run(alg, a, b, machine, budget(alg, requested),
                            keep(alg, headline), jobs, opsDone));
                }
            }
            for (Algorithm alg : runs) {
                if (!alg.coreLocal()) {
                    results.put(alg, HostThreads.await(pending.get(alg)));
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            ticker.close();
        }
        // a lower bound of the whole inner product's cycles, from its exact load counts: it holds
        // whether or not the inner baseline was sampled
        long innerMin = InnerBound.cycles(a, b, machine);
        for (Algorithm alg : runs) {
            SpgemmSimulation.Result r = results.get(alg);
            results.put(alg, r);
            energies.put(alg, PiumaEnergy.of(r, machine, energy));
            writeCsv(out.resolve("piuma_" + alg.cliName() + ".csv"), r, aName, bName, a, b, energies.get(alg),
                    alg == Algorithm.INNER ? innerMin : null);
            System.out.printf(Locale.ROOT, "%-10s %14d %9s %12d %7.1f %7.1f %7.1f %9.2f %.2f%n", alg.cliName(),
                    r.cycles(), r.sampled() ? String.format(Locale.ROOT, "%.4f", r.sampledFraction()) : "no",
                    r.stats().ops(), 100 * r.stats().issueUtilization(), 100 * r.stats().dramUtilization(),
                    100 * r.stats().threadActive(), r.wallSeconds(), r.opsPerWallSecond() / 1e6);
            if (check) {
                if (r.product() == null) {
                    System.out.println("check: " + alg.cliName() + " skipped (sampled run)");
                } else {
                    String diff = reference.firstDifference(r.product(), magnitude, factor);
                    if (diff != null) {
                        System.out.println("check: " + alg.cliName() + " FAILED: differs from the reference at " + diff);
                        return 1;
                    }
                    System.out.println("check: " + alg.cliName() + " equals the reference (" + reference.nnz()
                            + " entries, values within " + String.format(Locale.ROOT, "%.3g", factor)
                            + " x the sum of |terms|)");
                }
            }
        }
        if (productFile != null) {
            writeProduct(headline, results.get(headline), a, b, machine, fields);
        }
        long cycles = results.get(headline).cycles();
        double wall = (System.nanoTime() - start) / 1e9;
        PiumaEnergy e = energies.get(headline);
        System.out.printf(Locale.ROOT, "energy of %s (dynamic, counted operations, 45 nm table): DRAM %.4g uJ, cache %.4g uJ,"
                        + " scratchpad %.4g uJ, atomics %.4g uJ, hash %.4g uJ, network %.4g uJ, pipelines %.4g uJ,"
                        + " FP %.4g uJ, total %.4g uJ%n", headline.cliName(), e.dramPj() / 1e6, e.cachePj() / 1e6,
                e.spadPj() / 1e6, e.atomicPj() / 1e6, e.hashPj() / 1e6, e.networkPj() / 1e6, e.corePj() / 1e6,
                e.fpPj() / 1e6, e.totalPj() / 1e6);
        SpgemmSimulation.Result inner = results.get(Algorithm.INNER);
        SpgemmSimulation.Result outer = results.get(Algorithm.OUTER);
        System.out.printf(Locale.ROOT, "piuma: algo=%s cycles=%d speedup_vs_inner=%.2f speedup_vs_outer=%.2f"
                        + " wall_s=%.1f energy_pJ=%.0f inner_sampled_fraction=%s outer_sampled_fraction=%s"
                        + " inner_cycles_min=%d speedup_vs_inner_min=%.2f inner_error_pct=%s outer_error_pct=%s%n",
                headline.cliName(), cycles, (double) inner.cycles() / cycles, (double) outer.cycles() / cycles, wall,
                e.totalPj(), fraction(inner.sampledFraction()), fraction(outer.sampledFraction()), innerMin,
                (double) innerMin / cycles, errorPct(inner), errorPct(outer));
        return 0;
    }

    /**
     * A run's estimated error in percent, two decimals: 0 for a whole run, the replicated estimate's
     * for a sampled baseline, {@code unknown} for a sampled run without one (SMASH, Gustavson).
     */
    static String errorPct(SpgemmSimulation.Result r) {
        double e = r.errorPct();
        return Double.isNaN(e) ? "unknown" : String.format(Locale.ROOT, "%.2f", e);
    }

    /** A sampled fraction in four significant digits without trailing zeros: 1 for a whole run. */
    static String fraction(double f) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", f)).stripTrailingZeros().toPlainString();
    }

    /** Set when the inputs are simulated as their non-empty part. */
    private Hypersparse hyper;

    /**
     * A x B kept as its non-empty part: A's rows that hold entries, the inner indices that A's
     * columns or B's rows use, B's columns that hold entries, each list increasing, and the two
     * matrices renumbered onto them. Memory follows the entries, not the shape.
     */
    record Hypersparse(Csr a, Csr b, int rows, int cols, int[] rowIndex, int[] colIndex) {
        static Hypersparse of(Coo a, Coo b) {
            int[] rows = distinct(a.row(), null);
            int[] inner = distinct(a.col(), b.row());
            int[] cols = distinct(b.col(), null);
            Csr ca = new Coo(rows.length, inner.length, renumber(a.row(), rows), renumber(a.col(), inner), a.value())
                    .toCsr();
            Csr cb = new Coo(inner.length, cols.length, renumber(b.row(), inner), renumber(b.col(), cols), b.value())
                    .toCsr();
            return new Hypersparse(ca, cb, a.rows(), b.cols(), rows, cols);
        }

        /** The distinct values of {@code x} and {@code y} (may be null), increasing. */
        private static int[] distinct(int[] x, int[] y) {
            int[] all = y == null ? x.clone() : java.util.stream.IntStream.concat(java.util.Arrays.stream(x),
                    java.util.Arrays.stream(y)).toArray();
            return java.util.Arrays.stream(all).sorted().distinct().toArray();
        }

        private static int[] renumber(int[] x, int[] ids) {
            int[] out = new int[x.length];
            for (int k = 0; k < x.length; k++) {
                out[k] = java.util.Arrays.binarySearch(ids, x[k]);
            }
            return out;
        }
    }

    /** Whether the run of {@code alg} keeps its product: for --check, and the headline's for --write-product. */
    private boolean keep(Algorithm alg, Algorithm headline) {
        return check || productFile != null && alg == headline;
    }

    /**
     * Checks before any work that {@code file} can be written: not a folder, in a folder that exists
     * or can be created and accepts files.
     */
    static void prepareProductFile(Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new dev.sieve.io.InputException(file, 0, "--write-product", "is a folder; allowed: a file to write");
        }
        Path parent = file.toAbsolutePath().getParent();
        OutputDir.prepare(parent, "--write-product");
    }

    /**
     * Writes the headline algorithm's product (from its run, or, when that run was sampled, from
     * the same algorithm run untimed), its stored zeros kept or dropped as --explicit-zeros says.
     */
    private void writeProduct(Algorithm headline, SpgemmSimulation.Result r, Csr a, Csr b, PiumaConfig machine,
                              MatrixMarket.Field[] fields) {
        Csr c = r.product();
        String source = headline.cliName();
        if (c == null) {
            SpgemmRun run = headline.start(a, b, machine, true);
            Untimed.run(run);
            c = run.product();
            source = headline.cliName() + " (run untimed: its timed run was sampled)";
        }
        long zeros = c.zeroEntries();
        boolean drop = explicitZeros.equals("drop");
        Csr written = drop ? c.withoutZeros() : c;
        boolean integer = fields[0] != MatrixMarket.Field.REAL && fields[1] != MatrixMarket.Field.REAL;
        for (int k = 0; integer && k < written.nnz(); k++) {
            integer = MatrixMarket.isInteger(written.values()[k]);
        }
        MatrixMarket.Field field = integer ? MatrixMarket.Field.INTEGER : MatrixMarket.Field.REAL;
        if (hyper != null) {
            MatrixMarket.write(productFile, written, field, hyper.rows(), hyper.cols(), hyper.rowIndex(),
                    hyper.colIndex());
        } else {
            MatrixMarket.write(productFile, written, field);
        }
        System.out.printf(Locale.ROOT, "product: %s (%d x %d, %d entries, %s) from %s; %d stored zeros %s%n",
                productFile, hyper != null ? hyper.rows() : written.rows(), hyper != null ? hyper.cols() : written.cols(), written.nnz(), field.name().toLowerCase(Locale.ROOT),
                source, zeros, drop ? "dropped (as SciPy)" : "kept as structure (as GraphBLAS)");
    }

    /**
     * Moves a progress display to the operations simulated so far, five times a second, until
     * closed. The total starts as the runs' estimate and grows when the count passes it; at the end
     * it is the count.
     */
    private static final class ProgressTicker implements AutoCloseable {
        private final Progress progress;
        private final AtomicLong done;
        private final java.util.concurrent.ScheduledExecutorService timer;
        private long total;

        ProgressTicker(Progress progress, long total, AtomicLong done) {
            this.progress = progress;
            this.done = done;
            this.total = total;
            this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "piuma-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::tick, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private synchronized void tick() {
            long d = done.get();
            if (d > total) {
                total = d + d / 10;
                progress.total(total);
            }
            progress.stepTo(d);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                long d = Math.max(1, done.get());
                progress.total(d);
                progress.stepTo(d);
                progress.close();
            }
        }
    }

    /** The operation budget of {@code alg}: --max-ops when it was asked for, else the baselines'. */
    private double budget(Algorithm alg, List<Algorithm> requested) {
        return requested.contains(alg) ? maxOps : baselineMaxOps;
    }

    static List<Algorithm> parseAlgorithms(String text) {
        if (text.equals("all")) {
            return List.of(Algorithm.values());
        }
        try {
            return List.of(Algorithm.byName(text));
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--algo: " + e.getMessage() + ", all");
        }
    }

    static Csr readMatrix(Path file) {
        return readMatrix(file, new MatrixMarket.Field[1], 0);
    }

    /** Reads the entries of {@code file} (the shape checked by the caller), its value field into {@code fields[at]}. */
    static Coo readEntries(Path file, MatrixMarket.Field[] fields, int at) {
        try {
            MatrixMarket.Read read = MatrixMarket.readEntries(file);
            fields[at] = read.field();
            return read.matrix();
        } catch (MatrixMarketException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
    }

    /** {@code m} when its shape fits the heap (B beside a generated A is never taken as hypersparse). */
    static Coo checkedShape(Path file, Coo m) {
        dev.sieve.io.Sizes.requireHeap(file, 0, "rows", m.rows() + 1L, MatrixMarket.BYTES_PER_ROW);
        dev.sieve.io.Sizes.requireHeap(file, 0, "cols", m.cols() + 1L, MatrixMarket.BYTES_PER_ROW);
        return m;
    }

    /** Reads {@code file}, storing its value field in {@code fields[at]}. */
    static Csr readMatrix(Path file, MatrixMarket.Field[] fields, int at) {
        try {
            MatrixMarket.Read read = MatrixMarket.readWithHeader(file);
            fields[at] = read.field();
            return read.matrix().toCsr();
        } catch (MatrixMarketException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
    }

    static Csr generate(String spec, long seed) {
        String[] parts = spec.split(",");
        if (parts.length != 2 || !parts[0].trim().matches("[0-9]{1,3}") || !parts[1].trim().matches("[0-9]{1,5}")) {
            throw new Simulate.UsageError("--rmat '" + spec + "' is malformed; write SCALE,EDGEFACTOR (for example 12,16)");
        }
        int scale = Integer.parseInt(parts[0].trim());
        int edgeFactor = Integer.parseInt(parts[1].trim());
        if (scale >= 1 && scale <= 26 && edgeFactor >= 1) {
            // what the graph takes once generated and simulated, counted as for a file of its size:
            // per vertex and per edge, checked before anything is allocated
            long vertices = 1L << scale;
            long edges = (long) edgeFactor * vertices;
            double need = (double) vertices * MatrixMarket.BYTES_PER_ROW + (double) edges * 3 * MatrixMarket.BYTES_PER_ENTRY;
            long budget = dev.sieve.io.Sizes.heapBudget();
            if (need > budget) {
                throw new Simulate.UsageError(String.format(Locale.ROOT, "--rmat %d,%d: %d vertices and %d edges need"
                        + " %.1f MiB of memory; this run can have %.1f MiB (raise it with java -Xmx)", scale, edgeFactor,
                        vertices, edges, need / (1 << 20), (double) budget / (1 << 20)));
            }
        }
        try {
            return Rmat.generate(scale, edgeFactor, seed);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--rmat: " + e.getMessage());
        }
    }

    /** Column names of the per-algorithm CSV (units in the names). */
    static final List<String> COLUMNS = List.of("algo", "scope", "matrix_a", "matrix_b", "rows_a", "cols_a", "cols_b",
            "nnz_a", "nnz_b", "flops", "nnz_c", "sampled_fraction", "cycles", "simulated_cycles", "ops",
            "issue_slots", "ops_compute", "ops_load", "ops_load_stream", "ops_store", "ops_spad_load",
            "ops_spad_store", "ops_atomic", "ops_atomic_posted", "ops_barrier", "dram_read_bytes", "dram_write_bytes",
            "dram_accesses", "cache_hits", "cache_misses", "atomic_unit_ops", "remote_ops", "hash_probes",
            "hash_collisions", "partial_products", "tokens", "spad_peak_bytes", "barrier_wait_thread_cycles",
            "issue_utilization_pct", "thread_active_pct", "dram_bw_utilization_pct", "finish_cycle", "wall_s",
            "sim_ops_per_wall_s", "dram_energy_pJ", "cache_energy_pJ", "spad_energy_pJ", "atomic_energy_pJ",
            "hash_energy_pJ", "network_energy_pJ", "core_energy_pJ", "fp_energy_pJ", "energy_pJ", "cycles_min",
            "cycles_low", "cycles_high", "error_pct");

    /**
     * Writes one chip row and one row per core, atomically (through {@link ReportWriter});
     * {@code cyclesMin} is a lower bound of the whole run's cycles (null: none known).
     */
    static void writeCsv(Path file, SpgemmSimulation.Result r, String aName, String bName, Csr a, Csr b,
                         PiumaEnergy energy, Long cyclesMin) {
        PiumaStats s = r.stats();
        ReportWriter.stream(file, COLUMNS, w -> {
            List<Object> row = new ArrayList<>();
            row.addAll(List.of(r.algorithm().cliName(), "chip", aName, bName, a.rows(), a.cols(), b.cols(), a.nnz(),
                    b.nnz(), r.flops()));
            row.add(r.nnzC() < 0 ? null : r.nnzC());
            row.addAll(List.of(r.sampledFraction(), r.cycles(), s.cycles(), s.ops(), s.issueSlots()));
            for (int k = 0; k < Op.KINDS; k++) {
                row.add(s.ops(k));
            }
            row.addAll(List.of(s.dramReadBytes(), s.dramWriteBytes(), s.dramAccesses(), s.cacheHits(), s.cacheMisses(),
                    s.atomicUnitOps(), s.remoteOps(), r.hashProbes(), r.hashCollisions(), r.partialProducts(),
                    r.tokens(), r.spadPeakBytes(), s.barrierWaitCycles(), 100 * s.issueUtilization(),
                    100 * s.threadActive(), 100 * s.dramUtilization(), s.cycles(), r.wallSeconds(),
                    r.opsPerWallSecond()));
            row.addAll(energy.values());
            row.add(cyclesMin);
            row.add(r.cyclesLow() < 0 ? null : r.cyclesLow());
            row.add(r.cyclesHigh() < 0 ? null : r.cyclesHigh());
            row.add(Double.isNaN(r.errorPct()) ? null : r.errorPct());
            w.row(row);
            for (PiumaStats.Core c : s.perCore()) {
                List<Object> cr = new ArrayList<>();
                for (String col : COLUMNS) {
                    cr.add(switch (col) {
                        case "algo" -> r.algorithm().cliName();
                        case "scope" -> "core" + c.core();
                        case "matrix_a" -> aName;
                        case "matrix_b" -> bName;
                        case "ops" -> c.ops();
                        case "issue_slots" -> c.issueSlots();
                        case "atomic_unit_ops" -> c.atomicUnitOps();
                        case "dram_accesses" -> c.dramAccesses();
                        case "finish_cycle" -> c.finishCycle();
                        default -> null;
                    });
                }
                w.row(cr);
            }
        });
    }
}
