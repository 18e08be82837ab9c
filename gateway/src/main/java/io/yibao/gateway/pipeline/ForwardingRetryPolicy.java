package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.platform.PlatformCircuitOpenException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Whether to try forwarding a message again (the {@code retryWhile} of {@link ForwardingErrorHandling}):
 * a message gets {@code yibao.forwarding.maximum-attempts} real calls to the platform; a try that the
 * open circuit breaker refused did not call the platform and does not count, so while the breaker is
 * open the message keeps waiting (with the back-off, up to {@code maximum-delay} between tries) instead
 * of running out of attempts. Camel evaluates this once per failed try.
 */
public class ForwardingRetryPolicy implements Predicate {
    /** Exchange property: failed calls that reached (or tried to reach) the platform. */
    static final String FAILED_CALLS = "yibaoFailedPlatformCalls";

    private final int maximumAttempts;

    public ForwardingRetryPolicy(GatewayProperties.Forwarding forwarding) {
        this.maximumAttempts = forwarding.getMaximumAttempts();
    }

    @Override
    public boolean matches(Exchange exchange) {
        if (isCircuitOpen(exchange)) {
            return true;
        }
        int failed = exchange.getProperty(FAILED_CALLS, 0, Integer.class) + 1;
        exchange.setProperty(FAILED_CALLS, failed);
        return failed < maximumAttempts;
    }

    /**
     * Whether a message whose tries ended is still waiting for the platform rather than out of attempts: its last try
     * was refused by the open breaker (then nothing was sent), or the gateway is stopping and Camel refused the next
     * try ({@link RejectedExecutionException}, with {@code allowRedeliveryWhileStopping(false)}).
     */
    static boolean isStillWaiting(Exchange exchange) {
        Throwable failure = failure(exchange);
        return failure instanceof PlatformCircuitOpenException || failure instanceof RejectedExecutionException;
    }

    /** Whether the last try was refused by the open breaker (then nothing was sent). */
    static boolean isCircuitOpen(Exchange exchange) {
        return failure(exchange) instanceof PlatformCircuitOpenException;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
