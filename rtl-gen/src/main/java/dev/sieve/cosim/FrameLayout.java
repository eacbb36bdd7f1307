package dev.sieve.cosim;

import java.util.ArrayList;
import java.util.List;

/**
 * How the values of a list of ports are packed into one frame of 64-bit words per cycle: port
 * {@code slot} occupies words {@code offset(slot) .. offset(slot) + ports().get(slot).words() - 1}.
 * A model's input frame holds every input port except the clock, its output frame every output port,
 * both in the model's port-table order.
 */
public final class FrameLayout {
    private final List<Port> ports;
    private final int[] offsets;
    private final int frameWords;

    FrameLayout(List<Port> ports) {
        this.ports = List.copyOf(ports);
        this.offsets = new int[ports.size()];
        int at = 0;
        for (int i = 0; i < ports.size(); i++) {
            offsets[i] = at;
            at += ports.get(i).words();
        }
        this.frameWords = at;
    }

    public List<Port> ports() {
        return ports;
    }

    public int size() {
        return ports.size();
    }

    /** Words per cycle. */
    public int frameWords() {
        return frameWords;
    }

    public int offset(int slot) {
        return offsets[slot];
    }

    /** The slot of the port called {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The slot of the port called {@code name}; throws naming the ports it has otherwise. */
    public int slot(String name) {
        int i = indexOf(name);
        if (i < 0) {
            List<String> names = new ArrayList<>();
            ports.forEach(p -> names.add(p.name()));
            throw new IllegalArgumentException("no port '" + name + "' in this frame; it has " + names);
        }
        return i;
    }

    @Override
    public String toString() {
        return "FrameLayout" + ports + " (" + frameWords + " words)";
    }
}
