package dev.sieve.arch;

/**
 * An inclusive range of whole numbers allowed for a field of a configuration record. The record
 * checks values with it and help texts print it, so each range is written once; both read
 * {@code min .. max}.
 */
public record Range(long min, long max) {

    public Range {
        if (min > max) {
            throw new IllegalArgumentException("range " + min + " .. " + max + " is empty");
        }
    }

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    /** Throws {@code "<field> = <value> is out of range; allowed <min> .. <max>"} when {@code value} is outside. */
    public void check(String field, long value) {
        if (!contains(value)) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed " + this);
        }
    }

    @Override
    public String toString() {
        return min + " .. " + max;
    }
}
