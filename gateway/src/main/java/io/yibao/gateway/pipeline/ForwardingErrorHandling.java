package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The error handling of forwarding, shared by id: while the platform is unavailable, retry with
 * exponential back-off; after the last attempt mark the message DEAD_LETTERED and park its id on the
 * dead-letter queue. It can be replayed through the API. Tries refused by the open circuit breaker do
 * not use up attempts ({@link ForwardingRetryPolicy}); should the route stop while such a message is
 * waiting (shutdown), it goes back on the outbox rather than to the dead letters.
 */
@Component
public class ForwardingErrorHandling extends RouteConfigurationBuilder {
    public static final String ID = "forwarding-errors";

    private final GatewayProperties properties;

    public ForwardingErrorHandling(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configuration() {
        GatewayProperties.Forwarding forwarding = properties.getForwarding();
        routeConfiguration(ID)
                .onException(PlatformUnavailableException.class)
                .retryWhile(new ForwardingRetryPolicy(forwarding))
                .redeliveryDelay(forwarding.getInitialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(forwarding.getMaximumDelay().toMillis())
                .handled(true)
                .setBody(header(PipelineRoutes.MESSAGE_ID))
                .choice()
                    .when(ForwardingRetryPolicy::isCircuitOpen)
                        .to(PipelineRoutes.OUTBOX)
                    .otherwise()
                        .bean(Forwarder.class, "deadLetter(${header." + PipelineRoutes.MESSAGE_ID + "}, ${exception.message})")
                        .to(PipelineRoutes.DEAD)
                .end();
    }
}
