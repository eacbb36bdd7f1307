package dev.sieve.sim.sweep;

import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import dev.sieve.sim.family.ParamSpec;
import dev.sieve.sim.family.PointResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A family that exists only in the tests (registered by the test class path's
 * {@code META-INF/services/dev.sieve.sim.family.AcceleratorFamily}), to show that the sweep runs any
 * family it is given. A point {@code (x, y)} on a workload of scale {@code s} takes
 * {@code 10 * s * x} cycles in {@code x} steps of {@code 10 * s} and costs {@code 100 / x + y}: more
 * {@code x} is slower and cheaper, more {@code y} only dearer. Workloads: the built-in {@code unit}
 * (scale 1) or a file whose one line reads {@code scale N}.
 */
public final class StubFamily implements AcceleratorFamily<Integer> {

    /** Points evaluated in this JVM (ServiceLoader makes new instances, so it is static). */
    static final AtomicInteger EVALUATIONS = new AtomicInteger();

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public String description() {
        return "a test-only family";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.integer("x", 1, 1, 64), ParamSpec.integer("y", 0, 0, 100));
    }

    @Override
    public void check(Map<String, String> point) {
        int sum = Integer.parseInt(point.get("x")) + Integer.parseInt(point.get("y"));
        if (sum > 100) {
            throw new IllegalArgumentException("x + y = " + sum + " is over 100");
        }
    }

    @Override
    public boolean builtIn(String text) {
        if (text.startsWith("unit") && !text.equals("unit")) {
            throw new IllegalArgumentException("'" + text + "' is malformed; the built-in workload is unit");
        }
        return text.equals("unit");
    }

    @Override
    public Integer load(Workload workload) {
        if (workload.file() == null) {
            return 1;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(workload.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).matches("scale [1-9][0-9]{0,3}")) {
                throw new IllegalArgumentException(workload.file() + ":" + (i + 1) + ": expected 'scale N', got '"
                        + lines.get(i) + "'");
            }
        }
        return Integer.parseInt(lines.get(0).substring("scale ".length()));
    }

    @Override
    public List<Column> pointColumns() {
        return List.of(new Column("cycles", "cycles"), new Column("cost_units", "units"));
    }

    @Override
    public String itemName() {
        return "steps";
    }

    @Override
    public List<Column> itemColumns() {
        return List.of(Column.label("step"), new Column("cycles", "cycles"));
    }

    @Override
    public PointResult evaluate(Map<String, String> point, Integer scale) {
        EVALUATIONS.incrementAndGet();
        int x = Integer.parseInt(point.get("x"));
        int y = Integer.parseInt(point.get("y"));
        long cycles = 10L * scale * x;
        double cost = 100.0 / x + y;
        List<List<?>> steps = new ArrayList<>();
        for (int i = 0; i < x; i++) {
            steps.add(List.of("s" + i, 10L * scale));
        }
        // the stub's named objective "energy" is y + 1 alone (plots are log scale): its front differs
        return new PointResult(List.of(cycles, cost), steps, cycles, cost, Map.of("energy", y + 1.0));
    }

    @Override
    public ParetoAxes pareto() {
        return new ParetoAxes("cost", "cycles (log)", "cost (log)", 1);
    }

    /** {@code objective: energy}: y + 1 alone (a test objective whose front differs from the default's). */
    @Override
    public Map<String, ParetoAxes> objectives() {
        return Map.of("energy", new ParetoAxes("energy", "cycles (log)", "y (log)", 1));
    }

    @Override
    public ItemPlot itemPlot() {
        return new ItemPlot("step_cycles", "Cycles per step, fastest point", "step", null, "cycles", "step", "cycles",
                List.of("x", "y"));
    }
}
