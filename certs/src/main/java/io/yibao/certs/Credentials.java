package io.yibao.certs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A private key with its certificate chain (leaf first), loaded from a PKCS#12 store or PEM files.
 * This is what a signer or a TLS endpoint holds.
 */
public record Credentials(PrivateKey privateKey, List<X509Certificate> chain) {

    public Credentials {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least its own certificate");
        }
        chain = List.copyOf(chain);
    }

    /** The credential's own (leaf) certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Loads the first private-key entry of a PKCS#12 store. */
    public static Credentials fromPkcs12(Path store, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) keyStore.getKey(alias, password);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : keyStore.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new Credentials(key, chain);
            }
        }
        throw new GeneralSecurityException("no private key entry in " + store);
    }

    /** Loads an unencrypted PEM private key (PKCS#8 or SEC1) and a PEM certificate chain (leaf first). */
    public static Credentials fromPem(Path keyPem, Path certificatePem) throws IOException, GeneralSecurityException {
        return new Credentials(readPrivateKey(keyPem), readCertificates(certificatePem));
    }

    /** Reads an unencrypted PEM private key, PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        return readPrivateKey(pem, null);
    }

    /**
     * Reads a PEM private key: unencrypted PKCS#8 or SEC1, or, with its password, encrypted PKCS#8 ("ENCRYPTED PRIVATE
     * KEY", as {@code openssl pkcs8 -topk8} writes) or OpenSSL's encrypted SEC1 ("Proc-Type: 4,ENCRYPTED").
     *
     * @param password the key's password, or null for an unencrypted key
     * @throws EncryptedKeyException if the key is encrypted and no password was given
     * @throws IOException if there is no key, or the password does not open it
     */
    public static PrivateKey readPrivateKey(Path pem, char[] password) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BouncyCastle.provider());
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(pem, password);
                    try {
                        return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(password)));
                    } catch (PKCSException | OperatorCreationException e) {
                        throw new IOException("the password does not open the private key in " + pem, e);
                    }
                }
                if (o instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(pem, password);
                    try {
                        return converter.getKeyPair(encrypted.decryptKeyPair(
                                new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(password))).getPrivate();
                    } catch (PEMException e) {
                        throw new IOException("the password does not open the private key in " + pem, e);
                    }
                }
            }
        }
        throw new IOException("no private key in " + pem);
    }

    /** Whether a file holds PEM text (a {@code -----BEGIN} line) rather than a binary store such as PKCS#12. */
    public static boolean isPem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            return new String(head, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
        }
    }

    private static void requirePassword(Path pem, char[] password) throws EncryptedKeyException {
        if (password == null) {
            throw new EncryptedKeyException("the private key in " + pem + " is encrypted: its password is needed");
        }
    }

    /** A key or store that is protected by a password, read without one. */
    public static final class EncryptedKeyException extends IOException {
        public EncryptedKeyException(String message) {
            super(message);
        }
    }

    /** Reads every certificate of a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BouncyCastle.provider());
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + pem);
        }
        return certificates;
    }
}
