package io.yibao.cli;

import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.Credentials;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao verify}: verifies a signed message and says why it fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the signature of a signed message. Exit code 0 only when it is valid; otherwise 1 and the reason "
                + "(content altered, wrong key, untrusted, expired or revoked certificate, unsupported algorithm, unsigned).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "ROOT.pem", description = "Trusted root certificate(s) (PEM); repeatable.")
    List<Path> trust;

    @Option(names = "--pki", paramLabel = "DIR", description = "Also check that no certificate of the signer's chain is revoked, "
            + "by the CRLs of this PKI's CAs (DIR/{ec,sm2}/intermediate.crl.pem and root.crl.pem, or the files of --crl).")
    Path pki;

    @Option(names = "--crl", paramLabel = "FILE", description = "A CRL file to check against instead of the PKI's own (needs --pki: "
            + "a CRL counts only if a CA of that PKI signed it); repeatable.")
    List<Path> crls = new ArrayList<>();

    @Parameters(paramLabel = "SIGNED.json", description = "The signed message (- for standard input).")
    Path bundle;

    @Override
    public Integer call() throws Exception {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path root : trust) {
            anchors.addAll(Credentials.readCertificates(root));
        }
        if (pki == null && !crls.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--crl needs --pki: the PKI whose CAs sign the CRLs");
        }
        SignatureVerifier verifier = pki == null ? new SignatureVerifier(anchors, Clock.systemUTC())
                : new SignatureVerifier(anchors, Clock.systemUTC(), new CertificateRevocation(crls, pki, Duration.ZERO, Clock.systemUTC()));
        Verification verification = verifier.verify(InputFiles.read(bundle));
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
