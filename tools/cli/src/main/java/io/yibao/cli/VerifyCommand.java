package io.yibao.cli;

import io.yibao.certs.Credentials;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao verify}: verifies a signed message and says why it fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the signature of a signed message. Exit code 0 only when it is valid; otherwise 1 and the reason "
                + "(content altered, wrong key, untrusted or expired certificate, unsupported algorithm, unsigned).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "ROOT.pem", description = "Trusted root certificate(s) (PEM); repeatable.")
    List<Path> trust;

    @Parameters(paramLabel = "SIGNED.json", description = "The signed message (- for standard input).")
    Path bundle;

    @Override
    public Integer call() throws Exception {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path root : trust) {
            anchors.addAll(Credentials.readCertificates(root));
        }
        Verification verification = new SignatureVerifier(anchors, Clock.systemUTC()).verify(InputFiles.read(bundle));
        PrintWriter out = spec.commandLine().getOut();
        if (verification.isValid()) {
            out.printf("VALID: signed by %s at %s%n",
                    verification.signerCertificate().map(c -> c.getSubjectX500Principal().getName()).orElse("?"),
                    verification.signedAt().map(Object::toString).orElse("?"));
        } else {
            out.printf("%s: %s%n", verification.status(), verification.message());
        }
        out.flush();
        return verification.isValid() ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
