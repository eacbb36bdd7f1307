package dev.sieve.cosim;

/** Direction of a top-level port, as seen from the design. */
public enum Direction {
    INPUT,
    OUTPUT,
    INOUT;

    static Direction fromCode(int code) {
        return switch (code) {
            case 0 -> INPUT;
            case 1 -> OUTPUT;
            case 2 -> INOUT;
            default -> throw new IllegalArgumentException("unknown port direction code " + code);
        };
    }
}
