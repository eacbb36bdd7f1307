package dev.sieve.sim.sweep;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Where the points of a sweep are evaluated: in this process ({@link InProcessEngine}, the default)
 * or on the executors of an Apache Spark cluster. An engine takes the pairs still to do lazily, one
 * at a time, keeps only a bounded number in flight, and hands back each one's saved form
 * ({@link PointStore#text}) as it finishes; the runner saves it, so every engine leaves the same
 * files.
 */
public interface PointEngine {

    /**
     * Evaluates every task of {@code tasks} and calls {@code done} with each task and its saved text
     * (from any thread, one call at a time); stops taking new tasks once {@code stopping} is set, and
     * returns when the tasks taken are finished. {@code local} evaluates a task in this process;
     * {@code job} says the same for another process (it is serializable).
     */
    void run(Evaluator local, SweepJob job, Iterator<PointTask> tasks, BiConsumer<PointTask, String> done,
             AtomicBoolean stopping);

    /** A short name for messages ({@code in-process}, {@code spark local[2]}). */
    String describe();

    /** Evaluates one task into its saved text. */
    @FunctionalInterface
    interface Evaluator {
        String evaluate(PointTask task);
    }
}
