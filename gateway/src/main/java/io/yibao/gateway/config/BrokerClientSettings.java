package io.yibao.gateway.config;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Settings of the Artemis client behind the gateway's JMS connection factory, embedded or external broker alike
 * (Spring Boot has no property for them): destinations are cached. Without that, every send resolved its queue name
 * with a blocking query to the broker ({@code Session.createQueue} → {@code queueQuery}); under load each of those
 * round trips waits for the broker's threads, and a request thread queuing a received message paid it on top of the
 * durable send (docs/benchmarks.md, round 7). The gateway's queues are created at start and never removed, so a cached
 * name stays right.
 */
@Component
class BrokerClientSettings implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        ActiveMQConnectionFactory artemis = bean instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory target ? target
                : bean instanceof ActiveMQConnectionFactory plain ? plain : null;
        if (artemis != null) {
            artemis.setCacheDestinations(true);
        }
        return bean;
    }
}
