package dev.sieve.sim.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a sweep needs from an accelerator model: its parameters, its report columns (units in the
 * names), a way to load a workload once, and a pure, fast, thread-safe evaluation of one point.
 *
 * @param <W> the loaded workload
 */
public interface SweepEvaluator<W> {

    /** The {@code accelerator:} value of specs this evaluator runs. */
    String accelerator();

    /** The parameters a spec may sweep, in a stable order. */
    Map<String, ParamSpec> parameters();

    /** Columns of one point's row, after the parameter columns. */
    List<String> pointColumns();

    /** Columns of one per-layer row, after the point, workload and parameter columns. */
    List<String> layerColumns();

    /** Reads a workload file; errors name the file and line. */
    W load(Path workload);

    /** Throws IllegalArgumentException if the values of {@code point} do not fit together. */
    void check(Map<String, String> point);

    /** Evaluates one point; values line up with {@link #pointColumns()} and {@link #layerColumns()}. */
    PointResult evaluate(Map<String, String> point, W workload);

    /**
     * The hardware of a point for {@code --resources}: a generated unit and how many copies of it
     * the point's accelerator holds (for example one PE and R*C copies), or null if there is none.
     */
    default Hardware hardware(Map<String, String> point) {
        return null;
    }

    /** {@code copies} instances of the generated module {@code unit}. */
    record Hardware(dev.sieve.hdl.ModuleDef unit, long copies) {
    }

    /** One evaluated point: its row, its per-layer rows, and the two objectives of the Pareto front. */
    record PointResult(List<String> row, List<List<String>> layers, double cycles, double cost) {
    }
}
