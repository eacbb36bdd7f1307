package dev.sieve.sim.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.io.AtomicFiles;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Column;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DIR/report.html}: one self-contained page per finished sweep — no network, everything
 * inline: the spec, a sortable and filterable table of the points (every row up to
 * {@link SweepSummary#SAMPLE_LIMIT}, else a sample and the whole front, as the page says), the Pareto
 * scatter (hover shows a point's parameters), the family's line plots and the items of the fastest
 * point on the front; under {@code --resources} the table carries the resource columns. Charts are
 * drawn by Apache ECharts, inlined from its WebJar.
 */
public final class SweepReport {
    private SweepReport() {
    }

    /** The ECharts build inlined (the WebJar's version, as in the parent POM). */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.common.min.js";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code DIR/report.html} for a complete sweep and returns its path. */
    public static Path write(SweepSpec spec, AcceleratorFamily<?> family, SweepRunner.Outcome o, boolean resources) {
        SweepSummary sum = o.summary();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", spec.name());
        data.put("family", family.name());
        data.put("description", family.description());
        data.put("points", o.points());
        data.put("rows", sum.rows());
        data.put("frontRows", sum.frontRows());
        data.put("complete", sum.complete());
        data.put("header", sum.header());
        List<Object> rows = new ArrayList<>();
        List<Object> scatter = new ArrayList<>();
        for (SweepSummary.Sampled r : sum.sample()) {
            rows.add(r.cells());
        }
        AcceleratorFamily.ParetoAxes axes = SweepPlots.axes(spec, family);
        double scale = resources ? 1 : axes.costScale();
        for (int i = 0; i < sum.sample().size(); i++) {
            SweepSummary.Sampled r = sum.sample().get(i);
            scatter.add(List.of(r.cycles(), r.cost() * scale, i, r.front() ? 1 : 0));
        }
        data.put("table", rows);
        data.put("scatter", scatter);
        data.put("paramColumns", new ArrayList<>(spec.parameters().keySet()));
        data.put("pareto", Map.of("title", "Cycles vs " + (resources ? "FPGA resources" : axes.cost()),
                "x", axes.cyclesAxis(), "y", resources ? "most used XCVU9P resource in % (log)" : axes.costAxis()));
        data.put("lines", lines(spec, family, sum));
        data.put("items", items(family, sum));
        String html = page(spec, data);
        Path file = o.dir().resolve("report.html");
        AtomicFiles.writeString(file, html);
        return file;
    }

    private static List<Object> lines(SweepSpec spec, AcceleratorFamily<?> family, SweepSummary sum) {
        List<Object> out = new ArrayList<>();
        List<AcceleratorFamily.LinePlot> plots = family.linePlots();
        for (int i = 0; i < plots.size(); i++) {
            AcceleratorFamily.LinePlot lp = plots.get(i);
            List<String> xs = spec.parameters().get(lp.xParameter());
            if (xs.size() < 2) {
                continue;
            }
            List<Object> series = new ArrayList<>();
            for (String s : spec.parameters().get(lp.seriesParameter())) {
                List<Object> ys = new ArrayList<>();
                for (String x : xs) {
                    double m = sum.lineMean(i, s, x);
                    ys.add(Double.isNaN(m) ? null : m);
                }
                series.add(Map.of("name", lp.seriesParameter() + " = " + s, "data", ys));
            }
            out.add(Map.of("title", lp.title(), "x", lp.xAxis(), "y", lp.yAxis(), "categories", xs, "series", series));
        }
        return out;
    }

    private static Map<String, Object> items(AcceleratorFamily<?> family, SweepSummary sum) {
        AcceleratorFamily.ItemPlot ip = family.itemPlot();
        if (ip == null || sum.fastest() == null) {
            return null;
        }
        List<String> cols = Column.names(family.itemColumns());
        int item = cols.indexOf(ip.itemColumn());
        int stack = ip.stackColumn() == null ? -1 : cols.indexOf(ip.stackColumn());
        int value = cols.indexOf(ip.valueColumn());
        List<String> categories = new ArrayList<>();
        Map<String, Map<String, Double>> byStack = new LinkedHashMap<>();
        for (List<String> l : sum.fastestItems()) {
            if (!categories.contains(l.get(item))) {
                categories.add(l.get(item));
            }
            byStack.computeIfAbsent(stack < 0 ? ip.valueColumn() : l.get(stack), k -> new LinkedHashMap<>())
                    .merge(l.get(item), Double.parseDouble(l.get(value)), Double::sum);
        }
        List<Object> series = new ArrayList<>();
        byStack.forEach((k, m) -> series.add(Map.of("name", k, "data",
                categories.stream().map(c -> m.getOrDefault(c, 0.0)).toList())));
        return Map.of("title", ip.title() + " (point " + sum.fastest().index() + ": " + sum.fastestParams() + ")",
                "x", ip.xAxis(), "y", ip.yAxis(), "categories", categories, "series", series);
    }

    private static String page(SweepSpec spec, Map<String, Object> data) {
        String specText;
        try {
            specText = Files.readString(spec.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            specText = "(the spec " + spec.file() + " could not be read: " + e.getMessage() + ")";
        }
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("STYLE", resource("sweep-report.css"));
        parts.put("TITLE", escape("Sieve sweep " + spec.name()));
        parts.put("SPEC_FILE", escape(spec.file().toString()));
        parts.put("SPEC", escape(specText));
        parts.put("ECHARTS", resourceAt(ECHARTS).replace("</script", "<\\/script"));
        parts.put("DATA", json.replace("</", "<\\/"));
        parts.put("SCRIPT", resource("sweep-report.js"));
        return fill(template(), parts);
    }

    /** {@code template} with each {@code @@NAME@@} replaced by {@code parts.get(NAME)}, in one pass. */
    static String fill(String template, Map<String, String> parts) {
        StringBuilder out = new StringBuilder(template.length() + 1_100_000);
        int at = 0;
        while (true) {
            int open = template.indexOf("@@", at);
            if (open < 0) {
                return out.append(template, at, template.length()).toString();
            }
            int close = template.indexOf("@@", open + 2);
            String name = template.substring(open + 2, close);
            if (!parts.containsKey(name)) {
                throw new IllegalStateException("the report template names an unknown part " + name);
            }
            out.append(template, at, open).append(parts.get(name));
            at = close + 2;
        }
    }

    private static String template() {
        return resource("sweep-report.html");
    }

    private static String resource(String name) {
        return resourceAt("dev/sieve/sim/sweep/" + name);
    }

    private static String resourceAt(String path) {
        try (InputStream in = SweepReport.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
