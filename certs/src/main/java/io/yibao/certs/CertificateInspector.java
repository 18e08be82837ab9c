package io.yibao.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;

/**
 * Describes the certificates of a file (PEM with any number of certificates, DER, or PKCS#12 with its
 * password): names, serial, validity and days to expiry, key and signature algorithms, CA flag and
 * institution code. The library behind {@code yibao certs inspect FILE}.
 */
public final class CertificateInspector {

    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private final Clock clock;

    /** An inspector that counts days to expiry from {@code clock}'s current instant. */
    public CertificateInspector(Clock clock) {
        this.clock = clock;
    }

    /** Inspects a PEM or DER certificate file. */
    public List<CertificateReport> inspect(Path file) throws IOException, GeneralSecurityException {
        return inspect(file, null);
    }

    /**
     * Inspects a PEM or DER certificate file, or, when it is neither PEM nor DER, a PKCS#12 store
     * opened with {@code password}.
     *
     * @throws GeneralSecurityException if the file holds no certificate, or a PKCS#12 store cannot be opened
     */
    public List<CertificateReport> inspect(Path file, char[] password) throws IOException, GeneralSecurityException {
        byte[] content = Files.readAllBytes(file);
        Map<String, X509Certificate> certificates;
        if (new String(content, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            certificates = numbered(readPem(content));
        } else if (password == null) {
            certificates = numbered(readDer(content, file));
        } else {
            certificates = readPkcs12(content, password);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        List<CertificateReport> reports = new ArrayList<>();
        certificates.forEach((entry, certificate) -> reports.add(inspect(certificate, entry)));
        return reports;
    }

    /** Inspects one certificate; {@code entry} says where it came from. */
    public CertificateReport inspect(X509Certificate certificate, String entry) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        int basicConstraints = certificate.getBasicConstraints();
        return new CertificateReport(
                entry,
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                Hex.toHexString(BigIntegers.asUnsignedByteArray(certificate.getSerialNumber())),
                certificate.getNotBefore().toInstant(),
                notAfter,
                Math.floorDiv(Duration.between(clock.instant(), notAfter).toSeconds(), SECONDS_PER_DAY),
                describe(certificate.getPublicKey()),
                KeyAlgorithm.of(certificate.getPublicKey()),
                new DefaultAlgorithmNameFinder().getAlgorithmName(new ASN1ObjectIdentifier(certificate.getSigAlgOID()))
                        + " (" + certificate.getSigAlgOID() + ")",
                basicConstraints >= 0,
                // getBasicConstraints() gives Integer.MAX_VALUE for a CA without pathLenConstraint
                basicConstraints >= 0 && basicConstraints != Integer.MAX_VALUE
                        ? OptionalInt.of(basicConstraints)
                        : OptionalInt.empty(),
                InstitutionIdentity.findCode(certificate));
    }

    /** All reports as human-readable text, separated by blank lines. */
    public static String format(List<CertificateReport> reports) {
        return reports.stream().map(CertificateReport::format).collect(Collectors.joining("\n"));
    }

    private static String describe(PublicKey publicKey) {
        Optional<KeyAlgorithm> family = KeyAlgorithm.of(publicKey);
        if (family.isPresent()) {
            return family.get().displayName() + " (" + family.get().curve() + ")";
        }
        if (publicKey instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        AlgorithmIdentifier algorithm = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                && algorithm.getParameters() instanceof ASN1ObjectIdentifier curve) {
            String name = ECNamedCurveTable.getName(curve);
            return "EC " + (name != null ? name : curve.getId());
        }
        return publicKey.getAlgorithm();
    }

    private static List<X509Certificate> readPem(byte[] content) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BouncyCastle.provider());
        try (PEMParser parser = new PEMParser(new StringReader(new String(content, StandardCharsets.US_ASCII)))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    private static List<X509Certificate> readDer(byte[] content, Path file) throws GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Certificate certificate : CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                    .generateCertificates(new ByteArrayInputStream(content))) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + " is neither PEM nor DER certificates"
                    + " (a PKCS#12 store needs its password)", e);
        }
        return certificates;
    }

    /** Every certificate of every entry, in alias order, each listed once under the first entry naming it. */
    private static Map<String, X509Certificate> readPkcs12(byte[] content, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
        try (InputStream in = new ByteArrayInputStream(content)) {
            store.load(in, password);
        }
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        List<String> aliases = Collections.list(store.aliases());
        Collections.sort(aliases);
        for (String alias : aliases) {
            Certificate[] chain = store.isKeyEntry(alias)
                    ? store.getCertificateChain(alias)
                    : new Certificate[] {store.getCertificate(alias)};
            for (int i = 0; chain != null && i < chain.length; i++) {
                if (!certificates.containsValue((X509Certificate) chain[i])) {
                    certificates.put(alias + "[" + i + "]", (X509Certificate) chain[i]);
                }
            }
        }
        return certificates;
    }

    private static Map<String, X509Certificate> numbered(List<X509Certificate> certificates) {
        Map<String, X509Certificate> numbered = new LinkedHashMap<>();
        for (int i = 0; i < certificates.size(); i++) {
            numbered.put("#" + (i + 1), certificates.get(i));
        }
        return numbered;
    }
}
