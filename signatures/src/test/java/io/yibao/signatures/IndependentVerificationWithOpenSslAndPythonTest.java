package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bundles signed with the development PKI's gateway-signing keys verify with the real OpenSSL 3
 * binary and with Python's cryptography package, using the commands of docs/security.md.
 */
class IndependentVerificationWithOpenSslAndPythonTest {

    @TempDir
    static Path pki;

    @TempDir
    Path work;

    @BeforeAll
    static void createDevelopmentPki() throws Exception {
        DevPki.init(pki);
    }

    private static Credentials gatewaySigning(SignatureAlgorithm algorithm) throws Exception {
        return DevPki.credentials(pki, algorithm.keyAlgorithm(), DevPki.GATEWAY_SIGNING);
    }

    private static Path hierarchy(SignatureAlgorithm algorithm) {
        return DevPki.hierarchyDirectory(pki, algorithm.keyAlgorithm());
    }

    /** The fourth of five Bundles signed together (so that its place in the signed tree takes a proof of three hashes). */
    private String signAndCheckWithOurVerifier(SignatureAlgorithm algorithm) throws Exception {
        List<com.fasterxml.jackson.databind.node.ObjectNode> bundles = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bundles.add((com.fasterxml.jackson.databind.node.ObjectNode) CanonicalJson.parse(SignedBundles.claimBundle().replace("张三", "患者" + i)));
        }
        String signed = new BundleSigner(gatewaySigning(algorithm), algorithm).signAll(bundles).get(3);
        X509Certificate root = DevPki.rootCertificate(pki, algorithm.keyAlgorithm());
        Verification verification = new SignatureVerifier(List.of(root), Clock.systemUTC()).verify(signed);
        assertThat(verification.status()).as(verification.message()).isEqualTo(Verification.Status.VALID);
        return signed;
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void theDevelopmentPkiCredentialsFromPemSignLikeThoseFromPkcs12(SignatureAlgorithm algorithm) throws Exception {
        Path dir = hierarchy(algorithm);
        Credentials fromPem = Credentials.fromPem(dir.resolve("gateway-signing.key.pem"), dir.resolve("gateway-signing.chain.pem"));
        String signed = new BundleSigner(fromPem, algorithm).sign(SignedBundles.claimBundle());

        Verification verification = new SignatureVerifier(List.of(DevPki.rootCertificate(pki, algorithm.keyAlgorithm())), Clock.systemUTC())
                .verify(signed);

        assertThat(verification.status()).as(verification.message()).isEqualTo(Verification.Status.VALID);
        assertThat(SignedBundles.header(signed).get("x5c")).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void openSslVerifiesTheSignatureAndTheChainWithTheDocumentedCommands(SignatureAlgorithm algorithm) throws Exception {
        String signed = signAndCheckWithOurVerifier(algorithm);
        Files.writeString(work.resolve("signed-bundle.json"), signed, StandardCharsets.UTF_8);
        Files.write(work.resolve("payload.json"), BundleSignatureProfile.signedPayload(signed));
        Files.write(work.resolve("altered-payload.json"), alterOneByte(BundleSignatureProfile.signedPayload(signed)));
        Files.copy(hierarchy(algorithm).resolve("root.pem"), work.resolve("root.pem"));
        ExternalTools.script(work, "signature_tree.py");
        String splitScript = ExternalTools.script(work, "split_detached_jws.py").toString();

        ExternalTools.Run split = ExternalTools.run(work, "python3", splitScript, "signed-bundle.json", "payload.json", "out");
        assertThat(split.succeeded()).as(split.output()).isTrue();
        assertThat(Files.readAllBytes(work.resolve("out/signing-input.txt"))).isEqualTo(SignedBundles.signingInput(signed));
        ExternalTools.Run altered = ExternalTools.run(work, "python3", splitScript, "signed-bundle.json", "altered-payload.json", "altered");
        assertThat(altered.succeeded()).isFalse();
        assertThat(altered.output()).contains("CONTENT ALTERED");

        if (algorithm == SignatureAlgorithm.ES256) {
            ExternalTools.Run chain = ExternalTools.run(work, "openssl", "verify", "-CAfile", "root.pem", "-untrusted", "out/chain.pem", "out/leaf.pem");
            assertThat(chain.output()).as(chain.output()).contains("out/leaf.pem: OK");
        } else {
            // OpenSSL 3.0's `openssl verify` cannot check SM2 certificate signatures; check each link.
            Files.copy(hierarchy(algorithm).resolve("intermediate.pem"), work.resolve("intermediate.pem"));
            String check = ExternalTools.script(work, "check_sm2_certificate_signature.sh").toString();
            ExternalTools.Run leafLink = ExternalTools.run(work, "sh", check, "out/leaf.pem", "intermediate.pem");
            assertThat(leafLink.output()).as(leafLink.output()).contains("Signature Verified Successfully");
            ExternalTools.Run intermediateLink = ExternalTools.run(work, "sh", check, "intermediate.pem", "root.pem");
            assertThat(intermediateLink.output()).as(intermediateLink.output()).contains("Signature Verified Successfully");
            ExternalTools.Run wrongIssuer = ExternalTools.run(work, "sh", check, "out/leaf.pem", "root.pem");
            assertThat(wrongIssuer.succeeded()).isFalse();
        }
        assertThat(ExternalTools.run(work, "sh", "-c", "openssl x509 -in out/leaf.pem -pubkey -noout > out/pub.pem").succeeded()).isTrue();

        ExternalTools.Run verified = openSslVerify(algorithm, "out/signing-input.txt", "out/signature.der");
        assertThat(verified.succeeded()).as(verified.output()).isTrue();

        Files.write(work.resolve("out/altered-input.txt"), alterOneByte(SignedBundles.signingInput(signed)));
        assertThat(openSslVerify(algorithm, "out/altered-input.txt", "out/signature.der").succeeded()).isFalse();
    }

    private ExternalTools.Run openSslVerify(SignatureAlgorithm algorithm, String input, String signature) {
        return switch (algorithm) {
            case ES256 -> ExternalTools.run(work, "openssl", "dgst", "-sha256", "-verify", "out/pub.pem", "-signature", signature, input);
            case SM2 -> ExternalTools.run(work, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "out/pub.pem", "-rawin",
                    "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-in", input, "-sigfile", signature);
        };
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void openSslVerifiesTheRawSignatureConvertedToDerWithoutOurCode(SignatureAlgorithm algorithm) throws Exception {
        String signed = signAndCheckWithOurVerifier(algorithm);
        Files.createDirectories(work.resolve("out"));
        Files.write(work.resolve("out/signature.der"), derSignature(SignedBundles.rawSignature(signed)));
        Files.write(work.resolve("out/input.txt"), SignedBundles.signingInput(signed));
        Files.copy(hierarchy(algorithm).resolve("gateway-signing.pem"), work.resolve("out/leaf.pem"));
        assertThat(ExternalTools.run(work, "sh", "-c", "openssl x509 -in out/leaf.pem -pubkey -noout > out/pub.pem").succeeded()).isTrue();

        ExternalTools.Run verified = openSslVerify(algorithm, "out/input.txt", "out/signature.der");

        assertThat(verified.succeeded()).as(verified.output()).isTrue();
        assertThat(verified.output()).containsAnyOf("Verified OK", "Signature Verified Successfully");
    }

    @Test
    void pythonCryptographyCanonicalizesAndVerifiesAnEs256Bundle() throws Exception {
        String signed = signAndCheckWithOurVerifier(SignatureAlgorithm.ES256);
        // Pretty-printed with a different key order: Python must rebuild the canonical payload itself.
        String reformatted = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(CanonicalJson.parse(signed));
        Files.writeString(work.resolve("signed-bundle.json"), reformatted, StandardCharsets.UTF_8);
        ExternalTools.script(work, "signature_tree.py");
        Path script = ExternalTools.script(work, "verify_bundle_es256.py");

        ExternalTools.Run verified = ExternalTools.run(work, "python3", script.toString(), "signed-bundle.json");
        assertThat(verified.output()).as(verified.output()).startsWith("Verified OK: ").contains("gateway");
        assertThat(verified.succeeded()).isTrue();

        Files.writeString(work.resolve("altered.json"), reformatted.replace("1.50", "1.5"), StandardCharsets.UTF_8);
        ExternalTools.Run altered = ExternalTools.run(work, "python3", script.toString(), "altered.json");
        assertThat(altered.succeeded()).isFalse();
        assertThat(altered.output()).contains("CONTENT ALTERED");
    }

    @Test
    void openSslVerifiesTheEnvelopeCainfoWithTheRawPublicKeyAndTheDocumentedScripts() throws Exception {
        Credentials sm2 = gatewaySigning(SignatureAlgorithm.SM2);
        byte[] point = SubjectPublicKeyInfo.getInstance(sm2.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes();
        String signed = new EnvelopeSigner(sm2.privateKey()).sign(EnvelopeSignatureTest.ENVELOPE);
        assertThat(EnvelopeVerifier.forRawPublicKey(HexFormat.of().formatHex(point)).verify(signed).isValid()).isTrue();
        Files.createDirectories(work.resolve("out"));
        Files.write(work.resolve("out/cainfo.raw"), Base64.getDecoder().decode(CanonicalJson.parse(signed).get("cainfo").textValue()));
        Files.write(work.resolve("out/content.json"), EnvelopeProfile.NATIONAL.signedContent(signed));

        ExternalTools.Run der = ExternalTools.run(work, "sh", ExternalTools.script(work, "raw_signature_to_der.sh").toString(),
                "out/cainfo.raw", "out/cainfo.der");
        assertThat(der.succeeded()).as(der.output()).isTrue();
        ExternalTools.Run key = ExternalTools.run(work, "sh", ExternalTools.script(work, "raw_sm2_key_to_pem.sh").toString(),
                HexFormat.of().formatHex(point), "out/pub.pem");
        assertThat(key.succeeded()).as(key.output()).isTrue();

        ExternalTools.Run verified = openSslVerify(SignatureAlgorithm.SM2, "out/content.json", "out/cainfo.der");

        assertThat(verified.output()).as(verified.output()).contains("Signature Verified Successfully");
        Files.write(work.resolve("out/altered.json"), alterOneByte(EnvelopeProfile.NATIONAL.signedContent(signed)));
        assertThat(openSslVerify(SignatureAlgorithm.SM2, "out/altered.json", "out/cainfo.der").succeeded()).isFalse();
    }

    private static byte[] derSignature(byte[] raw) throws java.io.IOException {
        ASN1EncodableVector rs = new ASN1EncodableVector();
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
        return new DERSequence(rs).getEncoded();
    }

    private static byte[] alterOneByte(byte[] input) {
        byte[] altered = input.clone();
        altered[altered.length - 2] ^= 1;
        return altered;
    }
}
