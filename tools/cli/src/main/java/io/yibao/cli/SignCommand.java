package io.yibao.cli;

import io.yibao.certs.Credentials;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao sign}: signs a canonical message with a detached JWS in Bundle.signature. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a canonical message (detached JWS in Bundle.signature, see docs/security.md) and print the signed message.")
final class SignCommand implements Callable<Integer> {

    static final class KeySource {
        @ArgGroup(exclusive = false)
        PemKey pem;
        @ArgGroup(exclusive = false)
        Pkcs12Key pkcs12;
    }

    static final class PemKey {
        @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "Unencrypted PEM private key (PKCS#8 or SEC1).")
        Path key;
        @Option(names = "--cert", required = true, paramLabel = "CHAIN.pem", description = "PEM certificate chain, signer first (e.g. gateway-signing.chain.pem).")
        Path cert;
    }

    static final class Pkcs12Key {
        @Option(names = "--p12", required = true, paramLabel = "STORE.p12", description = "PKCS#12 store with the signing key and chain.")
        Path store;
        @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "File holding the store password (the dev PKI's store-password).")
        Path passwordFile;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource keySource;

    @Option(names = "--alg", required = true, description = "ES256 or SM2 (SM3withSM2).")
    SignatureAlgorithm algorithm;

    @Parameters(paramLabel = "BUNDLE.json", description = "The message to sign (- for standard input).")
    Path bundle;

    @Override
    public Integer call() throws Exception {
        Credentials credentials = keySource.pem != null
                ? Credentials.fromPem(keySource.pem.key, keySource.pem.cert)
                : Credentials.fromPkcs12(keySource.pkcs12.store, InputFiles.readPassword(keySource.pkcs12.passwordFile));
        String signed = new BundleSigner(credentials, algorithm).sign(InputFiles.read(bundle));
        spec.commandLine().getOut().println(signed);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
