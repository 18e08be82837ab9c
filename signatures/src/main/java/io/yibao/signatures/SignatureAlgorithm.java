package io.yibao.signatures;

import io.yibao.certs.BouncyCastle;
import io.yibao.certs.KeyAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/**
 * The two signature algorithms of the gateway, with their JWS names, the hashes of their signature trees and the raw
 * {@code r||s} signature encoding both profiles use (RFC 7518 §3.4; for SM2 the same 32+32 bytes).
 */
public enum SignatureAlgorithm {
    /** ECDSA on P-256 with SHA-256 (RFC 7518 §3.4). */
    ES256("ES256", KeyAlgorithm.EC_P256, "SHA256withECDSA", "SHA-256"),
    /**
     * SM2 with SM3 (GM/T 0003, GM/T 0009) and the default user ID {@code 1234567812345678}. Its JWS
     * name {@code SM3withSM2} is a private algorithm name (RFC 7518 §7.1 has no SM2 registration).
     */
    SM2("SM3withSM2", KeyAlgorithm.SM2, "SM3withSM2", "SM3");

    /** GM/T 0009-2012 §10: the default signer identity (user ID) that goes into Z_A. */
    public static final String SM2_DEFAULT_USER_ID = "1234567812345678";

    /** Length of a raw {@code r||s} signature for both curves. */
    public static final int RAW_SIGNATURE_LENGTH = 64;

    private final String jwsName;
    private final KeyAlgorithm keyAlgorithm;
    private final String jcaSignature;
    private final String digest;
    private final ECNamedCurveParameterSpec curve;

    SignatureAlgorithm(String jwsName, KeyAlgorithm keyAlgorithm, String jcaSignature, String digest) {
        this.jwsName = jwsName;
        this.keyAlgorithm = keyAlgorithm;
        this.jcaSignature = jcaSignature;
        this.digest = digest;
        this.curve = ECNamedCurveTable.getParameterSpec(keyAlgorithm.curve());
    }

    /** The JWS {@code alg} value. */
    public String jwsName() {
        return jwsName;
    }

    /** The key family this algorithm signs with. */
    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /** JCA name of the hash of the signature tree ({@code SHA-256} or {@code SM3}). */
    public String digestName() {
        return digest;
    }

    /** The algorithm whose JWS {@code alg} value this is. */
    public static Optional<SignatureAlgorithm> forJwsName(String jwsName) {
        return Arrays.stream(values()).filter(a -> a.jwsName.equals(jwsName)).findFirst();
    }

    /** The algorithm whose curve the key is on. */
    public static Optional<SignatureAlgorithm> forKey(Key key) {
        return Arrays.stream(values()).filter(a -> a.fitsKey(key)).findFirst();
    }

    /** Whether the key is an EC key on this algorithm's curve (compared by domain parameters, not names). */
    public boolean fitsKey(Key key) {
        if (!(key instanceof ECKey ecKey) || ecKey.getParams() == null) {
            return false;
        }
        ECParameterSpec params = ecKey.getParams();
        return params.getOrder().equals(curve.getN())
                && params.getCurve().getField() instanceof ECFieldFp field
                && field.getP().equals(curve.getCurve().getField().getCharacteristic())
                && params.getCurve().getA().equals(curve.getCurve().getA().toBigInteger())
                && params.getCurve().getB().equals(curve.getCurve().getB().toBigInteger());
    }

    /** A new instance of the algorithm's digest (SHA-256 or SM3), the hash of its signature trees ({@link SignatureTree}). */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digest, BouncyCastle.provider());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is not available from Bouncy Castle", e);
        }
    }

    /** A Bouncy Castle {@link Signature} initialised for signing (SM2 with the user ID). */
    Signature newSigner(PrivateKey key, String sm2UserId) throws GeneralSecurityException {
        Signature signature = newSignature(sm2UserId);
        signature.initSign(key);
        return signature;
    }

    /** A Bouncy Castle {@link Signature} initialised for verifying (SM2 with the user ID). */
    Signature newVerifier(PublicKey key, String sm2UserId) throws GeneralSecurityException {
        Signature signature = newSignature(sm2UserId);
        signature.initVerify(key);
        return signature;
    }

    private Signature newSignature(String sm2UserId) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(jcaSignature, BouncyCastle.provider());
        if (this == SM2) {
            // Bouncy Castle reads the user ID at init time, so it must be set before initSign/initVerify.
            signature.setParameter(new SM2ParameterSpec(sm2UserId.getBytes(StandardCharsets.US_ASCII)));
        }
        return signature;
    }

    /** DER {@code SEQUENCE {r, s}} as the JCA produces it → fixed-length {@code r||s}. */
    byte[] derToRaw(byte[] der) {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(curve.getN(), der);
            return PlainDSAEncoding.INSTANCE.encode(curve.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("provider produced a signature that is not DER", e);
        }
    }

    /**
     * Fixed-length {@code r||s} → DER for the JCA. Throws {@link IllegalArgumentException} for a
     * wrong length or values outside [1, n-1].
     */
    byte[] rawToDer(byte[] raw) {
        if (raw.length != RAW_SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("raw signature must be " + RAW_SIGNATURE_LENGTH + " bytes, was " + raw.length);
        }
        try {
            BigInteger[] rs = PlainDSAEncoding.INSTANCE.decode(curve.getN(), raw);
            return StandardDSAEncoding.INSTANCE.encode(curve.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("raw signature values out of range", e);
        }
    }
}
