package dev.sieve.sim.cli;

import dev.sieve.tools.ExternalTool;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code simulate} entry point. */
@Command(name = "simulate", mixinStandardHelpOptions = true, version = Simulate.VERSION,
        description = "Sieve: cycle models, generated RTL and co-simulation for sparse accelerators.",
        subcommands = {RtlCommand.class, DemoCommand.class, SatCommand.class, SweepCommand.class, SpAttenCommand.class,
                PiumaCommand.class, AreaCommand.class, BenchCommand.class, CosimCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  simulate demo", "  simulate rtl --list",
                "  simulate rtl fifo --param width=8 --param depth=16 --out out/fifo"})
public final class Simulate implements Callable<Integer> {

    /** What {@code --version} prints, for every command. */
    public static final String VERSION = "Sieve 0.1.0";

    /** Exit code for bad input (unknown block, malformed parameter, missing file). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        giveVersion(cli);
        cli.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof UsageError || ex instanceof dev.sieve.io.InputException
                    || ex instanceof ExternalTool.BadSettingException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof ExternalTool.ToolTimeoutException) { // names the limit and how to raise it
                cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandName() + ": " + parameterMessage(ex));
            return EXIT_USAGE;
        });
        return cli;
    }

    /** Every command answers {@code --version} with Sieve's version. */
    private static void giveVersion(CommandLine cmd) {
        if (cmd.getCommandSpec().version().length == 0) {
            cmd.getCommandSpec().version(VERSION);
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            giveVersion(sub);
        }
    }

    /** picocli's message, or, for a word where a command was expected, the commands there are. */
    private static String parameterMessage(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()
                && cmd.getCommandSpec().positionalParameters().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'; allowed: " + commands(cmd);
        }
        return ex.getMessage();
    }

    /** The commands of {@code cmd}, comma-separated. */
    static String commands(CommandLine cmd) {
        return String.join(", ", cmd.getSubcommands().keySet());
    }

    /**
     * A command of subcommands given none: its usage on stdout, one line naming the missing
     * {@code what} and the subcommands there are on stderr, exit code 2.
     */
    static int missingSubcommand(CommandLine cmd, String what) {
        cmd.usage(cmd.getOut());
        cmd.getOut().flush();
        cmd.getErr().println(cmd.getCommandName() + ": missing " + what + "; allowed: " + commands(cmd));
        return EXIT_USAGE;
    }

    /** Without a command: the usage on stdout, one line naming the commands on stderr, exit code 2. */
    @Override
    public Integer call() {
        return missingSubcommand(spec.commandLine(), "COMMAND");
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

        /** {@code f}'s value; an IllegalArgumentException it throws becomes {@code option: message}. */
        public static <T> T option(String option, java.util.function.Supplier<T> f) {
            try {
                return f.get();
            } catch (IllegalArgumentException e) {
                throw new UsageError(option + ": " + e.getMessage());
            }
        }
    }
}
