package dev.sieve.dataflow.workload;

import dev.sieve.arch.NmPattern;
import dev.sieve.io.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads SCALE-Sim topology CSVs. Convolution header:
 * {@code Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,}
 * optionally followed by v3's {@code Sparsity,} (an {@code N:M} pattern, or empty for "use the default")
 * and then by Sieve's {@code Post Ops,} (the layer's non-GEMM operations, {@link PostOp}; empty: infer
 * them from the layer shapes, {@link PostOps#infer}); a row may leave these optional cells off.
 * GEMM header: {@code Layer Name, M, N, K,} (also with optional {@code Sparsity,}). As in SCALE-Sim
 * every line ends with a trailing comma. Blank lines are skipped; lines end in LF or CRLF; a UTF-8
 * byte-order mark is dropped; there are no comment lines. Every dimension is 1 ..
 * {@link Layer#MAX_DIMENSION} and the sizes derived from a row are checked by {@link Layer}. Every
 * problem is a {@link TopologyException} (a missing or unreadable file an
 * {@link dev.sieve.io.InputException}) naming file, line and field; a file is read whole or rejected.
 */
public final class TopologyReader {

    private static final List<String> CONV = List.of("Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
            "Filter Width", "Channels", "Num Filter", "Strides");
    private static final List<String> GEMM = List.of("Layer name", "M", "N", "K");
    private static final String SPARSITY = "Sparsity";
    /** Sieve's optional column: the layer's non-GEMM operations ({@link PostOp}). */
    public static final String POST_OPS = "Post Ops";

    private TopologyReader() {
    }

    /**
     * Reads {@code file} through {@link InputFiles} (UTF-8 with or without a byte-order mark, LF or
     * CRLF line ends); the file name is used in messages.
     */
    public static Topology read(Path file) {
        return parse(file.toString(), InputFiles.readLines(file));
    }

    /** Parses CSV text; {@code source} names it in messages. */
    public static Topology parse(String source, String text) {
        return parse(source, new StringReader(text));
    }

    /** Parses CSV from {@code in}; {@code source} names it in messages. */
    public static Topology parse(String source, Reader in) {
        List<String> lines;
        try (BufferedReader br = new BufferedReader(in)) {
            lines = br.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(source, lines);
    }

    /** Parses the lines of a topology; {@code source} names it in messages. */
    public static Topology parse(String source, List<String> lines) {
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines = new ArrayList<>(lines);
            lines.set(0, lines.get(0).substring(1));
        }
        int headerLine = 0;
        while (headerLine < lines.size() && lines.get(headerLine).isBlank()) {
            headerLine++;
        }
        if (headerLine == lines.size()) {
            throw new TopologyException(source, 1, "header", "the file is empty; expected a SCALE-Sim header such as '"
                    + String.join(", ", CONV) + ",'");
        }
        List<String> header = cells(source, headerLine + 1, lines.get(headerLine), "header");
        boolean gemm = header.size() >= 2 && header.get(1).equalsIgnoreCase("M");
        List<String> expected = gemm ? GEMM : CONV;
        int n = expected.size();
        boolean sparsity = header.size() > n && header.get(n).equalsIgnoreCase(SPARSITY);
        int postAt = n + (sparsity ? 1 : 0);
        boolean post = header.size() > postAt && header.get(postAt).equalsIgnoreCase(POST_OPS);
        if (header.size() != postAt + (post ? 1 : 0) || !sameNames(header, expected)) {
            throw new TopologyException(source, headerLine + 1, "header", "'" + lines.get(headerLine).trim()
                    + "' is not a SCALE-Sim header; allowed '" + String.join(", ", CONV) + ",' or '"
                    + String.join(", ", GEMM) + ",', each optionally followed by 'Sparsity,' and then 'Post Ops,'");
        }
        List<String> names = new ArrayList<>(expected);
        if (sparsity) {
            names.add(SPARSITY);
        }
        if (post) {
            names.add(POST_OPS);
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            List<String> c = cells(source, lineNo, raw, "row");
            if (c.size() < n) { // the optional columns may be left off at a row's end
                throw new TopologyException(source, lineNo, names.get(c.size()), "missing; the row has " + c.size()
                        + " of " + names.size() + " fields");
            }
            if (c.size() > names.size()) {
                throw new TopologyException(source, lineNo, "row", "has " + c.size() + " fields; the header has "
                        + names.size());
            }
            String layerName = c.get(0);
            if (layerName.isEmpty()) {
                throw new TopologyException(source, lineNo, names.get(0), "is empty");
            }
            NmPattern pattern = null;
            if (sparsity && c.size() > n && !c.get(n).isEmpty()) {
                try {
                    pattern = NmPattern.parse(c.get(n));
                } catch (IllegalArgumentException e) {
                    throw new TopologyException(source, lineNo, SPARSITY, e.getMessage());
                }
            }
            List<PostOp> ops = null;
            if (post && c.size() > postAt && !c.get(postAt).isEmpty()) {
                try {
                    ops = PostOp.parseList(c.get(postAt));
                } catch (IllegalArgumentException e) {
                    throw new TopologyException(source, lineNo, POST_OPS, e.getMessage());
                }
            }
            int[] v = new int[expected.size()];
            for (int f = 1; f < expected.size(); f++) {
                v[f] = number(source, lineNo, names.get(f), c.get(f));
            }
            Layer layer;
            try {
                layer = gemm
                        ? new Layer(layerName, Layer.Kind.GEMM, v[1], v[3], 1, v[3], 1, v[2], 1, pattern, lineNo, ops)
                        : new Layer(layerName, Layer.Kind.CONV, v[1], v[2], v[3], v[4], v[5], v[6], v[7], pattern, lineNo,
                                ops);
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                String field = msg.substring(0, msg.indexOf(" = "));
                throw new TopologyException(source, lineNo, field, msg);
            }
            if (ops != null) {
                try {
                    PostOps.checkSizes(layer, ops);
                } catch (IllegalArgumentException e) {
                    throw new TopologyException(source, lineNo, POST_OPS, e.getMessage());
                }
            }
            layers.add(layer);
        }
        if (layers.isEmpty()) {
            throw new TopologyException(source, headerLine + 1, "row", "the topology has a header but no layers");
        }
        return new Topology(source, layers);
    }

    private static List<String> cells(String source, int lineNo, String raw, String what) {
        String t = raw.strip();
        if (!t.endsWith(",")) {
            throw new TopologyException(source, lineNo, "trailing comma", "the " + what
                    + " does not end with ','; SCALE-Sim topology lines end with a trailing comma");
        }
        String body = t.substring(0, t.length() - 1);
        List<String> out = new ArrayList<>();
        for (String s : body.split(",", -1)) {
            out.add(s.strip());
        }
        return out;
    }

    private static boolean sameNames(List<String> header, List<String> expected) {
        for (int i = 0; i < expected.size(); i++) {
            if (!header.get(i).toLowerCase(Locale.ROOT).equals(expected.get(i).toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static int number(String source, int lineNo, String field, String text) {
        String allowed = "allowed 1 .. " + Layer.MAX_DIMENSION;
        if (text.isEmpty()) {
            throw new TopologyException(source, lineNo, field, "is empty; " + allowed);
        }
        if (!text.matches("[+-]?[0-9]+")) {
            throw new TopologyException(source, lineNo, field, "'" + text + "' is not a whole number; " + allowed);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new TopologyException(source, lineNo, field, text + " is out of range; " + allowed);
        }
        if (value <= 0 || value > Layer.MAX_DIMENSION) {
            throw new TopologyException(source, lineNo, field, value + " is out of range; " + allowed);
        }
        return (int) value;
    }
}
