package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.gateway.platform.PlatformClient;
import io.yibao.gateway.platform.PlatformClient.PlatformRejectedException;
import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;
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

    /** Gives up on a message: DEAD_LETTERED with the reason; it can be replayed. */
    public void deadLetter(String id, String reason) {
        ledger.recordStatus(id, MessageStatus.DEAD_LETTERED, Outcomes.refusal(IssueType.TRANSIENT, "gw-forwarding-failed",
                "Forwarding to the platform failed: " + reason, "转发至医保信息平台失败：" + reason));
        log.warn("message {} dead-lettered: {}", id, reason);
        ledger.findForForwarding(id).ifPresent(entry -> metrics.count(MessageMetrics.Step.DEAD_LETTERED, entry.adapter(), entry.event()));
    }
}
