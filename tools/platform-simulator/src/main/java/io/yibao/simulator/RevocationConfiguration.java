package io.yibao.simulator;

import io.yibao.certs.CertificateRevocation;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The CRLs of the PKI's CAs ({@code simulator.revocation-lists}), asked about every caller's TLS chain
 * ({@link RevokedCallerFilter}) and every signer's chain ({@link MessageController}'s {@code SignatureVerifier}).
 */
@Configuration(proxyBeanMethods = false)
class RevocationConfiguration {

    @Bean
    CertificateRevocation certificateRevocation(SimulatorProperties properties, SimulatorPki pki) {
        return new CertificateRevocation(properties.revocationLists(), pki.directory(), properties.revocationRefreshInterval(),
                Clock.systemUTC());
    }

    @Bean
    FilterRegistrationBean<RevokedCallerFilter> revokedCallerFilter(CertificateRevocation revocation) {
        FilterRegistrationBean<RevokedCallerFilter> registration = new FilterRegistrationBean<>(new RevokedCallerFilter(revocation));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
