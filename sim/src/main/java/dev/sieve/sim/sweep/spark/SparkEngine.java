package dev.sieve.sim.sweep.spark;

import dev.sieve.sim.sweep.PointEngine;
import dev.sieve.sim.sweep.PointTask;
import dev.sieve.sim.sweep.SweepJob;
import java.io.File;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Evaluates a sweep's points on the executors of an Apache Spark cluster ({@code sweep --spark
 * MASTER}): {@code local[N]}, {@code spark://host:7077}, or the master {@code spark-submit} set. The
 * driver (this process) keeps everything the in-process runner keeps — which points are saved, the
 * saved files, the reports — and sends the executors only the points still to do, in Spark jobs of
 * a few partitions each, two jobs in flight, so that memory stays bounded and results are saved
 * as each job ends. The job description ({@link SweepJob}: family name, columns, workload files by
 * content) is broadcast once; each executor loads the family and the workloads once per job. A
 * partition holds as many points as take about {@value #PARTITION_SECONDS} s, measured on the jobs
 * already done.
 */
public final class SparkEngine implements PointEngine {

    /**
     * The JVM options Spark 3.5 needs on JDK 17 (its own launcher adds them to executors; a driver
     * started with plain {@code java} needs them on its command line, or in its jar's manifest).
     */
    public static final List<String> JDK17_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

    /** Target run time of one partition, in seconds. */
    static final double PARTITION_SECONDS = 1.0;

    private final String master;
    private String describe;

    /** {@code master} null or empty: the one {@code spark-submit} (or {@code spark.master}) set. */
    public SparkEngine(String master) {
        this.master = master == null || master.isEmpty() ? null : master;
        this.describe = "spark " + (this.master == null ? "(spark-submit's master)" : this.master);
    }

    /** Whether Apache Spark is on this process's class path. */
    public static boolean available() {
        try {
            Class.forName("org.apache.spark.api.java.JavaSparkContext", false, SparkEngine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return describe;
    }

    /** The Spark configuration: the master, quiet logs and no web UI unless set otherwise, Sieve's jar for executors. */
    SparkConf conf() {
        SparkConf conf = new SparkConf(true).setAppName("sieve sweep");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark without a master needs spark-submit (or -Dspark.master=...); "
                    + "allowed: --spark local[N], --spark spark://HOST:PORT, or run through spark-submit");
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.log.level", "WARN");
        String jar = sieveJar();
        if (jar != null && !conf.contains("spark.jars") && !conf.get("spark.master").startsWith("local")) {
            conf.set("spark.jars", jar); // executors of a cluster load Sieve from the driver's jar
        }
        return conf;
    }

    /** The jar this class was loaded from, or null (class folders, as in tests). */
    private static String sieveJar() {
        try {
            var src = SparkEngine.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            File f = new File(src.getLocation().toURI());
            return f.isFile() && f.getName().endsWith(".jar") ? f.getAbsolutePath() : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /** One evaluated point as it travels back to the driver. */
    record Finished(PointTask task, String text, long nanos) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public void run(Evaluator local, SweepJob job, Iterator<PointTask> tasks, BiConsumer<PointTask, String> done,
                    AtomicBoolean stopping) {
        try (JavaSparkContext sc = new JavaSparkContext(conf())) {
            describe = "spark " + sc.master() + " (" + sc.defaultParallelism() + " task slots)";
            Broadcast<SweepJob> shipped = sc.broadcast(job);
            int slots = Math.max(1, sc.defaultParallelism());
            double secondsPerPoint = Double.NaN;
            Deque<JavaFutureAction<List<Finished>>> inFlight = new ArrayDeque<>();
            while (!stopping.get() && tasks.hasNext()) {
                // partitions of about PARTITION_SECONDS each once a job has been timed; one point each before
                int perPartition = Double.isNaN(secondsPerPoint) ? 1
                        : (int) Math.max(1, Math.min(256, Math.round(PARTITION_SECONDS / secondsPerPoint)));
                int partitions = 2 * slots;
                List<PointTask> chunk = new ArrayList<>(partitions * perPartition);
                while (chunk.size() < partitions * perPartition && tasks.hasNext()) {
                    chunk.add(tasks.next());
                }
                inFlight.add(sc.parallelize(chunk, Math.min(partitions, chunk.size()))
                        .mapPartitions(evaluate(shipped)).collectAsync());
                if (inFlight.size() >= 2) {
                    secondsPerPoint = collect(inFlight.poll(), done, secondsPerPoint);
                }
            }
            while (!inFlight.isEmpty()) {
                secondsPerPoint = collect(inFlight.poll(), done, secondsPerPoint);
            }
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                throw e;
            }
            // interrupted: Spark's own shutdown hook may have stopped the context; saved points stay
        }
    }

    /** The partition function: evaluates each point of a partition with the broadcast job. */
    private static org.apache.spark.api.java.function.FlatMapFunction<Iterator<PointTask>, Finished> evaluate(
            Broadcast<SweepJob> shipped) {
        return it -> {
            SweepJob job = shipped.value();
            List<Finished> out = new ArrayList<>();
            while (it.hasNext()) {
                PointTask t = it.next();
                long t0 = System.nanoTime();
                String text = job.evaluate(t);
                out.add(new Finished(t, text, System.nanoTime() - t0));
            }
            return out.iterator();
        };
    }

    /** Waits for one job, hands its points to {@code done}, and returns the updated seconds per point. */
    private static double collect(JavaFutureAction<List<Finished>> f, BiConsumer<PointTask, String> done,
                                  double secondsPerPoint) {
        List<Finished> results;
        try {
            results = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalStateException("interrupted while waiting for Spark", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException("a Spark job failed: " + c, c);
        }
        long nanos = 0;
        for (Finished r : results) {
            done.accept(r.task(), r.text());
            nanos += r.nanos();
        }
        double measured = results.isEmpty() ? Double.NaN : nanos / 1e9 / results.size();
        return Double.isNaN(secondsPerPoint) ? measured : 0.5 * (secondsPerPoint + measured);
    }
}
