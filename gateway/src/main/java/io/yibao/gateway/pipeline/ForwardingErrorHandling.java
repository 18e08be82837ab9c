package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.springframework.stereotype.Component;

/**
 * The error handling of forwarding, shared by id: while the platform is unavailable, retry with
 * exponential back-off; after the last attempt mark the message DEAD_LETTERED and park its id on the
 * dead-letter queue. It can be replayed through the API. Tries refused by the open circuit breaker do
 * not use up attempts ({@link ForwardingRetryPolicy}). A stop does not wait out the back-off: a message
 * waiting for its next try when the gateway stops stays on the outbox (its broker transaction rolled back)
 * or is put back on it, never on the dead letters (Camel otherwise kept backing off through the stop until
 * its shutdown timeout, then forced the routes and interrupted the waits, logging them as ERRORs).
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
        OnExceptionDefinition platformUnavailable = routeConfiguration(ID)
                .onException(PlatformUnavailableException.class)
                .retryWhile(new ForwardingRetryPolicy(forwarding))
                .redeliveryDelay(forwarding.getInitialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(forwarding.getMaximumDelay().toMillis());
        // Not a method of the onException builder in Camel 4.14; its redelivery policy has it.
        platformUnavailable.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        platformUnavailable
                .handled(true)
                .setBody(header(PipelineRoutes.MESSAGE_ID))
                .choice()
                    .when(ForwardingRetryPolicy::isStillWaiting)
                        .to(PipelineRoutes.OUTBOX)
                    .otherwise()
                        .bean(Forwarder.class, "deadLetter(${header." + PipelineRoutes.MESSAGE_ID + "}, ${exception.message})")
                        .to(PipelineRoutes.DEAD)
                .end();
    }
}
