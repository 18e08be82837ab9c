package io.yibao.certs;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Tells which institution a (client) certificate belongs to: the institution code is the subject's
 * single common name. Call it on a certificate whose chain has already been validated.
 */
public final class InstitutionIdentity {

    private InstitutionIdentity() {}

    /**
     * The institution code in the subject CN of {@code certificate}.
     *
     * @throws IllegalArgumentException if the subject has no single CN or the CN is not a well-formed
     *     institution code
     */
    public static String codeOf(X509Certificate certificate) {
        String commonName = singleCommonName(certificate)
                .orElseThrow(() -> new IllegalArgumentException("certificate subject '"
                        + certificate.getSubjectX500Principal().getName()
                        + "' has no single CN, so it carries no institution code"));
        if (!Institution.isWellFormedCode(commonName)) {
            throw new IllegalArgumentException("certificate subject CN '" + commonName
                    + "' is not an institution code (12 characters: a letter, a 6-digit region code"
                    + " and a 5-digit sequence)");
        }
        return commonName;
    }

    /** The institution code in the subject CN of {@code certificate}, if it carries one. */
    public static Optional<String> findCode(X509Certificate certificate) {
        return singleCommonName(certificate).filter(Institution::isWellFormedCode);
    }

    private static Optional<String> singleCommonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] commonNames = subject.getRDNs(BCStyle.CN);
        if (commonNames.length != 1 || commonNames[0].isMultiValued()) {
            return Optional.empty();
        }
        ASN1Encodable value = commonNames[0].getFirst().getValue();
        return value instanceof ASN1String string ? Optional.of(string.getString()) : Optional.empty();
    }
}
