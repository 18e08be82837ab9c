package io.yibao.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA of the development PKI: its key and certificate, and the issuing of certificates below it.
 *
 * <p>SM2 certificates are signed with SM3withSM2 (OID 1.2.156.10197.1.501, no parameters) using Bouncy
 * Castle's default SM2 distinguishing identifier, which is the GM/T 0009 default user id
 * {@code 1234567812345678}; OpenSSL 3 verifies with the same default.
 */
record CertificateAuthority(KeyAlgorithm algorithm, PrivateKey privateKey, X509Certificate certificate) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static KeyPair generateKeyPair(KeyAlgorithm algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyAlgorithm(), BouncyCastle.provider());
        generator.initialize(new ECGenParameterSpec(algorithm.curve()), RANDOM);
        return generator.generateKeyPair();
    }

    /** A new self-signed root CA; pathLen 1 leaves room for exactly one intermediate level. */
    static CertificateAuthority root(KeyAlgorithm algorithm, X500Name subject, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPair keyPair = generateKeyPair(algorithm);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
            SubjectKeyIdentifier keyIdentifier = keyIdentifier(keyPair.getPublic());
            addCaExtensions(builder, 1, keyIdentifier);
            // RFC 5280 §4.2.1.1: a self-signed CA may omit the AKI; OpenSSL and most tools include it.
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyIdentifier.getKeyIdentifier()));
            return new CertificateAuthority(algorithm, keyPair.getPrivate(), sign(builder, algorithm, keyPair.getPrivate()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode root CA extensions", e);
        }
    }

    /** A new intermediate CA below this one, allowed to issue end-entity certificates only (pathLen 0). */
    CertificateAuthority intermediate(X500Name subject, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPair keyPair = generateKeyPair(algorithm);
        try {
            X509v3CertificateBuilder builder = childBuilder(subject, keyPair.getPublic(), notBefore, notAfter);
            addCaExtensions(builder, 0, keyIdentifier(keyPair.getPublic()));
            return new CertificateAuthority(algorithm, keyPair.getPrivate(), sign(builder, algorithm, privateKey));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode intermediate CA extensions", e);
        }
    }

    /** An end-entity certificate for {@code publicKey}. */
    X509Certificate issue(X500Name subject, PublicKey publicKey, LeafProfile profile, Instant notBefore,
            Instant notAfter) throws GeneralSecurityException {
        try {
            X509v3CertificateBuilder builder = childBuilder(subject, publicKey, notBefore, notAfter);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, profile.keyUsage());
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, keyIdentifier(publicKey));
            if (!profile.hostNames().isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                profile.hostNames().forEach(host -> names.add(new GeneralName(GeneralName.dNSName, host)));
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(builder, algorithm, privateKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode certificate extensions for " + subject, e);
        }
    }

    /**
     * A CRL (X.509 v2, RFC 5280 §5) of this CA, signed with its key: the entries of {@code previous} (if any) plus
     * {@code revoked} (if not null) revoked at {@code thisUpdate}, with the AKI and the CRL number that §5.2.1 and
     * §5.2.3 require of a conforming CA. A reason {@link CRLReason#UNSPECIFIED} is left out of the entry (§5.3.1).
     */
    X509CRL revocationList(Instant thisUpdate, Instant nextUpdate, BigInteger number, X509CRL previous,
            X509Certificate revoked, CRLReason reason) throws GeneralSecurityException {
        try {
            JcaX509CertificateHolder issuer = new JcaX509CertificateHolder(certificate);
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer.getSubject(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            if (previous != null) {
                builder.addCRL(new X509CRLHolder(previous.getEncoded()));
            }
            if (revoked != null) {
                builder.addCRLEntry(revoked.getSerialNumber(), Date.from(thisUpdate), reason.ordinal());
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                    SubjectKeyIdentifier.fromExtensions(issuer.getExtensions()).getKeyIdentifier()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            return new JcaX509CRLConverter().setProvider(BouncyCastle.provider()).getCRL(builder.build(signer(algorithm, privateKey)));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode the CRL of " + certificate.getSubjectX500Principal(), e);
        }
    }

    private X509v3CertificateBuilder childBuilder(X500Name subject, PublicKey publicKey, Instant notBefore,
            Instant notAfter) throws CertIOException, GeneralSecurityException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, randomSerial(),
                Date.from(notBefore), Date.from(notAfter), subject, publicKey);
        // RFC 5280 §4.2.1.1: the AKI key identifier is the issuer's own SKI.
        SubjectKeyIdentifier issuerKeyIdentifier =
                SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions());
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new AuthorityKeyIdentifier(issuerKeyIdentifier.getKeyIdentifier()));
        return builder;
    }

    private static void addCaExtensions(X509v3CertificateBuilder builder, int pathLength,
            SubjectKeyIdentifier keyIdentifier) throws CertIOException {
        // RFC 5280 §4.2.1.9 and §4.2.1.3: both MUST be critical in CA certificates.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, keyIdentifier);
    }

    /** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
    private static SubjectKeyIdentifier keyIdentifier(PublicKey publicKey) throws GeneralSecurityException {
        return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey);
    }

    /** A random positive 128-bit serial number (RFC 5280 §4.1.2.2 allows up to 20 octets). */
    private static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyAlgorithm algorithm, PrivateKey signingKey)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider())
                .getCertificate(builder.build(signer(algorithm, signingKey)));
    }

    private static ContentSigner signer(KeyAlgorithm algorithm, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(algorithm.certificateSignatureAlgorithm())
                    .setProvider(BouncyCastle.provider())
                    .setSecureRandom(RANDOM)
                    .build(signingKey);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create a " + algorithm.certificateSignatureAlgorithm() + " signer", e);
        }
    }
}
