package dev.sieve.sim.sweep;

import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts of a sweep, each written as PNG and SVG (atomically) into a folder. */
public final class SweepPlots {
    private SweepPlots() {
    }

    static {
        System.setProperty("java.awt.headless", "true"); // servers and CI have no display
    }

    /**
     * The plots of a finished sweep into {@code DIR/plots}: the family's line plots whose x parameter
     * the spec varies, the Pareto
     * scatter of cycles against the family's cost (or the most used FPGA resource with
     * {@code resources}), and the family's item plot of the fastest point on the front.
     */
    public static List<Path> forSweep(SweepSpec spec, AcceleratorFamily<?> family, SweepRunner.Outcome o,
                                      boolean resources) {
        Path dir = o.dir().resolve("plots");
        List<Path> files = new ArrayList<>();
        SweepSummary sum = o.summary();
        if (sum == null || sum.rows() == 0) {
            return files;
        }
        List<AcceleratorFamily.LinePlot> linePlots = family.linePlots();
        for (int i = 0; i < linePlots.size(); i++) {
            AcceleratorFamily.LinePlot lp = linePlots.get(i);
            List<String> xs = spec.parameters().get(lp.xParameter());
            if (xs.size() < 2) {
                continue; // the spec holds this parameter fixed: a line of one point says nothing
            }
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String s : spec.parameters().get(lp.seriesParameter())) {
                List<Double> ys = new ArrayList<>();
                for (String x : xs) {
                    ys.add(sum.lineMean(i, s, x));
                }
                series.put(s, ys);
            }
            files.addAll(lines(dir, lp.file(), lp.title(), lp.xAxis(), lp.yAxis(), xs, series));
        }

        AcceleratorFamily.ParetoAxes axes = axes(spec, family);
        List<SweepSummary.Sampled> rows = sum.sample();
        List<SweepSummary.Sampled> frontRows = rows.stream().filter(SweepSummary.Sampled::front)
                .sorted(Comparator.comparingDouble(SweepSummary.Sampled::cycles)).toList();
        double scale = resources ? 1 : axes.costScale();
        String costTitle = resources ? "most used XCVU9P resource in % (log)" : axes.costAxis();
        String title = "Design points: cycles vs " + (resources ? "FPGA resources" : axes.cost())
                + " (Pareto front in red" + (sum.complete() ? ")" : "; " + rows.size() + " of " + sum.rows() + " points)");
        files.addAll(scatter(dir, "pareto", title, axes.cyclesAxis(), costTitle,
                rows.stream().map(SweepSummary.Sampled::cycles).toList(), rows.stream().map(r -> r.cost() * scale).toList(),
                frontRows.stream().map(SweepSummary.Sampled::cycles).toList(),
                frontRows.stream().map(r -> r.cost() * scale).toList()));

        AcceleratorFamily.ItemPlot ip = family.itemPlot();
        if (ip != null && sum.fastest() != null) {
            List<String> itemCols = Column.names(family.itemColumns());
            int item = itemCols.indexOf(ip.itemColumn());
            int stack = ip.stackColumn() == null ? -1 : itemCols.indexOf(ip.stackColumn());
            int value = itemCols.indexOf(ip.valueColumn());
            List<String> items = new ArrayList<>();
            Map<String, Map<String, Double>> byStack = new LinkedHashMap<>();
            for (List<String> l : sum.fastestItems()) {
                if (!items.contains(l.get(item))) {
                    items.add(l.get(item));
                }
                byStack.computeIfAbsent(stack < 0 ? ip.valueColumn() : l.get(stack), k -> new LinkedHashMap<>())
                        .merge(l.get(item), Double.parseDouble(l.get(value)), Double::sum);
            }
            Map<String, List<Double>> stacks = new LinkedHashMap<>();
            byStack.forEach((k, m) -> stacks.put(k, items.stream().map(i -> m.getOrDefault(i, 0.0)).toList()));
            StringBuilder t = new StringBuilder(ip.title());
            ip.titleParameters().forEach(p -> t.append(' ').append(sum.fastestParams().get(p)));
            files.addAll(stacked(dir, ip.file(), t.toString(), ip.xAxis(), ip.yAxis(), items, stacks));
        }
        return files;
    }

    /** The axes of the Pareto scatter: the family's, or those of the spec's objective. */
    public static AcceleratorFamily.ParetoAxes axes(SweepSpec spec, AcceleratorFamily<?> family) {
        return spec.objective() == null ? family.pareto() : family.objectives().get(spec.objective());
    }

    /** Lines over categories: one series per key of {@code series}, values aligned with {@code categories}. */
    public static List<Path> lines(Path dir, String file, String title, String xTitle, String yTitle,
                                   List<String> categories, Map<String, List<Double>> series) {
        CategoryChart c = new CategoryChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        c.getStyler().setOverlapped(true); // every series' point sits on its category
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        series.forEach((name, ys) -> c.addSeries(name, categories, ys));
        return save(c, dir, file);
    }

    /** A scatter of all points on log-log axes, with the Pareto front drawn as a line on top. */
    public static List<Path> scatter(Path dir, String file, String title, String xTitle, String yTitle,
                                     List<Double> xs, List<Double> ys, List<Double> frontX, List<Double> frontY) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.addSeries("design points", xs, ys);
        XYSeries f = c.addSeries("Pareto front", frontX, frontY);
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.DIAMOND);
        f.setLineColor(Color.RED);
        f.setMarkerColor(Color.RED);
        return save(c, dir, file);
    }

    /** Stacked bars: one bar per category, one stack segment per series. */
    public static List<Path> stacked(Path dir, String file, String title, String xTitle, String yTitle,
                                     List<String> categories, Map<String, List<Double>> series) {
        CategoryChart c = new CategoryChartBuilder().width(1100).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setStacked(true);
        c.getStyler().setXAxisLabelRotation(60);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        series.forEach((name, ys) -> c.addSeries(name, categories, ys));
        return save(c, dir, file);
    }

    private static List<Path> save(Chart<?, ?> chart, Path dir, String file) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Path tmpPng = dir.resolve("." + file + ".tmp.png");
            BitmapEncoder.saveBitmap(chart, tmpPng.toString(), BitmapEncoder.BitmapFormat.PNG);
            out.add(Files.move(tmpPng, dir.resolve(file + ".png"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING));
            Path tmpSvg = dir.resolve("." + file + ".tmp.svg");
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmpSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            out.add(Files.move(tmpSvg, dir.resolve(file + ".svg"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write plot " + file + " into " + dir, e);
        }
        return out;
    }
}
