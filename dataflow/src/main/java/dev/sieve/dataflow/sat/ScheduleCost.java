package dev.sieve.dataflow.sat;

/** A cost model the scheduler asks: the simulator's timing of a schedule. */
@FunctionalInterface
public interface ScheduleCost {

    /** Cycles and DRAM bytes of one schedule. */
    record Cost(long cycles, long dramBytes) implements Comparable<Cost> {
        @Override
        public int compareTo(Cost o) {
            int c = Long.compare(cycles, o.cycles);
            return c != 0 ? c : Long.compare(dramBytes, o.dramBytes);
        }
    }

    Cost of(Schedule s);

    /**
     * Cycles {@code s} takes at least (for pruning; must never exceed {@code of(s).cycles()}). The
     * default, 0, prunes nothing.
     */
    default long lowerBound(Schedule s) {
        return 0;
    }
}
