package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The gateway's Artemis client caches queue lookups ({@code BrokerClientSettings}): a send no longer asks the broker
 * whether its queue exists first, and messages still go through every queue of the pipeline.
 */
class BrokerClientCachesDestinationsTest extends AbstractOperationsTest {

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void queueLookupsAreCachedAndMessagesStillFlow() throws Exception {
        assertThat(connectionFactory).isInstanceOf(CachingConnectionFactory.class);
        assertThat(((CachingConnectionFactory) connectionFactory).getTargetConnectionFactory())
                .isInstanceOfSatisfying(ActiveMQConnectionFactory.class, artemis -> assertThat(artemis.isCacheDestinations()).isTrue());

        String first = send(sample("ADM-OPS-CACHE-1"));
        String second = send(sample("ADM-OPS-CACHE-2"));
        assertThat(waitForFinal(first).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(waitForFinal(second).get("status").asText()).isEqualTo("DELIVERED");
    }
}
