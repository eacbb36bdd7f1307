package dev.sieve.io;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one duplicate-key rule of Sieve's key-value inputs (YAML specs, INI configs): within one
 * mapping or section a key may appear once; a second occurrence is an {@link InputException}
 * naming the file, the line of the repetition, the key and the line it was first given on.
 * Nothing is merged and no "last one wins".
 */
public final class UniqueKeys {
    private final Path file;
    private final String scope;
    private final boolean ignoreCase;
    private final Map<String, Integer> firstLine = new HashMap<>();

    /**
     * Keys of one mapping of {@code file}; {@code scope} (a section or parent key, or null) prefixes
     * the key in messages; {@code ignoreCase} for formats whose keys are case-insensitive (INI).
     */
    public UniqueKeys(Path file, String scope, boolean ignoreCase) {
        this.file = file;
        this.scope = scope;
        this.ignoreCase = ignoreCase;
    }

    /** Records {@code key} given on {@code line}; fails if it was given before. */
    public void add(String key, int line) {
        String k = ignoreCase ? key.toLowerCase(Locale.ROOT) : key;
        Integer first = firstLine.putIfAbsent(k, line);
        if (first != null) {
            throw new InputException(file, line, scope == null ? key : scope + "." + key,
                    "is given twice (first on line " + first + "); allowed: each key once");
        }
    }
}
