package dev.sieve.hdl.spatten;

import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention pipeline's Verilog lints clean under {@code -Wall} for the shapes the
 * co-simulation uses (P below, equal to and above D; one and several softmax lanes and V rows per beat).
 */
class SpAttenPipelineRtlTest {

    @TempDir
    Path dir;

    static AttentionPipeline pipeline(int p, int pv, int comparators, int d, int maxN) {
        SpAttenConfig x = SpAttenConfig.paper();
        return AttentionPipeline.of(new SpAttenConfig(p, pv, comparators, 1, x.kSramBytes(), x.vSramBytes(),
                x.hbmChannels(), x.hbmBytesPerCycle(), 12, 1.0), d, maxN);
    }

    @ParameterizedTest(name = "P={0} Pv={1} comparators={2} D={3} maxN={4}")
    @CsvSource({"16, 16, 4, 64, 1024", "64, 64, 8, 64, 1024", "128, 256, 16, 64, 1024", "4, 8, 2, 16, 64"})
    void lintsCleanWithNothingUnused(int p, int pv, int comparators, int d, int maxN) {
        ModuleDef top = new SpAttenPipeline(pipeline(p, pv, comparators, d, maxN)).build();
        GeneratedRtl rtl = GeneratedRtl.generate(top, dir.resolve(top.name()));
        assertTrue(rtl.lint().clean(), rtl.lint().format());
    }
}
