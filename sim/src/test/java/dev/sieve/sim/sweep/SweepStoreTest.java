package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import dev.sieve.sim.family.Families;
import dev.sieve.sim.family.SweepCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results that stay true: a saved point is reused only for the same inputs (the workload file's
 * content included), a damaged one is computed again, temporary files of a dead run are removed,
 * two workloads of the same file name stay apart; and big spaces: points are made lazily, and a spec
 * over {@code --max-points} is refused at once with its count.
 */
class SweepStoreTest {

    @TempDir
    Path tmp;

    private Path spec() throws Exception {
        Files.writeString(tmp.resolve("w.txt"), "scale 3\n");
        Path spec = tmp.resolve("stub.yaml");
        Files.writeString(spec, "accelerator: stub\nworkloads: [unit, w.txt]\nparameters:\n  x: [1, 3, 4]\n  y: [0, 5]\n");
        return spec;
    }

    private static List<String> reports(Path out) throws Exception {
        List<String> r = new ArrayList<>();
        for (String f : List.of("points.csv", "steps.csv", "pareto.csv")) {
            r.add(Files.readString(out.resolve(f)));
        }
        return r;
    }

    private static List<Path> saved(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.resolve(PointStore.FOLDER))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    private static int sweep(Path spec, Path out) {
        StubFamily.EVALUATIONS.set(0);
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2"));
        return StubFamily.EVALUATIONS.get();
    }

    @Test
    void aChangedWorkloadFileIsComputedAgainNotReadFromStaleResults() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("out");
        assertEquals(12, sweep(spec, out));
        assertEquals(0, sweep(spec, out), "same inputs: nothing to compute");

        Files.writeString(tmp.resolve("w.txt"), "scale 4\n"); // same name, new content
        assertEquals(6, sweep(spec, out), "the 6 points on w.txt, not those on the built-in workload");
        // cycles = 10 * scale * x: with scale 4 the w.txt row of x = 3 says 120 (it said 90)
        Map<String, String> cycles = SweepCsv.read(out.resolve("points.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("point"), r -> r.get("cycles")));
        assertEquals("120", cycles.get("5"));
        assertEquals("30", cycles.get("4"), "the built-in workload's row is unchanged");
        // the same bytes as a sweep that never saw the old content
        Path fresh = tmp.resolve("fresh");
        sweep(spec, fresh);
        assertEquals(reports(fresh), reports(out));
    }

    @Test
    void aDamagedSavedPointIsComputedAgainNeverACrash() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("out");
        sweep(spec, out);
        List<String> first = reports(out);
        List<Path> files = saved(out);
        assertEquals(12, files.size());
        // one value changed (still a well-formed CSV), one file cut short, one emptied, one made binary
        String text = Files.readString(files.get(0));
        Files.writeString(files.get(0), text.replaceFirst("\npoint,([^,]*),([^,]*),", "\npoint,$1,9$2,"));
        Files.writeString(files.get(1), Files.readString(files.get(1)).substring(0, 40));
        Files.writeString(files.get(2), "");
        Files.write(files.get(3), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        for (String f : List.of("points.csv", "steps.csv", "pareto.csv")) {
            Files.delete(out.resolve(f));
        }
        assertEquals(4, sweep(spec, out), "the four damaged points and nothing else");
        assertEquals(first, reports(out));
    }

    @Test
    void temporaryFilesOfADeadRunAreRemoved() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("out");
        sweep(spec, out);
        // a writer that died: PID 2^31-1 is above any Linux pid_max, so no live process has it
        Path stray = out.resolve(PointStore.FOLDER).resolve(".0123456789abcdef01234567.csv.2147483647-41.tmp");
        Files.writeString(stray, "row,work");
        assertEquals(0, sweep(spec, out));
        assertFalse(Files.exists(stray));
    }

    @Test
    void workloadsOfTheSameFileNameInDifferentFoldersStayApart() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        Files.writeString(tmp.resolve("a/w.txt"), "scale 3\n");
        Files.writeString(tmp.resolve("b/w.txt"), "scale 5\n");
        Path spec = tmp.resolve("two.yaml");
        Files.writeString(spec, "accelerator: stub\nworkloads: [a/w.txt, b/w.txt, unit]\nparameters:\n  x: [2]\n");
        Path out = tmp.resolve("out");
        assertEquals(3, sweep(spec, out));
        List<String> rows = Files.readAllLines(out.resolve("points.csv"));
        // cycles = 10 * scale * 2
        assertEquals(List.of("0,a/w.txt,2,0,60,50,yes", "1,b/w.txt,2,0,100,50,yes", "2,unit,2,0,20,50,yes"),
                rows.subList(1, rows.size()));

        Files.writeString(spec, "accelerator: stub\nworkloads: [a/w.txt, ./a/w.txt]\n");
        SweepCsv.assertSweepFails(spec, tmp.resolve("out2"), spec + ":2: workloads: './a/w.txt' is listed twice");
    }

    /** A SAT spec of 10^7 points: 100 batch sizes x 100 clocks x 100 DRAM widths x 10 buffer sizes. */
    private Path tenMillionPointSpec() throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        String hundred = IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        Path spec = tmp.resolve("huge.yaml");
        Files.writeString(spec, String.join("\n", "accelerator: sat", "workloads: ['" + topo + "']", "parameters:",
                "  batch: [" + hundred + "]", "  clock_mhz: [" + hundred + "]", "  dram_bytes_per_cycle: [" + hundred + "]",
                "  buffer_kib: [16, 32, 48, 64, 96, 128, 256, 512, 768, 1024]", ""));
        return spec;
    }

    @Test
    void aSpecOverMaxPointsIsRefusedAtOnceWithItsCount() throws Exception {
        Path spec = tenMillionPointSpec();
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        Object[] r = SweepCsv.run("sweep", spec.toString(), "--out", out.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        String err = (String) r[1];
        assertEquals(2, r[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("the values combine into 10,000,000 points, more than --max-points 1,000,000"), err);
        assertFalse(Files.exists(out));
        assertTrue(seconds < 1.0, "refused in " + seconds + " s");

        // with a constraint, the count is said to be before it
        Files.writeString(spec, Files.readString(spec) + "constraints:\n  - batch <= 2\n");
        SweepCsv.assertSweepFails(spec, out, "10,000,000 points before constraints, more than --max-points 1,000,000");
    }

    @Test
    void pointsAreMadeLazilyWhateverTheCount() throws Exception {
        SweepSpec spec = SweepSpec.read(tenMillionPointSpec(), Families.all());
        assertEquals(10_000_000L, spec.combinations());
        long t0 = System.nanoTime();
        Iterator<Map<String, String>> it = spec.points().iterator();
        Map<String, String> first = it.next();
        Map<String, String> second = it.next();
        assertTrue((System.nanoTime() - t0) / 1e9 < 1.0, "the first points come at once, none of the rest is made");
        // first parameter slowest: the last one (buffer_kib) moves first
        assertEquals("1", first.get("batch"));
        assertEquals("16", first.get("buffer_kib"));
        assertEquals("32", second.get("buffer_kib"));
        assertEquals("1", second.get("dram_bytes_per_cycle"));
    }
}
