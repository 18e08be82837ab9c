package io.yibao.gateway.mllp;

import io.yibao.certs.CertificateRevocation;
import io.yibao.gateway.config.TlsConfiguration;
import io.yibao.gateway.ingress.InboundReception;
import io.yibao.gateway.operations.ClientCertificateExpiry;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MLLP-over-TLS listener for HL7 v2 (on unless {@code yibao.mllp.enabled=false}).
 *
 * <p><b>Why Netty with camel-hl7's MLLP codec.</b> The gateway must know who is calling: the CN of the
 * client certificate, exactly as over HTTPS. Of the well-kept MLLP servers, camel-mllp (4.14 has
 * {@code sslContextParameters}) and HAPI's {@code HL7Service} both do TLS but neither tells the route
 * which certificate the peer presented, and HAPI hands over a decoded String, not the bytes. Camel's
 * netty component puts the TLS session on every exchange ({@code CamelNettySSLSession}) and requires a
 * client certificate with {@code needClientAuth}; the frames are cut by {@link MllpFrameDecoder} (a size
 * limit camel-hl7's decoder lacks, see there) and answered through camel-hl7's MLLP encoder: no
 * hand-written sockets or threads here. Processing runs on Netty's ordered executor, not the I/O
 * threads, so the ledger write
 * does not block the event loop; a connection carries one message at a time (original-mode MLLP).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "yibao.mllp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MllpProperties.class)
public class MllpConfiguration {

    /**
     * The SSL bundle {@code gateway} (the HTTPS server's key and trust stores) as Camel TLS parameters,
     * with a client certificate required and TLS 1.3/1.2 as on HTTPS.
     */
    @Bean
    SSLContextParameters mllpSslContextParameters(SslBundles sslBundles) {
        SslBundle bundle = sslBundles.getBundle(TlsConfiguration.BUNDLE);
        KeyStoreParameters keyStore = new KeyStoreParameters();
        KeyStore keys = bundle.getStores().getKeyStore();
        keyStore.setKeyStore(keys);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        String keyPassword = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword() : bundle.getStores().getKeyStorePassword();
        keyManagers.setKeyPassword(keyPassword);

        TrustManager trustManager = Arrays.stream(bundle.getManagers().getTrustManagers())
                .filter(X509TrustManager.class::isInstance).findFirst()
                .orElseThrow(() -> new IllegalStateException("the SSL bundle " + TlsConfiguration.BUNDLE + " has no X.509 trust manager"));
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setTrustManager(trustManager);

        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(ClientAuthentication.REQUIRE.name());
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(List.of("TLSv1.3", "TLSv1.2"));

        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setTrustManagers(trustManagers);
        parameters.setServerParameters(server);
        parameters.setSecureSocketProtocols(protocols);
        return parameters;
    }

    /**
     * MLLP frames (0x0B … 0x1C 0x0D) in, each frame's bytes out untouched (no charset, no LF→CR), at most
     * {@code yibao.ingress.maximum-message-size} of them ({@link MllpFrameDecoder}).
     */
    @Bean
    MllpFrameDecoder.Factory mllpDecoder(InboundReception reception) {
        return new MllpFrameDecoder.Factory(reception.maximumMessageSize());
    }

    /** The acknowledgement's bytes (already in the message's charset) framed. */
    @Bean
    HL7MLLPNettyEncoderFactory mllpEncoder() {
        return new HL7MLLPNettyEncoderFactory();
    }

    @Bean
    MllpReception mllpReception(InboundReception reception, CertificateRevocation revocation, ClientCertificateExpiry expiry,
                                MllpProperties properties) {
        return new MllpReception(reception, revocation, expiry, properties.getAdapter());
    }

    @Bean
    MllpIngressRoute mllpIngressRoute(MllpProperties properties, MllpReception reception) {
        return new MllpIngressRoute(properties, reception);
    }
}
