package io.yibao.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.security.cert.CRLReason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enrolled SM2 envelope-signing certificate revoked on the SM2 intermediate's CRL: correctly signed envelopes are
 * refused with {@code gw-certificate-revoked} from the next check on, without a restart; before, they pass.
 */
class EnvelopeSigningCertificateRevokedTest {
    private static final String HOSPITAL = "H11010500001";
    private static final String ENVELOPE_ADAPTER = "nhsa-envelope-2204";

    @TempDir
    Path dir;

    @Test
    void aRevokedEnvelopeSigningCertificateRefusesEvenCorrectlySignedEnvelopes() throws Exception {
        Path pki = dir.resolve("pki");
        DevPki.init(pki);
        String leaf = DevPki.envelopeSigningLeafName(HOSPITAL);
        Enrollment enrollment = new Enrollment();
        enrollment.setAdapters(List.of(ENVELOPE_ADAPTER));
        enrollment.setEnvelopeSigningCertificate(DevPki.hierarchyDirectory(pki, KeyAlgorithm.SM2).resolve(leaf + ".chain.pem"));
        GatewayProperties properties = new GatewayProperties();
        properties.setPki(pki);
        properties.setEnrollments(Map.of(HOSPITAL, enrollment));
        EnvelopeSignatureCheck check = new EnvelopeSignatureCheck(properties, Adapters.discover(),
                new CertificateRevocation(List.of(), pki, Duration.ZERO, Clock.systemUTC()), Clock.systemUTC());
        String envelope = Files.readString(Path.of("../adapters/nhsa-envelope/src/main/resources/yibao-mappings/nhsa-envelope-2204/samples/"
                + "fee-details-2204.json"), StandardCharsets.UTF_8);
        byte[] signed = new EnvelopeSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, leaf).privateKey()).sign(envelope)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(check.check(HOSPITAL, ENVELOPE_ADAPTER, signed)).isEmpty();

        DevPki.Revocation revocation = DevPki.revoke(pki, KeyAlgorithm.SM2, leaf, CRLReason.KEY_COMPROMISE);

        assertThat(check.check(HOSPITAL, ENVELOPE_ADAPTER, signed)).hasValueSatisfying(refusal -> {
            assertThat(refusal.rule()).isEqualTo("gw-certificate-revoked");
            assertThat(refusal.message()).startsWith("The envelope-signing certificate enrolled for H11010500001 (serial "
                    + revocation.serialNumber().toString(16).toUpperCase(Locale.ROOT)).contains("SM2 Intermediate CA")
                    .contains("revoked on " + revocation.revocationDate());
            assertThat(refusal.messageZh()).startsWith("机构 H11010500001 登记的报文签名证书（序列号").contains("被吊销");
        });
    }
}
