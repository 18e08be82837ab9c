package io.yibao.certs;

import java.security.PublicKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The two key families of the gateway's PKI: the international profile (ECDSA on NIST P-256 with
 * SHA-256) and the national one (SM2 with SM3, GM/T 0003 / GM/T 0009).
 */
public enum KeyAlgorithm {
    /** ECDSA on secp256r1 (NIST P-256), signatures SHA256withECDSA. */
    EC_P256("EC", "secp256r1", "SHA256withECDSA", "EC P-256"),
    /** SM2 on the curve sm2p256v1, signatures SM3withSM2. */
    SM2("EC", "sm2p256v1", "SM3withSM2", "SM2");

    private final String keyAlgorithm;
    private final String curve;
    private final String certificateSignatureAlgorithm;
    private final String displayName;

    KeyAlgorithm(String keyAlgorithm, String curve, String certificateSignatureAlgorithm, String displayName) {
        this.keyAlgorithm = keyAlgorithm;
        this.curve = curve;
        this.certificateSignatureAlgorithm = certificateSignatureAlgorithm;
        this.displayName = displayName;
    }

    /**
     * The family of a public key: an id-ecPublicKey key (RFC 5480) on P-256 or on the SM2 curve
     * (OID 1.2.156.10197.1.301); empty for any other key.
     */
    public static Optional<KeyAlgorithm> of(PublicKey publicKey) {
        AlgorithmIdentifier algorithm = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !(algorithm.getParameters() instanceof ASN1ObjectIdentifier curveOid)) {
            return Optional.empty();
        }
        for (KeyAlgorithm candidate : values()) {
            if (curveOid.equals(ECNamedCurveTable.getOID(candidate.curve))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Short human-readable name: "EC P-256" or "SM2". */
    public String displayName() {
        return displayName;
    }

    /** JCA key algorithm name ("EC" for both: SM2 keys are EC keys on the SM2 curve). */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** Named curve of the key pair. */
    public String curve() {
        return curve;
    }

    /** JCA signature algorithm used when this key signs a certificate. */
    public String certificateSignatureAlgorithm() {
        return certificateSignatureAlgorithm;
    }
}
