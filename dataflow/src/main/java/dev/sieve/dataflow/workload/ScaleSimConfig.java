package dev.sieve.dataflow.workload;

import dev.sieve.io.InputException;
import dev.sieve.io.InputFiles;
import dev.sieve.io.UniqueKeys;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A SCALE-Sim (v2/v3) architecture config, the INI file its users already have:
 * {@code [general] run_name}, {@code [architecture_presets] ArrayHeight, ArrayWidth,
 * IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, IfmapOffset, FilterOffset, OfmapOffset, Bandwidth,
 * Dataflow} and {@code [run_presets] InterfaceBandwidth}. Unknown sections and keys, a section or
 * key given twice ({@link UniqueKeys}), and a file without {@code [architecture_presets]} are errors
 * (file, line, key); offsets are read and kept but do not change Sieve's model. Keys and section
 * names ignore case; {@code Key : value} or {@code Key = value}; {@code #} and {@code ;} start
 * comment lines; blank lines, CRLF line ends and a UTF-8 byte-order mark are accepted.
 *
 * @param bandwidthWords words per cycle between DRAM and the buffers ({@code Bandwidth})
 */
public record ScaleSimConfig(String runName, int arrayHeight, int arrayWidth, int ifmapKiB, int filterKiB,
                             int ofmapKiB, int bandwidthWords, String dataflow, String interfaceBandwidth) {

    private static final Map<String, Set<String>> KEYS = Map.of(
            "general", Set.of("run_name"),
            "architecture_presets", Set.of("ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB",
                    "OfmapSramSzkB", "IfmapOffset", "FilterOffset", "OfmapOffset", "Bandwidth", "Dataflow",
                    "MemoryBanks", "ReadRequestBuffer", "WriteRequestBuffer"),
            "run_presets", Set.of("InterfaceBandwidth", "UseRamulatorTrace"),
            "sparsity", Set.of("SparsitySupport", "SparseRep", "OptimizedMapping", "BlockSize", "RandomNumberGeneratorSeed"));

    /** Reads {@code file}; every error names the file, line and key. */
    public static ScaleSimConfig read(Path file) {
        List<String> lines = InputFiles.readLines(file);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        Map<String, UniqueKeys> keysOf = new HashMap<>();
        UniqueKeys sections = new UniqueKeys(file, null, true);
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).strip();
            int n = i + 1;
            if (raw.isEmpty() || raw.startsWith("#") || raw.startsWith(";")) {
                continue;
            }
            if (raw.startsWith("[")) {
                if (!raw.endsWith("]")) {
                    throw new InputException(file, n, null, "malformed section header '" + raw + "'");
                }
                section = raw.substring(1, raw.length() - 1).strip().toLowerCase(Locale.ROOT);
                if (!KEYS.containsKey(section)) {
                    throw new InputException(file, n, "[" + section + "]", "unknown section; allowed: "
                            + String.join(", ", KEYS.keySet().stream().sorted().toList()));
                }
                sections.add("[" + section + "]", n);
                keysOf.put(section, new UniqueKeys(file, "[" + section + "]", true));
                continue;
            }
            int eq = raw.indexOf(':') >= 0 && (raw.indexOf('=') < 0 || raw.indexOf(':') < raw.indexOf('='))
                    ? raw.indexOf(':') : raw.indexOf('=');
            if (eq <= 0 || section == null) {
                throw new InputException(file, n, null, "expected 'Key : value' inside a [section], got '" + raw + "'");
            }
            String key = raw.substring(0, eq).strip();
            String value = raw.substring(eq + 1).strip();
            String inSection = section;
            Set<String> allowed = KEYS.get(section);
            String canonical = allowed.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst()
                    .orElseThrow(() -> new InputException(file, n, key, "unknown key in [" + inSection
                            + "]; allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            keysOf.get(section).add(canonical, n);
            values.put(canonical, value);
            lineOf.put(canonical, n);
        }
        if (!keysOf.containsKey("architecture_presets")) {
            throw new InputException(file, 0, "[architecture_presets]", lines.stream().allMatch(String::isBlank)
                    ? "the file is empty; a SCALE-Sim config needs an [architecture_presets] section"
                    : "missing; a SCALE-Sim config needs an [architecture_presets] section with ArrayHeight, ArrayWidth, ...");
        }
        Reader r = new Reader(file, values, lineOf);
        String dataflow = r.text("Dataflow", "ws").toLowerCase(Locale.ROOT);
        if (!Set.of("ws", "os", "is").contains(dataflow)) {
            throw new InputException(file, lineOf.getOrDefault("Dataflow", 0), "Dataflow", "'" + dataflow
                    + "' is not allowed; allowed: os, ws, is");
        }
        String iface = r.text("InterfaceBandwidth", "CALC").toUpperCase(Locale.ROOT);
        if (!Set.of("USER", "CALC").contains(iface)) {
            throw new InputException(file, lineOf.getOrDefault("InterfaceBandwidth", 0), "InterfaceBandwidth", "'"
                    + iface + "' is not allowed; allowed: USER, CALC");
        }
        return new ScaleSimConfig(r.text("run_name", file.getFileName().toString()), r.integer("ArrayHeight", 32, 1, 1024),
                r.integer("ArrayWidth", 32, 1, 1024), r.integer("IfmapSramSzkB", 512, 1, 1 << 20),
                r.integer("FilterSramSzkB", 512, 1, 1 << 20), r.integer("OfmapSramSzkB", 512, 1, 1 << 20),
                r.integer("Bandwidth", 10, 1, 1 << 16), dataflow, iface);
    }

    private record Reader(Path file, Map<String, String> values, Map<String, Integer> lines) {
        String text(String key, String dflt) {
            return values.getOrDefault(key, dflt);
        }

        int integer(String key, int dflt, int min, int max) {
            String v = values.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                int x = Integer.parseInt(v);
                if (x < min || x > max) {
                    throw new InputException(file, lines.get(key), key, x + " is out of range; allowed " + min + " .. " + max);
                }
                return x;
            } catch (NumberFormatException e) {
                throw new InputException(file, lines.get(key), key, "'" + v + "' is not a whole number; allowed "
                        + min + " .. " + max);
            }
        }
    }
}
