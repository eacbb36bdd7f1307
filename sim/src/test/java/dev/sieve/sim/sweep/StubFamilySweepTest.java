package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import dev.sieve.sim.family.Families;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code simulate sweep} on {@link StubFamily}, a family written in the tests alone: the runner,
 * the spec reader, the Pareto front, the reports and resume work for a family they have never
 * heard of, found through ServiceLoader like the real ones.
 */
class StubFamilySweepTest {

    @TempDir
    Path tmp;

    private Path spec(String extra) throws Exception {
        Files.writeString(tmp.resolve("w.txt"), "scale 3\n");
        Path spec = tmp.resolve("stub.yaml");
        Files.writeString(spec, "accelerator: stub\nworkloads: [unit, w.txt]\nparameters:\n  x: [1, 3, 4]\n"
                + "  y: [0, 5]\n" + extra);
        return spec;
    }

    @Test
    void familiesAreFoundByServiceLoader() {
        // the three of sim's main class path, and the stub of its test class path
        assertEquals(List.of("piuma", "sat", "spatten", "stub"), List.copyOf(Families.all().keySet()));
    }

    @Test
    void sweepsAFamilyTheRunnerDoesNotKnow() throws Exception {
        Path out = tmp.resolve("out");
        StubFamily.EVALUATIONS.set(0);
        assertEquals(0, Simulate.run("sweep", spec("").toString(), "--out", out.toString(), "--threads", "2"));
        assertEquals(12, StubFamily.EVALUATIONS.get(), "3 x 2 points on 2 workloads, each once");

        List<String> points = Files.readAllLines(out.resolve("points.csv"));
        assertEquals("point,workload,x,y,cycles,cost_units,pareto", points.get(0));
        // point order: first parameter slowest, workloads innermost. cycles = 10 * scale * x,
        // cost = 100 / x + y (100 / 3 = 33.3333..., six significant digits); on each workload the
        // y = 0 points form the front (same cycles, lower cost than y = 5; more x: slower, cheaper)
        assertEquals(List.of(
                "0,unit,1,0,10,100,yes", "1,w.txt,1,0,30,100,yes",
                "2,unit,1,5,10,105,no", "3,w.txt,1,5,30,105,no",
                "4,unit,3,0,30,33.3333,yes", "5,w.txt,3,0,90,33.3333,yes",
                "6,unit,3,5,30,38.3333,no", "7,w.txt,3,5,90,38.3333,no",
                "8,unit,4,0,40,25,yes", "9,w.txt,4,0,120,25,yes",
                "10,unit,4,5,40,30,no", "11,w.txt,4,5,120,30,no"), points.subList(1, points.size()));
        List<String> front = Files.readAllLines(out.resolve("pareto.csv"));
        assertEquals(points.get(0), front.get(0));
        assertEquals(points.stream().skip(1).filter(l -> l.endsWith(",yes")).toList(), front.subList(1, front.size()));

        List<String> steps = Files.readAllLines(out.resolve("steps.csv"));
        assertEquals("point,workload,x,y,step,cycles", steps.get(0));
        assertEquals(2 * 2 * (1 + 3 + 4), steps.size() - 1, "x step rows per point");
        // header, points 0-3 one step each (lines 1-4), point 4 three (5-7), point 5 three (8-10)
        assertEquals("5,w.txt,3,0,s2,30", steps.get(10), "point 5's third step");

        // the plots the family asked for: the Pareto scatter and its item plot
        for (String f : List.of("pareto.png", "pareto.svg", "step_cycles.png", "step_cycles.svg")) {
            assertTrue(Files.size(out.resolve("plots").resolve(f)) > 0, f);
        }
    }

    @Test
    void aSpecChoosesTheFamilysNamedObjectiveForTheFront() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, Simulate.run("sweep", spec("objective: energy\n").toString(), "--out", out.toString()));
        // the stub's "energy" is y + 1: every y = 0 point ties on it, so on each workload only the fastest
        // of them, x = 1, is on the front (the default front holds every y = 0 point)
        List<String> front = Files.readAllLines(out.resolve("pareto.csv"));
        assertEquals(List.of("0,unit,1,0,10,100,yes", "1,w.txt,1,0,30,100,yes"), front.subList(1, front.size()));
        // resumed with the default objective, the points are computed again: the saved cost is another one
        StubFamily.EVALUATIONS.set(0);
        assertEquals(0, Simulate.run("sweep", spec("").toString(), "--out", out.toString()));
        assertEquals(12, StubFamily.EVALUATIONS.get());
        assertEquals(7, Files.readAllLines(out.resolve("pareto.csv")).size(), "header and the six y = 0 points");

        Path spec = spec("objective: area\n");
        assertBad(spec, tmp.resolve("out2"), spec + ":6: objective: 'area' is not an objective of stub; allowed: energy");
    }

    @Test
    void resumeComputesOnlyWhatIsMissingAndEndsWithTheSameBytes() throws Exception {
        Path spec = spec("");
        Path out = tmp.resolve("out");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2"));
        List<String> reports = List.of("points.csv", "steps.csv", "pareto.csv");
        List<String> first = new ArrayList<>();
        for (String f : reports) {
            first.add(Files.readString(out.resolve(f)));
        }
        List<Path> saved;
        try (Stream<Path> s = Files.list(out.resolve(".points"))) {
            saved = s.sorted().toList();
        }
        assertEquals(12, saved.size());
        // an interrupted run: four points never saved, and one saved by another version (other columns)
        for (int i : new int[] {1, 4, 7, 10}) {
            Files.delete(saved.get(i));
        }
        Files.writeString(saved.get(11), "row,point,workload,cycles\npoint,11,w.txt,1\n");
        for (String f : reports) {
            Files.delete(out.resolve(f));
        }

        StubFamily.EVALUATIONS.set(0);
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "1"));
        assertEquals(5, StubFamily.EVALUATIONS.get(), "the 4 missing points and the stale one, nothing else");
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(first.get(i), Files.readString(out.resolve(reports.get(i))), reports.get(i));
        }

        StubFamily.EVALUATIONS.set(0);
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString()));
        assertEquals(0, StubFamily.EVALUATIONS.get(), "a finished sweep recomputes nothing");
    }

    @Test
    void badInputOfTheFamilyIsOneLineExitTwoNothingWritten() throws Exception {
        Path out = tmp.resolve("out");
        Path spec = spec("");
        Files.writeString(tmp.resolve("w.txt"), "scale 3\nscale x\n");
        assertBad(spec, out, tmp.resolve("w.txt") + ":2: expected 'scale N', got 'scale x'");

        Files.writeString(spec, "accelerator: stub\nworkloads: [unit, unit7]\n");
        assertBad(spec, out, spec + ":2: workloads: 'unit7' is malformed; the built-in workload is unit");

        Files.writeString(spec, "accelerator: stub\nworkloads: [unit]\nparameters:\n  x: [60]\n  y: [50]\n");
        assertBad(spec, out, "point {x=60, y=50} is not valid: x + y = 110 is over 100; add a constraint");

        Files.writeString(spec, "accelerator: stub\nworkloads: [unit]\nparameters:\n  x: [65]\n");
        assertBad(spec, out, spec + ":4: parameters.x: value '65' is out of range; allowed 1 .. 64");

        Files.writeString(spec, "accelerator: nosuch\nworkloads: [unit]\n");
        assertBad(spec, out, spec + ":1: accelerator: 'nosuch' is not supported; allowed: piuma, sat, spatten, stub");
    }

    private static void assertBad(Path spec, Path out, String expected) throws Exception {
        java.lang.reflect.Method m = Simulate.class.getDeclaredMethod("commandLine");
        m.setAccessible(true);
        CommandLine cli = (CommandLine) m.invoke(null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cli.execute("sweep", spec.toString(), "--out", out.toString());
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, msg);
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains(expected), msg);
        assertFalse(Files.exists(out), "nothing written");
    }
}
