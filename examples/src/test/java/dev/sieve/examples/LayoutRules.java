package dev.sieve.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sieve's module and family dependency rules (README, "Layout"), checked over the sources of every
 * module, main and test. A reference is an {@code import} or a fully qualified {@code dev.sieve.}
 * name in code (comments and strings are ignored).
 *
 * <ol>
 * <li>A module uses only the modules below it: {@link #MODULE_DEPENDENCIES}.</li>
 * <li>A family's package ({@code sat}, {@code spatten} or {@code piuma} anywhere in its name) uses
 *     no other family's packages.</li>
 * <li>Shared packages name no family, except the {@link #HUBS} whose job is to list them.</li>
 * </ol>
 */
final class LayoutRules {

    static final List<String> MODULES = List.of("arch-model", "dataflow", "rtl-gen", "sim", "sw-driver",
            "verilator-tests", "examples");

    /** Which modules each module may use (besides itself). */
    static final Map<String, Set<String>> MODULE_DEPENDENCIES = Map.of(
            "arch-model", Set.of(),
            "dataflow", Set.of("arch-model"),
            "rtl-gen", Set.of("arch-model"),
            "sim", Set.of("arch-model", "dataflow", "rtl-gen"),
            "sw-driver", Set.of("arch-model", "dataflow", "rtl-gen", "sim"),
            "verilator-tests", Set.of("arch-model", "dataflow", "rtl-gen", "sim"),
            "examples", Set.of("arch-model", "dataflow", "rtl-gen", "sim", "sw-driver"));

    static final Set<String> FAMILIES = Set.of("sat", "spatten", "piuma");

    /** Shared packages (and their sub-packages) that exist to name every family. */
    static final Set<String> HUBS = Set.of(
            "dev.sieve.sim.cli",       // the simulate commands, one per family
            "dev.sieve.hdl.catalog",   // the blocks simulate rtl can generate
            "dev.sieve.driver",        // the training runtime, whose accelerator backend is SAT's
            "dev.sieve.examples");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.sieve(?:\\.[a-z_][a-z0-9_]*)+");
    private static final Pattern COMMENT_OR_STRING =
            Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\\\n])*\"", Pattern.DOTALL);

    private LayoutRules() {
    }

    /** One Java source file: its module, package and the dev.sieve packages it refers to. */
    record Source(String module, Path path, String pkg, List<String> references) {
    }

    /** Every violation in the tree under {@code root}, one line each ("file: rule"), each once. */
    static List<String> check(Path root) {
        List<Source> sources = new ArrayList<>();
        for (String module : MODULES) {
            Path src = root.resolve(module).resolve("src");
            if (Files.isDirectory(src)) {
                sources.addAll(read(module, src));
            }
        }
        Map<String, String> owner = owners(sources);
        Set<String> violations = new LinkedHashSet<>();
        for (Source s : sources) {
            for (String ref : s.references()) {
                String target = owningPackage(ref, owner);
                if (target == null) {
                    continue; // a class name inside a known package, or an unknown package: the compiler decides
                }
                String targetModule = owner.get(target);
                if (!targetModule.equals(s.module()) && !MODULE_DEPENDENCIES.get(s.module()).contains(targetModule)) {
                    violations.add(s.path() + ": " + s.module() + " must not use " + targetModule + " (" + target + ")");
                }
                String from = family(s.pkg());
                String to = family(target);
                if (to != null && from != null && !from.equals(to)) {
                    violations.add(s.path() + ": family " + from + " must not use family " + to + " (" + target + ")");
                }
                if (to != null && from == null && !isHub(s.pkg())) {
                    violations.add(s.path() + ": shared package " + s.pkg() + " must not name family " + to
                            + " (" + target + "); only " + HUBS + " may");
                }
            }
        }
        return List.copyOf(violations);
    }

    /** The family a package belongs to, or null for shared code. */
    static String family(String pkg) {
        for (String part : pkg.split("\\.")) {
            if (FAMILIES.contains(part)) {
                return part;
            }
        }
        return null;
    }

    static boolean isHub(String pkg) {
        return HUBS.stream().anyMatch(h -> pkg.equals(h) || pkg.startsWith(h + "."));
    }

    private static String owningPackage(String ref, Map<String, String> owner) {
        String p = ref;
        while (p.contains(".")) {
            if (owner.containsKey(p)) {
                return p;
            }
            p = p.substring(0, p.lastIndexOf('.'));
        }
        return null;
    }

    /** Package -> the module whose sources declare it (a package declared in two modules is an error). */
    private static Map<String, String> owners(List<Source> sources) {
        Map<String, String> owner = new TreeMap<>();
        Map<String, Path> firstSeen = new HashMap<>();
        for (Source s : sources) {
            String prev = owner.putIfAbsent(s.pkg(), s.module());
            firstSeen.putIfAbsent(s.pkg(), s.path());
            if (prev != null && !prev.equals(s.module())) {
                throw new IllegalStateException("package " + s.pkg() + " is declared in " + prev + " ("
                        + firstSeen.get(s.pkg()) + ") and in " + s.module() + " (" + s.path() + ")");
            }
        }
        return owner;
    }

    private static List<Source> read(String module, Path src) {
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> parse(module, p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Source parse(String module, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pm = PACKAGE.matcher(text);
        if (!pm.find()) {
            throw new IllegalStateException(file + " has no package declaration");
        }
        String code = COMMENT_OR_STRING.matcher(text.substring(pm.end())).replaceAll(" ");
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            refs.add(m.group());
        }
        return new Source(module, file, pm.group(1), refs);
    }
}
