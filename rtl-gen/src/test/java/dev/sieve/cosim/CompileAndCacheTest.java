package dev.sieve.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building designs: the content-hash cache, several models per JVM, and Verilator's errors. */
class CompileAndCacheTest {

    @Test
    void secondCompileOfTheSameDesignReusesTheCacheWithoutCompiling() {
        CompiledDesign first = TestDesigns.mac8();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        CompiledDesign second;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            second = Verilator.compile(List.of(CosimBench.referenceDesign()), "mac8");
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(second.fromCache());
        assertEquals(first.directory(), second.directory());
        assertEquals(first.hash(), second.hash());
        assertTrue(log.contains("cosim: reusing compiled mac8 (" + first.shortHash() + ")"), log);
        assertFalse(log.contains("cosim: compiling"), log);
        assertEquals(Verilator.cacheDirectory().resolve(first.hash()), first.directory());
        assertTrue(Files.isRegularFile(first.library()));
    }

    @Test
    void cacheDirectoryComesFromTheSystemPropertyFirst(@TempDir Path dir) {
        String saved = System.getProperty("sieve.cache.dir");
        System.setProperty("sieve.cache.dir", dir.toString());
        try {
            assertEquals(dir.toAbsolutePath().resolve("verilator"), Verilator.cacheDirectory());
        } finally {
            if (saved == null) {
                System.clearProperty("sieve.cache.dir");
            } else {
                System.setProperty("sieve.cache.dir", saved);
            }
        }
    }

    @Test
    void concurrentCompilesOfOneDesignBuildItOnce(@TempDir Path cache) throws Exception {
        // A fresh cache directory, so the design really is built here: three threads ask at once.
        String saved = System.getProperty("sieve.cache.dir");
        System.setProperty("sieve.cache.dir", cache.toString());
        List<CompiledDesign> got = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                threads.add(new Thread(() -> got.add(
                        Verilator.compile(List.of(TestDesigns.resource("scaler.v")), "scaler", Map.of("K", 7)))));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            if (saved == null) {
                System.clearProperty("sieve.cache.dir");
            } else {
                System.setProperty("sieve.cache.dir", saved);
            }
        }
        assertEquals(3, got.size());
        assertEquals(1, got.stream().filter(d -> !d.fromCache()).count(), "exactly one thread compiled");
        assertEquals(1, got.stream().map(CompiledDesign::directory).distinct().count());
        try (Stream<Path> entries = Files.list(cache.resolve("verilator"))) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".build-")),
                    "no temporary build directory is left behind");
        }
        try (VerilatedModel m = got.get(0).newModel()) {
            m.poke("x", 6);
            m.step(1);
            assertEquals(42, m.peekLong("y"));
        }
    }

    @Test
    void twoBuildsOfTheSameTopWithDifferentParametersLiveSideBySide() {
        CompiledDesign times3 = TestDesigns.scaler(3);
        CompiledDesign times5 = TestDesigns.scaler(5);
        assertNotEquals(times3.hash(), times5.hash());
        assertNotEquals(times3.library(), times5.library());
        assertFalse(times3.hasReset(), "scaler has no rst");
        try (VerilatedModel a = times3.newModel(); VerilatedModel b = times5.newModel();
                VerilatedModel mac = TestDesigns.mac8().newModel()) {
            a.poke("x", 7);
            b.poke("x", 7);
            mac.poke("en", 1);
            mac.poke("a", 7);
            mac.poke("b", 7);
            a.reset(3); // no rst: does nothing
            a.step(1);
            b.step(1);
            mac.step(1);
            assertEquals(21, a.peekLong("y"));
            assertEquals(35, b.peekLong("y"));
            assertEquals(49, mac.peekLong("acc"));
            assertEquals(1, a.cycles(), "reset without rst runs no cycles");
        }
    }

    @Test
    void verilogSyntaxErrorReportsVerilatorsMessageAndTheFile() {
        Path broken = TestDesigns.resource("broken.v");
        VerilatorException e = assertThrows(VerilatorException.class,
                () -> Verilator.compile(List.of(broken), "broken"));
        assertTrue(e.getMessage().contains("%Error"), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        assertTrue(e.toolOutput().contains("broken.v:"), "Verilator names file and line: " + e.toolOutput());
    }

    @Test
    void missingFileOrBadTopNameIsRejectedBeforeVerilatorRuns(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> Verilator.compile(List.of(dir.resolve("absent.v")), "absent"));
        assertThrows(IllegalArgumentException.class,
                () -> Verilator.compile(List.of(CosimBench.referenceDesign()), "mac8; rm -rf"));
        assertThrows(IllegalArgumentException.class, () -> Verilator.compile(List.of(), "mac8"));
    }
}
