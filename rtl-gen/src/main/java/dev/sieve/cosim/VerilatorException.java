package dev.sieve.cosim;

/**
 * Verilator rejected a design, or the C++ build of the Verilated model failed. The message holds
 * the tool's own output, which names the offending file and line.
 */
public final class VerilatorException extends RuntimeException {
    private final String toolOutput;

    public VerilatorException(String message, String toolOutput) {
        super(message + "\n" + toolOutput.strip());
        this.toolOutput = toolOutput;
    }

    /** The failing tool's combined stdout and stderr. */
    public String toolOutput() {
        return toolOutput;
    }
}
