package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.MessageStatus;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The two durable hops of the pipeline. Queue messages carry only the message id; the payload, the
 * canonical form and the state live in the ledger. Both consumers are transacted: a message leaves a
 * queue only when its step is recorded, so a crash at any point redelivers it, and the steps are
 * idempotent. Consumers are cached across messages (CACHE_CONSUMER): creating a session and consumer per
 * message cost 1.6x in throughput (docs/benchmarks.md).
 */
@Component
public class PipelineRoutes extends RouteBuilder {
    /** Queue of received messages, to translate, validate and sign. */
    public static final String INBOX = "jms:queue:yibao.inbox";
    /** Queue of signed messages, to forward. */
    public static final String OUTBOX = "jms:queue:yibao.outbox";
    /** Messages forwarding gave up on (also marked DEAD_LETTERED in the ledger). */
    public static final String DEAD = "jms:queue:yibao.dead";
    static final String MESSAGE_ID = "yibaoMessageId";

    @Override
    public void configure() {
        from(INBOX + "?transacted=true&cacheLevelName=CACHE_CONSUMER&concurrentConsumers=2").routeId("pipeline-process")
                .setHeader(MESSAGE_ID, body())
                .bean(MessageProcessor.class, "process(${header." + MESSAGE_ID + "})")
                .filter(body().isEqualTo(MessageStatus.SIGNED))
                .setBody(header(MESSAGE_ID))
                .to(OUTBOX);

        from(OUTBOX + "?transacted=true&cacheLevelName=CACHE_CONSUMER&concurrentConsumers=4").routeId("platform-forward")
                .routeConfigurationId(ForwardingErrorHandling.ID)
                .setHeader(MESSAGE_ID, body())
                .bean(Forwarder.class, "forward(${header." + MESSAGE_ID + "})");
    }
}
