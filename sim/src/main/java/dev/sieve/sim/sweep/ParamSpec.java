package dev.sieve.sim.sweep;

import java.util.function.Function;

/**
 * A sweepable parameter of an accelerator model: its name, default value, a description of the
 * allowed values, and a check that returns null for a good value or says what is wrong.
 */
public record ParamSpec(String name, String defaultValue, String allowed, Function<String, String> checker) {

    /** Null if {@code value} is allowed, else what is wrong with it. */
    public String check(String value) {
        try {
            return checker.apply(value);
        } catch (RuntimeException e) {
            return "is not allowed (" + e.getMessage() + ")";
        }
    }

    /** An integer parameter within {@code [min, max]}. */
    public static ParamSpec integer(String name, long defaultValue, long min, long max) {
        return new ParamSpec(name, Long.toString(defaultValue), min + " .. " + max, v -> {
            long x;
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return "is not an integer";
            }
            return x < min || x > max ? "is out of range" : null;
        });
    }
}
