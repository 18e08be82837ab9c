package io.yibao.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yibao.adapter.Adapters;
import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.GatewayProperties.Enrollment;
import io.yibao.signatures.EnvelopeSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EnvelopeSignatureCheck}: what its enrollment must say (checked at start-up, naming the institution and
 * the problem), the raw-public-key form, the per-message certificate validity check, and adapters without an
 * envelope signature passing untouched.
 */
class EnvelopeSignatureCheckEnrollmentTest {
    private static final String HOSPITAL = "H11010500001";
    private static final String ENVELOPE_ADAPTER = "nhsa-envelope-2204";
    private static final Adapters ADAPTERS = Adapters.discover();

    @TempDir
    static Path dir;
    static Path pki;
    static Path otherPki;
    static String envelope;

    @BeforeAll
    static void createPkis() throws Exception {
        pki = dir.resolve("pki");
        otherPki = dir.resolve("other-pki");
        DevPki.init(pki);
        DevPki.init(otherPki);
        envelope = Files.readString(Path.of("../adapters/nhsa-envelope/src/main/resources/yibao-mappings/nhsa-envelope-2204/samples/"
                + "fee-details-2204.json"), StandardCharsets.UTF_8);
    }

    private static Path certificate(Path pkiDir) {
        return DevPki.hierarchyDirectory(pkiDir, KeyAlgorithm.SM2).resolve(DevPki.envelopeSigningLeafName(HOSPITAL) + ".chain.pem");
    }

    private static byte[] signed() throws Exception {
        return new EnvelopeSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.envelopeSigningLeafName(HOSPITAL)).privateKey())
                .sign(envelope).getBytes(StandardCharsets.UTF_8);
    }

    private static EnvelopeSignatureCheck check(Enrollment enrollment, Clock clock) {
        GatewayProperties properties = new GatewayProperties();
        properties.setPki(pki);
        properties.setEnrollments(Map.of(HOSPITAL, enrollment));
        return new EnvelopeSignatureCheck(properties, ADAPTERS, new CertificateRevocation(List.of(), pki, Duration.ZERO, clock), clock);
    }

    private static Enrollment enrollment(String... adapters) {
        Enrollment enrollment = new Enrollment();
        enrollment.setAdapters(List.of(adapters));
        return enrollment;
    }

    @Test
    void anInstitutionEnrolledForAnEnvelopeAdapterNeedsAKey() {
        assertThatThrownBy(() -> check(enrollment("hospital-hl7v2", ENVELOPE_ADAPTER), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("institution H11010500001 is enrolled for nhsa-envelope-2204")
                .hasMessageContaining("neither envelope-signing-certificate nor envelope-public-key");
        assertThat(check(enrollment("hospital-hl7v2"), Clock.systemUTC()).check(HOSPITAL, "hospital-hl7v2", new byte[] {'x'})).isEmpty();
    }

    @Test
    void bothKeysAtOnceAreRefused() {
        Enrollment both = enrollment(ENVELOPE_ADAPTER);
        both.setEnvelopeSigningCertificate(certificate(pki));
        both.setEnvelopePublicKey("04" + "00".repeat(64));
        assertThatThrownBy(() -> check(both, Clock.systemUTC())).hasMessageContaining("both envelope-signing-certificate and envelope-public-key");
    }

    @Test
    void aCertificateThatDoesNotLeadToTheGatewaysRootsIsRefusedAtStartUp() {
        Enrollment foreign = enrollment(ENVELOPE_ADAPTER);
        foreign.setEnvelopeSigningCertificate(certificate(otherPki));
        assertThatThrownBy(() -> check(foreign, Clock.systemUTC())).hasMessageContaining("does not lead to a root of the gateway's PKI");

        Enrollment missing = enrollment(ENVELOPE_ADAPTER);
        missing.setEnvelopeSigningCertificate(dir.resolve("absent.pem"));
        assertThatThrownBy(() -> check(missing, Clock.systemUTC())).hasMessageContaining("does not exist")
                .hasMessageContaining("certs init --force");
    }

    @Test
    void aRawPublicKeyVerifiesTheEnvelopesItsPrivateKeySigned() throws Exception {
        byte[] point = SubjectPublicKeyInfo.getInstance(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.envelopeSigningLeafName(HOSPITAL))
                .chain().get(0).getPublicKey().getEncoded()).getPublicKeyData().getBytes();
        Enrollment raw = enrollment(ENVELOPE_ADAPTER);
        raw.setEnvelopePublicKey(HexFormat.of().formatHex(point));
        EnvelopeSignatureCheck check = check(raw, Clock.systemUTC());

        assertThat(check.check(HOSPITAL, ENVELOPE_ADAPTER, signed())).isEmpty();
        assertThat(check.check(HOSPITAL, ENVELOPE_ADAPTER, envelope.getBytes(StandardCharsets.UTF_8))).hasValueSatisfying(refusal -> {
            assertThat(refusal.rule()).isEqualTo("gw-envelope-cainfo");
            assertThat(refusal.message()).contains(": UNSIGNED (");
        });

        Enrollment notAPoint = enrollment(ENVELOPE_ADAPTER);
        notAPoint.setEnvelopePublicKey("04" + "01".repeat(64));
        assertThatThrownBy(() -> check(notAPoint, Clock.systemUTC())).hasMessageContaining("envelope-public-key of institution H11010500001");
    }

    @Test
    void anEnrolledCertificateOutsideItsValidityRefusesEvenCorrectlySignedEnvelopes() throws Exception {
        Enrollment enrolled = enrollment(ENVELOPE_ADAPTER);
        enrolled.setEnvelopeSigningCertificate(certificate(pki));
        assertThat(check(enrolled, Clock.systemUTC()).check(HOSPITAL, ENVELOPE_ADAPTER, signed())).isEmpty();

        Clock afterExpiry = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        assertThat(check(enrolled, afterExpiry).check(HOSPITAL, ENVELOPE_ADAPTER, signed())).hasValueSatisfying(refusal -> {
            assertThat(refusal.rule()).isEqualTo("gw-envelope-cainfo");
            assertThat(refusal.message()).contains(": CERTIFICATE_NOT_VALID (").contains("CN=H11010500001");
            assertThat(refusal.messageZh()).contains("有效期");
        });
    }
}
