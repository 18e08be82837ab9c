package io.yibao.gateway.operations;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The {@code platform} health check ({@code yibao.platform.health.*}). */
@Validated
@ConfigurationProperties("yibao.platform.health")
public class PlatformHealthProperties {
    /** How long a reachability probe's result is reused, so health checks do not hammer the platform. */
    @NotNull
    private Duration cacheFor = Duration.ofSeconds(10);

    /** Time allowed for the probe's TCP connect and TLS handshake together. */
    @NotNull
    private Duration timeout = Duration.ofSeconds(3);

    public Duration getCacheFor() {
        return cacheFor;
    }

    public void setCacheFor(Duration cacheFor) {
        this.cacheFor = cacheFor;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
