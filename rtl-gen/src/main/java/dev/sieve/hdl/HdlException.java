package dev.sieve.hdl;

/** A design error found while building or checking hardware: bad widths, drivers, loops, latches. */
public class HdlException extends RuntimeException {
    public HdlException(String message) {
        super(message);
    }
}
