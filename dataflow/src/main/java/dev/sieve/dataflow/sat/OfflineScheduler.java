package dev.sieve.dataflow.sat;

import dev.sieve.arch.sat.SatConfig;
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
 * Ties keep the earlier candidate in that order, so the choice is deterministic. Candidates whose
 * lower bound ({@link ScheduleCost#lowerBound}) exceeds the best cost found are not walked, nor are
 * candidates of more than {@link #MAX_WALKED_TILES} tiles (walking costs time per tile); a pass
 * all of whose candidates are that large is refused with a message naming it.
 */
public final class OfflineScheduler {

    /**
     * Most segment tiles the cost model walks for one candidate (2^24, about 17 M): at roughly a
     * microsecond per tile on a loaded machine, one pass stays well under a minute.
     */
    public static final long MAX_WALKED_TILES = 1L << 24;

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
        List<Schedule> all = candidates(g, cfg);
        long[] bound = new long[all.size()];
        Integer[] order = new Integer[all.size()];
        for (int i = 0; i < all.size(); i++) {
            bound[i] = cost.lowerBound(all.get(i));
            order[i] = i;
        }
        // cheapest bound first, so that most candidates are pruned without being walked
        java.util.Arrays.sort(order, (a, b) -> bound[a] != bound[b] ? Long.compare(bound[a], bound[b]) : Integer.compare(a, b));
        Choice best = null;
        int bestIndex = -1;
        long fewestTiles = Long.MAX_VALUE;
        for (int i : order) {
            if (best != null && bound[i] > best.cost().cycles()) {
                break;
            }
            Schedule s = all.get(i);
            // in double: the exact product of three counts may pass a long
            double tilesExact = (double) s.kTiles() * s.colTiles() * s.chunks();
            long tiles = tilesExact >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) tilesExact;
            fewestTiles = Math.min(fewestTiles, tiles);
            if (tilesExact > MAX_WALKED_TILES) {
                continue;
            }
            ScheduleCost.Cost c = cost.of(all.get(i));
            int cmp = best == null ? -1 : c.compareTo(best.cost());
            if (cmp < 0 || (cmp == 0 && i < bestIndex)) {
                best = new Choice(all.get(i), c);
                bestIndex = i;
            }
        }
        if (best == null && fewestTiles != Long.MAX_VALUE) {
            throw new IllegalArgumentException(g.layer() + " " + g.pass().label() + ": the cheapest mapping has "
                    + fewestTiles + " array tiles; allowed up to " + MAX_WALKED_TILES
                    + " per pass (use a larger array or buffers, a smaller batch or smaller layer)");
        }
        if (best == null) {
            throw new IllegalArgumentException(g.layer() + " " + g.pass().label()
                    + ": no tiling fits the buffers (ifmap " + cfg.ifmapKiB() + " KiB, ofmap " + cfg.ofmapKiB() + " KiB)");
        }
        return best;
    }
}
