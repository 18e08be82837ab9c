package io.yibao.gateway.platform;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The circuit breaker on forwarding ({@code yibao.forwarding.circuit-breaker.*}): when too many of the
 * recent calls to the platform failed (5xx, 408, 429, timeouts, connection failures), stop calling it
 * for a while. A refusal (4xx) is an answer, not a failure. While the breaker is open, forwarding fails
 * at once as "unavailable" without counting against a message's attempts (see
 * {@link io.yibao.gateway.pipeline.ForwardingRetryPolicy}), so messages wait and are never
 * dead-lettered merely because the breaker was open.
 */
@Validated
@ConfigurationProperties("yibao.forwarding.circuit-breaker")
public class CircuitBreakerProperties {
    /** Whether the breaker is on; off, every forwarding attempt calls the platform. */
    private boolean enabled = true;

    /** Percentage of failed calls in the sliding window at or above which the breaker opens. */
    @Min(1)
    @Max(100)
    private int failureRateThreshold = 50;

    /** Number of most recent calls the failure rate is computed over. */
    @Positive
    private int slidingWindowSize = 10;

    /** Calls needed in the window before the failure rate is judged at all. */
    @Positive
    private int minimumNumberOfCalls = 5;

    /** How long the breaker stays open before it lets trial calls through (half-open). */
    @NotNull
    private Duration waitDurationInOpenState = Duration.ofSeconds(30);

    /** Trial calls let through while half-open; all succeed: closed again; too many fail: open again. */
    @Positive
    private int permittedNumberOfCallsInHalfOpenState = 2;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getFailureRateThreshold() {
        return failureRateThreshold;
    }

    public void setFailureRateThreshold(int failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public int getSlidingWindowSize() {
        return slidingWindowSize;
    }

    public void setSlidingWindowSize(int slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    public int getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    public Duration getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    public int getPermittedNumberOfCallsInHalfOpenState() {
        return permittedNumberOfCallsInHalfOpenState;
    }

    public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
        this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
    }
}
