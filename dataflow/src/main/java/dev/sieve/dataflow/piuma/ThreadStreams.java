package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import java.util.function.IntFunction;

/**
 * What the PIUMA cycle model runs: one operation stream per hardware thread of a machine. An
 * SpGEMM run ({@link SpgemmRun}) is one; a test writes its streams by hand ({@link #of}).
 */
public interface ThreadStreams {

    /**
     * The machine the streams were written for: {@code threads()} streams, thread {@code t} on core
     * {@code t / threadsPerCore()}.
     */
    PiumaConfig config();

    /** The operation stream of hardware thread {@code t} (the same object on every call). */
    ThreadProgram program(int t);

    /**
     * True when the streams of different cores share nothing (every operation addresses the
     * thread's own core, the only meeting point is a chip barrier): the model may then simulate
     * them core by core, on several host threads, with the same result.
     */
    default boolean coreLocal() {
        return false;
    }

    /** Hand-written streams: thread {@code t} issues {@code ops.apply(t)} (asked once per thread) and ends. */
    static ThreadStreams of(PiumaConfig machine, IntFunction<long[]> ops) {
        ThreadProgram[] programs = new ThreadProgram[machine.threads()];
        return new ThreadStreams() {
            @Override
            public PiumaConfig config() {
                return machine;
            }

            @Override
            public ThreadProgram program(int t) {
                if (programs[t] == null) {
                    programs[t] = ThreadProgram.of(ops.apply(t));
                }
                return programs[t];
            }
        };
    }
}
