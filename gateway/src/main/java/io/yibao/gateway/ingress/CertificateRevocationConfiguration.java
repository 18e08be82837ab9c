package io.yibao.gateway.ingress;

import io.yibao.certs.CertificateRevocation;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.TlsConfiguration;
import io.yibao.gateway.operations.ClientCertificateExpiry;
import java.time.Clock;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The revocation check of every ingress ({@link CertificateRevocation}) and its HTTPS choke point on {@code /api/*}. */
@Configuration(proxyBeanMethods = false)
public class CertificateRevocationConfiguration {

    @Bean
    RevocationListDownloads revocationListDownloads(GatewayProperties properties) {
        GatewayProperties.Ingress ingress = properties.getIngress();
        return new RevocationListDownloads(ingress.getRevocationListDownloads(), ingress.getRevocationLists(),
                ingress.getRevocationDownloadInterval());
    }

    /**
     * {@code sslBundles}: the gateway's SSL bundle creates the development PKI, whose CAs sign the CRLs, when there is
     * none. The CRLs to download are downloaded once first, so that the first look at the files finds them.
     */
    @Bean
    CertificateRevocation certificateRevocation(GatewayProperties properties, Clock clock, SslBundles sslBundles,
                                                RevocationListDownloads downloads) {
        sslBundles.getBundle(TlsConfiguration.BUNDLE);
        downloads.downloadAll();
        return new CertificateRevocation(properties.getIngress().getRevocationLists(), properties.getPki(),
                properties.getIngress().getRevocationRefreshInterval(), clock);
    }

    /** Before anything else of the API: a caller with a revoked certificate learns only that. */
    @Bean
    FilterRegistrationBean<RevokedCertificateFilter> revokedCertificateFilter(CertificateRevocation revocation, ClientCertificateExpiry expiry) {
        FilterRegistrationBean<RevokedCertificateFilter> registration = new FilterRegistrationBean<>(new RevokedCertificateFilter(revocation, expiry));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
