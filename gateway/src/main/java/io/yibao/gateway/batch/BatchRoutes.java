package io.yibao.gateway.batch;

import io.yibao.gateway.pipeline.PipelineRoutes;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The batch queue: ids of received batch files, checked and split one per consumer by
 * {@link BatchSplitter}. Transacted: a batch's queue message is only consumed when its splitting is done,
 * so a crash redelivers it and splitting resumes at its checkpoint.
 */
@Component
public class BatchRoutes extends RouteBuilder {
    /** Queue of received batch files, by batch id. */
    public static final String BATCHES = "jms:queue:yibao.batches";

    @Override
    public void configure() {
        from(BATCHES + "?" + PipelineRoutes.TRANSACTED + "&concurrentConsumers=2").routeId("batch-process")
                .bean(BatchSplitter.class, "process(${body})");
    }
}
