package io.yibao.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.certs.DevPki;
import io.yibao.certs.Institution;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * How soon the client certificates the institutions present run out: the gauge follows the soonest of the certificates
 * each institution presented last (a renewed one replaces the old), and an institution whose certificate expires
 * within 30 days is logged at WARN, once a day.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientCertificateExpiryTest {
    private static final String GAUGE = "yibao.client.certificate.expiry";

    @TempDir
    Path dir;

    @Test
    void theGaugeFollowsTheSoonestLastPresentedCertificateAndAnExpiringOneIsLoggedOnceADay(CapturedOutput output) throws Exception {
        Instant issued = Instant.parse("2026-01-05T00:00:00Z");
        Path pki = dir.resolve("pki");
        DevPki.init(pki, DevPki.Options.defaults().withClock(Clock.fixed(issued, ZoneOffset.UTC)));
        List<X509Certificate> hospital = chain(pki, "client-H11010500001");
        DevPki.issueClientCertificate(pki, KeyAlgorithm.EC_P256, synthetic("P11010500002"), "client-P11010500002-later"); // valid for longer
        List<X509Certificate> pharmacy = chain(pki, "client-P11010500002-later");
        Instant hospitalEnd = hospital.get(0).getNotAfter().toInstant();
        assertThat(pharmacy.get(0).getNotAfter().toInstant()).isAfter(hospitalEnd.plus(Duration.ofDays(200)));
        AtomicReference<Instant> now = new AtomicReference<>(hospitalEnd.minus(Duration.ofDays(100)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientCertificateExpiry expiry = new ClientCertificateExpiry(registry, clock(now));

        assertThat(gauge(registry)).as("before any institution called").isNaN();
        expiry.presented(hospital);
        expiry.presented(pharmacy);
        expiry.presented(List.of()); // no certificate: nothing to watch
        assertThat(gauge(registry)).as("the soonest: the hospital's").isEqualTo(Duration.ofDays(100).toSeconds());
        assertThat(output).doesNotContain("expires on");

        now.set(hospitalEnd.minus(Duration.ofDays(20)));
        expiry.presented(hospital);
        expiry.presented(hospital);
        assertThat(gauge(registry)).isEqualTo(Duration.ofDays(20).toSeconds());
        assertThat(output.getOut().split("client certificate of institution H11010500001", -1)).as("logged once").hasSize(2);
        assertThat(output).contains("client certificate of institution H11010500001 (serial "
                + hospital.get(0).getSerialNumber().toString(16).toUpperCase() + ", issuer CN=Yibao Dev EC P-256 Intermediate CA")
                .contains("expires on " + hospitalEnd + ", in 20 days");

        now.set(now.get().plus(Duration.ofDays(1)));
        expiry.presented(hospital);
        assertThat(output.getOut().split("client certificate of institution H11010500001", -1)).as("again a day later").hasSize(3);

        DevPki.issueClientCertificate(pki, KeyAlgorithm.EC_P256, synthetic("H11010500001"), "client-H11010500001-renewed");
        expiry.presented(chain(pki, "client-H11010500001-renewed"));
        assertThat(gauge(registry)).as("the renewed certificate replaced the one about to expire")
                .isGreaterThan(Duration.ofDays(200).toSeconds());
        assertThat(output.getOut().split("client certificate of institution", -1)).as("nothing more to log").hasSize(3);
    }

    private static Institution synthetic(String code) {
        return Institution.SYNTHETIC.stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow();
    }

    private static List<X509Certificate> chain(Path pki, String leafName) throws Exception {
        return DevPki.credentials(pki, KeyAlgorithm.EC_P256, leafName).chain();
    }

    private static double gauge(SimpleMeterRegistry registry) {
        return registry.get(GAUGE).gauge().value();
    }

    private static Clock clock(AtomicReference<Instant> now) {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get().truncatedTo(ChronoUnit.MILLIS);
            }
        };
    }
}
