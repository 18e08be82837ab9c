package io.yibao.gateway.platform;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The circuit breaker between the gateway and the platform (resilience4j, count-based window). Calls
 * that found the platform unavailable are failures; answers, including refusals, are successes. It also
 * remembers the last failure, for the {@code platform} health indicator. Metrics:
 * {@code yibao_platform_circuit_breaker_state{state="closed|open|half_open"}} (1 for the current state) and
 * {@code yibao_platform_calls_not_permitted_total} (forwarding attempts the open breaker refused).
 */
@Component
public class PlatformCircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(PlatformCircuitBreaker.class);

    private final CircuitBreaker breaker;
    private final boolean enabled;
    private final Clock clock;
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;

    public PlatformCircuitBreaker(CircuitBreakerProperties properties, MeterRegistry meters, Clock clock) {
        this.enabled = properties.isEnabled();
        this.clock = clock;
        this.breaker = CircuitBreaker.of("platform", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.getSlidingWindowSize())
                .minimumNumberOfCalls(properties.getMinimumNumberOfCalls())
                .failureRateThreshold(properties.getFailureRateThreshold())
                .waitDurationInOpenState(properties.getWaitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(properties.getPermittedNumberOfCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> log.warn("platform circuit breaker {} ({})",
                event.getStateTransition(), lastFailure == null ? "no failure recorded" : "last failure: " + lastFailure));
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {
                CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
            Gauge.builder("yibao.platform.circuit.breaker.state", breaker, b -> b.getState() == state ? 1 : 0)
                    .description("1 for the current state of the circuit breaker on forwarding")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
        Counter notPermitted = Counter.builder("yibao.platform.calls.not.permitted")
                .description("Forwarding attempts refused by the open circuit breaker (the message waits)")
                .register(meters);
        breaker.getEventPublisher().onCallNotPermitted(event -> notPermitted.increment());
    }

    /** A call that was made: true if the breaker let it through (then {@link #succeeded} or {@link #failed} must follow). */
    public boolean tryAcquire() {
        return !enabled || breaker.tryAcquirePermission();
    }

    public void succeeded(long nanos) {
        if (enabled) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void failed(long nanos, Throwable failure) {
        lastFailure = failure.getMessage();
        lastFailureAt = clock.instant();
        if (enabled) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Failure rate of the window in percent, or -1 while fewer than the minimum number of calls were made. */
    public float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    /** The reason of the last failed call (never message content), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    public Instant lastFailureAt() {
        return lastFailureAt;
    }
}
