package dev.sieve.sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code simulate cosim FAMILY}: a family's generated RTL under Verilator beside its golden model on
 * real inputs, one subcommand per family ({@link SatCosimCommand}, {@link SpAttenCosimCommand}); each ends with one line
 * {@code cosim-<family>: ...}.
 */
@Command(name = "cosim", mixinStandardHelpOptions = true,
        description = "Generated RTL under Verilator in lockstep with its golden model, per accelerator family.",
        subcommands = {SatCosimCommand.class, SpAttenCosimCommand.class},
        footer = {"", "Examples:",
                "  simulate cosim sat --topology examples/topologies/fmnist_cnn.csv --array 8x8 --nm 2:8 --format bf16",
                "  simulate cosim spatten --trace ../shared/data/spatten-traces/summary-gpt2-small-wikitext2-per8.csv --rows 64"})
public final class CosimCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a family: the usage on stdout, one line naming the families on stderr, exit code 2. */
    @Override
    public Integer call() {
        return Simulate.missingSubcommand(spec.commandLine(), "FAMILY");
    }
}
