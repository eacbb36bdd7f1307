package dev.sieve.sim.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code simulate} entry point. */
@Command(name = "simulate", mixinStandardHelpOptions = true, version = "Sieve 0.1.0",
        description = "Sieve: cycle models, generated RTL and co-simulation for sparse accelerators.",
        subcommands = {RtlCommand.class, DemoCommand.class, SatCommand.class, SweepCommand.class, SpAttenCommand.class,
                PiumaCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  simulate demo", "  simulate rtl --list",
                "  simulate rtl fifo --param width=8 --param depth=16 --out out/fifo"})
public final class Simulate implements Runnable {

    /** Exit code for bad input (unknown block, malformed parameter, missing file). */
    public static final int EXIT_USAGE = 2;

    /** Subcommands contributed by modules above {@code sim} (for example training), via ServiceLoader. */
    public interface Extension {
        Object command();
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and for {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Simulate());
        for (Extension e : ServiceLoader.load(Extension.class)) {
            cli.addSubcommand(e.command());
        }
        cli.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof UsageError || ex instanceof dev.sieve.io.InputException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof UsageError u) {
                cmd.getErr().println(cmd.getCommandName() + ": " + u.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Bad input from the user: printed as one line, exit code 2. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }

        /** Fails with {@code option = value is out of range; allowed lo .. hi} unless {@code lo <= value <= hi}. */
        public static void requireRange(String option, long value, long lo, long hi) {
            if (value < lo || value > hi) {
                throw new UsageError(option + " = " + value + " is out of range; allowed " + lo + " .. " + hi);
            }
        }
    }
}
