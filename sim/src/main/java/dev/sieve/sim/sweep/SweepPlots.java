package dev.sieve.sim.sweep;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
