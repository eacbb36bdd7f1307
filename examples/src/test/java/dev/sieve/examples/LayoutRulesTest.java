package dev.sieve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module and family rules of README's "Layout" hold for the whole tree, and the checker catches breaks. */
class LayoutRulesTest {

    /** The examples module runs its tests from its own folder; the tree is one level up. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theTreeKeepsTheRules() {
        assertTrue(Files.isDirectory(ROOT.resolve("arch-model/src/main/java")), "the project root is " + ROOT);
        List<String> violations = LayoutRules.check(ROOT);
        assertEquals(List.of(), violations, String.join("\n", violations));
    }

    @Test
    void aForbiddenModuleImportFails(@TempDir Path tree) throws IOException {
        write(tree, "arch-model", "dev/sieve/arch/A.java", "package dev.sieve.arch;\npublic class A {}\n");
        write(tree, "sim", "dev/sieve/sim/S.java", "package dev.sieve.sim;\npublic class S {}\n");
        write(tree, "dataflow", "dev/sieve/dataflow/D.java",
                "package dev.sieve.dataflow;\nimport dev.sieve.arch.A;\nimport dev.sieve.sim.S;\nclass D {}\n");
        List<String> v = LayoutRules.check(tree);
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).contains("dataflow must not use sim (dev.sieve.sim)"), v.get(0));
    }

    @Test
    void familiesStayApartAndSharedCodeNamesNone(@TempDir Path tree) throws IOException {
        write(tree, "arch-model", "dev/sieve/arch/sat/SatConfig.java", "package dev.sieve.arch.sat;\nclass SatConfig {}\n");
        write(tree, "rtl-gen", "dev/sieve/hdl/piuma/H.java",
                "package dev.sieve.hdl.piuma;\nclass H { Object c = new dev.sieve.arch.sat.SatConfig(); }\n");
        write(tree, "rtl-gen", "dev/sieve/hdl/lib/L.java",
                "package dev.sieve.hdl.lib;\nimport dev.sieve.arch.sat.SatConfig;\nclass L {}\n");
        write(tree, "rtl-gen", "dev/sieve/hdl/catalog/C.java",
                "package dev.sieve.hdl.catalog;\nimport dev.sieve.arch.sat.SatConfig;\nclass C {}\n");
        write(tree, "rtl-gen", "dev/sieve/hdl/lib/M.java",
                "package dev.sieve.hdl.lib;\n// see dev.sieve.arch.sat.SatConfig\nclass M { String s = \"dev.sieve.arch.sat\"; }\n");
        List<String> v = LayoutRules.check(tree);
        assertEquals(2, v.size(), v.toString()); // C is a hub; M names the family only in a comment and a string
        assertTrue(v.stream().anyMatch(x -> x.contains("H.java: family piuma must not use family sat")), v.toString());
        assertTrue(v.stream().anyMatch(x -> x.contains("L.java: shared package dev.sieve.hdl.lib must not name family sat")),
                v.toString());
    }

    private static void write(Path tree, String module, String file, String text) throws IOException {
        Path p = tree.resolve(module).resolve("src/main/java").resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
