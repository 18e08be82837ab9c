package io.yibao.gateway.ingress;

import io.yibao.certs.CertificateRevocation;

/** The refusal of a message because a certificate it came with is revoked ({@link CertificateRevocation}), at every ingress. */
public final class RevokedCertificateRefusal {

    /** The rule of a refusal because a presented certificate is revoked (HTTP 403, MLLP AR). */
    public static final String RULE = "gw-certificate-revoked";

    private RevokedCertificateRefusal() {
    }

    /**
     * The refusal naming the certificate by serial number and issuer and its revocation date; {@code leaf} /
     * {@code leafZh} say what the chain's leaf is (e.g. "client certificate").
     */
    public static EnrollmentRegistry.Refusal of(CertificateRevocation.Revoked revoked, String leaf, String leafZh) {
        return new EnrollmentRegistry.Refusal(RULE,
                revoked.describe(leaf) + "; it is no longer accepted and nothing was recorded",
                revoked.describeZh(leafZh) + "，不再被接受；本报文未保存");
    }
}
