package dev.sieve.dataflow.sat;

import dev.sieve.arch.SatConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline scheduling (SAT): before a run, pick per layer and pass the mapping with the fewest cycles
 * (then the fewest DRAM bytes) under the buffer sizes. The search space per pass:
 * <ul>
 * <li>orientation: which operand is stationary (dense passes only; the weight gradient can keep dY or X);</li>
 * <li>row segments S = 1, 2, 4, .. up to {@link SatConfig#rowSegments()} (the interleave mapping);</li>
 * <li>loop order ({@link LoopOrder});</li>
 * <li>streamed chunk: all P vectors, or P/2, P/4, .. while the larger chunk does not fit the buffers.</li>
 * </ul>
 * Ties keep the earlier candidate in that order, so the choice is deterministic.
 */
public final class OfflineScheduler {

    private OfflineScheduler() {
    }

    /** A chosen schedule and its cost. */
    public record Choice(Schedule schedule, ScheduleCost.Cost cost) {
    }

    /** Every feasible candidate for {@code g} on {@code cfg}. */
    public static List<Schedule> candidates(PassGemm g, SatConfig cfg) {
        List<Schedule> out = new ArrayList<>();
        List<PassGemm> orientations = g.transposable() ? List.of(g, g.transposed()) : List.of(g);
        for (int o = 0; o < orientations.size(); o++) {
            PassGemm mapped = orientations.get(o);
            for (int seg = 1; seg <= cfg.rowSegments(); seg *= 2) {
                for (LoopOrder order : LoopOrder.values()) {
                    long chunk = mapped.vectors();
                    while (true) {
                        Schedule s = new Schedule(mapped, o == 1, cfg, seg, chunk, order);
                        if (Tiling.feasible(s)) {
                            out.add(s);
                            break;
                        }
                        if (chunk == 1) {
                            break;
                        }
                        chunk = (chunk + 1) / 2;
                    }
                }
            }
        }
        return out;
    }

    /** The cheapest feasible schedule of {@code g}; throws naming the pass when none fits the buffers. */
    public static Choice best(PassGemm g, SatConfig cfg, ScheduleCost cost) {
        Choice best = null;
        for (Schedule s : candidates(g, cfg)) {
            ScheduleCost.Cost c = cost.of(s);
            if (best == null || c.compareTo(best.cost()) < 0) {
                best = new Choice(s, c);
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(g.layer() + " " + g.pass().label()
                    + ": no tiling fits the buffers (ifmap " + cfg.ifmapKiB() + " KiB, ofmap " + cfg.ofmapKiB() + " KiB)");
        }
        return best;
    }
}
