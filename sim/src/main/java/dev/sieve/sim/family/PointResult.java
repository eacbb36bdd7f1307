package dev.sieve.sim.family;

import java.util.List;

/**
 * One evaluated design point on one workload: its row (values in the order of
 * {@link AcceleratorFamily#pointColumns()}), its per-item rows (per layer, per core ...; in the
 * order of {@link AcceleratorFamily#itemColumns()}), and the two objectives a Pareto front
 * minimizes, unrounded: cycles, and the family's cost ({@link AcceleratorFamily#pareto()}).
 * Values are numbers or text; reports format numbers with {@link dev.sieve.io.ReportWriter#format(Object)}.
 */
public record PointResult(List<?> row, List<List<?>> items, double cycles, double cost) {

    public PointResult {
        row = List.copyOf(row);
        items = items.stream().<List<?>>map(List::copyOf).toList();
    }
}
