package dev.sieve.dataflow.spatten;

import dev.sieve.io.InputFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A recorded SpAtten run: one {@link TraceRow} per (iteration, layer, head) that was computed
 * (pruned heads have no row). In a generation run (GPT-2, every trace SpAtten released) a row is
 * one query: the new token of one generation step against the keys and values kept so far, as the
 * release's test bench sends one request per row; iteration 0 is the first generated token over
 * the 992-token prompt, not the prompt's summarization, which the traces do not hold. In a
 * summarization run ({@code summarization}, BERT-style, synthesized from a workload) a row is one
 * (layer, head) whose kept tokens are all queries and all keys. Reads the CSV format of SpAtten's released workloads
 * ({@code iteration_id, layer_id, head_id, embedding_length_D, sentence_length_L, key_fetch_num,
 * quant_key_bit, quant_query_bit, auto_requant_thres, if_requant, auto_requant_incre,
 * value_fetch_num, quant_value_bit, ...}); a trailing row holding only the run's config path is
 * skipped. The file is UTF-8 (a byte-order mark is dropped), LF or CRLF, blank lines skipped, no
 * comment lines, fields quoted as RFC 4180 allows. Ids and sizes are limited ({@link #MAX_LAYERS},
 * {@link #MAX_HEADS}, {@link #MAX_ITERATIONS}, {@link #MAX_SEQUENCE}, {@link #MAX_HEAD_DIM}), bit
 * fields are -1 or 1 .. {@link #MAX_BITS}, and each (iteration, layer, head) appears once. Any other
 * problem is a {@link TraceFormatException} naming file, line and column.
 */
public record AttentionTrace(String name, List<TraceRow> rows, boolean summarization) {

    /** Columns the reader needs; others (importance flags, topk) are ignored. */
    public static final List<String> COLUMNS = List.of("iteration_id", "layer_id", "head_id", "embedding_length_D",
            "sentence_length_L", "key_fetch_num", "quant_key_bit", "quant_query_bit", "auto_requant_thres",
            "if_requant", "auto_requant_incre", "value_fetch_num", "quant_value_bit");

    public AttentionTrace {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("trace '" + name + "' has no rows");
        }
    }

    /** A generation trace: one query per row. */
    public AttentionTrace(String name, List<TraceRow> rows) {
        this(name, rows, false);
    }

    /** Query rows of {@code row}: 1 in a generation trace, its kept tokens ({@code tokens}) in a summarization. */
    public int queries(int tokens) {
        return summarization ? tokens : 1;
    }

    /** Layers: highest layer id + 1. */
    public int layers() {
        return rows.stream().mapToInt(TraceRow::layer).max().orElse(0) + 1;
    }

    /** Heads of the unpruned model: highest head id + 1. */
    public int heads() {
        return rows.stream().mapToInt(TraceRow::head).max().orElse(0) + 1;
    }

    public int iterations() {
        return rows.stream().mapToInt(TraceRow::iteration).max().orElse(0) + 1;
    }

    /** Rows grouped by iteration then layer, in order. */
    public Map<Integer, Map<Integer, List<TraceRow>>> byIterationAndLayer() {
        Map<Integer, Map<Integer, List<TraceRow>>> out = new TreeMap<>();
        for (TraceRow r : rows) {
            out.computeIfAbsent(r.iteration(), i -> new TreeMap<>()).computeIfAbsent(r.layer(), l -> new ArrayList<>())
                    .add(r);
        }
        return out;
    }

    /**
     * The rows SpAtten would record for {@code w} on {@code hw} under policy {@code c}'s cascade
     * schedule: layer l keeps {@link CascadePruning#tokensKept} keys and
     * {@link CascadePruning#headsKept} heads (the first ones), local V pruning keeps
     * {@link CascadePruning#valuesKept} rows of a generation query (a summarization, {@code w} with
     * no generated tokens, keeps every kept key's V row: SpAtten's BERT model has no local V
     * pruning), K is fetched as {@code msbBits} MSBs when progressive
     * quantization is on ({@link SpAttenPolicy#progressiveQuantization}), and a deterministic
     * {@code refetchRate} of the (iteration, layer, head) rows refetch the LSBs.
     */
    public static AttentionTrace synthesize(AttentionWorkload w, dev.sieve.arch.spatten.SpAttenConfig hw,
                                            SpAttenPolicy c, double refetchRate) {
        if (!(refetchRate >= 0 && refetchRate <= 1)) {
            throw new IllegalArgumentException("refetch_rate = " + refetchRate + " is out of range; allowed 0 .. 1");
        }
        c.requireFits(hw);
        List<TraceRow> rows = new ArrayList<>();
        boolean quant = c.progressiveQuantization(hw);
        boolean summarization = w.summarization();
        for (int it = 0; it < w.iterations(); it++) {
            int seq = w.sequenceLength(it);
            for (int l = 0; l < w.layers(); l++) {
                int keys = CascadePruning.tokensKept(c, l, w.layers(), seq);
                int heads = CascadePruning.headsKept(c, l, w.layers(), w.heads());
                int values = summarization ? keys : CascadePruning.valuesKept(c, keys);
                for (int h = 0; h < heads; h++) {
                    long mix = (it * 1_000_003L + l) * 1_000_033L + h;
                    boolean refetch = quant && new java.util.SplittableRandom(mix).nextDouble() < refetchRate;
                    rows.add(new TraceRow(it, l, h, w.headDim(), seq, keys, quant ? c.msbBits() : -1, -1,
                            quant ? c.requantThreshold() : -1, refetch, quant ? c.lsbBits() : -1, values, -1, 0));
                }
            }
        }
        return new AttentionTrace(w.name(), rows, summarization);
    }

    /** Largest layer and head id + 1 a trace may use (SpAtten's configs allow 1 .. 1024 heads). */
    public static final int MAX_LAYERS = 1024;
    public static final int MAX_HEADS = 1024;
    /** Largest generation step id + 1. */
    public static final int MAX_ITERATIONS = 1 << 20;
    /** Largest sequence length L (tokens) and head dimension D. */
    public static final int MAX_SEQUENCE = 1 << 20;
    public static final int MAX_HEAD_DIM = 1 << 16;
    /** Quantization bit fields: -1 (not quantized) or 1 .. this. */
    public static final int MAX_BITS = 32;
    /**
     * Most attention work a trace may describe, the sum over its rows of {@code L * L * D} (2^42,
     * about 4.4e12; the GPT-2 Medium trace has 7.6e11): it bounds every byte and cycle count the
     * model derives (times 1024 heads and 4 bytes per element) within a {@code long}.
     */
    public static final long MAX_WORK = 1L << 42;

    /** Reads {@code file}; see the class comment for the format and errors. */
    public static AttentionTrace read(Path file) {
        String text = InputFiles.readText(file);
        int open = unclosedQuoteLine(text);
        if (open > 0) {
            throw new TraceFormatException(file, open, "a quote opened on this line is never closed");
        }
        int[] lineStarts = lineStarts(text);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String c : COLUMNS) {
                if (header == null || !header.containsKey(c)) {
                    throw new TraceFormatException(file, 1, "missing column '" + c + "'");
                }
            }
            List<CSVRecord> records = parser.getRecords();
            List<TraceRow> rows = new ArrayList<>();
            Map<List<Integer>, Long> seen = new HashMap<>();
            long work = 0;
            for (int i = 0; i < records.size(); i++) {
                CSVRecord r = records.get(i);
                long line = lineOf(text, lineStarts, r.getCharacterPosition());
                if (i == records.size() - 1 && isConfigPathRow(r)) {
                    continue;
                }
                TraceRow row = parse(file, line, r, header);
                Long first = seen.putIfAbsent(List.of(row.iteration(), row.layer(), row.head()), line);
                if (first != null) {
                    throw new TraceFormatException(file, line, "row (iteration_id, layer_id, head_id) = ("
                            + row.iteration() + ", " + row.layer() + ", " + row.head() + ") is given twice (first on line "
                            + first + "); allowed: each head of each layer and step once");
                }
                work += (long) row.sequenceLength() * row.sequenceLength() * row.headDim();   // <= 2^56
                if (work > MAX_WORK) {
                    throw new TraceFormatException(file, line, "column 'sentence_length_L' = " + row.sequenceLength()
                            + " brings the trace's attention work (sum of L x L x D over its rows) to " + work
                            + "; allowed up to " + MAX_WORK);
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new TraceFormatException(file, 1, "no data rows");
            }
            return new AttentionTrace(file.getFileName().toString(), rows);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TraceFormatException(file, 0, "cannot read: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Commons CSV: a duplicate or malformed header
            throw new TraceFormatException(file, 1, "header: " + e.getMessage());
        }
    }

    /** The line a double quote opens and the file never closes, or 0. */
    private static int unclosedQuoteLine(String text) {
        boolean quoted = false;
        int line = 1;
        int openedOn = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                openedOn = line;
            } else if (c == '\n') {
                line++;
            }
        }
        return quoted ? openedOn : 0;
    }

    private static int[] lineStarts(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        int[] starts = new int[n];
        int k = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[k++] = i + 1;
            }
        }
        return starts;
    }

    /**
     * 1-based line of a record that starts at character {@code pos}: Commons CSV counts the blank
     * lines it skipped before a record as part of it, so they are skipped here too.
     */
    private static long lineOf(String text, int[] starts, long pos) {
        int p = (int) pos;
        while (p < text.length() && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) {
            p++;
        }
        int i = java.util.Arrays.binarySearch(starts, p);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private static boolean isConfigPathRow(CSVRecord r) {
        for (int i = 1; i < r.size(); i++) {
            if (!r.get(i).isEmpty()) {
                return false;
            }
        }
        return r.size() > 0 && !r.get(0).isEmpty() && !r.get(0).matches("-?[0-9.]+");
    }

    private static TraceRow parse(Path file, long line, CSVRecord r, Map<String, Integer> header) {
        Field f = new Field(file, line, r, header);
        int iteration = f.integer("iteration_id", 0, MAX_ITERATIONS - 1);
        int layer = f.integer("layer_id", 0, MAX_LAYERS - 1);
        int head = f.integer("head_id", 0, MAX_HEADS - 1);
        int headDim = f.integer("embedding_length_D", 1, MAX_HEAD_DIM);
        int seq = f.integer("sentence_length_L", 1, MAX_SEQUENCE);
        int keys = f.integer("key_fetch_num", 1, MAX_SEQUENCE);
        int keyBits = f.bits("quant_key_bit");
        int queryBits = f.bits("quant_query_bit");
        double tau = f.real("auto_requant_thres");
        boolean requant = f.bool("if_requant");
        int requantBits = f.bits("auto_requant_incre");
        int values = f.integer("value_fetch_num", 1, MAX_SEQUENCE);
        int valueBits = f.bits("quant_value_bit");
        if (keys > seq) {
            throw new TraceFormatException(file, line, "column 'key_fetch_num' = " + keys
                    + " is more than sentence_length_L = " + seq + " (top-k with k > n)");
        }
        if (values > keys) {
            throw new TraceFormatException(file, line, "column 'value_fetch_num' = " + values
                    + " is more than key_fetch_num = " + keys + " (top-k with k > n)");
        }
        return new TraceRow(iteration, layer, head, headDim, seq, keys, keyBits, queryBits, tau, requant, requantBits,
                values, valueBits, (int) line);
    }

    /** Typed access to the fields of one record with file/line/column errors. */
    private record Field(Path file, long line, CSVRecord r, Map<String, Integer> header) {
        String raw(String column) {
            int i = header.get(column);
            if (i >= r.size() || r.get(i).isEmpty()) {
                throw new TraceFormatException(file, line, "column '" + column + "' is missing");
            }
            return r.get(i);
        }

        int integer(String column, int min, int max) {
            String s = raw(column);
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + s
                        + "' is not a number; allowed " + min + " .. " + max);
            }
            if (v != Math.rint(v) || v < min || v > max) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + s
                        + "' is out of range; allowed a whole number " + min + " .. " + max);
            }
            return (int) v;
        }

        /** A quantization bit count: -1 (not quantized) or 1 .. {@link #MAX_BITS}. */
        int bits(String column) {
            int v = integer(column, -1, MAX_BITS);
            if (v == 0) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + raw(column)
                        + "' is out of range; allowed -1 (not quantized) or 1 .. " + MAX_BITS);
            }
            return v;
        }

        double real(String column) {
            String s = raw(column);
            try {
                double v = Double.parseDouble(s);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + s + "' is not a number");
            }
        }

        boolean bool(String column) {
            String s = raw(column);
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw new TraceFormatException(file, line, "column '" + column + "' = '" + s + "' is not True or False");
        }
    }
}
