package dev.sieve.sim.family;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluated design point on one workload: its row (values in the order of
 * {@link AcceleratorFamily#pointColumns()}), its per-item rows (per layer, per core ...; in the
 * order of {@link AcceleratorFamily#itemColumns()}), and the objectives a Pareto front minimizes,
 * unrounded: cycles, the family's default cost ({@link AcceleratorFamily#pareto()}), and the named
 * costs a spec may choose instead ({@code objective: energy}; the names of
 * {@link AcceleratorFamily#objectives()}). Values are numbers or text; reports format numbers with
 * {@link dev.sieve.io.ReportWriter#format(Object)}.
 */
public record PointResult(List<?> row, List<List<?>> items, double cycles, double cost, Map<String, Double> costs) {

    public PointResult {
        row = List.copyOf(row);
        items = items.stream().<List<?>>map(List::copyOf).toList();
        costs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(costs));
    }

    /** The cost named {@code objective}, or the default cost when it is null. */
    public double cost(String objective) {
        if (objective == null) {
            return cost;
        }
        Double c = costs.get(objective);
        if (c == null) {
            throw new IllegalStateException("the result has no cost named '" + objective + "'; it has "
                    + costs.keySet());
        }
        return c;
    }
}
