package dev.sieve.sim.sweep;

import dev.sieve.concurrent.HostThreads;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The default engine: a pool of host threads in this process. At most a few tasks per thread are
 * queued at a time, so a sweep of any size holds a bounded number of points in memory.
 */
public final class InProcessEngine implements PointEngine {
    private final int threads;

    public InProcessEngine(int threads) {
        this.threads = Math.max(1, threads);
    }

    @Override
    public String describe() {
        return "in-process, " + threads + " threads";
    }

    @Override
    public void run(Evaluator local, SweepJob job, Iterator<PointTask> tasks, BiConsumer<PointTask, String> done,
                    AtomicBoolean stopping) {
        ExecutorService pool = HostThreads.pool(threads, "sweep-worker");
        Semaphore inFlight = new Semaphore(4 * threads);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try {
            while (!stopping.get() && failure.get() == null && tasks.hasNext()) {
                inFlight.acquire();
                PointTask t = tasks.next();
                pool.execute(() -> {
                    try {
                        if (!stopping.get() && failure.get() == null) {
                            String text = local.evaluate(t);
                            synchronized (done) {
                                done.accept(t, text);
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e instanceof RuntimeException re ? re : new IllegalStateException(e));
                    } finally {
                        inFlight.release();
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                // the points in flight finish; their results are kept
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
