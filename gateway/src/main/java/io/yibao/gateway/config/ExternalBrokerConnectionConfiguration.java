package io.yibao.gateway.config;

import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.JmsProperties;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * The JMS connection factory of the scale-out setup ({@code spring.artemis.mode=native}): Spring Boot's own (a
 * session-caching factory over an Artemis client factory for {@code spring.artemis.broker-url}, user and password,
 * {@code spring.jms.cache.*}), except that it keeps its connection when the Artemis client reports a completed
 * failover.
 *
 * <p>With an HA broker URL ({@code ha=true}, docker/README.md) the Artemis client moves a connection and its sessions
 * to the backup broker when the primary dies, and then still tells the connection's exception listener, with error
 * code {@code FAILOVER}. Spring's caching factory resets its connection on any such call: it closed the connection
 * that had just failed over, and with it every cached session and the listener containers' consumers, mid-transaction
 * ("Session is closed" on commit, ScaleOutIT). Here only a lost connection ({@code DISCONNECT}: reconnection and
 * failover gave up) resets it, as before; a failed-over session only has its open transaction rolled back by the
 * client, which the transacted consumers redeliver. The embedded broker is in the JVM and never fails over.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "native")
@EnableConfigurationProperties({ArtemisProperties.class, JmsProperties.class})
public class ExternalBrokerConnectionConfiguration {

    /**
     * What Spring Boot's {@code jmsConnectionFactory} is in the native mode, with the failover-keeping cache. Boot's
     * Artemis auto-configuration backs off as a whole when a connection factory exists, hence the properties here.
     */
    @Bean
    CachingConnectionFactory jmsConnectionFactory(ArtemisProperties broker, JmsProperties jms) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(
                StringUtils.hasText(broker.getBrokerUrl()) ? broker.getBrokerUrl() : "tcp://localhost:61616");
        if (StringUtils.hasText(broker.getUser())) {
            artemis.setUser(broker.getUser());
            artemis.setPassword(broker.getPassword());
        }
        CachingConnectionFactory factory = new FailoverKeepingConnectionFactory(artemis);
        factory.setCacheConsumers(jms.getCache().isConsumers());
        factory.setCacheProducers(jms.getCache().isProducers());
        factory.setSessionCacheSize(jms.getCache().getSessionCacheSize());
        return factory;
    }

    /** A caching connection factory that does not throw away a connection the Artemis client has failed over. */
    static final class FailoverKeepingConnectionFactory extends CachingConnectionFactory {
        private static final Logger log = LoggerFactory.getLogger(FailoverKeepingConnectionFactory.class);

        FailoverKeepingConnectionFactory(ActiveMQConnectionFactory target) {
            super(target);
        }

        @Override
        public void onException(JMSException failure) {
            if (ActiveMQConnection.EXCEPTION_FAILOVER.equals(failure.getErrorCode())) {
                log.warn("the broker connection failed over to the backup ({}); sessions kept, open transactions rolled back",
                        failure.getMessage());
                return;
            }
            super.onException(failure);
        }
    }
}
