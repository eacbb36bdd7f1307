package dev.sieve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.hdl.lib.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceCacheTest {

    @Test
    void secondEstimateOfTheSameDesignComesFromTheCacheFile(@TempDir Path cache) throws Exception {
        String old = System.getProperty("sieve.cache.dir");
        System.setProperty("sieve.cache.dir", cache.toString());
        try {
            ResourceReport first = ResourceCache.estimate(new Counter(new Counter.Config(200)).build());
            Path yosys = cache.resolve("yosys");
            try (var s = Files.list(yosys)) {
                assertEquals(1, s.count(), "one estimate stored");
            }
            // a different design object with the same Verilog hits the same entry
            ResourceReport again = ResourceCache.estimate(new Counter(new Counter.Config(200)).build());
            assertEquals(first.cellsByType(), again.cellsByType());
            assertEquals(8, first.ff(), "modulus 200 needs 8 bits of state");
            try (var s = Files.list(yosys)) {
                assertEquals(1, s.count(), "no second synthesis");
            }
            ResourceReport other = ResourceCache.estimate(new Counter(new Counter.Config(1000)).build());
            assertEquals(10, other.ff(), "modulus 1000 needs 10 bits");
            try (var s = Files.list(yosys)) {
                assertTrue(s.count() == 2);
            }
        } finally {
            if (old == null) {
                System.clearProperty("sieve.cache.dir");
            } else {
                System.setProperty("sieve.cache.dir", old);
            }
        }
    }
}
