package io.yibao.cli;

import io.yibao.certs.Credentials;
import io.yibao.signatures.EnvelopeSigner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yibao sign-envelope}: signs a national interface envelope ({@code cainfo}, SM3withSM2), as a system
 * speaking the national interface does before sending it; for trying the gateway's intake check by hand.
 */
@Command(name = "sign-envelope", mixinStandardHelpOptions = true,
        description = "Sign a national interface envelope (signtype SM2, cainfo; docs/security.md §3) and print the signed envelope.")
final class SignEnvelopeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "KEY.pem",
            description = "Unencrypted PEM SM2 private key (e.g. var/pki/sm2/envelope-signing-H11010500001.key.pem).")
    Path key;

    @Parameters(paramLabel = "ENVELOPE.json", description = "The envelope to sign, UTF-8 JSON (- for standard input).")
    Path envelope;

    @Override
    public Integer call() throws Exception {
        String signed = new EnvelopeSigner(Credentials.readPrivateKey(key)).sign(InputFiles.read(envelope));
        spec.commandLine().getOut().println(signed);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
