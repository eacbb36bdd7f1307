package dev.sieve.dataflow.piuma;



/**
 * Runs every thread program of a run to its end without timing, honouring barriers (a thread
 * waits until every live thread of the barrier's scope has arrived), to get the product and the
 * operation counts quickly. The cycle model in {@code sim} does the same with time.
 */
public final class Untimed {
    private Untimed() {
    }

    /** Operation counts of an untimed run, by {@link Op} kind. */
    public record Counts(long[] byKind, long total) {
    }

    public static Counts run(ThreadStreams run) {
        int threads = run.config().threads();
        int perCore = run.config().threadsPerCore();
        int cores = run.config().cores();
        int[] waiting = new int[threads];
        java.util.Arrays.fill(waiting, -1);
        boolean[] done = new boolean[threads];
        int[] live = new int[cores + 1];
        int[] arrived = new int[cores + 1];
        for (int c = 0; c < cores; c++) {
            live[c] = perCore;
        }
        live[cores] = threads;
        long[] byKind = new long[Op.KINDS];
        long total = 0;
        int finished = 0;
        while (finished < threads) {
            boolean progress = false;
            for (int t = 0; t < threads; t++) {
                if (done[t] || waiting[t] >= 0) {
                    continue;
                }
                ThreadProgram p = run.program(t);
                while (true) {
                    long op = p.next();
                    if (op == Op.END) {
                        done[t] = true;
                        finished++;
                        live[t / perCore]--;
                        live[cores]--;
                        progress = true;
                        break;
                    }
                    byKind[Op.kind(op)]++;
                    total++;
                    progress = true;
                    if (Op.kind(op) == Op.BARRIER) {
                        int scope = Op.core(op) == Op.CHIP ? cores : Op.core(op);
                        waiting[t] = scope;
                        arrived[scope]++;
                        break;
                    }
                }
            }
            for (int s = 0; s <= cores; s++) {
                if (arrived[s] > 0 && arrived[s] >= live[s]) {
                    for (int t = 0; t < threads; t++) {
                        if (waiting[t] == s) {
                            waiting[t] = -1;
                        }
                    }
                    arrived[s] = 0;
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("threads wait at barriers that can never complete");
            }
        }
        return new Counts(byKind, total);
    }
}
