package io.yibao.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yibao.gateway.config.ExternalBrokerConnectionConfiguration.FailoverKeepingConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.SessionProxy;

/**
 * The scale-out connection factory keeps its connection and cached sessions when the Artemis client reports a
 * completed failover ({@code FAILOVER}) and resets them, as Spring's caching factory always did, when it reports a
 * lost connection ({@code DISCONNECT}). The reports are made as the client makes them; the broker is a real one,
 * in this JVM. ScaleOutIT shows the failover itself.
 */
class FailoverKeepingConnectionFactoryTest {
    private EmbeddedActiveMQ broker;
    private FailoverKeepingConnectionFactory factory;

    @BeforeEach
    void startBroker() throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://4711");
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).start();
        factory = new FailoverKeepingConnectionFactory(new ActiveMQConnectionFactory("vm://4711"));
    }

    @AfterEach
    void stopBroker() throws Exception {
        factory.destroy();
        broker.stop();
    }

    @Test
    void aCompletedFailoverKeepsTheConnectionAndItsCachedSessions() throws Exception {
        Session cached = cachedSession();

        factory.onException(report(ActiveMQConnection.EXCEPTION_FAILOVER));

        assertThat(cached.getTransacted()).as("the session in use before the failover is still open").isTrue();
        assertThat(cachedSession()).as("the same session comes from the cache").isSameAs(cached);
    }

    @Test
    void aLostConnectionIsResetAsBefore() throws Exception {
        Session cached = cachedSession();

        factory.onException(report(ActiveMQConnection.EXCEPTION_DISCONNECT));

        assertThatThrownBy(cached::getTransacted).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(cachedSession()).as("a new session on a new connection").isNotSameAs(cached);
    }

    /** A transacted session taken from the factory's cache and returned to it; the Artemis session behind it. */
    private Session cachedSession() throws JMSException {
        Connection connection = factory.createConnection();
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        Session target = ((SessionProxy) session).getTargetSession();
        session.close(); // back to the cache
        connection.close();
        return target;
    }

    /** What the Artemis JMS client hands the connection's exception listener. */
    private static JMSException report(String errorCode) {
        return new JMSException("ActiveMQNotConnectedException[errorType=NOT_CONNECTED message=AMQ219006: Channel disconnected]", errorCode);
    }
}
