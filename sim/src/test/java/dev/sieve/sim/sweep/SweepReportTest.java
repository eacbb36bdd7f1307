package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's {@code report.html} is self-contained (no script, style or image from elsewhere) and
 * renders in headless Chromium: every point in the table's DOM, the charts drawn (ECharts canvases),
 * a screenshot that is not blank, and no console error. Chromium comes from Debian's package
 * ({@code scripts/install-tools}); without it this test fails and says how to install it.
 */
class SweepReportTest {

    @TempDir
    Path tmp;

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new AssertionError("headless Chromium is needed to check the HTML report and is not installed; "
                + "run scripts/install-tools (or: apt-get update && apt-get install -y chromium)");
    }

    /** Runs Chromium headless on {@code page} with {@code args}; returns stdout, and stderr in {@code errOut}. */
    private String chromium(Path page, List<String> args, StringBuilder errOut) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"),
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000"));
        cmd.addAll(args);
        cmd.add(page.toUri().toString());
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chromium did not finish");
        errOut.append(Files.readString(err));
        assertEquals(0, p.exitValue(), errOut.toString());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void reportIsSelfContainedAndRendersInHeadlessChromium() throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, String.join("\n", "accelerator: sat", "workloads: ['" + topo + "']", "parameters:",
                "  array: [8x8, 16x16, 32x32]", "  nm: [dense, '2:4', '2:8', '1:8']", ""));
        Path out = tmp.resolve("out");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString()));
        Path report = out.resolve("report.html");
        String html = Files.readString(report);
        // self-contained: the page's own elements load nothing from elsewhere (inline scripts aside, whose
        // text is ECharts' and ours)
        String markup = Pattern.compile("<script>.*?</script>", Pattern.DOTALL).matcher(html).replaceAll("<script></script>");
        assertEquals(3, markup.split("<script>", -1).length - 1, "three inline scripts: ECharts, the data, the page's");
        assertFalse(Pattern.compile("<(script|img|iframe)[^>]*\\ssrc=", Pattern.CASE_INSENSITIVE).matcher(markup).find());
        assertFalse(Pattern.compile("<link[^>]*href=", Pattern.CASE_INSENSITIVE).matcher(markup).find());
        assertFalse(markup.contains("@import") || markup.contains("url("), "no style from elsewhere");

        StringBuilder err = new StringBuilder();
        String dom = chromium(report, List.of("--dump-dom"), err);
        assertTrue(dom.contains("data-rendered=\"yes\""), "the page's script ran to its end: " + dom.substring(0,
                Math.min(400, dom.length())));
        assertFalse(dom.contains("data-errors"), "no script error");
        Matcher body = Pattern.compile("<tbody id=\"rows\">(.*?)</tbody>", Pattern.DOTALL).matcher(dom);
        assertTrue(body.find());
        assertEquals(12, body.group(1).split("<tr", -1).length - 1, "one table row per point (3 arrays x 4 N:M)");
        // the Pareto scatter, the one SAT line plot and the item plot, each an ECharts canvas
        assertTrue(dom.split("<canvas", -1).length - 1 >= 3, "charts drawn");
        assertFalse(err.toString().contains(":CONSOLE"), "console messages: " + err);
        assertFalse(err.toString().contains("Uncaught"), err.toString());

        Path shot = tmp.resolve("report.png");
        chromium(report, List.of("--screenshot=" + shot, "--window-size=1280,2400"), new StringBuilder());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1280, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 50, "a rendered page, not a blank one: " + colours.size() + " colours");
    }
}
