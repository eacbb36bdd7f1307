package dev.sieve.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PopcountAccumulatorTest {

    @Test
    void exampleGeneratorLintsClean(@TempDir Path dir) {
        GeneratedRtl rtl = GeneratedRtl.generate(new PopcountAccumulator(8, 4, 10).build(), dir.resolve("pop"));
        assertTrue(rtl.lint().clean(), rtl.lint().format());
    }
}
