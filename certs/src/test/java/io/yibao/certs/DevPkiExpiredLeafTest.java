package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How other tests get already-expired leaves: a PKI created with a clock in the past. */
class DevPkiExpiredLeafTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path pki;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aPkiCreated400DaysAgoHasExpiredLeavesUnderValidCas(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki, DevPki.Options.defaults()
                .withClock(Clock.fixed(NOW.minus(Duration.ofDays(400)), ZoneOffset.UTC)));
        List<X509Certificate> chain = DevPkiPathValidationTest.chain(pki, algorithm, DevPki.GATEWAY_TLS);
        X509Certificate root = DevPki.rootCertificate(pki, algorithm);

        assertThatThrownBy(() -> DevPkiPathValidationTest.validate(chain, root, Date.from(NOW)))
                .isInstanceOf(CertPathValidatorException.class)
                .hasCauseInstanceOf(CertificateExpiredException.class);
        DevPkiPathValidationTest.validate(chain, root, Date.from(NOW.minus(Duration.ofDays(10))));

        List<CertificateReport> reports = new CertificateInspector(Clock.fixed(NOW, ZoneOffset.UTC))
                .inspect(DevPki.hierarchyDirectory(pki, algorithm).resolve(DevPki.GATEWAY_TLS + ".chain.pem"));
        assertThat(reports.get(0).daysToExpiry()).isEqualTo(-3);
        assertThat(reports.get(0).expired()).isTrue();
        assertThat(reports.get(0).format()).contains("(EXPIRED 3 days ago)");
        assertThat(reports.get(1).expired()).isFalse();
    }

    @Test
    void aShortLeafValidityExpiresLeavesOnly() throws Exception {
        DevPki.init(pki, DevPki.Options.defaults()
                .withClock(Clock.fixed(NOW.minus(Duration.ofDays(2)), ZoneOffset.UTC))
                .withLeafValidity(Period.ofDays(1)));

        CertificateInspector inspector = new CertificateInspector(Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(inspector.inspect(pki.resolve("sm2/client-P11010500002.pem")).get(0).daysToExpiry()).isEqualTo(-1);
        assertThat(inspector.inspect(pki.resolve("sm2/intermediate.pem")).get(0).expired()).isFalse();
    }
}
