package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The inbox's JMS listener containers (route {@code pipeline-process}): a container that, having received a message,
 * also takes what else is already waiting on the queue, up to {@code yibao.pipeline.maximum-chunk} messages, in the same
 * transacted session. The route is given the first message as usual and reads the ids of all of them from
 * {@link #received()}; the session's commit, after the route, acknowledges them all, and a rollback returns them all.
 * So messages that arrive faster than one at a time are processed as a chunk ({@link ChunkProcessor}: one transaction
 * for their results, one transmission, one for their deliveries), and a quiet inbox still takes each message at once.
 *
 * <p>Camel 4.14's JMS consumer has no batch mode (camel-sjms's {@code batching} consumer came later), hence this
 * container: Camel configures it like its own default one (transacted session, cache level, consumers) and only the
 * receive differs. A message the broker delivers again (its chunk rolled back, or a crash) is taken alone when it
 * comes first: the messages of a failed chunk return to the head of the queue and are retried mostly one by one, so
 * one that fails every time (a defect: adapters report bad content as issues, they do not throw) is parted from its
 * neighbours before the broker's delivery attempts run out.
 */
@Component(ChunkingListenerContainers.BEAN)
public class ChunkingListenerContainers implements MessageListenerContainerFactory {
    /** The bean name the route's endpoint refers to ({@code messageListenerContainerFactory=#...}). */
    public static final String BEAN = "chunkingListenerContainers";

    /** The ids of the messages taken with the one being routed on this thread. */
    private static final ThreadLocal<List<String>> RECEIVED = ThreadLocal.withInitial(Collections::emptyList);

    private final int maximumChunk;

    public ChunkingListenerContainers(GatewayProperties properties) {
        this.maximumChunk = properties.getPipeline().getMaximumChunk();
    }

    @Override
    public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
        return new ChunkingContainer(endpoint, maximumChunk);
    }

    /**
     * The message ids (text bodies) of the chunk whose first message the calling thread is routing, that one first.
     *
     * @throws IllegalStateException if one of them carries no text: the route fails and the broker redelivers them,
     *     that one alone at last, until its delivery attempts are spent and it goes to the dead-letter address
     */
    public static List<String> received() {
        List<String> ids = RECEIVED.get();
        if (ids.contains(null)) {
            throw new IllegalStateException("an inbox message carries no message id as text");
        }
        return ids;
    }

    private static final class ChunkingContainer extends DefaultJmsMessageListenerContainer {
        private final int maximumChunk;

        ChunkingContainer(JmsEndpoint endpoint, int maximumChunk) {
            super(endpoint);
            this.maximumChunk = maximumChunk;
        }

        @Override
        protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
            Message first = super.receiveMessage(consumer);
            List<String> ids = new ArrayList<>();
            if (first != null) {
                ids.add(idOf(first));
                Message next;
                while (!first.getJMSRedelivered() && ids.size() < maximumChunk && (next = consumer.receiveNoWait()) != null) {
                    ids.add(idOf(next));
                }
            }
            RECEIVED.set(Collections.unmodifiableList(ids));
            return first;
        }

        /** The message id the message carries, null if it is not a text message (see {@link #received()}). */
        private static String idOf(Message message) throws JMSException {
            return message instanceof TextMessage text ? text.getText() : null;
        }
    }
}
