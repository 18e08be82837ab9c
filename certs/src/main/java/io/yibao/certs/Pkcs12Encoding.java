package io.yibao.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.util.PBKDF2Config;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Encodes PKCS#12 stores the way OpenSSL 3 writes them by default (RFC 7292 with RFC 8018 PBES2):
 * key and certificates encrypted with AES-256-CBC under PBKDF2-HMAC-SHA256, integrity by an
 * HMAC-SHA256 MAC. Built with bcpkix directly rather than a JCA {@code KeyStore} so the algorithms are
 * fixed here, whatever the key type (EC or SM2).
 */
final class Pkcs12Encoding {

    private static final int ITERATIONS = 10_000;

    private Pkcs12Encoding() {}

    /** A store with one private-key entry named {@code alias} and its chain (leaf first). */
    static byte[] keyStore(String alias, PrivateKey privateKey, List<X509Certificate> chain, char[] password)
            throws GeneralSecurityException, IOException {
        DEROctetString localKeyId = new DEROctetString(
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(chain.get(0).getPublicKey()).getKeyIdentifier());
        List<PKCS12SafeBag> certificateBags = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(chain.get(i));
            if (i == 0) {
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
            }
            certificateBags.add(bag.build());
        }
        PKCS12SafeBag keyBag = new JcaPKCS12SafeBagBuilder(privateKey, encryptor(password))
                .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias))
                .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId)
                .build();
        try {
            return new PKCS12PfxPduBuilder()
                    .addEncryptedData(encryptor(password), certificateBags.toArray(PKCS12SafeBag[]::new))
                    .addData(keyBag)
                    .build(macCalculator(), password)
                    .getEncoded(ASN1Encoding.DER);
        } catch (PKCSException e) {
            throw new GeneralSecurityException("cannot build the PKCS#12 store for " + alias, e);
        }
    }

    /**
     * A store with one trusted-certificate entry. The Oracle trusted-key-usage attribute is what makes
     * the JDK's PKCS12 {@code KeyStore} treat a bare certificate as a trust anchor (OpenSSL 3.2 writes
     * it with {@code -jdktrust}); other readers ignore it.
     */
    static byte[] trustStore(String alias, X509Certificate certificate, char[] password)
            throws GeneralSecurityException, IOException {
        PKCS12SafeBag bag = new JcaPKCS12SafeBagBuilder(certificate)
                .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias))
                .addBagAttribute(MiscObjectIdentifiers.id_oracle_pkcs12_trusted_key_usage,
                        KeyPurposeId.anyExtendedKeyUsage.toOID())
                .build();
        try {
            return new PKCS12PfxPduBuilder()
                    .addEncryptedData(encryptor(password), bag)
                    .build(macCalculator(), password)
                    .getEncoded(ASN1Encoding.DER);
        } catch (PKCSException e) {
            throw new GeneralSecurityException("cannot build the PKCS#12 trust store for " + alias, e);
        }
    }

    private static OutputEncryptor encryptor(char[] password) throws GeneralSecurityException {
        PBKDF2Config kdf = new PBKDF2Config.Builder()
                .withIterationCount(ITERATIONS)
                .withPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256))
                .withSaltLength(16)
                .build();
        try {
            return new JcePKCSPBEOutputEncryptorBuilder(kdf, NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(BouncyCastle.provider())
                    .build(password);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the PBES2 encryptor", e);
        }
    }

    private static JcePKCS12MacCalculatorBuilder macCalculator() {
        return new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                .setProvider(BouncyCastle.provider())
                .setIterationCount(ITERATIONS);
    }
}
