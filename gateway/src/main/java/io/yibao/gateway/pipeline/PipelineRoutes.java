package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * The durable hops of the pipeline: the inbox and the chunk queue, whose messages are processed and forwarded a
 * chunk at a time ({@link ChunkProcessor}), and the outbox, where a message the chunk's transmission did not settle
 * is forwarded on its own with retries. Queue messages carry only message ids; the payload, the canonical form and
 * the state live in the ledger. The inbox consumer takes, with each message, what else is waiting on the inbox
 * ({@link ChunkingListenerContainers}); a batch's splitter puts a chunk's ids on the chunk queue as one message.
 * The consumers are transacted: a message leaves a queue only when its step is recorded, so a crash at any point
 * redelivers it, and the steps are idempotent. Consumers are cached across messages (CACHE_CONSUMER): creating a
 * session and consumer per message cost 1.6x in throughput (docs/benchmarks.md).
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
    /** Queue of received messages, to translate, validate, sign and forward. */
    public static final String INBOX = "jms:queue:yibao.inbox";
    /** Queue of chunks of batch records (their message ids, comma-separated), processed and forwarded together. */
    public static final String CHUNKS = "jms:queue:yibao.chunks";
    /** Queue of signed messages to forward one by one (what a chunk's transmission did not settle). */
    public static final String OUTBOX = "jms:queue:yibao.outbox";
    /** Messages forwarding gave up on (also marked DEAD_LETTERED in the ledger). */
    public static final String DEAD = "jms:queue:yibao.dead";
    static final String MESSAGE_ID = "yibaoMessageId";
    /** Endpoint options of a transacted consumer whose consumption and sends commit together (see above). */
    public static final String TRANSACTED = "transacted=true&lazyCreateTransactionManager=false&exposeListenerSession=true&cacheLevelName=CACHE_CONSUMER";

    private final int inboxConsumers;

    public PipelineRoutes(GatewayProperties properties) {
        this.inboxConsumers = properties.getPipeline().getInboxConsumers();
    }

    @Override
    public void configure() {
        processAndForward(from(INBOX + "?" + TRANSACTED + "&concurrentConsumers=" + inboxConsumers + "&consumerType=Custom&messageListenerContainerFactory=#"
                + ChunkingListenerContainers.BEAN).routeId("pipeline-process")
                .process(exchange -> exchange.getIn().setBody(ChunkingListenerContainers.received())));

        processAndForward(from(CHUNKS + "?" + TRANSACTED + "&concurrentConsumers=2").routeId("pipeline-chunk")
                .process(exchange -> exchange.getIn().setBody(ChunkProcessor.ids(exchange.getIn().getBody(String.class)))));

        from(OUTBOX + "?" + TRANSACTED + "&concurrentConsumers=4").routeId("platform-forward")
                .routeConfigurationId(ForwardingErrorHandling.ID)
                .setHeader(MESSAGE_ID, body())
                .bean(Forwarder.class, "forward(${header." + MESSAGE_ID + "})");
    }

    /**
     * The rest of a route whose body is a chunk's message ids: {@link ChunkProcessor} processes and forwards them; what
     * the chunk's transmission did not settle goes to the outbox message by message, in the chunk's broker transaction.
     */
    private void processAndForward(RouteDefinition route) {
        route.bean(ChunkProcessor.class, "process(${body})")
                .split(body())
                    .to(OUTBOX)
                .end();
    }
}
