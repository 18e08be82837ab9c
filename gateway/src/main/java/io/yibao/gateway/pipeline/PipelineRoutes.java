package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.MessageStatus;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The durable hops of the pipeline: inbox (process) and outbox (forward) for single messages, and the chunk
 * queue through which batch records go a chunk at a time ({@link ChunkProcessor}), falling back to the outbox.
 * Queue messages carry only message ids; the payload, the canonical form and the state live in the ledger.
 * The consumers are transacted: a message leaves a
 * queue only when its step is recorded, so a crash at any point redelivers it, and the steps are
 * idempotent. Consumers are cached across messages (CACHE_CONSUMER): creating a session and consumer per
 * message cost 1.6x in throughput (docs/benchmarks.md).
 *
 * <p>{@link #TRANSACTED} makes a step's consumption and its sends one JMS transaction: the consumer's own
 * session, locally transacted, exposed to the route's producers (exposeListenerSession, which the Camel
 * starter turns off by default). Camel's default instead creates a JmsTransactionManager whose session
 * (not the cached consumer's) carries the sends, committed after the consumer's session had committed
 * the consumption: a crash between the two commits left a message consumed from the inbox and on no
 * other queue, SIGNED in the ledger (GatewayCrashRecoveryIT; PipelineHopIsOneBrokerTransactionTest).
 */
@Component
public class PipelineRoutes extends RouteBuilder {
    /** Queue of received messages, to translate, validate and sign. */
    public static final String INBOX = "jms:queue:yibao.inbox";
    /** Queue of chunks of batch records (their message ids, comma-separated), processed and forwarded together. */
    public static final String CHUNKS = "jms:queue:yibao.chunks";
    /** Queue of signed messages, to forward. */
    public static final String OUTBOX = "jms:queue:yibao.outbox";
    /** Messages forwarding gave up on (also marked DEAD_LETTERED in the ledger). */
    public static final String DEAD = "jms:queue:yibao.dead";
    static final String MESSAGE_ID = "yibaoMessageId";
    /** Endpoint options of a transacted consumer whose consumption and sends commit together (see above). */
    public static final String TRANSACTED = "transacted=true&lazyCreateTransactionManager=false&exposeListenerSession=true&cacheLevelName=CACHE_CONSUMER";

    @Override
    public void configure() {
        from(INBOX + "?" + TRANSACTED + "&concurrentConsumers=2").routeId("pipeline-process")
                .setHeader(MESSAGE_ID, body())
                .bean(MessageProcessor.class, "process(${header." + MESSAGE_ID + "})")
                .filter(body().isEqualTo(MessageStatus.SIGNED))
                .setBody(header(MESSAGE_ID))
                .to(OUTBOX);

        // What a chunk's transmission did not settle is forwarded message by message, in the chunk's broker transaction.
        from(CHUNKS + "?" + TRANSACTED + "&concurrentConsumers=2").routeId("pipeline-chunk")
                .bean(ChunkProcessor.class, "process(${body})")
                .split(body())
                    .to(OUTBOX)
                .end();

        from(OUTBOX + "?" + TRANSACTED + "&concurrentConsumers=4").routeId("platform-forward")
                .routeConfigurationId(ForwardingErrorHandling.ID)
                .setHeader(MESSAGE_ID, body())
                .bean(Forwarder.class, "forward(${header." + MESSAGE_ID + "})");
    }
}
