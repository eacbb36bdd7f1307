package dev.sieve.cosim;

import com.sun.jna.Pointer;
import java.util.function.Consumer;

/**
 * Owns one native object: {@link #run} frees it once (by {@code close} or, for an instance dropped unclosed, by a
 * {@link java.lang.ref.Cleaner}); {@link #ptr} is null afterwards.
 */
final class NativeHandle implements Runnable {
    private final Consumer<Pointer> destroy;
    Pointer ptr;

    NativeHandle(Consumer<Pointer> destroy, Pointer ptr) {
        this.destroy = destroy;
        this.ptr = ptr;
    }

    @Override
    public void run() {
        if (ptr != null) {
            destroy.accept(ptr);
            ptr = null;
        }
    }
}
