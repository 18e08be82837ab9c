package io.yibao.gateway.operations;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.TlsConfiguration;
import io.yibao.gateway.platform.PlatformCircuitBreaker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * Health component {@code platform}: can the gateway reach the platform, and is it forwarding?
 * <ul>
 *   <li>Reachability: a TCP connect and TLS handshake to the platform's host and port with the
 *       gateway's own SSL bundle ({@code gateway}), verifying the platform's certificate and host name
 *       as forwarding does. Nothing is sent; the result is reused for
 *       {@code yibao.platform.health.cache-for}.</li>
 *   <li>Forwarding: the circuit breaker's state; open means the platform kept failing (e.g. answering
 *       503) and forwarding is suspended.</li>
 * </ul>
 * DOWN, with the reason, when either fails. The platform being down does not stop the gateway: it keeps
 * accepting and queueing, so this component is in the root {@code /actuator/health} but not in the
 * {@code readiness} group (see {@code application.yaml}).
 */
@Component("platformHealthIndicator")
public class PlatformHealthIndicator implements HealthIndicator {
    private final SSLContext ssl;
    private final URI platform;
    private final Duration timeout;
    private final Duration cacheFor;
    private final PlatformCircuitBreaker breaker;
    private final Clock clock;
    private Probe last;

    @Autowired
    public PlatformHealthIndicator(SslBundles sslBundles, GatewayProperties gateway, PlatformHealthProperties properties,
                                   PlatformCircuitBreaker breaker, Clock clock) {
        this(sslBundles.getBundle(TlsConfiguration.BUNDLE).createSslContext(), gateway.getPlatform().getUrl(),
                properties.getTimeout(), properties.getCacheFor(), breaker, clock);
    }

    /** A probe of any endpoint with the given TLS identity (the bean probes the configured platform). */
    public PlatformHealthIndicator(SSLContext ssl, URI platform, Duration timeout, Duration cacheFor, PlatformCircuitBreaker breaker,
                                   Clock clock) {
        this.ssl = ssl;
        this.platform = platform;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.breaker = breaker;
        this.clock = clock;
    }

    /** One reachability probe: when, and the TLS protocol, or why it failed. */
    record Probe(Instant at, String protocol, String failure) {
        boolean reachable() {
            return failure == null;
        }
    }

    @Override
    public Health health() {
        Probe probe = probe();
        Health.Builder health = Health.up();
        if (!probe.reachable()) {
            health = Health.down().withDetail("reason", "unreachable: " + probe.failure());
        } else if (breaker.state() == CircuitBreaker.State.OPEN) {
            health = Health.down().withDetail("reason", "forwarding suspended: circuit breaker open, the platform kept failing"
                    + (breaker.lastFailure() == null ? "" : " (last: " + breaker.lastFailure() + ")"));
        }
        health.withDetail("endpoint", platform.getHost() + ":" + port())
                .withDetail("checkedAt", probe.at().toString());
        if (probe.reachable()) {
            health.withDetail("tls", probe.protocol());
        }
        if (breaker.isEnabled()) {
            health.withDetail("circuitBreaker", breaker.state().name());
            if (breaker.failureRate() >= 0) {
                health.withDetail("failureRate", breaker.failureRate());
            }
        }
        if (breaker.lastFailure() != null) {
            health.withDetail("lastFailure", breaker.lastFailure()).withDetail("lastFailureAt", breaker.lastFailureAt().toString());
        }
        return health.build();
    }

    private synchronized Probe probe() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.at().plus(cacheFor))) {
            last = handshake(now);
        }
        return last;
    }

    private Probe handshake(Instant now) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(platform.getHost(), port()), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, platform.getHost(), port(), false)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return new Probe(now, tls.getSession().getProtocol(), null);
            }
        } catch (IOException | RuntimeException e) {
            return new Probe(now, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private int port() {
        return platform.getPort() > 0 ? platform.getPort() : 443;
    }
}
