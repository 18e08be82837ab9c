package io.yibao.gateway.config;

import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The TLS identity of the gateway, as the SSL bundle {@code gateway}: its server/client certificate
 * ({@code ec/gateway-tls.p12}) and the roots it trusts ({@code ec/truststore.p12}), with the password
 * from the PKI's {@code store-password} file. The HTTPS server (with {@code client-auth: need}) and
 * the platform client both use it, so one PKI directory configures every link.
 */
@Configuration(proxyBeanMethods = false)
public class TlsConfiguration {
    /** Name of the SSL bundle of the gateway's own TLS identity. */
    public static final String BUNDLE = "gateway";

    @Bean
    SslBundleRegistrar gatewaySslBundle(GatewayProperties properties) {
        return registry -> {
            Path pki = properties.getPki();
            try {
                if (!Files.exists(pki.resolve(DevPki.STORE_PASSWORD_FILE)) && properties.isCreateDevelopmentPki()) {
                    DevPki.init(pki);
                }
                String password = new String(DevPki.readStorePassword(pki));
                Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
                JksSslStoreDetails keyStore = new JksSslStoreDetails("PKCS12", null, ec.resolve(DevPki.GATEWAY_TLS + ".p12").toString(), password);
                JksSslStoreDetails trustStore = new JksSslStoreDetails("PKCS12", null, ec.resolve("truststore.p12").toString(), password);
                registry.registerBundle(BUNDLE, SslBundle.of(new JksSslStoreBundle(keyStore, trustStore)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot load the gateway's TLS identity from " + pki + ": " + e.getMessage(), e);
            }
        };
    }
}
