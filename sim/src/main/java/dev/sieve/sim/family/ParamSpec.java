package dev.sieve.sim.family;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parameter of an accelerator family's design point: its name, default value, a description of
 * the allowed values, and a check that returns null for a good value or says what is wrong.
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

    /** A number within {@code [min, max]} ({@code maxOpen}: below {@code max}). */
    public static ParamSpec number(String name, double defaultValue, double min, double max, boolean maxOpen) {
        return new ParamSpec(name, plain(defaultValue), maxOpen ? "[" + plain(min) + ", " + plain(max) + ")"
                : plain(min) + " .. " + plain(max), v -> {
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return "is not a number";
            }
            return !(x >= min && (maxOpen ? x < max : x <= max)) ? "is out of range" : null;
        });
    }

    /** One of {@code values}, the first the default. */
    public static ParamSpec choice(String name, List<String> values) {
        return new ParamSpec(name, values.get(0), String.join(", ", values),
                v -> values.contains(v) ? null : "is not one of them");
    }

    /**
     * A numeric field of a family's configuration record, for {@link #checkedBy(List)}: the
     * parameter's name and default, whether it is an integer, the record's name, its name for the
     * field, and {@code build}, which makes the record of a point.
     */
    public record Field(String name, String defaultValue, boolean integer, String record, String field,
                        Function<Map<String, String>, ?> build) {
    }

    /**
     * The parameters of {@code fields}, each {@link #checkedBy checked by its record} with every other
     * field at its default.
     */
    public static List<ParamSpec> checkedBy(List<Field> fields) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Field f : fields) {
            defaults.put(f.name(), f.defaultValue());
        }
        List<ParamSpec> out = new ArrayList<>();
        for (Field f : fields) {
            out.add(checkedBy(f.name(), f.defaultValue(), f.integer(), f.record(), f.field(), defaults, f.build()));
        }
        return out;
    }

    /**
     * A numeric field of a family's configuration record, checked by the record itself so that its
     * rule and message live in one place: the value goes into {@code defaults} (every parameter's
     * default) and {@code build} makes the record. An error naming {@code field} (the record's name
     * for it, as its messages start: {@code field = value ...}) is this value's; an error about
     * another field is a rule between fields, left to the check of the whole point.
     */
    private static ParamSpec checkedBy(String name, String defaultValue, boolean integer, String record, String field,
                                      Map<String, String> defaults, Function<Map<String, String>, ?> build) {
        return new ParamSpec(name, defaultValue, (integer ? "an integer" : "a number") + " that " + record
                + " accepts", v -> {
            try {
                if (integer) {
                    Long.parseLong(v);
                } else {
                    Double.parseDouble(v);
                }
            } catch (NumberFormatException e) {
                return integer ? "is not an integer" : "is not a number";
            }
            Map<String, String> p = new LinkedHashMap<>(defaults);
            p.put(name, v);
            try {
                build.apply(p);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage().startsWith(field + " =") ? "is not allowed (" + e.getMessage() + ")" : null;
            }
        });
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
