package dev.sieve.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resource estimates from Yosys: reads Verilog files, runs
 * {@code synth_xilinx -family <family> -top TOP [options]} and classifies the primitives
 * {@code stat -json} counts into a {@link ResourceReport}.
 *
 * <p>Yosys 0.23's {@code stat -json} prints one entry per module under {@code "modules"} and,
 * because {@code synth_xilinx -top} marks the top, a {@code "design"} entry whose
 * {@code num_cells_by_type} already multiplies submodules out through the hierarchy; that
 * entry is the one read here. The JSON is written to a file with {@code tee -q -o} so that
 * warnings on the console cannot corrupt it.
 *
 * @param family        the {@code synth_xilinx -family} value, {@code xcup} for UltraScale+
 * @param synthOptions  extra {@code synth_xilinx} flags, e.g. {@code -noiopad}, {@code -uram}
 * @param timeoutSeconds how long one Yosys run may take before it is killed
 */
public record YosysEstimate(String family, List<String> synthOptions, long timeoutSeconds) {

    /** {@code synth_xilinx -family xcup} with Yosys's defaults (I/O buffers inserted), 10 min cap. */
    public static final YosysEstimate XCUP = new YosysEstimate("xcup", List.of(), 600);

    public YosysEstimate {
        Objects.requireNonNull(family, "family");
        if (!family.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("family must be a synth_xilinx family such as xcup, got '" + family + "'");
        }
        synthOptions = List.copyOf(synthOptions);
        for (String o : synthOptions) {
            if (!o.matches("[-A-Za-z0-9_:]+")) {
                throw new IllegalArgumentException("synth_xilinx option must be a plain flag or value, got '" + o + "'");
            }
        }
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeoutSeconds must be > 0, got " + timeoutSeconds);
        }
    }

    /** Synthesizes {@code files} for UltraScale+ with {@code top} as the top module. */
    public static ResourceReport estimate(List<Path> files, String top) {
        return XCUP.run(files, top);
    }

    /** The same estimate with one more {@code synth_xilinx} flag. */
    public YosysEstimate withSynthOption(String option) {
        List<String> options = new ArrayList<>(synthOptions);
        options.add(option);
        return new YosysEstimate(family, options, timeoutSeconds);
    }

    /** The Yosys script this estimate runs (with {@code stat.json} relative to Yosys's working directory). */
    public String script(List<Path> files, String top) {
        return script(List.of(), files, top, List.of());
    }

    /**
     * The script of one module of a hierarchy: {@code libFiles} are read as black boxes (their
     * ports only, {@code read_verilog -lib}), and the instances of {@code childModules} are cut out
     * before the longest path is taken, so their pins end paths as registers do.
     */
    String script(List<Path> libFiles, List<Path> files, String top, List<String> childModules) {
        requireModuleName(top);
        StringBuilder s = new StringBuilder();
        for (Path f : libFiles) {
            s.append("read_verilog -lib \"").append(quotable(f)).append("\"; ");
        }
        for (Path f : files) {
            s.append("read_verilog \"").append(quotable(f)).append("\"; ");
        }
        s.append("synth_xilinx -family ").append(family).append(" -top ").append(top);
        for (String o : synthOptions) {
            s.append(' ').append(o);
        }
        StringBuilder cut = new StringBuilder();
        for (String c : childModules) {
            cut.append(" t:").append(requireModuleName(c));
        }
        return s.append("; tee -q -o stat.json stat -json").append(depthScript(cut.toString())).toString();
    }

    private static String requireModuleName(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            throw new IllegalArgumentException("top must be a Verilog module name, got '" + name + "'");
        }
        return name;
    }

    private static String quotable(Path f) {
        String p = f.toAbsolutePath().normalize().toString();
        if (p.contains("\"") || p.contains(";") || p.contains("\n")) {
            throw new IllegalArgumentException("Yosys cannot read a path containing '\"', ';' or a newline: " + p);
        }
        return p;
    }

    /**
     * After {@code stat}: flatten, list the DSP48E2 blocks, remove flip-flops, latches, shift
     * registers, block RAMs and I/O or clock buffers (so paths start and end at registers or at the
     * block's ports), and print the longest path ({@link ResourceReport.Depth}).
     */
    static final String DEPTH_SCRIPT = depthScript("");

    /** {@link #DEPTH_SCRIPT} that also deletes the cells {@code moreCells} selects (e.g. " t:child"). */
    private static String depthScript(String moreCells) {
        return "; flatten; tee -q -o dsp.txt select -list t:DSP48E2"
                + "; delete t:FD* t:LD* t:SRL* t:RAMB* t:FIFO* t:URAM* t:*BUF*" + moreCells + "; tee -q -o ltp.txt ltp -noff";
    }

    private static final java.util.regex.Pattern LTP_HEADER =
            java.util.regex.Pattern.compile("Longest topological path in \\S+ \\(length=(-?[0-9]+)\\)");
    private static final java.util.regex.Pattern LTP_VIA = java.util.regex.Pattern.compile("\\(via (.*)\\)\\s*$");

    /**
     * The depth from Yosys 0.23's {@code ltp} output and the DSP48E2 list ({@code select -list}, one
     * {@code module/cell} per line). A path step reads {@code N: wire (via cell)}; carry cells are
     * those {@code synth_xilinx}'s carry mapping names {@code ...carry4} or {@code ...carry8}.
     */
    static ResourceReport.Depth depth(String ltp, String dspList) {
        java.util.regex.Matcher h = LTP_HEADER.matcher(ltp);
        if (!h.find()) {
            throw new IllegalArgumentException("Yosys ltp printed no 'Longest topological path' line");
        }
        int length = Math.max(0, Integer.parseInt(h.group(1)));
        java.util.Set<String> dsps = new java.util.HashSet<>();
        for (String line : dspList.split("\n")) {
            int slash = line.indexOf('/');
            if (slash > 0) {
                dsps.add(line.substring(slash + 1).strip());
            }
        }
        int carry = 0;
        int dsp = 0;
        int via = 0;
        // the first module's path only (after flatten the top is the only module left)
        for (String line : ltp.substring(h.end()).split("Longest topological path", 2)[0].split("\n")) {
            java.util.regex.Matcher m = LTP_VIA.matcher(line);
            if (m.find()) {
                via++;
                String cell = m.group(1);
                if (cell.endsWith("carry4") || cell.endsWith("carry8")) {
                    carry++;
                } else if (dsps.contains(cell)) {
                    dsp++;
                }
            }
        }
        return new ResourceReport.Depth(Math.max(length, via), carry, dsp);
    }

    /** Synthesizes {@code files} with {@code top} as the top module and classifies the result. */
    public ResourceReport run(List<Path> files, String top) {
        return run(List.of(), files, top, List.of());
    }

    /**
     * Synthesizes one module of a hierarchy alone: {@code file} holds module {@code top}, whose
     * submodules {@code childModules} are read from {@code childFiles} as black boxes. The report's
     * cell counts hold the module's own primitives and, under each child's name, how many instances
     * of it the module places; its depth is the module's own longest path, instance pins ending paths.
     */
    public ResourceReport runModule(Path file, List<Path> childFiles, String top, List<String> childModules) {
        return run(childFiles, List.of(file), top, childModules);
    }

    private ResourceReport run(List<Path> libFiles, List<Path> files, String top, List<String> childModules) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no Verilog files given to synthesize top module '" + top + "'");
        }
        for (Path f : concat(libFiles, files)) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("Verilog file does not exist: " + f.toAbsolutePath());
            }
        }
        String script = script(libFiles, files, top, childModules);
        ExternalTool yosys = ExternalTool.yosys();
        Path workDir = VerilatorLint.tempDir();
        try {
            ExternalTool.Result result = yosys.run(workDir, timeoutSeconds, List.of("-q", "-p", script));
            Path json = workDir.resolve("stat.json");
            if (!result.ok() || !Files.isRegularFile(json)) {
                throw new ExternalTool.ToolFailedException("Yosys failed to synthesize top module '" + top
                        + "' from " + files + ":\n" + errorLines(result.output())
                        + "\n(command: yosys -q -p '" + script + "', exit code " + result.exitCode() + ")");
            }
            Map<String, Integer> cells = cellsByType(Files.readString(json, StandardCharsets.UTF_8), top);
            ResourceReport report = ResourceReport.fromCellCounts(top, cells, warningLines(result.output()));
            Path ltp = workDir.resolve("ltp.txt");
            Path dsp = workDir.resolve("dsp.txt");
            if (!Files.isRegularFile(ltp)) {
                throw new ExternalTool.ToolFailedException("Yosys printed no longest path for top module '" + top
                        + "' (command: yosys -q -p '" + script + "')");
            }
            return report.withDepth(depth(Files.readString(ltp, StandardCharsets.UTF_8),
                    Files.isRegularFile(dsp) ? Files.readString(dsp, StandardCharsets.UTF_8) : ""));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read Yosys's stat output", e);
        } finally {
            VerilatorLint.deleteQuietly(workDir);
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The design-wide cell counts from Yosys 0.23 {@code stat -json} output: the {@code "design"}
     * entry, or the top module's own entry when there is no {@code "design"} entry.
     */
    static Map<String, Integer> cellsByType(String statJson, String top) {
        JsonNode root;
        try {
            root = JSON.readTree(withoutHierarchyLines(statJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON at offset " + e.getLocation().getCharOffset() + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Yosys stat -json output is not a JSON object");
        }
        JsonNode entry = root.get("design");
        if (entry == null && root.get("modules") instanceof ObjectNode modules) {
            entry = modules.get("\\" + top);
        }
        JsonNode byType = entry == null ? null : entry.get("num_cells_by_type");
        if (byType == null || !byType.isObject()) {
            throw new IllegalArgumentException("Yosys stat -json output has no num_cells_by_type for '" + top + "'");
        }
        Map<String, Integer> cells = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : byType.properties()) {
            JsonNode n = e.getValue();
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new IllegalArgumentException("cell count for " + e.getKey() + " is not an integer: " + n);
            }
            String type = e.getKey().startsWith("\\") ? e.getKey().substring(1) : e.getKey();
            cells.merge(type, n.intValue(), Integer::sum);
        }
        return cells;
    }

    /**
     * Yosys 0.23's {@code stat -json} also prints the text lines of a design hierarchy deeper than two
     * levels (for example {@code "       sat_fp32_add                  4"}) into the JSON; those lines
     * carry no quote, brace, bracket, colon or comma and are dropped here.
     */
    static String withoutHierarchyLines(String statJson) {
        StringBuilder s = new StringBuilder(statJson.length());
        for (String line : statJson.split("\n", -1)) {
            if (!line.matches("\\s*[^\\s\"{}\\[\\]:,]+\\s+[0-9]+\\s*")) {
                s.append(line).append('\n');
            }
        }
        return s.toString();
    }

    private static String errorLines(String output) {
        List<String> errors = output.lines().filter(l -> l.contains("ERROR")).toList();
        return errors.isEmpty() ? output.strip() : String.join("\n", errors);
    }

    private static List<String> warningLines(String output) {
        return output.lines().filter(l -> l.startsWith("Warning:") || l.contains(": Warning:")).toList();
    }
}
