package dev.sieve.sim.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import dev.sieve.sim.sweep.PointStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --spark spark://127.0.0.1:PORT} on a real Apache Spark standalone cluster: a master
 * and a worker started as their own processes on 127.0.0.1 (the worker starts its executor as a
 * third), the driver a fourth. The sweep's CSVs equal the in-process run's byte for byte; the
 * workload file reaches the executor by content (it writes it under its own temporary folder,
 * named by the file's hash); and a rerun after points were lost computes just those, through Spark,
 * and ends with the same CSVs.
 */
class SparkStandaloneSweepTest {

    private static final List<String> REPORTS = List.of("points.csv", "layers.csv", "pareto.csv");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopCluster() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process java(String name, Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(SparkEngine.JDK17_OPTIONS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private void awaitLog(String name, Process p, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Path log = tmp.resolve(name + ".log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            assertTrue(p.isAlive(), name + " exited: " + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log '" + text + "' in " + seconds + " s: " + Files.readString(log));
    }

    @Test
    void standaloneClusterGivesTheInProcessCsvsAndResumes() throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(topo, data.resolve("resnet18_cifar10.csv"));
        Path spec = data.resolve("spec.yaml");
        Files.writeString(spec, String.join("\n", "accelerator: sat", "workloads: [resnet18_cifar10.csv]",
                "parameters:", "  array: [8x8, 16x16, 32x32]", "  nm: [dense, '2:4', '2:8']",
                "  dataflow: [ws, interleave]", ""));
        Path inProcess = tmp.resolve("in-process");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", inProcess.toString(), "--threads", "2"));

        // a Spark home whose jars folder the worker's launcher requires; the class path comes from the driver
        Path sparkHome = tmp.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createDirectories(sparkHome.resolve("conf"));
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        Process m = java("master", env, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort())));
        awaitLog("master", m, "I have been elected leader", 180);
        Process w = java("worker", env, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", "2", "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                tmp.resolve("work").toString(), master));
        awaitLog("worker", w, "Successfully registered with master", 180);

        Path executorTmp = Files.createDirectories(tmp.resolve("executor-tmp"));
        Path viaSpark = tmp.resolve("spark");
        List<String> driver = List.of("-Dspark.executor.extraClassPath=" + System.getProperty("java.class.path"),
                "-Dspark.executor.extraJavaOptions=-Djava.io.tmpdir=" + executorTmp, "-Dspark.executor.memory=512m",
                "-Dspark.driver.host=127.0.0.1", Simulate.class.getName(), "sweep", spec.toString(), "--out",
                viaSpark.toString(), "--spark", master);
        runDriver("driver", driver);
        for (String f : REPORTS) {
            assertEquals(Files.readString(inProcess.resolve(f)), Files.readString(viaSpark.resolve(f)), f);
        }
        // the executor wrote the workload from its bytes, under the hash of its content
        String hash = PointStore.content(topo, null).substring("sha256:".length());
        assertTrue(Files.isRegularFile(executorTmp.resolve("sieve-workloads").resolve(hash)
                .resolve("resnet18_cifar10.csv")), "workload shipped by content");

        // lose five saved points and the reports: the rerun computes those five on Spark, nothing else
        List<Path> saved;
        try (Stream<Path> s = Files.list(viaSpark.resolve(PointStore.FOLDER))) {
            saved = s.sorted().toList();
        }
        assertEquals(18, saved.size());
        for (int i = 0; i < 5; i++) {
            Files.delete(saved.get(3 * i));
        }
        for (String f : REPORTS) {
            Files.delete(viaSpark.resolve(f));
        }
        String last = runDriver("driver-again", driver);
        assertTrue(last.startsWith("sweep: points=18 done=5 skipped=13 "), last);
        for (String f : REPORTS) {
            assertEquals(Files.readString(inProcess.resolve(f)), Files.readString(viaSpark.resolve(f)), f);
        }
    }

    /** Runs the driver to its end; returns its last line. */
    private String runDriver(String name, List<String> args) throws Exception {
        Process d = java(name, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), args);
        assertTrue(d.waitFor(600, TimeUnit.SECONDS), name + " did not finish");
        String log = Files.readString(tmp.resolve(name + ".log"));
        assertEquals(0, d.exitValue(), log);
        return log.lines().reduce((a, b) -> b).orElseThrow();
    }
}
