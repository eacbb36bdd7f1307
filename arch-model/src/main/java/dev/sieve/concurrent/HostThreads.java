package dev.sieve.concurrent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The host-side thread pools of Sieve's tools: daemon threads (they never keep the JVM alive) and one way to wait. */
public final class HostThreads {
    private HostThreads() {
    }

    /** A fixed pool of {@code threads} daemon threads named {@code name}. */
    public static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The result of {@code f}; a task's unchecked exception or error is rethrown as it is, anything
     * else wrapped in an {@link IllegalStateException}.
     */
    public static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a host thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
