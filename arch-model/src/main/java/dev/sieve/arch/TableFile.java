package dev.sieve.arch;

import dev.sieve.io.InputException;
import dev.sieve.io.InputFiles;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The override file of the cost tables ({@link EnergyTable}, {@link AreaTable}): one
 * {@code key = value} per line, the value a finite number &gt;= 0 in the table's unit, blank lines
 * and {@code #} comments ignored, each key at most once. An error is an {@link InputException}
 * naming the file, the line and the key.
 */
final class TableFile {
    private TableFile() {
    }

    /**
     * The entries {@code file} names. {@code option} is the command-line option (for a missing file),
     * {@code byKey} finds an entry by key (null: unknown), {@code keys} lists the allowed keys and
     * {@code unit} is the value's unit as error messages print it.
     */
    static <E extends Enum<E>> Map<E, Double> read(Path file, String option, Class<E> type, Function<String, E> byKey,
                                                  String keys, String unit) {
        InputFiles.requireReadable(file, option);
        List<String> lines = InputFiles.readLines(file);
        EnumMap<E, Double> m = new EnumMap<>(type);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new InputException(file, i + 1, null, "expected 'key = value'; allowed keys: " + keys);
            }
            String key = text.substring(0, eq).trim();
            String value = text.substring(eq + 1).trim();
            E e = byKey.apply(key);
            if (e == null) {
                throw new InputException(file, i + 1, key.isEmpty() ? "key" : key, "unknown key; allowed: " + keys);
            }
            if (m.containsKey(e)) {
                throw new InputException(file, i + 1, key, "is given twice");
            }
            double v;
            try {
                v = Double.parseDouble(value);
            } catch (NumberFormatException ex) {
                v = Double.NaN;
            }
            if (!value.matches("[0-9.eE+-]+") || !Double.isFinite(v) || v < 0) {
                throw new InputException(file, i + 1, key, "value '" + value
                        + "' is not allowed; allowed a finite number >= 0 (" + unit + ")");
            }
            m.put(e, v);
        }
        return m;
    }
}
