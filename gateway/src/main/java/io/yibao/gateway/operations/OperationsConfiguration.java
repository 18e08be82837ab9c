package io.yibao.gateway.operations;

import io.yibao.certs.CertificateRevocation;
import io.yibao.gateway.config.TlsConfiguration;
import io.yibao.gateway.platform.CircuitBreakerProperties;
import io.yibao.signatures.BundleSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Health, metrics and the circuit breaker on forwarding: their settings; the health of the gateway's own certificates. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PlatformHealthProperties.class, CircuitBreakerProperties.class})
public class OperationsConfiguration {

    /** Health component {@code signingCertificate}: the chain the gateway signs messages with. */
    @Bean
    OwnCertificateHealthIndicator signingCertificateHealthIndicator(BundleSigner signer, CertificateRevocation revocation) {
        return new OwnCertificateHealthIndicator("gateway's signing certificate", signer.certificateChain(), revocation);
    }

    /** Health component {@code tlsCertificate}: the chain of the {@code gateway} SSL bundle's key entry. */
    @Bean
    OwnCertificateHealthIndicator tlsCertificateHealthIndicator(SslBundles sslBundles, CertificateRevocation revocation)
            throws GeneralSecurityException {
        KeyStore store = sslBundles.getBundle(TlsConfiguration.BUNDLE).getStores().getKeyStore();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) certificate);
                }
                return new OwnCertificateHealthIndicator("gateway's TLS certificate", chain, revocation);
            }
        }
        throw new IllegalStateException("the SSL bundle " + TlsConfiguration.BUNDLE + " holds no key entry");
    }
}
