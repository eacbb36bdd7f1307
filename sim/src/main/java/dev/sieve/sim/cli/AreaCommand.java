package dev.sieve.sim.cli;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaTable;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Families;
import dev.sieve.sim.family.ParamSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate area}: the ASIC area <b>estimate</b> of one design point of a family, per
 * component, from {@link AreaTable}. The point is the family's sweep defaults with {@code --param}
 * overrides (the parameters of {@code simulate sweep}); the estimate sums sourced unit areas of the
 * components the family's record names and is no synthesis result.
 */
@Command(name = "area", mixinStandardHelpOptions = true,
        description = "ASIC area ESTIMATE of a design point, per component, from the area table (Aladdin's 40 nm "
                + "functional units, CACTI SRAM; see README, Energy and area). Counts only the components the "
                + "family's configuration names; prints what it leaves out.",
        footer = {"", "Examples:", "  simulate area --family spatten",
                "  simulate area --family spatten --param qk_multipliers=64 --param pv_multipliers=64",
                "  simulate area --family sat --param array=32x32 --param format=bf16",
                "  simulate area --family piuma --node 45 --area-table my-process.txt"})
public final class AreaCommand implements Callable<Integer> {

    @Option(names = "--family", required = true, paramLabel = "NAME", description = "sat, spatten or piuma.")
    String family;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "A parameter of the point, as in a sweep spec (repeatable); others keep their defaults.")
    List<String> params = new ArrayList<>();

    @Option(names = "--node", paramLabel = "NM", defaultValue = "40",
            description = "Technology node in nm the table is scaled to, area ~ node^2 (default: ${DEFAULT-VALUE}, "
                    + "SpAtten's and Aladdin's node).")
    double node;

    @Option(names = "--area-table", paramLabel = "FILE",
            description = "Override entries of the area table (lines 'key = um^2', taken at --node).")
    Path areaTable;

    @Override
    public Integer call() {
        Map<String, AcceleratorFamily<?>> families = Families.all();
        AcceleratorFamily<?> f = families.get(family);
        if (f == null) {
            throw new Simulate.UsageError("--family = " + family + " is unknown; allowed: "
                    + String.join(", ", families.keySet()));
        }
        if (!(node >= 5 && node <= 1000)) {
            throw new Simulate.UsageError("--node = " + plain(node) + " is out of range; allowed 5 .. 1000");
        }
        Map<String, String> point = point(f);
        AreaTable table = AreaTable.at(node);
        if (areaTable != null) {
            table = table.with(AreaTable.read(areaTable));
        }
        AreaEstimate est = f.area(point, table);
        if (est == null) {
            throw new Simulate.UsageError("--family = " + family + " has no area estimate");
        }
        print(est, table, System.out);
        return 0;
    }

    /** The family's defaults with the {@code --param} values, checked. */
    private Map<String, String> point(AcceleratorFamily<?> f) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        Map<String, String> point = new LinkedHashMap<>();
        for (ParamSpec p : f.parameters()) {
            specs.put(p.name(), p);
            point.put(p.name(), p.defaultValue());
        }
        for (String kv : params) {
            int eq = kv.indexOf('=');
            String name = eq < 0 ? kv : kv.substring(0, eq).trim();
            ParamSpec p = specs.get(name);
            if (eq < 0 || p == null) {
                throw new Simulate.UsageError("--param " + kv + ": " + (eq < 0 ? "expected NAME=VALUE" : "unknown parameter")
                        + "; allowed: " + String.join(", ", specs.keySet()));
            }
            String value = kv.substring(eq + 1).trim();
            String problem = p.check(value);
            if (problem != null) {
                throw new Simulate.UsageError("--param " + name + " = " + value + " " + problem + "; allowed "
                        + p.allowed());
            }
            point.put(name, value);
        }
        try {
            f.check(point);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        return point;
    }

    /** The table of components, what is left out, and the last line {@code area_estimate: ...}. */
    static void print(AreaEstimate est, AreaTable table, PrintStream o) {
        o.println("ASIC area ESTIMATE of " + est.family() + " at " + plain(est.nodeNm()) + " nm: a sum of sourced unit "
                + "areas (README, Energy and area), not a synthesis result");
        o.println("component,count,unit_um2,area_mm2,floor_mm2,derivation");
        for (AreaEstimate.Component c : est.components()) {
            o.println(String.format(Locale.ROOT, "%s,%d,%.2f,%.4f,%.4f,%s", c.name(), c.count(), c.unitUm2(), c.mm2(),
                    c.floorMm2(), csv(c.derivation())));
        }
        o.println("not covered: " + String.join("; ", est.notCovered()));
        o.println(String.format(Locale.ROOT, "floor_mm2: every SRAM as its cells alone (array efficiency of the "
                + "table's SRAM: %.1f %%)", 100 * table.sramArrayEfficiency()));
        o.println(String.format(Locale.ROOT, "area_estimate: family=%s node_nm=%s logic_mm2=%.4f sram_mm2=%.4f "
                        + "area_mm2=%.4f area_floor_mm2=%.4f", est.family(), plain(est.nodeNm()), est.logicMm2(),
                est.sramMm2(), est.totalMm2(), est.floorMm2()));
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
