package dev.sieve.dataflow.workload;

import java.util.List;

/** A network: layers in forward order, with the file they came from (for messages). */
public record Topology(String source, List<Layer> layers) {

    public Topology {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("topology " + source + " has no layers");
        }
    }

    /** Dense forward multiply-accumulates of all layers. */
    public long macs(int batch) {
        return layers.stream().mapToLong(l -> l.macs(batch)).sum();
    }
}
