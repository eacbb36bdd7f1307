package dev.sieve.sim.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A fingerprint of the code that computes sweep points: SHA-256 over the names and bytes of every
 * {@code dev/sieve/**.class} in the class-path entries (jars or class folders) that hold the given
 * classes, in name order. A saved point's key holds it, so a rebuilt Sieve whose models changed
 * recomputes its points even when the version string did not change; rebuilding the same sources
 * with the same compiler gives the same bytes (javac is deterministic, jar timestamps are not
 * hashed), so an unchanged Sieve reuses them.
 */
public final class CodeFingerprint {
    private static final String PREFIX = "dev/sieve/";

    private CodeFingerprint() {
    }

    /** The fingerprint of the code holding {@code anchors}: 16 hex digits (64 bits). */
    public static String of(Class<?>... anchors) {
        List<Path> locations = new ArrayList<>();
        for (Class<?> c : anchors) {
            Path p = location(c);
            if (p != null && !locations.contains(p)) {
                locations.add(p);
            }
        }
        return ofLocations(locations);
    }

    /** The fingerprint of the {@code dev/sieve} classes in these jars or class folders. */
    static String ofLocations(List<Path> locations) {
        Map<String, byte[]> digests = new TreeMap<>();
        for (Path p : locations) {
            if (Files.isDirectory(p)) {
                folder(p, digests);
            } else if (Files.isRegularFile(p)) {
                jar(p, digests);
            }
        }
        MessageDigest all = sha256();
        digests.forEach((name, d) -> {
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(d);
        });
        return HexFormat.of().formatHex(all.digest()).substring(0, 16);
    }

    private static Path location(Class<?> c) {
        var source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void folder(Path root, Map<String, byte[]> digests) {
        Path base = root.resolve(PREFIX);
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(f).toString().replace('\\', '/');
                digests.put(name, sha256().digest(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the class folder " + root, e);
        }
    }

    private static void jar(Path file, Map<String, byte[]> digests) {
        try (JarFile jar = new JarFile(file.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = e.getName();
                if (name.startsWith(PREFIX) && name.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        digests.put(name, sha256().digest(in.readAllBytes()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
