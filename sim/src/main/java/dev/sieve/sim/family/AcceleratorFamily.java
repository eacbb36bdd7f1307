package dev.sieve.sim.family;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One accelerator family as every tool sees it: its name, the parameters of a design point, how
 * to load a workload once, and the evaluation of a design point on a loaded workload into a result
 * table whose columns carry their units. Sweeps ({@code simulate sweep}) know families only through
 * this interface; a family is found by {@link Families} through {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/dev.sieve.sim.family.AcceleratorFamily}), so adding a family
 * means adding its implementation, never editing the runner.
 *
 * <p>A design point is a map from every parameter name to a value its {@link ParamSpec} accepts;
 * {@link #check} says whether the values fit together. {@link #evaluate} must be deterministic
 * (a resumed sweep ends with the same bytes as an uninterrupted one) and safe to call from several
 * threads at once.
 *
 * @param <W> a loaded workload
 */
public interface AcceleratorFamily<W> {

    /** The name specs and command lines use ({@code accelerator: sat}): lower case, no spaces. */
    String name();

    /** One line saying what the model is and what its workloads are. */
    String description();

    /** The parameters of a design point, in a stable order (the column order of reports). */
    List<ParamSpec> parameters();

    /** Throws IllegalArgumentException, naming the parameters, if the values of {@code point} do not fit together. */
    void check(Map<String, String> point);

    /**
     * Whether {@code text} names a built-in workload (a preset, a generator such as
     * {@code rmat:10,8}) rather than a file; throws IllegalArgumentException, saying what is
     * allowed, when it looks like one but is malformed.
     */
    default boolean builtIn(String text) {
        return false;
    }

    /**
     * Loads a workload once, for all the points evaluated on it. Bad content: an
     * {@link dev.sieve.io.InputException} or an IllegalArgumentException whose message names the file
     * and the line.
     */
    W load(Workload workload);

    /** Columns of one point's row (after the point, workload and parameter columns of a report). */
    List<Column> pointColumns();

    /** What one item row stands for, as a file name: {@code layers}, {@code cores}. */
    String itemName();

    /** Columns of one item row (after the point, workload and parameter columns). */
    List<Column> itemColumns();

    /** Evaluates {@code point} (checked) on {@code workload}. */
    PointResult evaluate(Map<String, String> point, W workload);

    /** What the cost objective of {@link PointResult#cost()} is, and how plots show both objectives. */
    ParetoAxes pareto();

    /**
     * The named costs a spec may take as the Pareto front's second objective instead of the default
     * ({@code objective: energy}), with their axes; every {@link PointResult} of this family carries
     * each of them in {@link PointResult#costs()}. Empty: only the default.
     */
    default Map<String, ParetoAxes> objectives() {
        return Map.of();
    }

    /**
     * The hardware of a point for resource estimates ({@code --resources}): a generated unit and how
     * many copies of it the point's accelerator holds (for example one PE and R*C copies), or null
     * if the family has none.
     */
    default Hardware hardware(Map<String, String> point) {
        return null;
    }

    /**
     * The ASIC area estimate of a point's hardware under {@code table} ({@code simulate area}): the
     * components its configuration record names, or null if the family has none.
     */
    default dev.sieve.arch.AreaEstimate area(Map<String, String> point, dev.sieve.arch.AreaTable table) {
        return null;
    }

    /** Line charts of a point column against a parameter, one series per value of another. */
    default List<LinePlot> linePlots() {
        return List.of();
    }

    /** A stacked bar chart of the items of the fastest point, or null. */
    default ItemPlot itemPlot() {
        return null;
    }

    /**
     * A workload as named in a spec or on a command line: a built-in one ({@code file} null) or a
     * file.
     */
    record Workload(String text, Path file) {
        /** The name reports use: the file's name, or the built-in's text. */
        public String label() {
            return file != null ? file.getFileName().toString() : text;
        }
    }

    /** {@code copies} instances of the generated module {@code unit}. */
    record Hardware(dev.sieve.hdl.ModuleDef unit, long copies) {
    }

    /**
     * The Pareto front's cost objective and the axes of its scatter plot.
     *
     * @param cost       the cost in a few words ({@code energy}: "cycles vs energy")
     * @param cyclesAxis title of the cycles axis
     * @param costAxis   title of the cost axis, in the plotted unit
     * @param costScale  factor from {@link PointResult#cost()} to the plotted unit (1e-6: pJ to uJ)
     */
    record ParetoAxes(String cost, String cyclesAxis, String costAxis, double costScale) {
    }

    /**
     * Mean of point column {@code yColumn} over the other parameters, against the values of
     * {@code xParameter}, one line per value of {@code seriesParameter}.
     */
    record LinePlot(String file, String title, String xParameter, String seriesParameter, String yColumn,
                    String xAxis, String yAxis) {
    }

    /**
     * Item column {@code valueColumn} of the fastest point on the Pareto front, one bar per value of
     * {@code itemColumn}, stacked by {@code stackColumn} (null: one series); the title is followed by
     * the point's values of {@code titleParameters}.
     */
    record ItemPlot(String file, String title, String itemColumn, String stackColumn, String valueColumn,
                    String xAxis, String yAxis, List<String> titleParameters) {
    }
}
