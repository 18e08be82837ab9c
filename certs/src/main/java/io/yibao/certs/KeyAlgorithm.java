package io.yibao.certs;

/**
 * The two key families of the gateway's PKI: the international profile (ECDSA on NIST P-256 with
 * SHA-256) and the national one (SM2 with SM3, GM/T 0003 / GM/T 0009).
 */
public enum KeyAlgorithm {
    /** ECDSA on secp256r1 (NIST P-256), signatures SHA256withECDSA. */
    EC_P256("EC", "secp256r1", "SHA256withECDSA"),
    /** SM2 on the curve sm2p256v1, signatures SM3withSM2. */
    SM2("EC", "sm2p256v1", "SM3withSM2");

    private final String keyAlgorithm;
    private final String curve;
    private final String certificateSignatureAlgorithm;

    KeyAlgorithm(String keyAlgorithm, String curve, String certificateSignatureAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        this.curve = curve;
        this.certificateSignatureAlgorithm = certificateSignatureAlgorithm;
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
