package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.gateway.platform.PlatformClient;
import io.yibao.gateway.platform.PlatformClient.EntryAnswer;
import io.yibao.gateway.platform.PlatformClient.PlatformRejectedException;
import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Forwards a signed message once: delivered messages are never sent again, and the platform dedupes by
 * the idempotency key (the message id) should a crash repeat a send. Unavailability propagates so the
 * route can retry; a refusal dead-letters at once, since retrying cannot change it.
 */
@Service
public class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final MessageLedger ledger;
    private final PlatformClient platform;
    private final MessageMetrics metrics;

    public Forwarder(MessageLedger ledger, PlatformClient platform, MessageMetrics metrics) {
        this.ledger = ledger;
        this.platform = platform;
        this.metrics = metrics;
    }

    public void forward(String id) throws PlatformUnavailableException {
        LedgerEntry entry = ledger.findForForwarding(id).orElseThrow(() -> new IllegalStateException("no ledger entry " + id));
        if (entry.status() != MessageStatus.SIGNED) {
            return;
        }
        String receipt;
        try {
            receipt = platform.forward(id, entry.canonical());
        } catch (PlatformRejectedException refused) {
            ledger.recordAttempt(id);
            deadLetter(id, refused.getMessage() + ": " + refused.response());
            return;
        } catch (PlatformUnavailableException | RuntimeException failed) {
            ledger.recordAttempt(id);
            throw failed;
        }
        // The attempt that delivered is counted in the delivered write itself: one ledger commit fewer per message.
        ledger.recordDelivered(id, receipt);
        log.info("message {} delivered", id);
        metrics.delivered(entry);
    }

    /**
     * Forwards signed messages in one transmission ({@link PlatformClient#forwardAll}) and records the delivered ones in
     * one transaction. Returns the ids that got no final answer, the whole transmission's failure included: the caller
     * puts them on the outbox, where each is forwarded on its own with the retries, the circuit breaker and the dead
     * letter of {@link #forward}. A message the platform refused is dead-lettered at once, as {@link #forward} does.
     */
    public List<String> forwardAll(List<LedgerEntry> signed) {
        if (signed.isEmpty()) {
            return List.of();
        }
        Map<String, EntryAnswer> answers;
        try {
            answers = platform.forwardAll(signed.stream().map(entry -> new PlatformClient.Outgoing(entry.id(), entry.canonical())).toList());
        } catch (PlatformUnavailableException | PlatformRejectedException | RuntimeException failed) {
            log.info("a transmission of {} messages failed ({}); each is forwarded on its own", signed.size(), failed.getMessage());
            metrics.transmission(false);
            return signed.stream().map(LedgerEntry::id).toList();
        }
        metrics.transmission(true);
        Map<String, String> receipts = new LinkedHashMap<>();
        List<String> again = new ArrayList<>();
        for (LedgerEntry entry : signed) {
            EntryAnswer answer = answers.get(entry.id());
            if (answer instanceof EntryAnswer.Delivered delivered) {
                receipts.put(entry.id(), delivered.receipt());
            } else if (answer instanceof EntryAnswer.Refused refused) {
                ledger.recordAttempt(entry.id());
                deadLetter(entry.id(), "platform refused the message with " + refused.status() + ": " + refused.outcome());
            } else {
                log.debug("message {} is forwarded on its own: {}", entry.id(), ((EntryAnswer.Unanswered) answer).reason());
                again.add(entry.id());
            }
        }
        Set<String> delivered = Set.copyOf(ledger.recordDelivered(receipts));
        for (LedgerEntry entry : signed) {
            if (delivered.contains(entry.id())) {
                log.debug("message {} delivered", entry.id());
                metrics.delivered(entry);
            }
        }
        // One INFO line per transmission, not per message: a batch of a million records would otherwise log a million lines.
        log.info("transmission of {} messages: {} delivered, {} dead-lettered, {} forwarded on their own", signed.size(), delivered.size(),
                signed.size() - receipts.size() - again.size(), again.size());
        return again;
    }

    /** Gives up on a message: DEAD_LETTERED with the reason; it can be replayed. */
    public void deadLetter(String id, String reason) {
        ledger.recordStatus(id, MessageStatus.DEAD_LETTERED, Outcomes.refusal(IssueType.TRANSIENT, "gw-forwarding-failed",
                "Forwarding to the platform failed: " + reason, "转发至医保信息平台失败：" + reason));
        log.warn("message {} dead-lettered: {}", id, reason);
        ledger.findForForwarding(id).ifPresent(entry -> metrics.count(MessageMetrics.Step.DEAD_LETTERED, entry.adapter(), entry.event()));
    }
}
