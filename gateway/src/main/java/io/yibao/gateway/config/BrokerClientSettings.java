package io.yibao.gateway.config;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Settings of the Artemis client behind the gateway's JMS connection factory (Spring Boot's caching factory in the
 * embedded mode, {@link ExternalBrokerConnectionConfiguration}'s in the native one; Boot has no property for them):
 * destinations are cached. Without that, every send resolved its queue name with a blocking query to the broker
 * ({@code Session.createQueue} → {@code queueQuery}), a round trip a request thread queuing a received message paid on
 * top of the durable send; it saves broker work, not measurable throughput (docs/benchmarks.md, round 7). The
 * gateway's queues are created at start and never removed, so a cached name stays right.
 */
@Component
class BrokerClientSettings implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
        }
        return bean;
    }
}
