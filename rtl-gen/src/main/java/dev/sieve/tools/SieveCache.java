package dev.sieve.tools;

import java.nio.file.Path;

/**
 * Where Sieve keeps what it computes once and reuses (compiled Verilator models, Yosys estimates):
 * the system property {@code sieve.cache.dir}, else the environment variable
 * {@code SIEVE_CACHE_DIR}, else {@code ~/.cache/sieve}.
 */
public final class SieveCache {
    private SieveCache() {
    }

    /** The cache root, absolute. */
    public static Path root() {
        String base = System.getProperty("sieve.cache.dir");
        if (base == null || base.isBlank()) {
            base = System.getenv("SIEVE_CACHE_DIR");
        }
        Path root = (base == null || base.isBlank())
                ? Path.of(System.getProperty("user.home"), ".cache", "sieve")
                : Path.of(base);
        return root.toAbsolutePath().normalize();
    }
}
