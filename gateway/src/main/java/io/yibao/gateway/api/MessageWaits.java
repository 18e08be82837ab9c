package io.yibao.gateway.api;

import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The waits of {@code GET /api/v1/messages/{id}?wait=…}, without a request thread each. A legacy system that blocks
 * until its message's final outcome used to hold one of Tomcat's 32 request threads for the whole wait, reading the
 * ledger every 50 ms: 32 such callers left the gateway no thread to accept anything else. Now the request is suspended
 * (Servlet async, a {@link DeferredResult}) and one thread of its own looks every {@value #TICK_MILLIS} ms, with one query
 * for all waiting messages, which of them are final; those, and the waits that reached their end, are answered with the
 * message as it then is. It reads the ledger, not an in-process event, so a message another node of a scale-out
 * finishes ends the wait the same way. Its own thread, not the shared scheduler's, so that a long sweep of another job
 * (retention, batch completion) never holds waiting callers.
 */
@Component
public class MessageWaits {
    private static final Logger log = LoggerFactory.getLogger(MessageWaits.class);
    static final long TICK_MILLIS = 100;
    /** How long past its end a wait may go unanswered before the servlet container answers it (a safety net only). */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final MessageLedger ledger;
    private final Clock clock;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "message-waits");
        thread.setDaemon(true);
        return thread;
    });

    private record Waiter(String id, Instant until, DeferredResult<ResponseEntity<?>> result) {}

    public MessageWaits(MessageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
        ticks.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A result answered with the message once it is final, or as it is after {@code wait}. */
    DeferredResult<ResponseEntity<?>> until(String id, Duration wait) {
        DeferredResult<ResponseEntity<?>> result = new DeferredResult<>(wait.plus(GRACE).toMillis());
        Waiter waiter = new Waiter(id, clock.instant().plus(wait), result);
        result.onTimeout(() -> answer(waiter));
        result.onCompletion(() -> waiters.remove(waiter));
        waiters.add(waiter);
        return result;
    }

    /** Messages waited for now. */
    public int waiting() {
        return waiters.size();
    }

    private void tick() {
        try {
            if (waiters.isEmpty()) {
                return;
            }
            List<Waiter> now = List.copyOf(waiters);
            Set<String> ids = new HashSet<>();
            now.forEach(waiter -> ids.add(waiter.id()));
            Set<String> finished = Set.copyOf(ledger.finalAmong(ids));
            Instant instant = clock.instant();
            for (Waiter waiter : now) {
                if (finished.contains(waiter.id()) || !instant.isBefore(waiter.until())) {
                    answer(waiter);
                }
            }
        } catch (RuntimeException e) {
            // a tick that fails (the ledger briefly unreachable) must not end the ticks: the next one tries again
            log.warn("waiting for message statuses: {}", e.toString());
        }
    }

    private void answer(Waiter waiter) {
        waiters.remove(waiter);
        if (waiter.result().isSetOrExpired()) {
            return;
        }
        LedgerEntry entry = ledger.find(waiter.id()).orElse(null);
        waiter.result().setResult(entry == null ? MessageController.notFound(waiter.id()) : ResponseEntity.ok(MessageView.of(entry)));
    }

    @PreDestroy
    void stop() {
        ticks.shutdownNow();
    }
}
