package dev.sieve.cosim;

import java.util.List;
import java.util.Objects;

/**
 * How a design is built beyond its Verilog: an optional native AXI4 memory slave compiled into the
 * model library (see {@link AxiMemory}) and extra Verilator flags. {@link #DEFAULT} builds exactly
 * what {@link Verilator#compile(java.util.List, String)} always built (same content hash); any other
 * value enters the hash, so designs built with and without it are cached apart.
 *
 * @param axiPrefix prefix of the design's AXI4 master ports ({@code m_axi_} for {@code m_axi_arvalid}
 *                  ...), or null for no native memory
 * @param doneOutput 1-bit output that ends {@link AxiMemory#serve} (an interrupt line), or null
 * @param verilatorFlags extra Verilator flags, after the harness's own
 */
public record BuildOptions(String axiPrefix, String doneOutput, List<String> verilatorFlags) {
    /** The harness's plain build. */
    public static final BuildOptions DEFAULT = new BuildOptions(null, null, List.of());

    /**
     * Verilator flags that make the generated model faster to run: {@code -O3} (Verilator's slower
     * optimizations of its own output) and {@code --x-assign fast} (unknown values take whatever is
     * cheapest; Sieve's generated designs are lint-clean and reset every register, so no
     * observable bit depends on them). Measured on the SAT accelerator; see README.
     */
    public static final List<String> FAST_FLAGS = List.of("-O3", "--x-assign", "fast");

    /**
     * The Verilator flag that adds VCD tracing. The harness builds without it (the tracing code is
     * 17–47 % of a SAT accelerator's generated C++, all of it compiled on every build; see README)
     * and adds it only for the traced copy of a design a waveform is asked for
     * ({@link CompiledDesign#traced()}).
     */
    public static final String TRACE_FLAG = "--trace";

    public BuildOptions {
        verilatorFlags = List.copyOf(verilatorFlags);
        if ((axiPrefix == null) != (doneOutput == null)) {
            throw new IllegalArgumentException("a native AXI memory needs both the port prefix and the done output, got "
                    + axiPrefix + " and " + doneOutput);
        }
    }

    /** These options plus a native AXI4 memory slave on the ports {@code prefix*}, serving until {@code done} is 1. */
    public BuildOptions withAxiMemory(String prefix, String done) {
        return new BuildOptions(Objects.requireNonNull(prefix), Objects.requireNonNull(done), verilatorFlags);
    }

    /** These options with {@code flags} added to the Verilator command line. */
    public BuildOptions withVerilatorFlags(List<String> flags) {
        List<String> all = new java.util.ArrayList<>(verilatorFlags);
        all.addAll(flags);
        return new BuildOptions(axiPrefix, doneOutput, all);
    }

    /** These options plus VCD tracing ({@link #TRACE_FLAG}); themselves when they already trace. */
    public BuildOptions withTrace() {
        return traced() ? this : withVerilatorFlags(List.of(TRACE_FLAG));
    }

    /** True when a build with these options can write VCD waveforms. */
    public boolean traced() {
        return verilatorFlags.contains(TRACE_FLAG);
    }

    public boolean hasAxiMemory() {
        return axiPrefix != null;
    }

    /** True for {@link #DEFAULT}, the build whose content hash is the one designs always had. */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** The words that enter the content hash of a design built with these options. */
    List<String> hashWords() {
        List<String> words = new java.util.ArrayList<>(List.of("options", String.valueOf(axiPrefix),
                String.valueOf(doneOutput)));
        words.addAll(verilatorFlags);
        return words;
    }
}
