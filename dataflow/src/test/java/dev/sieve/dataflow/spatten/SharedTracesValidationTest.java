package dev.sieve.dataflow.spatten;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the real GPT-2 traces in ../shared/data/spatten-traces (validation group). */
@Tag("validation")
class SharedTracesValidationTest {

    static Path traces() {
        String shared = System.getProperty("sieve.shared.dir");
        Path base = shared != null ? Path.of(shared) : Path.of("").toAbsolutePath().getParent().resolve("../shared");
        Path dir = base.resolve("data/spatten-traces").normalize();
        assertTrue(Files.isDirectory(dir), "validation data missing: " + dir);
        return dir;
    }

    @Test
    void gpt2SmallTraceHas32StepsOf12LayersOf12Heads() {
        AttentionTrace t = AttentionTrace.read(traces().resolve("summary-gpt2-small-wikitext2-per8.csv"));
        assertEquals(32 * 12 * 12, t.rows().size());
        assertEquals(12, t.layers());
        assertEquals(12, t.heads());
        assertEquals(32, t.iterations());
    }

    @Test
    void gpt2MediumTraceHasFewerHeadsInLaterLayers() {
        AttentionTrace t = AttentionTrace.read(traces().resolve(
                "summary-gpt2-medium-wikitext2-per0-hp-step5+dedic+glob_p+local_p+hp+topk+quant.csv"));
        assertEquals(24, t.layers());
        assertEquals(16, t.heads());
        assertTrue(t.rows().size() < 32 * 24 * 16, "head pruning removes rows");
    }

    @Test
    void oneRowFileReads() {
        assertEquals(1, AttentionTrace.read(traces().resolve("small.csv")).rows().size());
    }
}
