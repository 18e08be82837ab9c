package io.yibao.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.operations.RevocationListsHealthIndicator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.actuate.health.Status;

/**
 * {@link CertificateRevocation} against the development PKI's real CRLs, EC and SM2: revoked leaves and intermediates,
 * a CRL signed by the wrong key, a stale CRL, files replaced while it runs, and what the health endpoint shows.
 */
class CertificateRevocationTest {
    private static final String PHARMACY = DevPki.clientLeafName("P11010500002");
    private static final String BANK = DevPki.clientLeafName("B11010500003");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRevokedLeafIsFoundWithItsDateAndReasonAndTheOthersAreNot(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        DevPki.Revocation revocation = DevPki.revoke(pki, algorithm, PHARMACY, CRLReason.KEY_COMPROMISE);
        CertificateRevocation revocations = new CertificateRevocation(List.of(), pki, Duration.ofSeconds(5), Clock.systemUTC());

        CertificateRevocation.Revoked revoked = revocations.check(chain(pki, algorithm, PHARMACY)).orElseThrow();

        assertThat(revoked.position()).isZero();
        assertThat(revoked.certificate().getSerialNumber()).isEqualTo(revocation.serialNumber());
        assertThat(revoked.revocationDate()).isEqualTo(revocation.revocationDate());
        assertThat(revoked.reason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(revocations.check(chain(pki, algorithm, BANK))).isEmpty();
        KeyAlgorithm other = algorithm == KeyAlgorithm.SM2 ? KeyAlgorithm.EC_P256 : KeyAlgorithm.SM2;
        assertThat(revocations.check(chain(pki, other, PHARMACY))).as("the other hierarchy's certificate of the same name").isEmpty();
        EnrollmentRegistry.Refusal refusal = RevokedCertificateRefusal.of(revoked, "client certificate", "客户端证书");
        assertThat(refusal.rule()).isEqualTo("gw-certificate-revoked");
        assertThat(refusal.message()).startsWith("The client certificate (serial " + revocation.serialNumber().toString(16).toUpperCase())
                .contains("was revoked on " + revocation.revocationDate()).contains("KEY_COMPROMISE").contains("Intermediate CA")
                .doesNotContain("Pharmacy");
        assertThat(refusal.messageZh()).contains("客户端证书（序列号 ").contains("已于 " + revocation.revocationDate() + " 被吊销");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRevokedIntermediateRevokesEveryChainThroughIt(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        DevPki.revoke(pki, algorithm, DevPki.INTERMEDIATE, CRLReason.CA_COMPROMISE);
        CertificateRevocation revocations = new CertificateRevocation(List.of(), pki, Duration.ofSeconds(5), Clock.systemUTC());

        CertificateRevocation.Revoked revoked = revocations.check(chain(pki, algorithm, BANK)).orElseThrow();

        assertThat(revoked.position()).isEqualTo(1);
        assertThat(revoked.reason()).isEqualTo(CRLReason.CA_COMPROMISE);
        assertThat(RevokedCertificateRefusal.of(revoked, "client certificate", "客户端证书").message()).startsWith("A CA certificate in the chain of the client certificate");
        assertThat(revocations.check(List.of(leaf(pki, algorithm, BANK)))).as("the leaf alone: its issuer is not revoked by name").isEmpty();
    }

    /** Another PKI's intermediate has the same name but not the same key: its CRL listing our leaf must not be used. */
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aCrlSignedByAnotherKeyThanItsIssuersIsNotUsed(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        Path impostor = pki("impostor");
        Path hierarchy = DevPki.hierarchyDirectory(impostor, algorithm);
        Files.copy(DevPki.hierarchyDirectory(pki, algorithm).resolve(PHARMACY + ".pem"), hierarchy.resolve("stolen.pem"));
        DevPki.revoke(impostor, algorithm, "stolen", CRLReason.KEY_COMPROMISE);
        Path forged = hierarchy.resolve(DevPki.INTERMEDIATE_CRL);
        assertThat(DevPki.readRevocationList(forged).getIssuerX500Principal())
                .isEqualTo(leaf(pki, algorithm, DevPki.INTERMEDIATE).getSubjectX500Principal());

        CertificateRevocation revocations = new CertificateRevocation(List.of(forged), pki, Duration.ofSeconds(5), Clock.systemUTC());

        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isEmpty();
        assertThat(revocations.status()).singleElement().satisfies(status -> {
            assertThat(status.inUse()).isFalse();
            assertThat(status.problem()).contains("does not verify with the key of its issuer");
        });
        assertThat(new RevocationListsHealthIndicator(revocations).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aCrlPastItsNextUpdateStillAppliesAndIsReportedStale(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
        DevPki.revoke(pki, algorithm, PHARMACY, CRLReason.KEY_COMPROMISE, Clock.fixed(monthAgo, ZoneOffset.UTC), Period.ofDays(7));
        Path crl = DevPki.hierarchyDirectory(pki, algorithm).resolve(DevPki.INTERMEDIATE_CRL);
        CertificateRevocation revocations = new CertificateRevocation(List.of(crl), pki, Duration.ofSeconds(5), Clock.systemUTC());

        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();
        assertThat(revocations.status()).singleElement().satisfies(status -> {
            assertThat(status.inUse()).isTrue();
            assertThat(status.staleAt(revocations.now())).isTrue();
            assertThat(status.entries()).isEqualTo(1);
        });
        assertThat(new RevocationListsHealthIndicator(revocations).health().getStatus().getCode()).isEqualTo("STALE");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aCrlRewrittenWhileRunningIsPickedUpAfterTheRefreshInterval(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        SettableClock clock = new SettableClock(Instant.now());
        CertificateRevocation revocations = new CertificateRevocation(List.of(), pki, Duration.ofSeconds(5), clock);
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isEmpty();
        assertThat(new RevocationListsHealthIndicator(revocations).health().getStatus()).isEqualTo(Status.UP);

        DevPki.revoke(pki, algorithm, PHARMACY, CRLReason.KEY_COMPROMISE);
        clock.now = clock.now.plusSeconds(4);
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).as("within the refresh interval: not looked at yet").isEmpty();
        clock.now = clock.now.plusSeconds(1);
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();

        DevPki.revoke(pki, algorithm, BANK, CRLReason.SUPERSEDED);
        clock.now = clock.now.plusSeconds(5);
        assertThat(revocations.check(chain(pki, algorithm, BANK))).isPresent();
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aDerCrlReplacedByGarbageOrRemovedKeepsItsRevocations(KeyAlgorithm algorithm) throws Exception {
        Path pki = pki("pki");
        DevPki.revoke(pki, algorithm, PHARMACY, CRLReason.KEY_COMPROMISE);
        Path der = dir.resolve("intermediate.crl");
        Files.write(der, DevPki.readRevocationList(DevPki.hierarchyDirectory(pki, algorithm).resolve(DevPki.INTERMEDIATE_CRL)).getEncoded());
        CertificateRevocation revocations = new CertificateRevocation(List.of(der), pki, Duration.ZERO, Clock.systemUTC());
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();

        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "-----BEGIN X509 CRL-----\nnot a CRL\n-----END X509 CRL-----\n");
        Files.move(garbage, der, StandardCopyOption.REPLACE_EXISTING);
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();
        assertThat(revocations.status()).singleElement().satisfies(status -> {
            assertThat(status.inUse()).isTrue();
            assertThat(status.problem()).startsWith("unreadable");
        });

        Files.delete(der);
        assertThat(revocations.check(chain(pki, algorithm, PHARMACY))).isPresent();
        assertThat(revocations.status()).singleElement().satisfies(status -> assertThat(status.problem()).isEqualTo("missing"));
    }

    @Test
    void aConfiguredFileThatDoesNotExistIsReportedAndChecksNothing() throws Exception {
        Path pki = pki("pki");
        CertificateRevocation revocations = new CertificateRevocation(List.of(dir.resolve("nowhere.crl")), pki, Duration.ZERO,
                Clock.systemUTC());

        assertThat(revocations.check(chain(pki, KeyAlgorithm.EC_P256, PHARMACY))).isEmpty();
        assertThat(revocations.status()).singleElement().satisfies(status -> assertThat(status.problem()).isEqualTo("missing"));
        assertThat(new RevocationListsHealthIndicator(revocations).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aDevelopmentPkiFromBeforeCrlsLeavesTheGatewayRunningWithoutRevocationChecks() throws Exception {
        Path pki = pki("pki");
        for (Path crl : DevPki.revocationListFiles(pki)) {
            Files.delete(crl);
        }
        CertificateRevocation revocations = new CertificateRevocation(List.of(), pki, Duration.ZERO, Clock.systemUTC());

        assertThat(revocations.check(chain(pki, KeyAlgorithm.EC_P256, PHARMACY))).isEmpty();
        assertThat(revocations.status()).allSatisfy(status -> assertThat(status.problem()).isEqualTo(CertificateRevocation.MISSING));
        assertThat(new RevocationListsHealthIndicator(revocations).health().getStatus())
                .as("not DOWN: nothing was configured, and the gateway ran this way before CRLs existed").isEqualTo(Status.UNKNOWN);
    }

    private Path pki(String name) throws Exception {
        Path pki = dir.resolve(name);
        DevPki.init(pki);
        return pki;
    }

    private static List<X509Certificate> chain(Path pki, KeyAlgorithm algorithm, String leaf) throws Exception {
        return DevPki.credentials(pki, algorithm, leaf).chain();
    }

    private static X509Certificate leaf(Path pki, KeyAlgorithm algorithm, String name) throws Exception {
        return Credentials.readCertificates(DevPki.hierarchyDirectory(pki, algorithm).resolve(name + ".pem")).get(0);
    }
}
