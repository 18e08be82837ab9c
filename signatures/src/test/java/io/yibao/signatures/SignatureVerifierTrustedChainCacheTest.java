package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The verifier remembers chains that validated: a remembered chain must give exactly the answer a fresh
 * validation would, i.e. it stops being trusted when a certificate of the path leaves its validity, and
 * a failed chain is never remembered as good.
 */
class SignatureVerifierTrustedChainCacheTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aRememberedChainIsNoLongerTrustedOnceItsLeafExpires(SignatureAlgorithm algorithm) {
        Instant start = Instant.now().minus(Duration.ofHours(1));
        Instant leafEnd = Instant.now().plus(Duration.ofDays(1));
        TestPki pki = TestPki.withLeafValidity(algorithm.keyAlgorithm(), start, leafEnd);
        MovableClock clock = new MovableClock(Instant.now());
        SignatureVerifier verifier = new SignatureVerifier(List.of(pki.root), clock);
        String signed = new BundleSigner(pki.signing, algorithm, Clock.fixed(Instant.now(), ZoneOffset.UTC))
                .sign(SignedBundles.claimBundle());

        assertThat(verifier.verify(signed).status()).isEqualTo(Verification.Status.VALID);
        assertThat(verifier.verify(signed).status()).as("the remembered chain, same answer").isEqualTo(Verification.Status.VALID);

        clock.now = leafEnd.plus(Duration.ofMinutes(1));
        Verification afterExpiry = verifier.verify(signed);
        assertThat(afterExpiry.status()).isEqualTo(Verification.Status.EXPIRED_CERTIFICATE);
        assertThat(afterExpiry.message()).contains("expired");
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void anUntrustedChainStaysUntrustedAndDoesNotSpoilATrustedOne(SignatureAlgorithm algorithm) {
        TestPki trusted = TestPki.create(algorithm.keyAlgorithm());
        TestPki stranger = TestPki.create(algorithm.keyAlgorithm());
        SignatureVerifier verifier = new SignatureVerifier(List.of(trusted.root), Clock.systemUTC());
        String byStranger = new BundleSigner(stranger.signing, algorithm).sign(SignedBundles.claimBundle());
        String byTrusted = new BundleSigner(trusted.signing, algorithm).sign(SignedBundles.claimBundle());

        for (int i = 0; i < 2; i++) {
            assertThat(verifier.verify(byStranger).status()).isEqualTo(Verification.Status.UNTRUSTED_CERTIFICATE);
            assertThat(verifier.verify(byTrusted).status()).isEqualTo(Verification.Status.VALID);
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aRememberedChainStillNeedsTheSignatureAndContentToMatch(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        SignatureVerifier verifier = new SignatureVerifier(List.of(pki.root), Clock.systemUTC());
        String signed = new BundleSigner(pki.signing, algorithm).sign(SignedBundles.claimBundle());
        assertThat(verifier.verify(signed).status()).isEqualTo(Verification.Status.VALID);

        assertThat(verifier.verify(signed.replace("张三", "张四")).status()).isEqualTo(Verification.Status.CONTENT_ALTERED);
        String[] parts = SignedBundles.jws(signed).split("\\.", -1);
        String otherSignature = SignedBundles.jws(new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm)
                .sign(SignedBundles.claimBundle())).split("\\.", -1)[2];
        assertThat(verifier.verify(SignedBundles.withJws(signed, parts[0] + ".." + otherSignature)).status())
                .isEqualTo(Verification.Status.WRONG_KEY);
    }
}
