package dev.sieve.cosim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the C++ templates ({@code model_wrapper.cpp}, {@code bench_main.cpp}) for one design. The
 * port list comes from the Verilator-generated {@code Vmodel.h}; clock and reset are recognised by
 * Sieve's naming convention: a 1-bit input {@code clk} and a 1-bit input {@code rst}.
 */
final class NativeSources {
    static final String CLOCK = "clk";
    static final String RESET = "rst";

    private static final Pattern PORT_DECL = Pattern.compile(
            "VL_(IN|OUT|INOUT)(8|16|64|W)?\\(&(\\w+),(\\d+),(\\d+)(?:,(\\d+))?\\);");

    private NativeSources() {}

    /** The top-level ports declared in a Verilator 5 model header, in declaration order. */
    static List<Port> parseHeaderPorts(String header) {
        List<Port> ports = new ArrayList<>();
        Matcher m = PORT_DECL.matcher(header);
        while (m.find()) {
            Direction dir = switch (m.group(1)) {
                case "IN" -> Direction.INPUT;
                case "OUT" -> Direction.OUTPUT;
                default -> Direction.INOUT;
            };
            int msb = Integer.parseInt(m.group(4));
            int lsb = Integer.parseInt(m.group(5));
            ports.add(new Port(m.group(3), Math.abs(msb - lsb) + 1, dir));
        }
        return ports;
    }

    static int clockIndex(List<Port> ports) {
        return conventionIndex(ports, CLOCK);
    }

    static int resetIndex(List<Port> ports) {
        return conventionIndex(ports, RESET);
    }

    private static int conventionIndex(List<Port> ports, String name) {
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            if (p.name().equals(name) && p.dir() == Direction.INPUT && p.width() == 1) {
                return i;
            }
        }
        return -1;
    }

    /** Ports of the batched input frame: every input except the clock, in port-table order. */
    static List<Port> inputFramePorts(List<Port> ports) {
        int clock = clockIndex(ports);
        List<Port> in = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).dir() == Direction.INPUT && i != clock) {
                in.add(ports.get(i));
            }
        }
        return in;
    }

    /** Ports of the batched output frame: every output, in port-table order. */
    static List<Port> outputFramePorts(List<Port> ports) {
        return ports.stream().filter(p -> p.dir() == Direction.OUTPUT).toList();
    }

    static String wrapper(String template, List<Port> ports) {
        int clock = clockIndex(ports);
        StringBuilder table = new StringBuilder();
        StringBuilder setCases = new StringBuilder();
        StringBuilder getCases = new StringBuilder();
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            int dir = p.dir().ordinal();
            table.append("    {\"").append(p.name()).append("\", ").append(p.width()).append(", ").append(dir)
                    .append("},\n");
            if (p.dir() != Direction.OUTPUT) {
                setCases.append("    case ").append(i).append(": put(m->").append(p.name()).append(", w, ")
                        .append(p.width()).append("); break;\n");
            }
            getCases.append("    case ").append(i).append(": get(m->").append(p.name()).append(", w); break;\n");
        }
        table.append("    {nullptr, 0, -1},  // sentinel, keeps the array non-empty\n");
        StringBuilder apply = new StringBuilder();
        int at = 0;
        for (Port p : inputFramePorts(ports)) {
            apply.append("    put(m->").append(p.name()).append(", in + ").append(at).append(", ").append(p.width())
                    .append(");\n");
            at += p.words();
        }
        int inWords = at;
        StringBuilder sample = new StringBuilder();
        at = 0;
        for (Port p : outputFramePorts(ports)) {
            sample.append("    get(m->").append(p.name()).append(", out + ").append(at).append(");\n");
            at += p.words();
        }
        int outWords = at;
        return template
                .replace("@PORT_TABLE@", table.toString().stripTrailing())
                .replace("@PORT_COUNT@", Integer.toString(ports.size()))
                .replace("@CLOCK_PORT@", Integer.toString(clock))
                .replace("@RESET_PORT@", Integer.toString(resetIndex(ports)))
                .replace("@IN_FRAME_WORDS@", Integer.toString(inWords))
                .replace("@OUT_FRAME_WORDS@", Integer.toString(outWords))
                .replace("@SET_CASES@", setCases.toString().stripTrailing())
                .replace("@GET_CASES@", getCases.toString().stripTrailing())
                .replace("@APPLY_INPUTS@", apply.toString().stripTrailing())
                .replace("@SAMPLE_OUTPUTS@", sample.toString().stripTrailing())
                .replace("@HAS_CLOCK@", clock >= 0 ? "1" : "0")
                .replace("@CLOCK_FIELD@", CLOCK);
    }

    /**
     * The plain C++ benchmark loop: after two reset cycles (when there is {@code rst}) every cycle
     * drives each input but the clock and reset with bits of a xorshift64 stream, runs the same
     * clk = 0 / clk = 1 evals as the wrapper and folds every output into a checksum.
     */
    static String benchMain(String template, List<Port> ports) {
        boolean clocked = clockIndex(ports) >= 0;
        int reset = resetIndex(ports);
        String tick = clocked ? "m->" + CLOCK + " = 0; m->eval(); m->" + CLOCK + " = 1; m->eval();" : "m->eval();";
        StringBuilder resetCode = new StringBuilder();
        if (reset >= 0) {
            resetCode.append("    m->").append(RESET).append(" = 1;\n")
                    .append("    for (int i = 0; i < 2; ++i) { ").append(tick).append(" }\n")
                    .append("    m->").append(RESET).append(" = 0;");
        }
        StringBuilder inputs = new StringBuilder();
        int n = 0;
        for (Port p : inputFramePorts(ports)) {
            if (p.name().equals(RESET) && reset >= 0) {
                continue;
            }
            int rot = (n++ * 11) % 64;
            inputs.append("        { uint64_t w[").append(p.words()).append("]; for (int j = 0; j < ")
                    .append(p.words()).append("; ++j) w[j] = (x >> ").append(rot).append(" | x << ")
                    .append((64 - rot) % 64).append(") ^ (0x9E3779B97F4A7C15ULL * j); put(m->").append(p.name())
                    .append(", w, ").append(p.width()).append("); }\n");
        }
        StringBuilder outputs = new StringBuilder();
        for (Port p : outputFramePorts(ports)) {
            outputs.append("        { uint64_t w[").append(p.words()).append("]; get(m->").append(p.name())
                    .append(", w); checksum += w[0]; }\n");
        }
        return template
                .replace("@RESET@", resetCode.toString())
                .replace("@RANDOM_INPUTS@", inputs.toString().stripTrailing())
                .replace("@CLOCK_CYCLE@", "        " + tick)
                .replace("@ACCUMULATE_OUTPUTS@", outputs.toString().stripTrailing());
    }

    /**
     * Fills the native AXI4 memory template for the master ports {@code prefix*} of {@code ports}
     * (which must include the read and write channels' signals it drives and samples) and the 1-bit
     * output {@code done}.
     */
    static String axiMemory(String template, List<Port> ports, String prefix, String done) {
        Port rdata = require(ports, prefix + "rdata", Direction.INPUT);
        if (rdata.width() % 8 != 0) {
            throw new IllegalArgumentException(rdata + ": an AXI data bus is a whole number of bytes");
        }
        for (String in : List.of("rvalid", "rlast", "bvalid")) {
            require(ports, prefix + in, Direction.INPUT);
        }
        for (String out : List.of("arvalid", "araddr", "arlen", "rready", "awvalid", "awaddr", "wvalid", "wdata",
                "wlast", "bready")) {
            require(ports, prefix + out, Direction.OUTPUT);
        }
        if (require(ports, prefix + "wdata", Direction.OUTPUT).width() != rdata.width()) {
            throw new IllegalArgumentException(prefix + "wdata and " + prefix + "rdata differ in width");
        }
        if (require(ports, done, Direction.OUTPUT).width() != 1) {
            throw new IllegalArgumentException("done output '" + done + "' must be 1 bit wide");
        }
        return template.replace("@AXI_DATA_BITS@", Integer.toString(rdata.width()))
                .replace("@P@", prefix)
                .replace("@DONE@", done);
    }

    private static Port require(List<Port> ports, String name, Direction dir) {
        return ports.stream().filter(p -> p.name().equals(name) && p.dir() == dir).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the native AXI memory needs " + dir.name().toLowerCase()
                        + " '" + name + "'; ports: " + ports));
    }
}
