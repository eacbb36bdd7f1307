package dev.sieve.sim.sweep;

import dev.sieve.sim.family.AcceleratorFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the plots and the HTML report of a finished sweep need, gathered while {@code points.csv} is
 * written, in memory that does not grow with the number of points: the means of the family's line
 * plots, at most {@link #SAMPLE_LIMIT} rows of the table (every row when there are no more, else
 * every k-th row plus the whole Pareto front), and the fastest point on the front with its items.
 */
public final class SweepSummary {

    /** Rows of {@code points.csv} kept for the scatter and the report's table. */
    public static final int SAMPLE_LIMIT = 10_000;

    /** One kept row: its cells as in {@code points.csv}, its objectives (cost as plotted), its place on the front. */
    public record Sampled(long index, List<String> cells, double cycles, double cost, boolean front) {
    }

    private final List<String> header;
    private final long total;
    private final long stride;
    private final List<AcceleratorFamily.LinePlot> linePlots;
    private final List<Integer> lineColumns;
    private final List<Sampled> sample = new ArrayList<>();
    /** Per line plot: "series\u0000x" → {sum, count}. */
    private final List<Map<String, double[]>> lineSums = new ArrayList<>();
    private long rows;
    private long frontRows;
    private Sampled fastest;
    private Map<String, String> fastestParams;
    private List<List<String>> fastestItems;

    SweepSummary(List<String> header, long total, AcceleratorFamily<?> family, List<String> pointColumns) {
        this.header = List.copyOf(header);
        this.total = total;
        this.stride = Math.max(1, (total + SAMPLE_LIMIT - 1) / SAMPLE_LIMIT);
        this.linePlots = family.linePlots();
        this.lineColumns = linePlots.stream().map(lp -> pointColumns.indexOf(lp.yColumn())).toList();
        linePlots.forEach(lp -> lineSums.add(new HashMap<>()));
    }

    void accept(long index, PointStore.Saved s, List<String> cells, double cycles, double cost, boolean onFront) {
        rows++;
        if (onFront) {
            frontRows++;
            if (fastest == null || cycles < fastest.cycles()) {
                fastest = new Sampled(index, cells, cycles, cost, true);
                fastestParams = s.params();
                fastestItems = s.items();
            }
        }
        if (onFront || index % stride == 0) {
            if (onFront || sample.size() < SAMPLE_LIMIT) {
                sample.add(new Sampled(index, cells, cycles, cost, onFront));
            }
        }
        for (int i = 0; i < linePlots.size(); i++) {
            AcceleratorFamily.LinePlot lp = linePlots.get(i);
            String key = s.params().get(lp.seriesParameter()) + "\u0000" + s.params().get(lp.xParameter());
            double v = Double.parseDouble(s.metrics().get(lineColumns.get(i)));
            double[] acc = lineSums.get(i).computeIfAbsent(key, k -> new double[2]);
            acc[0] += v;
            acc[1]++;
        }
    }

    /** The columns of {@code points.csv}. */
    public List<String> header() {
        return header;
    }

    /** Rows of {@code points.csv}. */
    public long rows() {
        return rows;
    }

    /** Rows on the Pareto front. */
    public long frontRows() {
        return frontRows;
    }

    /** Whether {@link #sample()} holds every row. */
    public boolean complete() {
        return stride == 1 && sample.size() == rows;
    }

    /** The kept rows, in point order. */
    public List<Sampled> sample() {
        return sample;
    }

    /** The fastest point on the front (fewest cycles, first in point order), or null when there are no rows. */
    public Sampled fastest() {
        return fastest;
    }

    public Map<String, String> fastestParams() {
        return fastestParams;
    }

    public List<List<String>> fastestItems() {
        return fastestItems;
    }

    /**
     * The mean of line plot {@code plot}'s column at series value {@code series} and x value {@code x}
     * over the other parameters, NaN where no point has them.
     */
    public double lineMean(int plot, String series, String x) {
        double[] acc = lineSums.get(plot).get(series + "\u0000" + x);
        return acc == null ? Double.NaN : acc[0] / acc[1];
    }

    /** How many rows the summary was told to expect (for messages). */
    public long total() {
        return total;
    }

    /** The indices of {@link #sample()} on the front. */
    Set<Long> sampledFront() {
        Set<Long> s = new java.util.HashSet<>();
        sample.stream().filter(Sampled::front).forEach(r -> s.add(r.index()));
        return s;
    }
}
