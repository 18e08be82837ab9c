package io.yibao.simulator;

import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Mutual TLS from the development PKI: the same {@link Ssl} settings {@code server.ssl.*} would bind,
 * filled in from {@link SimulatorPki} (the store password is read from the PKI's
 * {@code store-password} file, so it never has to be configured). TLS 1.3 and 1.2 only; a client
 * certificate is required and must chain to the EC development root.
 */
@Configuration(proxyBeanMethods = false)
public class TlsConfiguration {

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> mutualTls(SimulatorPki pki) {
        return new MutualTlsCustomizer(pki);
    }

    /** Runs after Spring Boot's own customizer, so it replaces whatever {@code server.ssl} held. */
    static final class MutualTlsCustomizer
            implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {

        private final SimulatorPki pki;

        MutualTlsCustomizer(SimulatorPki pki) {
            this.pki = pki;
        }

        @Override
        public void customize(ConfigurableServletWebServerFactory factory) {
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setProtocol("TLS");
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            ssl.setKeyStore(pki.tlsKeyStore().toUri().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(pki.storePassword());
            ssl.setKeyAlias(io.yibao.certs.DevPki.PLATFORM_TLS);
            ssl.setTrustStore(pki.tlsTrustStore().toUri().toString());
            ssl.setTrustStoreType("PKCS12");
            ssl.setTrustStorePassword(pki.storePassword());
            ssl.setClientAuth(Ssl.ClientAuth.NEED);
            factory.setSsl(ssl);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
