package dev.sieve.cosim;

/** Thrown by {@link Lockstep#check()} when RTL and Java model disagree. */
public final class CosimMismatchException extends AssertionError {
    private final transient Mismatch mismatch;

    public CosimMismatchException(String top, Mismatch mismatch) {
        super(top + ": RTL and Java model differ at " + mismatch.describe());
        this.mismatch = mismatch;
    }

    public Mismatch mismatch() {
        return mismatch;
    }
}
