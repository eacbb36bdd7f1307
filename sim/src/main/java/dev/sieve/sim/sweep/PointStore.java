package dev.sieve.sim.sweep;

import dev.sieve.io.AtomicFiles;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.family.PointResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The finished points of a sweep under {@code DIR/.points/}: one file per (point, workload), named
 * by its {@linkplain #key content key}, so a file is reused only for exactly the inputs that made it.
 * A saved point is a small CSV (its columns, one {@code point} row, one {@code item} row per item)
 * closed by a line {@code end,SHA256} over every byte before it: a file cut short, edited or
 * damaged on disk fails that check and is computed again, never read as a result.
 */
public final class PointStore {

    /** The folder of saved points inside a sweep's output folder. */
    public static final String FOLDER = ".points";

    private static final String TRAILER = "end,";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    /** {@link AtomicFiles}' temporary siblings: {@code .NAME.PID-THREAD.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..*\\.([0-9]+)-[0-9]+\\.tmp");

    private final Path dir;

    public PointStore(Path sweepDir) {
        this.dir = sweepDir.resolve(FOLDER);
    }

    public Path dir() {
        return dir;
    }

    /** Where the point with {@code key} is saved. */
    public Path file(String key) {
        return dir.resolve(key + ".csv");
    }

    /**
     * The content key of one (point, workload): a SHA-256 over everything its result depends on —
     * Sieve's version, the family and the objective saved, the saved columns (they change when a
     * family's results change shape), the workload's name in reports and its content (the bytes of
     * its file, or the built-in's text), and every parameter's value. 24 hex digits (96 bits).
     */
    public static String key(String version, String family, String objective, List<String> columns,
                             String workloadLabel, String workloadContent, Map<String, String> params) {
        StringBuilder s = new StringBuilder(256);
        s.append("sieve=").append(version).append('\n').append("family=").append(family).append('\n')
                .append("objective=").append(objective).append('\n').append("columns=")
                .append(String.join(",", columns)).append('\n').append("workload=").append(workloadLabel).append('\n')
                .append("content=").append(workloadContent).append('\n');
        params.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return sha256(s.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }

    /** The content of a workload file as a hash ({@code sha256:HEX}), or of a built-in workload ({@code builtin:TEXT}). */
    public static String content(Path file, String builtInText) {
        if (file == null) {
            return "builtin:" + builtInText;
        }
        try {
            return "sha256:" + sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workload " + file, e);
        }
    }

    /**
     * The saved form of a result: the columns {@code columns}, a {@code point} row (workload, the
     * parameters, the objectives unrounded so a resumed front is the same, the point's cells) and one
     * {@code item} row per item, then the check line. The same bytes wherever it is made (in this
     * process or on a Spark executor).
     */
    public static String text(List<String> columns, String workload, Map<String, String> params, PointResult r,
                              String objective, int nPoint, int nItem) {
        if (r.row().size() != nPoint || r.items().stream().anyMatch(i -> i.size() != nItem)) {
            throw new IllegalStateException("a result row does not match its columns (" + nPoint + " point columns, "
                    + nItem + " item columns)");
        }
        StringBuilder out = new StringBuilder(1024);
        try (CSVPrinter p = new CSVPrinter(out, FORMAT)) {
            p.printRecord(columns);
            int fixed = 2 + params.size() + 2;
            List<String> point = new ArrayList<>(columns.size());
            point.add("point");
            point.add(workload);
            point.addAll(params.values());
            point.add(Double.toString(r.cycles()));
            point.add(Double.toString(r.cost(objective)));
            r.row().forEach(v -> point.add(ReportWriter.format(v)));
            point.addAll(Collections.nCopies(nItem, ""));
            p.printRecord(point);
            for (List<?> item : r.items()) {
                List<String> cells = new ArrayList<>(Collections.nCopies(fixed + nPoint, ""));
                cells.set(0, "item");
                item.forEach(v -> cells.add(ReportWriter.format(v)));
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        String digest = sha256(out.toString().getBytes(StandardCharsets.UTF_8));
        out.append(TRAILER).append(digest).append('\n');
        return out.toString();
    }

    /** A saved point as read back. */
    public record Saved(String workload, Map<String, String> params, List<String> metrics, List<List<String>> items,
                        double cycles, double cost) {
    }

    /** Saves {@code text} for {@code key}, atomically. */
    public void save(String key, String text) {
        AtomicFiles.writeString(file(key), text);
    }

    /**
     * The point saved under {@code key}: null when there is none, or when its file is damaged or was
     * saved with other columns (then the file is removed, so the point is computed again).
     */
    public Saved read(String key, List<String> columns, List<String> paramNames, int nPoint) {
        Path f = file(key);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UncheckedIOException e) {
            return discard(f); // unreadable (for example not UTF-8)
        }
        Saved s = parse(text, columns, paramNames, nPoint);
        return s != null ? s : discard(f);
    }

    private static Saved discard(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the damaged saved point " + f, e);
        }
        return null;
    }

    /** {@code text} as a saved point, or null when its check line fails or its columns differ. */
    static Saved parse(String text, List<String> columns, List<String> paramNames, int nPoint) {
        int end = text.lastIndexOf('\n', text.length() - 2);
        if (!text.endsWith("\n") || end < 0 || !text.startsWith(TRAILER, end + 1)) {
            return null;
        }
        String body = text.substring(0, end + 1);
        String digest = text.substring(end + 1 + TRAILER.length(), text.length() - 1);
        if (!digest.equals(sha256(body.getBytes(StandardCharsets.UTF_8)))) {
            return null;
        }
        try (CSVParser p = CSVParser.parse(new StringReader(body), FORMAT)) {
            List<CSVRecord> recs = p.getRecords();
            if (recs.size() < 2 || !recs.get(0).toList().equals(columns) || !recs.get(1).get(0).equals("point")) {
                return null;
            }
            List<String> head = recs.get(1).toList();
            if (head.size() != columns.size()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < paramNames.size(); i++) {
                params.put(paramNames.get(i), head.get(2 + i));
            }
            int obj = 2 + paramNames.size();
            int firstPoint = obj + 2;
            int firstItem = firstPoint + nPoint;
            List<List<String>> items = new ArrayList<>();
            for (int i = 2; i < recs.size(); i++) {
                List<String> cells = recs.get(i).toList();
                if (cells.size() != columns.size() || !cells.get(0).equals("item")) {
                    return null;
                }
                items.add(List.copyOf(cells.subList(firstItem, cells.size())));
            }
            return new Saved(head.get(1), params, List.copyOf(head.subList(firstPoint, firstItem)), items,
                    Double.parseDouble(head.get(obj)), Double.parseDouble(head.get(obj + 1)));
        } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * Removes the temporary files that writers of this folder left when their process died (a
     * temporary file of a process still alive is left alone); returns how many.
     */
    public int cleanTemporaries() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : s) {
                Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (Files.deleteIfExists(f)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return n;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
