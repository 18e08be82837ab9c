package io.yibao.cli;

import io.yibao.certs.CertificateInspector;
import io.yibao.certs.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao certs}: the development PKI. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "Development PKI: create it, inspect certificates.",
        subcommands = {CertsCommand.Init.class, CertsCommand.Inspect.class})
final class CertsCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the development PKI (EC P-256 and SM2 hierarchies) in DIR. See docs/security.md.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Directory to create the PKI in.")
        Path dir;

        @Option(names = "--force", description = "Replace an existing PKI in DIR.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            DevPki.Summary summary = DevPki.init(dir, DevPki.Options.defaults().withForce(force));
            spec.commandLine().getOut().println(summary.format());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print subject, issuer, validity and days to expiry of the certificates in FILE (PEM, DER or PKCS#12).")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "Password of a PKCS#12 store. Default: the dev PKI's store-password next to the store's folder.")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            CertificateInspector inspector = new CertificateInspector(Clock.systemUTC());
            Path password = passwordFile;
            if (password == null && file.toString().endsWith(".p12")) {
                Path parent = file.toAbsolutePath().getParent();
                Path candidate = parent.getParent() == null ? null : parent.getParent().resolve(DevPki.STORE_PASSWORD_FILE);
                password = candidate != null && Files.exists(candidate) ? candidate : null;
            }
            var reports = password == null ? inspector.inspect(file) : inspector.inspect(file, InputFiles.readPassword(password));
            spec.commandLine().getOut().println(CertificateInspector.format(reports));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
