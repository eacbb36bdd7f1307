package dev.sieve.sim.piuma;

import java.util.Arrays;

/**
 * A {@link PipelineQueue} for a whole chip's pipelines: the items in groups of consecutive indices
 * (a core's pipelines), the due cycle of each item and, per group, its earliest item. A pop scans
 * the groups' earliest (one or two host cache lines for eight cores) and then that one group; a
 * schedule that does not move a group's earliest item touches nothing else. Same order as every
 * queue of the model: earliest cycle first, lower index first within a cycle (groups are
 * contiguous, so the lower group holds the lower index).
 */
final class GroupScanQueue extends PipelineQueue {
    /** Most groups a group scan holds; more go to a {@link CalendarQueue}. */
    static final int MAX_GROUPS = 64;
    private static final long IDLE = Long.MAX_VALUE;
    private final int group;
    private final long[] due;
    /** Per group: the due cycle of its earliest item (IDLE when none), and that item. */
    private final long[] groupDue;
    private final int[] groupItem;

    GroupScanQueue(int items, int group) {
        if (group < 1 || items < 1 || items % group != 0 || items / group > MAX_GROUPS
                || group > ScanQueue.MAX_ITEMS) {
            throw new IllegalArgumentException(items + " items in groups of " + group + "; allowed groups of 1 .. "
                    + ScanQueue.MAX_ITEMS + ", 1 .. " + MAX_GROUPS + " of them");
        }
        this.group = group;
        this.due = new long[items];
        this.groupDue = new long[items / group];
        this.groupItem = new int[items / group];
        Arrays.fill(due, IDLE);
        Arrays.fill(groupDue, IDLE);
    }

    @Override
    void set(int item, long time) {
        requireNotPast(time);
        due[item] = time;
        int g = item / group;
        long best = groupDue[g];
        if (time < best || time == best && item < groupItem[g]) {
            groupDue[g] = time;
            groupItem[g] = item;
        } else if (item == groupItem[g] && best != IDLE) {
            // the group's earliest item moved later: another may be earlier now
            rescan(g);
        }
    }

    @Override
    void cancel(int item) {
        due[item] = IDLE;
        int g = item / group;
        if (item == groupItem[g] && groupDue[g] != IDLE) {
            rescan(g);
        }
    }

    @Override
    int pop() {
        long[] gd = groupDue;
        long best = gd[0];
        int at = 0;
        for (int g = 1; g < gd.length; g++) {
            long x = gd[g];
            if (x < best) {
                best = x;
                at = g;
            }
        }
        if (best == IDLE) {
            return -1;
        }
        int item = groupItem[at];
        due[item] = IDLE;
        rescan(at);
        now = best;
        return item;
    }

    /** Finds group {@code g}'s earliest item (the lowest index among equals). */
    private void rescan(int g) {
        int from = g * group;
        long best = due[from];
        int at = from;
        for (int i = from + 1; i < from + group; i++) {
            long x = due[i];
            if (x < best) {
                best = x;
                at = i;
            }
        }
        groupDue[g] = best;
        groupItem[g] = at;
    }
}
