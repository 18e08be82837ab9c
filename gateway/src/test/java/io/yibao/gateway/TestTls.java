package io.yibao.gateway;

import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts from a development PKI for test clients; no state, so using it starts nothing. */
public final class TestTls {
    private TestTls() {}

    /** TLS trusting the EC root of a PKI, presenting the named leaf's certificate (or none). */
    public static SSLContext sslContext(Path pki, String leafName) {
        try {
            char[] password = DevPki.readStorePassword(pki);
            Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ec.resolve("truststore.p12"))) {
                trust.load(in, password);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (leafName != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(ec.resolve(leafName + ".p12"))) {
                    keys.load(in, password);
                }
                kmf.init(keys, password);
            } else {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                kmf.init(empty, password);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
