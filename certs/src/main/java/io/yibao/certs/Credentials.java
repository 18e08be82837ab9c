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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

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
            }
        }
        throw new IOException("no unencrypted private key in " + pem);
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
