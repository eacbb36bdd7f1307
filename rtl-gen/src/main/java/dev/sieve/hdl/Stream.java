package dev.sieve.hdl;

/**
 * A ready/valid handshake: a transfer happens on a cycle where both {@code valid} and
 * {@code ready} are high. Declared on a component with {@link Component#streamIn} (the component
 * consumes it) or {@link Component#streamOut} (the component produces it).
 */
public record Stream(Signal valid, Signal ready, Signal payload) {

    public int width() {
        return payload.width();
    }

    /** High on the cycles where a transfer happens. */
    public Expr fire() {
        return valid.and(ready);
    }
}
