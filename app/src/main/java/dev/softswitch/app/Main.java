package dev.softswitch.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code softswitch}: the command-line entry point. */
@Command(
        name = "softswitch",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help and --version on every command too
        versionProvider = VersionCommand.Provider.class,
        description = "A SIP/RTP softswitch that puts voice assistants on the phone network.",
        subcommands = {ServeCommand.class, DialCommand.class, CheckConfigCommand.class, VersionCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command: serve, dial, check-config or version");
    }
}
