package io.yibao.signatures;

import io.yibao.certs.BouncyCastle;
import io.yibao.certs.Credentials;
import io.yibao.certs.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away root → intermediate → signing-leaf PKI for tests, for either key family, with the
 * leaf's validity chosen by the test (to make expired and not-yet-valid leaves).
 */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final KeyAlgorithm algorithm;
    final X509Certificate root;
    final X509Certificate intermediate;
    final Credentials signing;

    private final KeyPair intermediateKeys;

    private TestPki(KeyAlgorithm algorithm, String name, Instant leafNotBefore, Instant leafNotAfter, boolean leafMaySign) {
        try {
            this.algorithm = algorithm;
            Instant now = Instant.now();
            KeyPair rootKeys = keyPair(algorithm);
            this.root = certificate(algorithm, "CN=" + name + " Root,O=Yibao Test", rootKeys.getPublic(), "CN=" + name + " Root,O=Yibao Test",
                    rootKeys.getPrivate(), now.minus(Duration.ofDays(3650)), now.plus(Duration.ofDays(3650)), true, true);
            this.intermediateKeys = keyPair(algorithm);
            this.intermediate = certificate(algorithm, "CN=" + name + " Intermediate,O=Yibao Test", intermediateKeys.getPublic(),
                    "CN=" + name + " Root,O=Yibao Test", rootKeys.getPrivate(), now.minus(Duration.ofDays(1825)), now.plus(Duration.ofDays(1825)), true, true);
            KeyPair leafKeys = keyPair(algorithm);
            X509Certificate leaf = certificate(algorithm, "CN=" + name + " Gateway Signing,O=示例医院,C=CN", leafKeys.getPublic(),
                    "CN=" + name + " Intermediate,O=Yibao Test", intermediateKeys.getPrivate(), leafNotBefore, leafNotAfter, false, leafMaySign);
            this.signing = new Credentials(leafKeys.getPrivate(), List.of(leaf, intermediate, root));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test PKI", e);
        }
    }

    static TestPki create(KeyAlgorithm algorithm) {
        Instant now = Instant.now();
        return new TestPki(algorithm, algorithm.name(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
    }

    static TestPki withLeafValidity(KeyAlgorithm algorithm, Instant notBefore, Instant notAfter) {
        return new TestPki(algorithm, algorithm.name(), notBefore, notAfter, true);
    }

    static TestPki withLeafThatMayNotSign(KeyAlgorithm algorithm) {
        Instant now = Instant.now();
        return new TestPki(algorithm, algorithm.name(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false);
    }

    static KeyPair keyPair(KeyAlgorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyAlgorithm(), BouncyCastle.provider());
        generator.initialize(new ECGenParameterSpec(algorithm.curve()));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(KeyAlgorithm algorithm, String subject, PublicKey key, String issuer, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, boolean ca, boolean maySign) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        int usage = ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : (maySign ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation : KeyUsage.keyEncipherment);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        var signer = new JcaContentSignerBuilder(algorithm.certificateSignatureAlgorithm()).setProvider(BouncyCastle.provider()).build(issuerKey);
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(signer));
    }
}
