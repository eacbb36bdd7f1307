package dev.sieve.sim.cli;

import dev.sieve.hdl.HdlException;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.catalog.Catalog;
import dev.sieve.io.OutputDir;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.ResourceReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code simulate rtl}: generate a named block, lint it with Verilator, estimate it with Yosys. */
@Command(name = "rtl",
        description = "Generate Verilog for a named block into DIR, lint it with Verilator -Wall and print a Yosys "
                + "resource table (synth_xilinx, UltraScale+, fractions of an XCVU9P).",
        footer = {"", "Examples:", "  simulate rtl --list", "  simulate rtl mac --param a_width=16 --param b_width=16",
                "  simulate rtl fifo --param width=32 --param depth=64 --out out/fifo32"})
public final class RtlCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    // --help is read by call(), not by picocli, so that 'rtl BLOCK --help' can list the block's parameters
    @Option(names = {"-h", "--help"}, description = "Show this help message and exit; with BLOCK, also the block's"
            + " parameters, their defaults and allowed values.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Option(names = "--list", description = "Print the blocks that can be generated, one per line.")
    boolean list;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BLOCK", description = "Block name (see --list).")
    String block;

    @Option(names = "--param", paramLabel = "K=V", description = "A block parameter, repeatable.")
    List<String> params = List.of();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/rtl/<module>).")
    Path out;

    @Option(names = "--no-synth", description = "Skip the Yosys resource estimate.")
    boolean noSynth;

    @Override
    public Integer call() {
        if (help) {
            spec.commandLine().usage(System.out);
            if (block != null) {
                System.out.print(parameterTable(block));
            }
            return 0;
        }
        if (list) {
            if (block != null) {
                throw new Simulate.UsageError("--list takes no BLOCK");
            }
            for (Catalog.Block b : Catalog.blocks()) {
                System.out.println(b.name());
            }
            return 0;
        }
        if (block == null) {
            throw new Simulate.UsageError("missing BLOCK; allowed: " + String.join(", ",
                    Catalog.blocks().stream().map(Catalog.Block::name).toList()));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new Simulate.UsageError("--param '" + p + "' is malformed; write it as name=value");
            }
            if (settings.put(p.substring(0, eq).trim(), p.substring(eq + 1)) != null) {
                throw new Simulate.UsageError("--param " + p.substring(0, eq) + " is given twice");
            }
        }
        generate(block, settings, out, !noSynth, System.out);
        return 0;
    }

    /** The parameters of {@code blockName} with defaults and allowed values, as {@code rtl BLOCK --help} prints them. */
    static String parameterTable(String blockName) {
        Catalog.Block b;
        try {
            b = Catalog.block(blockName);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nBlock %s: %s%nParameters (--param NAME=VALUE):%n",
                b.name(), b.description()));
        sb.append(String.format(Locale.ROOT, "  %-18s %-10s %s%n", "name", "default", "allowed"));
        for (Catalog.Param p : b.params()) {
            sb.append(String.format(Locale.ROOT, "  %-18s %-10s %s%n", p.name(), p.defaultValue(), p.allowed()));
        }
        return sb.toString();
    }

    /** What one generation produced, for callers that print their own summary. */
    record Outcome(String module, GeneratedRtl rtl, ResourceReport resources) {
    }

    /**
     * Builds {@code blockName} with {@code settings}, writes and lints it in {@code dir} (default
     * {@code out/rtl/<module>}), optionally estimates it with Yosys, and prints the report and the
     * final {@code rtl:} line to {@code print}. Bad block names or parameters are usage errors and
     * leave the folder untouched.
     */
    static Outcome generate(String blockName, Map<String, String> settings, Path dirOrNull, boolean synth,
                            PrintStream print) {
        ModuleDef top;
        try {
            top = Catalog.block(blockName).create(settings).build();
        } catch (IllegalArgumentException | HdlException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        Path dir = dirOrNull != null ? dirOrNull : Path.of("out", "rtl", top.name());
        OutputDir.prepare(dir, "--out");
        GeneratedRtl rtl = GeneratedRtl.generate(top, dir);
        for (String w : top.warnings()) {
            print.println("note: " + w);
        }
        for (Path f : rtl.files()) {
            print.println("wrote " + f);
        }
        print.println("lint: verilator --lint-only -Wall: " + rtl.lint().findings().size() + " warnings");
        String resources = "";
        ResourceReport report = null;
        if (synth) {
            report = rtl.estimate();
            print.print(report.toTable());
            resources = String.format(Locale.ROOT, " lut=%d ff=%d dsp=%d bram36=%s", report.lutSites(),
                    report.ff(), report.dsp(), trim(report.bram36()))
                    + report.logicDepth().map(d -> String.format(Locale.ROOT, " logic_levels=%d fmax_mhz=%.0f",
                            d.levels(), d.suggestedClockMhz())).orElse("");
        }
        print.println("rtl: block=" + blockName + " module=" + top.name() + " files=" + rtl.files().size()
                + " lint_warnings=" + rtl.lint().findings().size() + resources + " dir=" + dir);
        return new Outcome(top.name(), rtl, report);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
