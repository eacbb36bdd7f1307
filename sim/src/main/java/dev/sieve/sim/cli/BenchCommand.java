package dev.sieve.sim.cli;

import dev.sieve.cosim.CosimBench;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import dev.sieve.hdl.lib.Mac;
import dev.sieve.hdl.lib.model.MacModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate bench}: benchmarks that print figures measured side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks measured side by side in one run.",
        subcommands = {BenchCommand.Cosim.class},
        footer = {"", "Example:", "  simulate bench cosim --cycles 10000000"})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /**
     * {@code simulate bench cosim}: on one generated design (the library MAC, 8x8 signed with a
     * 24-bit accumulator), runs (a) the Verilated model from a plain C++ loop, (b) Sieve's harness in
     * batched mode, (c) lockstep against its Java model, interleaved over rounds, and reports the best
     * rate of each.
     */
    @Command(name = "cosim", mixinStandardHelpOptions = true,
            description = "Raw Verilator C++ loop vs batched JNA harness vs lockstep with a Java model.",
            footer = {"", "Example:", "  simulate bench cosim --cycles 10000000", "",
                    "Last line: cosim: raw_cycles_per_s=R batched_cycles_per_s=B lockstep_cycles_per_s=L batched_vs_raw=X"})
    public static final class Cosim implements Callable<Integer> {
        @Option(names = "--cycles", description = "Cycles per run (default: ${DEFAULT-VALUE}).")
        long cycles = 10_000_000L;

        @Override
        public Integer call() {
            if (cycles < 1_000) {
                throw new Simulate.UsageError("--cycles = " + cycles + " is too small; allowed >= 1000");
            }
            Mac.Config cfg = new Mac.Config(8, 8, 24, true);
            ModuleDef mac = new Mac(cfg).build();
            CosimBench.Figures f = CosimBench.run(Verilator.materialize(VerilogEmitter.emitAll(mac)), mac.name(),
                    () -> new MacModel(cfg), cycles);
            System.out.print(f.table());
            System.out.println(f.summaryLine());
            return 0;
        }
    }
}
