package dev.sieve.sim.sweep;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The Pareto front of finished points: none other is at least as good in both cycles and the family's cost and better in one. */
public final class Pareto {
    private Pareto() {
    }

    /** Indices of the rows on the front (both objectives minimized), per workload. */
    public static Set<Integer> front(List<SweepRunner.Row> rows) {
        Set<Integer> out = new HashSet<>();
        for (SweepRunner.Row a : rows) {
            boolean dominated = false;
            for (SweepRunner.Row b : rows) {
                if (b != a && b.workload().equals(a.workload()) && b.cycles() <= a.cycles() && b.cost() <= a.cost()
                        && (b.cycles() < a.cycles() || b.cost() < a.cost())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(a.index());
            }
        }
        return out;
    }
}
