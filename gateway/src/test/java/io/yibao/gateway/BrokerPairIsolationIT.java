package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.yibao.certs.DevPki;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;

/**
 * The deployment's broker pair ({@link BrokerPair}: {@code docker/artemis/*.xml} as shipped) when a broker goes
 * silent instead of dying, and when a broker is cut off from the network: the two cases a pair without a third
 * voter cannot tell apart by itself. Each broker is given a network check URL, as docker/README.md asks an operator
 * to (here an HTTP endpoint of this test per broker, answering 200 while "the network" is there for that broker and
 * 503 when it is not), and short ping periods so the test does not wait Artemis's default minute.
 *
 * <ol>
 *   <li><b>An isolated backup stays a backup.</b> The backup loses the network and, at the same time, the primary
 *       goes silent (SIGSTOP): from the backup's side its primary is gone. Without the check the backup would
 *       become active and the pair, once the primary is back, would have two active brokers with diverging
 *       journals (split brain). With it the backup stops itself, never becomes active, and once the network and the
 *       primary are back it is a replica in sync again; the messages sent before are all on the primary.</li>
 *   <li><b>A primary lost silently is replaced.</b> The primary goes silent while the backup's network is fine: the
 *       backup becomes active within the ping periods and a client connected before (its own short ping period in the
 *       URL) fails over and receives every message sent before (at least once). The frozen primary is then killed: a lost machine does
 *       not come back as it was (a primary started again fails back, ScaleOutIT).</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerPairIsolationIT {
    private static final Path DIR = Path.of("target", "broker-isolation-it").toAbsolutePath();
    private static final String QUEUE = "yibao.inbox";
    /**
     * The pair's ping period and connection TTL, and the network check's period, short for the test; the TTL not so
     * short that a busy CI machine's pause of a broker JVM passes for a death.
     */
    private static final Map<String, String> PINGS = Map.of(
            "YIBAO_BROKER_CHECK_PERIOD", "1000",
            "YIBAO_BROKER_CONNECTION_TTL", "6000",
            "YIBAO_BROKER_NETWORK_CHECK_PERIOD", "500",
            "YIBAO_BROKER_NETWORK_CHECK_TIMEOUT", "500");
    /** The client's own detection of a silent broker (URL options, as the gateway nodes would set them). */
    private static final String CLIENT_PINGS = "&clientFailureCheckPeriod=1000&connectionTTL=6000&callTimeout=10000";
    /** Long enough for the backup to act on a silent primary (the TTL, the vote) had it not been isolated. */
    private static final Duration LONGER_THAN_THE_PINGS = Duration.ofSeconds(15);

    private static Network primaryNetwork;
    private static Network backupNetwork;
    private static BrokerPair brokers;

    @BeforeAll
    static void startThePairWithANetworkCheckEach() throws Exception {
        FileSystemUtils.deleteRecursively(DIR);
        Path pki = DIR.resolve("pki");
        DevPki.init(pki);
        primaryNetwork = Network.start();
        backupNetwork = Network.start();
        brokers = new BrokerPair(DIR.resolve("brokers"), Files.createDirectories(DIR.resolve("logs")), pki,
                withCheck(primaryNetwork), withCheck(backupNetwork));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (brokers != null) {
            brokers.close();
        }
        for (Network network : new Network[] {primaryNetwork, backupNetwork}) {
            if (network != null) {
                network.server().stop(0);
            }
        }
    }

    @Test
    @Order(1)
    void anIsolatedBackupWhosePrimaryGoesSilentStaysABackup() throws Exception {
        List<String> sent = send("isolated", 10);
        int linesBefore = brokers.backupOutputLines();

        backupNetwork.reachable().set(false);
        brokers.freezePrimary();
        Thread.sleep(LONGER_THAN_THE_PINGS.toMillis());

        assertThat(brokers.backupWasEverActive()).as("the backup became active while isolated (split brain)").isFalse();
        brokers.thawPrimary();
        backupNetwork.reachable().set(true);
        brokers.awaitBackupInSyncAfter(linesBefore);
        assertThat(brokers.backupWasEverActive()).isFalse();
        assertThat(receive(brokers.brokerUrl(), sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    @Order(2)
    void aPrimaryLostSilentlyIsReplacedByTheBackupAndItsClientsFailOver() throws Exception {
        List<String> sent = send("silent", 10);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokers.brokerUrl() + CLIENT_PINGS, BrokerPair.USER, BrokerPair.PASSWORD);
        try (factory; Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            connection.start();

            Instant frozen = Instant.now();
            brokers.freezePrimary();
            brokers.awaitBackupActive();
            Duration noticed = Duration.between(frozen, Instant.now());

            // At least once: a message the client had taken from the primary before it froze, whose acknowledgement the
            // primary never got, comes again from the backup (the gateway's steps and the platform's idempotency key
            // make that one delivery, docker/README.md).
            Set<String> received = new LinkedHashSet<>();
            while (received.size() < sent.size()) {
                TextMessage message = (TextMessage) consumer.receive(30_000);
                assertThat(message).as("after the failover, received %s of %s", received, sent).isNotNull();
                received.add(message.getText());
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(noticed).as("the backup took over a silent primary within the pair's ping periods").isLessThan(Duration.ofSeconds(30));
        } finally {
            brokers.killPrimary();
        }
    }

    private static Map<String, String> withCheck(Network network) {
        Map<String, String> settings = new HashMap<>(PINGS);
        settings.put("YIBAO_BROKER_NETWORK_CHECK_URL_LIST", "http://127.0.0.1:" + network.server().getAddress().getPort() + "/");
        return settings;
    }

    /** Sends {@code count} persistent messages to the active broker, numbered under {@code label}; returns their texts. */
    private static List<String> send(String label, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokers.brokerUrl(), BrokerPair.USER, BrokerPair.PASSWORD);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(QUEUE);
            MessageProducer producer = session.createProducer(queue);
            for (int i = 0; i < count; i++) {
                String text = label + "-" + i;
                producer.send(session.createTextMessage(text));
                texts.add(text);
            }
        }
        return texts;
    }

    /** Receives {@code count} messages from the pair's active broker. */
    private static List<String> receive(String url, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url + CLIENT_PINGS, BrokerPair.USER, BrokerPair.PASSWORD);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            connection.start();
            for (int i = 0; i < count; i++) {
                TextMessage message = (TextMessage) consumer.receive(30_000);
                assertThat(message).as("message %d of %d", i + 1, count).isNotNull();
                texts.add(message.getText());
            }
        }
        return texts;
    }

    /** "The network" as one broker sees it: an HTTP endpoint answering 200 while reachable, 503 otherwise. */
    private record Network(HttpServer server, AtomicBoolean reachable) {
        static Network start() throws IOException {
            AtomicBoolean reachable = new AtomicBoolean(true);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(reachable.get() ? 200 : 503, -1);
                exchange.close();
            });
            server.start();
            return new Network(server, reachable);
        }
    }
}
