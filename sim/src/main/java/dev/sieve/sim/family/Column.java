package dev.sieve.sim.family;

import java.util.List;

/**
 * A column of a family's result table. Its name is the CSV header and carries its unit as the
 * project's reports do ({@code cycles}, {@code dram_bytes}, {@code energy_pJ}, {@code time_us},
 * {@code speedup_vs_dense} in x); {@code unit} states it once more for plots and documentation:
 * {@code cycles}, {@code bytes}, {@code pJ}, {@code us}, {@code x} (a ratio), {@code %}, {@code count},
 * or empty for a label.
 */
public record Column(String name, String unit) {

    public Column {
        if (name == null || !name.matches("[a-z][a-z0-9_]*(_pJ)?")) {
            throw new IllegalArgumentException("column name '" + name + "' is not snake_case");
        }
        if (unit == null) {
            throw new IllegalArgumentException("column " + name + ": unit is null; use \"\" for a label");
        }
    }

    /** A label column (no unit). */
    public static Column label(String name) {
        return new Column(name, "");
    }

    /** The CSV headers of {@code columns}. */
    public static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
