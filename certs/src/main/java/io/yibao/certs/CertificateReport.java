package io.yibao.certs;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link CertificateInspector} found out about one certificate.
 *
 * @param entry where the certificate was found: {@code #n} (n-th certificate of a PEM or DER file) or
 *     {@code alias[i]} (i-th certificate of a PKCS#12 entry's chain)
 * @param subject subject name, RFC 2253 string (as {@code X500Principal.getName()})
 * @param issuer issuer name, RFC 2253 string
 * @param serialHex serial number as lower-case hexadecimal bytes (two digits per byte, as OpenSSL shows it)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param daysToExpiry whole days from the inspection instant to notAfter, rounded down; negative once expired
 * @param publicKey key description, e.g. {@code EC P-256 (secp256r1)}, {@code SM2 (sm2p256v1)}, {@code RSA 2048}
 * @param keyAlgorithm the gateway key family, if the key belongs to one
 * @param signatureAlgorithm signature algorithm name and OID, e.g. {@code SM3WITHSM2 (1.2.156.10197.1.501)}
 * @param certificateAuthority whether basicConstraints says cA
 * @param pathLength the CA's pathLenConstraint, if it has one
 * @param institutionCode the institution code in the subject CN, if it carries one
 */
public record CertificateReport(
        String entry,
        String subject,
        String issuer,
        String serialHex,
        Instant notBefore,
        Instant notAfter,
        long daysToExpiry,
        String publicKey,
        Optional<KeyAlgorithm> keyAlgorithm,
        String signatureAlgorithm,
        boolean certificateAuthority,
        OptionalInt pathLength,
        Optional<String> institutionCode) {

    /** Whether notAfter had passed at the inspection instant. */
    public boolean expired() {
        return daysToExpiry < 0;
    }

    /** Human-readable lines, one field per line, for {@code yibao certs inspect}. */
    public String format() {
        StringBuilder text = new StringBuilder()
                .append("Certificate ").append(entry).append('\n')
                .append(line("Subject", subject))
                .append(line("Issuer", issuer))
                .append(line("Serial", serialHex))
                .append(line("Not before", notBefore.toString()))
                .append(line("Not after", notAfter + " (" + expiry() + ")"))
                .append(line("Public key", publicKey))
                .append(line("Signature", signatureAlgorithm))
                .append(line("CA", certificateAuthority
                        ? pathLength.isPresent() ? "yes, path length " + pathLength.getAsInt() : "yes"
                        : "no"));
        institutionCode.ifPresent(code -> text.append(line("Institution", code)));
        return text.toString();
    }

    private String expiry() {
        if (daysToExpiry < 0) {
            return "EXPIRED " + -daysToExpiry + (daysToExpiry == -1 ? " day ago" : " days ago");
        }
        return daysToExpiry + (daysToExpiry == 1 ? " day left" : " days left");
    }

    private static String line(String label, String value) {
        return String.format("  %-13s %s%n", label + ":", value);
    }
}
