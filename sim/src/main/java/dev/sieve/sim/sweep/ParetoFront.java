package dev.sieve.sim.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Pareto front of a sweep, kept as points arrive (in any order): a point is on it when no other
 * point of the same workload is at least as good in both cycles and cost and better in one. Memory
 * grows with the front, not with the number of points: per workload the front is a staircase
 * (cycles up, cost strictly down) in a sorted map, and each new point costs a logarithmic look-up
 * plus the removal of the points it dominates. Equal points share a step. Thread-safe.
 */
public final class ParetoFront {

    /** One step of a staircase: its cost and the points that have exactly its cycles and cost. */
    private static final class Step {
        final double cost;
        final List<Long> points = new ArrayList<>(1);

        Step(double cost) {
            this.cost = cost;
        }
    }

    private final Map<String, TreeMap<Double, Step>> byWorkload = new HashMap<>();

    /** Offers point {@code index} of {@code workload} with its two objectives (both minimized). */
    public synchronized void add(long index, String workload, double cycles, double cost) {
        TreeMap<Double, Step> front = byWorkload.computeIfAbsent(workload, w -> new TreeMap<>());
        Map.Entry<Double, Step> floor = front.floorEntry(cycles);
        if (floor != null) {
            double c = floor.getValue().cost;
            if (c < cost || c == cost && floor.getKey() < cycles) {
                return; // dominated
            }
            if (c == cost) {
                floor.getValue().points.add(index); // equal in both: neither dominates
                return;
            }
        }
        // the new point dominates every step from its cycles on whose cost is not below its own
        Iterator<Map.Entry<Double, Step>> up = front.tailMap(cycles, true).entrySet().iterator();
        while (up.hasNext() && up.next().getValue().cost >= cost) {
            up.remove();
        }
        Step s = new Step(cost);
        s.points.add(index);
        front.put(cycles, s);
    }

    /** The points on the front, of every workload. */
    public synchronized Set<Long> points() {
        Set<Long> out = new HashSet<>();
        byWorkload.values().forEach(f -> f.values().forEach(s -> out.addAll(s.points)));
        return out;
    }
}
