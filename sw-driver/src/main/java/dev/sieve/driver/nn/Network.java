package dev.sieve.driver.nn;

import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOp;
import dev.sieve.dataflow.workload.Topology;
import java.util.ArrayList;
import java.util.List;

/** A chain of modules; its GEMM layers in order form the topology the SAT model costs. */
public final class Network {
    private final String name;
    private final List<Module> modules;
    private final List<String> policy;

    public Network(String name, List<Module> modules, List<String> policy) {
        this.name = name;
        this.modules = List.copyOf(modules);
        this.policy = List.copyOf(policy);
    }

    public String name() {
        return name;
    }

    public List<Module> modules() {
        return modules;
    }

    /** One line per GEMM layer: its pattern and why. */
    public List<String> policy() {
        return policy;
    }

    public List<GemmLayer> gemmLayers() {
        return modules.stream().filter(m -> m instanceof GemmLayer).map(m -> (GemmLayer) m).toList();
    }

    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (Module m : modules) {
            out.addAll(m.params());
        }
        return out;
    }

    /**
     * The GEMM layers as a topology, each with its own pattern in the {@code Sparsity} field and the
     * modules that follow it until the next GEMM layer as its non-GEMM operations (ReLU, max-pooling;
     * flattening moves no data); the last layer's are the softmax cross-entropy loss the trainer applies.
     */
    public Topology topology() {
        List<Layer> layers = new ArrayList<>();
        GemmLayer current = null;
        List<PostOp> ops = new ArrayList<>();
        for (Module m : modules) {
            if (m instanceof GemmLayer g) {
                if (current != null) {
                    layers.add(current.desc().withSparsity(current.pattern()).withPost(ops));
                }
                current = g;
                ops = new ArrayList<>();
            } else if (m instanceof Relu) {
                ops.add(PostOp.of(PostOp.Kind.RELU));
            } else if (m instanceof MaxPool p) {
                ops.add(new PostOp(PostOp.Kind.MAXPOOL, p.window()));
            }
        }
        if (current != null) {
            ops.add(PostOp.of(PostOp.Kind.SOFTMAX));
            layers.add(current.desc().withSparsity(current.pattern()).withPost(ops));
        }
        return new Topology(name, layers);
    }

    /** Pre-generates every layer's operands from its current weights. */
    public void pregen() {
        for (GemmLayer g : gemmLayers()) {
            g.pregen();
        }
    }

    public Act forward(Act x) {
        Act a = x;
        for (Module m : modules) {
            a = m.forward(a);
        }
        return a;
    }

    public void backward(Act dLogits) {
        Act g = dLogits;
        for (int i = modules.size() - 1; i >= 0 && g != null; i--) {
            g = modules.get(i).backward(g);
        }
    }
}
