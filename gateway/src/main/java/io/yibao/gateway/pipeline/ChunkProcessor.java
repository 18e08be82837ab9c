package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * A chunk of batch records through the pipeline at once (route {@code pipeline-chunk}): each RECEIVED record
 * translated, validated and signed as a single message is ({@link MessageProcessor#prepare}), the chunk's results
 * recorded in one transaction, and its signed records forwarded in one transmission ({@link Forwarder#forwardAll}),
 * the deliveries recorded in one transaction. Per record, this saves the two broker hops, three commits and one
 * HTTPS request the single-message path costs (docs/benchmarks.md).
 *
 * <p>Idempotent like the single-message steps: a record already signed (a redelivered chunk after a crash) is
 * forwarded without being processed again, one already final is left as it is, and the platform dedupes by message
 * id. What the transmission did not settle goes to the outbox, message by message. An exception (a bug, the
 * database gone) rolls the chunk back before anything of it is recorded; after the broker's redeliveries its records
 * are still RECEIVED and the recovery sweep queues each on its own.
 */
@Service
public class ChunkProcessor {
    /** Separates the message ids in a chunk's queue message (ids are UUIDs). */
    public static final String ID_SEPARATOR = ",";

    private final MessageLedger ledger;
    private final MessageProcessor processor;
    private final Forwarder forwarder;

    public ChunkProcessor(MessageLedger ledger, MessageProcessor processor, Forwarder forwarder) {
        this.ledger = ledger;
        this.processor = processor;
        this.forwarder = forwarder;
    }

    /** Processes and forwards the chunk; returns the ids to forward on their own (through the outbox). */
    public List<String> process(String chunk) {
        Map<String, Prepared> prepared = new HashMap<>();
        List<String> signedBefore = new ArrayList<>();
        for (LedgerEntry entry : ledger.findAllForProcessing(Arrays.asList(chunk.split(ID_SEPARATOR)))) {
            if (entry.status() == MessageStatus.RECEIVED) {
                prepared.put(entry.id(), new Prepared(entry, processor.prepare(entry)));
            } else if (entry.status() == MessageStatus.SIGNED) {
                signedBefore.add(entry.id());
            }
        }
        List<LedgerEntry> toForward = new ArrayList<>();
        for (String id : ledger.recordProcessed(prepared.values().stream().map(p -> p.result().processed()).toList())) {
            Prepared recorded = prepared.get(id);
            processor.recorded(recorded.entry(), recorded.result());
            if (recorded.result().status() == MessageStatus.SIGNED) {
                toForward.add(recorded.entry().processedAs(recorded.result().processed()));
            }
        }
        toForward.addAll(ledger.findAllForForwarding(signedBefore));
        return forwarder.forwardAll(toForward);
    }

    /** A RECEIVED record and what processing it came to, not recorded yet. */
    private record Prepared(LedgerEntry entry, MessageProcessor.Result result) {}
}
