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
 * Messages through the pipeline a chunk at a time: the messages waiting together on the inbox (route
 * {@code pipeline-process}) or a chunk of batch records (route {@code pipeline-chunk}). Each RECEIVED message is
 * translated and validated on its own, the valid ones are signed together under one signature, each still verifiable
 * alone ({@link MessageProcessor#prepareAll}), and each stays a message of its own (status, quarantine, replay, dead letter);
 * the chunk's results are recorded in one transaction, its signed messages
 * forwarded in one transmission ({@link Forwarder#forwardAll}), the deliveries recorded in one transaction. Per
 * message, this saves the broker hop to the outbox, three commits and one HTTPS request of forwarding messages one by
 * one (docs/benchmarks.md).
 *
 * <p>Idempotent: a message already signed (its chunk redelivered after a crash) is forwarded without being processed
 * again, one already final is left as it is, and the platform dedupes by message id. What the transmission did not
 * settle goes to the outbox, message by message. An exception (a defect, the database gone) rolls the chunk back
 * before anything of it is recorded; the broker redelivers its messages (inbox messages mostly one by one, see
 * {@link ChunkingListenerContainers}), and after the broker's redeliveries a message still RECEIVED is queued again by
 * the recovery sweep.
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

    /** The message ids of a chunk queue message. */
    public static List<String> ids(String chunk) {
        return Arrays.asList(chunk.split(ID_SEPARATOR));
    }

    /** Processes and forwards the messages; returns the ids to forward on their own (through the outbox). */
    public List<String> process(List<String> ids) {
        List<LedgerEntry> received = new ArrayList<>();
        List<String> signedBefore = new ArrayList<>();
        for (LedgerEntry entry : ledger.findAllForProcessing(ids)) {
            if (entry.status() == MessageStatus.RECEIVED) {
                received.add(entry);
            } else if (entry.status() == MessageStatus.SIGNED) {
                signedBefore.add(entry.id());
            }
        }
        Map<String, Prepared> prepared = new HashMap<>();
        List<MessageProcessor.Result> results = processor.prepareAll(received);
        for (int i = 0; i < received.size(); i++) {
            prepared.put(received.get(i).id(), new Prepared(received.get(i), results.get(i)));
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
