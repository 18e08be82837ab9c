package io.yibao.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code yibao}: the project's command-line tool. Subcommands do the work; this only dispatches. */
@Command(name = "yibao", mixinStandardHelpOptions = true, versionProvider = YibaoCommand.Version.class,
        description = "Yibao Gateway tools: validate canonical messages, sign and verify them, manage the development PKI, onboard mapping adapters, send batch files to a gateway and replay what it could not deliver.",
        subcommands = {ValidateCommand.class, SignCommand.class, SignEnvelopeCommand.class, VerifyCommand.class, CertsCommand.class, DemoCommand.class,
                AdapterCommand.class, BatchCommand.class,
                QuarantineCommand.Quarantine.class, QuarantineCommand.DeadLetters.class, CommandLine.HelpCommand.class})
public final class YibaoCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        return new CommandLine(new YibaoCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
                    commandLine.getErr().flush();
                    return ExitCodes.FAILED;
                });
    }

    /** A one-line reason for a failure, naming the file for file-system errors. */
    static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fs.getFile() + ": " + fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = YibaoCommand.class.getPackage().getImplementationVersion();
            return new String[] {"yibao " + (version == null ? "development build" : version)};
        }
    }
}
