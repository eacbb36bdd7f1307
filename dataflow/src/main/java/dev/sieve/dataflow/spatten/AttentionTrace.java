package dev.sieve.dataflow.spatten;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A recorded SpAtten run: one {@link TraceRow} per (iteration, layer, head) that was computed
 * (pruned heads have no row). Reads the CSV format of SpAtten's released workloads
 * ({@code iteration_id, layer_id, head_id, embedding_length_D, sentence_length_L, key_fetch_num,
 * quant_key_bit, quant_query_bit, auto_requant_thres, if_requant, auto_requant_incre,
 * value_fetch_num, quant_value_bit, ...}); a trailing row holding only the run's config path is
 * skipped. Any other problem is a {@link TraceFormatException} naming file, line and column.
 */
public record AttentionTrace(String name, List<TraceRow> rows) {

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
     * The rows SpAtten would record for {@code w} under {@code c}'s cascade schedule: layer l keeps
     * {@link CascadePruning#tokensKept} keys and {@link CascadePruning#headsKept} heads (the first
     * ones), local V pruning keeps {@link CascadePruning#valuesKept} rows, K is fetched as
     * {@code msbBits} MSBs when progressive quantization is on, and a deterministic
     * {@code refetchRate} of the (iteration, layer, head) rows refetch the LSBs.
     */
    public static AttentionTrace synthesize(AttentionWorkload w, dev.sieve.arch.spatten.SpAttenConfig c, double refetchRate) {
        if (!(refetchRate >= 0 && refetchRate <= 1)) {
            throw new IllegalArgumentException("refetch_rate = " + refetchRate + " is out of range; allowed 0 .. 1");
        }
        List<TraceRow> rows = new ArrayList<>();
        boolean quant = c.progressiveQuantization();
        for (int it = 0; it < w.iterations(); it++) {
            int seq = w.sequenceLength(it);
            for (int l = 0; l < w.layers(); l++) {
                int keys = CascadePruning.tokensKept(c, l, w.layers(), seq);
                int heads = CascadePruning.headsKept(c, l, w.layers(), w.heads());
                int values = CascadePruning.valuesKept(c, keys);
                for (int h = 0; h < heads; h++) {
                    long mix = (it * 1_000_003L + l) * 1_000_033L + h;
                    boolean refetch = quant && new java.util.SplittableRandom(mix).nextDouble() < refetchRate;
                    rows.add(new TraceRow(it, l, h, w.headDim(), seq, keys, quant ? c.msbBits() : -1, -1,
                            quant ? c.requantThreshold() : -1, refetch, quant ? c.lsbBits() : -1, values, -1, 0));
                }
            }
        }
        return new AttentionTrace(w.name(), rows);
    }

    /** Reads {@code file}; see the class comment for the format and errors. */
    public static AttentionTrace read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TraceFormatException(file, 0, "no such trace file");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true).setTrim(true).get();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String c : COLUMNS) {
                if (header == null || !header.containsKey(c)) {
                    throw new TraceFormatException(file, 1, "missing column '" + c + "'");
                }
            }
            List<CSVRecord> records = parser.getRecords();
            List<TraceRow> rows = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                CSVRecord r = records.get(i);
                long line = r.getRecordNumber() + 1;
                if (i == records.size() - 1 && isConfigPathRow(r)) {
                    continue;
                }
                rows.add(parse(file, line, r, header));
            }
            if (rows.isEmpty()) {
                throw new TraceFormatException(file, 1, "no data rows");
            }
            return new AttentionTrace(file.getFileName().toString(), rows);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TraceFormatException(file, 0, "cannot read: " + e.getMessage());
        }
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
        int iteration = f.integer("iteration_id", 0);
        int layer = f.integer("layer_id", 0);
        int head = f.integer("head_id", 0);
        int headDim = f.integer("embedding_length_D", 1);
        int seq = f.integer("sentence_length_L", 1);
        int keys = f.integer("key_fetch_num", 1);
        int keyBits = f.integer("quant_key_bit", -1);
        int queryBits = f.integer("quant_query_bit", -1);
        double tau = f.real("auto_requant_thres");
        boolean requant = f.bool("if_requant");
        int requantBits = f.integer("auto_requant_incre", -1);
        int values = f.integer("value_fetch_num", 1);
        int valueBits = f.integer("quant_value_bit", -1);
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

        int integer(String column, int min) {
            String s = raw(column);
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + s + "' is not a number");
            }
            if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
                throw new TraceFormatException(file, line, "column '" + column + "' = '" + s
                        + "' is not a whole number >= " + min);
            }
            return (int) v;
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
