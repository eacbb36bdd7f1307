package dev.sieve.tools;

import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A generated design on disk that has passed {@code verilator --lint-only -Wall} with zero
 * warnings. {@link #generate} writes into a staging folder, lints there, and only then moves the
 * files into place, so a design that fails lint leaves the target folder untouched.
 */
public record GeneratedRtl(String top, List<Path> files, LintReport lint) {

    /** Emits {@code design} into {@code dir} after a clean lint; throws with the findings otherwise. */
    public static GeneratedRtl generate(ModuleDef design, Path dir) {
        Path absolute = dir.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".staging");
            try {
                List<Path> staged = VerilogEmitter.write(design, staging);
                LintReport lint = VerilatorLint.lint(staged, design.name());
                if (!lint.clean()) {
                    throw new LintReport.LintException(lint);
                }
                Files.createDirectories(absolute);
                List<Path> placed = new ArrayList<>();
                for (Path f : staged) {
                    Path target = absolute.resolve(f.getFileName());
                    Files.move(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    placed.add(dir.resolve(f.getFileName()));
                }
                return new GeneratedRtl(design.name(), List.copyOf(placed), lint);
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the design into " + dir, e);
        }
    }

    /** Yosys resource estimate for UltraScale+ (XCVU9P fractions). */
    public ResourceReport estimate() {
        return YosysEstimate.estimate(files, top);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
