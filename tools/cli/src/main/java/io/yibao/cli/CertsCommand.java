package io.yibao.cli;

import io.yibao.certs.CertificateInspector;
import io.yibao.certs.DevPki;
import io.yibao.certs.Institution;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao certs}: the development PKI. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Development PKI: create it, add an institution, inspect certificates, revoke one.",
        subcommands = {CertsCommand.Init.class, CertsCommand.AddInstitution.class, CertsCommand.Inspect.class, CertsCommand.Revoke.class})
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

    @Command(name = "add-institution", mixinStandardHelpOptions = true,
            description = {"Add the institution CODE to the development PKI in DIR, as init writes the synthetic ones: its TLS"
                    + " client certificate client-CODE in both hierarchies, for a hospital or a pharmacy its SM2"
                    + " envelope-signing-CODE, and its SSH key ssh/CODE. Its kind is the code's first letter: H hospital,"
                    + " P pharmacy, B bank, T tax bureau. Then enrol it at the gateway (docs/onboarding.md)."})
    static final class AddInstitution implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "CODE", description = "Institution code: letter, 6-digit region, 5-digit sequence.")
        String code;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "The institution's name, the certificates' organization (O).")
        String name;

        @Override
        public Integer call() throws Exception {
            Institution institution = new Institution(code, name, Institution.Kind.ofCode(code));
            List<Path> files = DevPki.addInstitution(dir, institution);
            spec.commandLine().getOut().printf("%s (%s) added to %s:%n", institution.code(),
                    institution.kind().organizationalUnit(), dir);
            for (Path file : files) {
                spec.commandLine().getOut().println("  " + dir.relativize(file));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke the certificate NAME of the development PKI in DIR: its CA's CRL gets one more entry"
                    + " (intermediate.crl.pem; root.crl.pem for NAME 'intermediate'). A running gateway picks it up within"
                    + " seconds (docs/security.md, Revocation)."})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "NAME",
                description = "Leaf name (e.g. client-H11010500001, envelope-signing-H11010500001) or 'intermediate'.")
        String name;

        @Option(names = "--hierarchy", paramLabel = "ec|sm2",
                description = "Only this hierarchy. Default: every hierarchy that has NAME.pem.")
        String hierarchy;

        @Option(names = "--reason", paramLabel = "REASON", defaultValue = "UNSPECIFIED",
                description = "RFC 5280 reason code: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        CRLReason reason;

        @Override
        public Integer call() throws Exception {
            List<KeyAlgorithm> algorithms = new ArrayList<>();
            for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
                Path directory = DevPki.hierarchyDirectory(dir, algorithm);
                boolean chosen = hierarchy == null || directory.getFileName().toString().equals(hierarchy);
                if (chosen && Files.isRegularFile(directory.resolve(name + ".pem"))) {
                    algorithms.add(algorithm);
                }
            }
            if (algorithms.isEmpty()) {
                spec.commandLine().getErr().println("no certificate " + name + ".pem in " + dir
                        + (hierarchy == null ? "/ec or /sm2" : "/" + hierarchy));
                spec.commandLine().getErr().flush();
                return ExitCodes.FAILED;
            }
            for (KeyAlgorithm algorithm : algorithms) {
                DevPki.Revocation revocation = DevPki.revoke(dir, algorithm, name, reason);
                spec.commandLine().getOut().printf("%s: %s serial %s revoked %s (%s); the CRL lists %d certificate(s)%n",
                        dir.relativize(revocation.revocationList()), name, revocation.serialNumber().toString(16),
                        revocation.revocationDate(), reason, revocation.entries());
            }
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
