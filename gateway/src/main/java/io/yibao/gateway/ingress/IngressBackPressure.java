package io.yibao.gateway.ingress;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.platform.PlatformCircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Whether the gateway is too busy to accept another message: more messages wait in the pipeline than
 * {@code yibao.ingress.maximum-waiting}. Waiting means RECEIVED (to process) or SIGNED (to forward) in the
 * ledger, whatever the broker; SIGNED counts only while the platform's circuit breaker is closed, since
 * an open breaker means the platform is down and the gateway then keeps accepting and queueing (that is
 * what the ledger and the outbox are for). Without a limit, up to 200 Tomcat threads accepted messages
 * faster than the two-core pipeline could process and forward them, and the backlog only grew
 * (docs/benchmarks.md). The counts are taken at most every {@link #SAMPLE_PERIOD}, so the limit can be
 * overshot by what arrives in that time.
 */
@Component
public class IngressBackPressure {
    /** How often the waiting messages are counted; a batch waiting for room looks again after this long. */
    public static final Duration SAMPLE_PERIOD = Duration.ofMillis(200);

    private final MessageLedger ledger;
    private final PlatformCircuitBreaker breaker;
    private final Clock clock;
    private final int maximumWaiting;
    private final Duration retryAfter;
    private final AtomicLong sampledAtMillis = new AtomicLong(); // epoch: the first call samples
    private volatile long waiting;

    public IngressBackPressure(MessageLedger ledger, PlatformCircuitBreaker breaker, Clock clock, GatewayProperties properties) {
        this.ledger = ledger;
        this.breaker = breaker;
        this.clock = clock;
        this.maximumWaiting = properties.getIngress().getMaximumWaiting();
        this.retryAfter = properties.getIngress().getRetryAfter();
    }

    /** True if a new message should be refused for now. */
    public boolean isBusy() {
        return sampledWaiting() >= maximumWaiting;
    }

    /**
     * True if a batch may release {@code records} more records into the pipeline now. Batches get half
     * of the limit, so a large pharmacy or bank file is paced by the pipeline instead of filling it and
     * turning every hospital's single message away with 503 until the file has drained; a chunk larger
     * than that half still goes when nothing waits.
     */
    public boolean batchMayRelease(int records) {
        long waitingNow = sampledWaiting();
        return waitingNow == 0 || waitingNow + records <= maximumWaiting / 2;
    }

    private long sampledWaiting() {
        long now = clock.millis();
        long last = sampledAtMillis.get();
        if (now - last >= SAMPLE_PERIOD.toMillis() && sampledAtMillis.compareAndSet(last, now)) {
            long toForward = breaker.state() == CircuitBreaker.State.OPEN ? 0 : ledger.count(MessageStatus.SIGNED);
            waiting = ledger.count(MessageStatus.RECEIVED) + toForward;
        }
        return waiting;
    }

    /** How long a refused sender is asked to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
