package dev.sieve.sim.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One (point, workload) pair still to evaluate: its place in the sweep's order, the workload's place
 * in the spec, the point's parameter values and its {@linkplain PointStore#key content key}.
 */
public record PointTask(long index, int workload, LinkedHashMap<String, String> params, String key)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public PointTask(long index, int workload, Map<String, String> params, String key) {
        this(index, workload, new LinkedHashMap<>(params), key);
    }
}
