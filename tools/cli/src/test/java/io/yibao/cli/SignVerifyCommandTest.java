package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.EnvelopeVerification;
import io.yibao.signatures.EnvelopeVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code yibao sign} then {@code yibao verify}: valid, tampered, wrong trust root, revoked signer, for ES256 and SM2. */
class SignVerifyCommandTest {
    static final Path EXAMPLE = Path.of("../../standards/src/main/fhir/examples/hospital-outpatient-fee-details-2204.json");
    static final Path ENVELOPE = Path.of("../../adapters/nhsa-envelope/src/main/resources/yibao-mappings/nhsa-envelope-2204/samples/fee-details-2204.json");

    @TempDir
    static Path dir;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(dir.resolve("pki"));
    }

    @ParameterizedTest
    @CsvSource({"ES256, ec, sm2", "SM2, sm2, ec"})
    void signedBundleVerifiesAndOneChangedCharacterIsReportedAsAltered(String alg, String hierarchy, String other) throws Exception {
        Path pki = dir.resolve("pki").resolve(hierarchy);
        CliRun sign = CliRun.of("sign", "--key", pki.resolve("gateway-signing.key.pem").toString(),
                "--cert", pki.resolve("gateway-signing.chain.pem").toString(), "--alg", alg, EXAMPLE.toString());
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        Path signed = Files.writeString(dir.resolve(alg + ".signed.json"), sign.out(), StandardCharsets.UTF_8);

        CliRun valid = CliRun.of("verify", "--trust", pki.resolve("root.pem").toString(), signed.toString());
        assertThat(valid.exitCode()).isZero();
        assertThat(valid.out()).startsWith("VALID: signed by CN=gateway-signing");

        Path tampered = Files.writeString(dir.resolve(alg + ".tampered.json"),
                sign.out().replaceFirst("\"birthDate\":\"1980-01-01\"", "\"birthDate\":\"1980-01-02\""), StandardCharsets.UTF_8);
        CliRun altered = CliRun.of("verify", "--trust", pki.resolve("root.pem").toString(), tampered.toString());
        assertThat(altered.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(altered.out()).startsWith("CONTENT_ALTERED");

        CliRun untrusted = CliRun.of("verify", "--trust", dir.resolve("pki").resolve(other).resolve("root.pem").toString(), signed.toString());
        assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(untrusted.out()).startsWith("UNTRUSTED_CERTIFICATE");
    }

    /** Its own PKI copy: revoking the signer must not touch the other tests' PKI. */
    @Test
    void withThePkisCrlsASignatureByARevokedCertificateIsRefused() throws Exception {
        Path pki = dir.resolve("revoking-pki");
        DevPki.init(pki);
        Path sm2 = pki.resolve("sm2");
        CliRun sign = CliRun.of("sign", "--key", sm2.resolve("gateway-signing.key.pem").toString(),
                "--cert", sm2.resolve("gateway-signing.chain.pem").toString(), "--alg", "SM2", EXAMPLE.toString());
        Path signed = Files.writeString(dir.resolve("revoked.signed.json"), sign.out(), StandardCharsets.UTF_8);
        String root = sm2.resolve("root.pem").toString();
        assertThat(CliRun.of("verify", "--trust", root, "--pki", pki.toString(), signed.toString()).exitCode()).isZero();

        DevPki.revoke(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING, CRLReason.KEY_COMPROMISE);

        CliRun revoked = CliRun.of("verify", "--trust", root, "--pki", pki.toString(), signed.toString());
        assertThat(revoked.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(revoked.out()).startsWith("REVOKED_CERTIFICATE: The signer's certificate (serial ").contains("KEY_COMPROMISE");
        CliRun named = CliRun.of("verify", "--trust", root, "--pki", pki.toString(), "--crl",
                sm2.resolve(DevPki.INTERMEDIATE_CRL).toString(), signed.toString());
        assertThat(named.out()).startsWith("REVOKED_CERTIFICATE");
        assertThat(CliRun.of("verify", "--trust", root, signed.toString()).exitCode()).as("without --pki no revocation is checked").isZero();
        CliRun crlAlone = CliRun.of("verify", "--trust", root, "--crl", sm2.resolve(DevPki.INTERMEDIATE_CRL).toString(), signed.toString());
        assertThat(crlAlone.exitCode()).isNotZero();
        assertThat(crlAlone.err()).contains("--crl needs --pki");
    }

    @Test
    void signEnvelopeWritesACainfoThatVerifiesWithTheInstitutionsEnvelopeCertificate() throws Exception {
        Path sm2 = dir.resolve("pki").resolve("sm2");
        String leaf = DevPki.envelopeSigningLeafName("H11010500001");
        CliRun sign = CliRun.of("sign-envelope", "--key", sm2.resolve(leaf + ".key.pem").toString(), ENVELOPE.toString());
        assertThat(sign.exitCode()).as(sign.err()).isZero();

        EnvelopeVerifier verifier = EnvelopeVerifier.forCertificate(Credentials.readCertificates(sm2.resolve(leaf + ".pem")).get(0));
        assertThat(verifier.verify(sign.out().strip()).status()).isEqualTo(EnvelopeVerification.Status.VALID);
        assertThat(verifier.verify(sign.out().strip().replace("\"infno\":\"2204\"", "\"infno\":\"2205\"")).status())
                .isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
    }

    @ParameterizedTest
    @CsvSource({"ES256, ec", "SM2, sm2"})
    void signsWithAPkcs12Store(String alg, String hierarchy) throws Exception {
        Path pki = dir.resolve("pki");
        CliRun sign = CliRun.of("sign", "--p12", pki.resolve(hierarchy).resolve("gateway-signing.p12").toString(),
                "--password-file", pki.resolve(DevPki.STORE_PASSWORD_FILE).toString(), "--alg", alg, EXAMPLE.toString());
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        Path signed = Files.writeString(dir.resolve(alg + ".p12.signed.json"), sign.out(), StandardCharsets.UTF_8);

        assertThat(CliRun.of("verify", "--trust", pki.resolve(hierarchy).resolve("root.pem").toString(), signed.toString()).exitCode())
                .isZero();
    }

    @ParameterizedTest
    @CsvSource({"ES256, sm2", "SM2, ec"})
    void refusesAKeyOfTheOtherAlgorithm(String alg, String hierarchy) {
        Path pki = dir.resolve("pki").resolve(hierarchy);
        CliRun sign = CliRun.of("sign", "--key", pki.resolve("gateway-signing.key.pem").toString(),
                "--cert", pki.resolve("gateway-signing.chain.pem").toString(), "--alg", alg, EXAMPLE.toString());

        assertThat(sign.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(sign.err()).startsWith("yibao sign: ");
    }
}
