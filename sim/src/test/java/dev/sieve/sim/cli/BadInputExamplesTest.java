package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of issue 14, each as the user met it: every one of these broke the promise (one
 * line naming file, line and field, exit code 2, nothing written) or silently accepted what it
 * must not before the shared input, output and size checks.
 */
class BadInputExamplesTest {
    @TempDir
    Path tmp;

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    static final String HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path withBom(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(BOM, BOM.length + body.length);
        System.arraycopy(body, 0, all, BOM.length, body.length);
        Files.write(p, all);
        return p;
    }

    /** Exit 2, one stderr line that starts with {@code prefix} and contains {@code part}, no output folder. */
    private static void refused(InputFuzzTest.Result r, Path out, String prefix, String part) {
        assertEquals(2, r.exit(), r.err() + r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(prefix), r.err());
        assertTrue(r.err().contains(part), r.err());
        if (out != null) {
            assertFalse(Files.exists(out), "partial output");
        }
    }

    private static InputFuzzTest.Result run(String... args) {
        return InputFuzzTest.run(List.of(args));
    }

    // --- a UTF-8 byte-order mark is accepted, and the result is the one without it

    @Test
    void byteOrderMarkInTopologyIniTraceAndSweepIsAccepted() throws Exception {
        String topo = HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n";
        Path plain = file("plain.csv", topo);
        Path bom = withBom("bom.csv", topo);
        String a = run("sat", "--topology", plain.toString(), "--out", tmp.resolve("a").toString()).out();
        InputFuzzTest.Result b = run("sat", "--topology", bom.toString(), "--out", tmp.resolve("b").toString());
        assertEquals(0, b.exit(), b.err());
        assertEquals(Files.readString(tmp.resolve("a/sat_layers.csv")), Files.readString(tmp.resolve("b/sat_layers.csv")));
        assertEquals(a.lines().filter(l -> l.startsWith("passes:")).toList(),
                b.out().lines().filter(l -> l.startsWith("passes:")).toList());

        Path ini = withBom("s.cfg", "[architecture_presets]\nArrayHeight : 8\nArrayWidth : 8\n");
        InputFuzzTest.Result c = run("sat", "--scalesim-config", ini.toString(), "--topology", plain.toString(), "--out",
                tmp.resolve("c").toString());
        assertEquals(0, c.exit(), c.err());

        Path trace = withBom("t.csv", InputFuzzTest.TRACE);
        InputFuzzTest.Result d = run("spatten", "--trace", trace.toString(), "--functional-tokens", "0", "--out",
                tmp.resolve("d").toString());
        assertEquals(0, d.exit(), d.err());

        Path spec = withBom("s.yaml", "accelerator: sat\nworkloads: [plain.csv]\nparameters:\n  array: [8x8]\n");
        InputFuzzTest.Result e = run("sweep", spec.toString(), "--threads", "1", "--out", tmp.resolve("e").toString());
        assertEquals(0, e.exit(), e.err());
    }

    // --- output paths are checked before any work

    @ParameterizedTest
    @ValueSource(strings = {"sat", "sweep", "spatten", "piuma", "rtl"})
    void outNamingAFileOrAnUncreatableFolderIsOneLine(String command) throws Exception {
        Path topo = file("t.csv", HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n");
        Path spec = file("s.yaml", "accelerator: sat\nworkloads: [t.csv]\n");
        Path trace = file("tr.csv", InputFuzzTest.TRACE);
        Path regular = file("taken", "x");
        for (String out : List.of(regular.toString(), regular.resolve("sub").toString(), "/proc/sieve-out",
                "/proc/self")) {
            List<String> args = new ArrayList<>(switch (command) {
                case "sat" -> List.of("sat", "--topology", topo.toString());
                case "sweep" -> List.of("sweep", spec.toString());
                case "spatten" -> List.of("spatten", "--trace", trace.toString());
                case "piuma" -> List.of("piuma", "--rmat", "6,4");
                default -> List.of("rtl", "fifo", "--no-synth");
            });
            args.addAll(List.of("--out", out));
            InputFuzzTest.Result r = InputFuzzTest.run(args);
            refused(r, null, command + ": " + out + ": --out: ", "allowed");
            assertEquals("", r.out(), "work started before the output check: " + r.out());
        }
        assertEquals("x", Files.readString(regular));
    }

    // --- input paths

    @Test
    void aFolderAsInputAndInvalidUtf8NameTheFileAndLine() throws Exception {
        refused(run("sweep", tmp.toString()), null, "sweep: " + tmp + ": is a folder", "allowed: a readable file");
        refused(run("piuma", "--matrix", tmp.toString()), null, "piuma: " + tmp + ": is a folder", "allowed");
        Path bad = tmp.resolve("bad.csv");
        Files.write(bad, (HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n\nc\u00e9, 10, 10, 3, 3, 4, 8, 1,\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        refused(run("sat", "--topology", bad.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + bad + ":4: byte 0xE9 at column 2 is not valid UTF-8", "allowed: UTF-8 text");
    }

    // --- sizes and overflow

    @Test
    void aBillionChannelsAndGemmDimsAreRefusedNotWrapped() throws Exception {
        Path conv = file("c.csv", HEADER + "big, 3, 3, 1, 1, 1000000000, 1000000000, 1,\n");
        refused(run("sat", "--topology", conv.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + conv + ":2: field 'Channels': 1000000000 is out of range; allowed 1 .. 16777216", "");
        Path gemm = file("g.csv", "Layer name, M, N, K,\ng, 1000000000, 1000000000, 1000000000,\n");
        refused(run("sat", "--topology", gemm.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + gemm + ":2: field 'M': 1000000000 is out of range; allowed 1 .. 16777216", "");
        // within each field's range, the product is checked: 2^24 channels of 3x3 filters pass 2^31
        Path wide = file("w.csv", HEADER + "wide, 100, 100, 100, 100, 16777216, 1, 1,\n");
        refused(run("sat", "--topology", wide.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + wide + ":2: field 'Channels': Channels = 16777216 makes the reduction", "allowed up to 2147483647");
        Path many = file("m.csv", "Layer name, M, N, K,\ng, 16777216, 16777216, 16,\n");
        refused(run("sat", "--topology", many.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + many + ":2: field 'multiply-accumulates'", "allowed up to 1099511627776 (2^40)");
    }

    @Test
    void sizesDeclaredInAFileAreCheckedBeforeAllocating() throws Exception {
        Path mtx = file("h.mtx", "%%MatrixMarket matrix coordinate real general\n2000000000 2000000000 900000000\n1 1 1.0\n");
        refused(run("piuma", "--matrix", mtx.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "piuma: " + mtx + ":2: entries = 900000000 cannot fit in the file's", "allowed up to");
        // a billion entries declared: the line says what reading them would take (48 bytes each while
        // read: the triple, then the compressed rows and a copy; 10^9 x 48 B = 45,776.4 MiB)
        Path billion = file("b.mtx", "%%MatrixMarket matrix coordinate real general\n1000 1000 1000000000\n1 1 1.0\n");
        refused(run("piuma", "--matrix", billion.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "piuma: " + billion + ":2: entries = 1000000000 cannot fit in the file's",
                "(reading 1000000000 entries would need 45776.4 MiB of memory)");
        // a generator too large for the heap: 2^26 x 64 B + 2^30 x 48 B = 53,248 MiB, more than a test JVM has
        refused(run("piuma", "--rmat", "26,16", "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "piuma: --rmat 26,16: 67108864 vertices and 1073741824 edges need 53248.0 MiB of memory;",
                "(raise it with java -Xmx)");
        // (a shape too large for the heap with few entries is simulated as its non-empty part: PiumaProductTest)
        String header = InputFuzzTest.TRACE.lines().findFirst().orElseThrow() + "\n";
        Path heads = file("h.csv", header + "0,0,2000000000,64.0,40,40,6,16,0.1,True,4,16,6,True\n");
        refused(run("spatten", "--trace", heads.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + heads + ":2: column 'head_id' = '2000000000' is out of range", "0 .. 1023");
        Path len = file("l.csv", header + "0,0,0,64.0,2000000000,40,6,16,0.1,True,4,16,6,True\n");
        refused(run("spatten", "--trace", len.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + len + ":2: column 'sentence_length_L'", "1 .. 1048576");
    }

    // --- duplicates and emptiness

    @Test
    void duplicateKeysInYamlAndIniNameTheLineAndKey() throws Exception {
        Path topo = file("t.csv", HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n");
        Path spec = file("d.yaml", "accelerator: sat\nworkloads: [t.csv]\nparameters:\n  array: [8x8]\n\n  array: [16x16]\n");
        refused(run("sweep", spec.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sweep: " + spec + ":6: parameters.array: is given twice (first on line 4)", "allowed: each key once");
        Path ini = file("d.cfg", "[architecture_presets]\nArrayHeight : 8\narrayheight = 16\n");
        refused(run("sat", "--scalesim-config", ini.toString(), "--topology", topo.toString(), "--out",
                tmp.resolve("o").toString()), tmp.resolve("o"),
                "sat: " + ini + ":3: [architecture_presets].ArrayHeight: is given twice (first on line 2)", "");
    }

    @Test
    void anEmptyIniOrOneWithoutArchitecturePresetsIsAnError() throws Exception {
        Path topo = file("t.csv", HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n");
        Path empty = file("e.cfg", "\n# nothing\n");
        refused(run("sat", "--scalesim-config", empty.toString(), "--topology", topo.toString(), "--out",
                tmp.resolve("o").toString()), tmp.resolve("o"), "sat: " + empty + ": [architecture_presets]: ", "needs");
        Path general = file("g.cfg", "[general]\nrun_name = x\n");
        refused(run("sat", "--scalesim-config", general.toString(), "--topology", topo.toString(), "--out",
                tmp.resolve("o").toString()), tmp.resolve("o"), "sat: " + general + ": [architecture_presets]: missing", "");
    }

    @Test
    void duplicateTraceRowsAnd99BitFieldsAreRefused() throws Exception {
        String[] lines = InputFuzzTest.TRACE.split("\n");
        Path dup = file("d.csv", lines[0] + "\n" + lines[1] + "\n\n" + lines[1] + "\n");
        refused(run("spatten", "--trace", dup.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + dup + ":4: row (iteration_id, layer_id, head_id) = (0, 0, 0) is given twice (first on line 2)", "");
        Path bits = file("b.csv", lines[0] + "\n" + lines[1].replace(",6,16,", ",99,16,") + "\n");
        refused(run("spatten", "--trace", bits.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + bits + ":2: column 'quant_key_bit' = '99' is out of range", "-1 .. 32");
    }

    @Test
    void aConstraintDividingByZeroOrLeavingNoPointIsAnError() throws Exception {
        file("t.csv", HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n");
        Path div = file("z.yaml", "accelerator: sat\nworkloads: [t.csv]\nparameters:\n  array: [8x8, 16x16]\n"
                + "constraints:\n  - array_n > 0\n  - 64 / (array_n - 8) > 1\n");
        refused(run("sweep", div.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sweep: " + div + ":7: constraints: '64 / (array_n - 8) > 1' at point {array=8x8", "divides by zero");
        Path none = file("n.yaml", "accelerator: sat\nworkloads: [t.csv]\nparameters:\n  array: [8x8, 16x16]\n"
                + "constraints:\n  - array_n > 100\n");
        refused(run("sweep", none.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sweep: " + none + ":6: constraints: the constraints leave none of the 2 points", "");
    }

    // --- line numbers

    @Test
    void lineNumbersAfterBlankLinesInsideConstraintsAndForAnOpenQuote() throws Exception {
        String[] lines = InputFuzzTest.TRACE.split("\n");
        Path trace = file("b.csv", lines[0] + "\n\n\n" + lines[1] + "\n\n" + lines[2].replace(",40,40,", ",40,x,") + "\n");
        refused(run("spatten", "--trace", trace.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + trace + ":6: column 'key_fetch_num' = 'x'", "");
        file("t.csv", HEADER + "c1, 10, 10, 3, 3, 4, 8, 1,\n");
        Path names = file("c.yaml", "accelerator: sat\nworkloads: [t.csv]\nconstraints:\n  - array_n > 0\n\n"
                + "  - rows > 4\n");
        refused(run("sweep", names.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sweep: " + names + ":6: constraints: 'rows > 4' at point {", "unknown name 'rows'");
        Path quote = file("q.yaml", "accelerator: sat\nname: 'unfinished\nworkloads: [t.csv]\n\n");
        refused(run("sweep", quote.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "sweep: " + quote + ":2: malformed YAML", "quoted scalar");
        Path csvQuote = file("q.csv", lines[0] + "\n" + lines[1] + "\n\"0,0,1,64.0,40,40,6,16,0.1,True,4,16,6,True\n");
        refused(run("spatten", "--trace", csvQuote.toString(), "--out", tmp.resolve("o").toString()), tmp.resolve("o"),
                "spatten: " + csvQuote + ":3: a quote opened on this line is never closed", "");
    }

    // --- help

    @Test
    void helpListsCommandsAndEveryCommandHasAVersion() {
        InputFuzzTest.Result unknown = run("simulat");
        refused(unknown, null, "simulate: unknown command 'simulat'; allowed: rtl, demo, sat, sweep, spatten, piuma, area, bench, cosim", "");
        InputFuzzTest.Result bare = run();
        refused(bare, null, "simulate: missing COMMAND; allowed: rtl, demo, sat", "");
        assertTrue(bare.out().contains("Commands:"), bare.out());
        for (String c : List.of("sat", "sweep", "spatten", "piuma", "rtl", "bench", "demo", "cosim", "area")) {
            InputFuzzTest.Result v = run(c, "--version");
            assertEquals(0, v.exit(), c);
            assertEquals("Sieve 0.1.0", v.out().strip(), c);
        }
        InputFuzzTest.Result block = run("rtl", "fifo", "--help");
        assertEquals(0, block.exit(), block.err());
        assertTrue(block.out().contains("Block fifo:"), block.out());
        assertTrue(block.out().lines().anyMatch(l -> l.matches("\\s+depth\\s+16\\s+2 \\.\\. 65536")), block.out());
    }
}
