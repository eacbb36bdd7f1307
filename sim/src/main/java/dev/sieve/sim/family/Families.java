package dev.sieve.sim.family;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The accelerator families on the class path, found with {@link ServiceLoader}: each jar (or test
 * class path) lists its implementations in
 * {@code META-INF/services/dev.sieve.sim.family.AcceleratorFamily}. Every call makes new instances,
 * so a family may keep per-run caches.
 */
public final class Families {
    private Families() {
    }

    /** Every family by name, in name order. */
    @SuppressWarnings("rawtypes")
    public static Map<String, AcceleratorFamily<?>> all() {
        List<AcceleratorFamily<?>> found = new ArrayList<>();
        for (AcceleratorFamily f : ServiceLoader.load(AcceleratorFamily.class)) {
            found.add(f);
        }
        found.sort(Comparator.comparing(AcceleratorFamily::name));
        Map<String, AcceleratorFamily<?>> byName = new LinkedHashMap<>();
        for (AcceleratorFamily<?> f : found) {
            if (byName.putIfAbsent(f.name(), f) != null) {
                throw new IllegalStateException("two accelerator families are named '" + f.name() + "': "
                        + byName.get(f.name()).getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return byName;
    }
}
