package io.yibao.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.DevPki;
import io.yibao.certs.Institution;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.simulator.PlatformSimulatorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/**
 * What the end-to-end tests run against, set up once per JVM: a development PKI in a temporary
 * directory, the real platform simulator started in-process over mutual TLS, and the gateway's
 * properties pointing at both (ledger and broker journal in the same temporary directory).
 */
public final class GatewayTestEnvironment {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIRECTORY_PREFIX = "yibao-gateway-test";
    /** The file naming the process (pid) a test directory belongs to. */
    private static final String OWNER_FILE = "owner.pid";
    static final Path DIR = createDirectory();
    static final Path PKI = DIR.resolve("pki");
    static final ConfigurableApplicationContext SIMULATOR = startSimulator();
    static final int SIMULATOR_PORT = Integer.parseInt(SIMULATOR.getEnvironment().getProperty("local.server.port"));

    private GatewayTestEnvironment() {}

    /**
     * The environment of one Spring test context: the test PKI, the simulator as the platform, fast retries, a free
     * MLLP port, and a ledger, broker journal and batch spool of its own under {@code <DIR>/<state>/}
     * ({@code yibao.data-dir}). Every context needs its own state: the contexts stay cached side by side in one JVM and
     * an embedded broker locks its journal (a second one on the same directory waits forever).
     */
    static void register(DynamicPropertyRegistry registry, String state) {
        registry.add("yibao.pki", PKI::toString);
        registry.add("yibao.platform.url", () -> "https://localhost:" + SIMULATOR_PORT + "/api/v1/messages");
        registry.add("yibao.forwarding.initial-delay", () -> "PT0.2S");
        registry.add("yibao.forwarding.maximum-delay", () -> "PT1S");
        registry.add("yibao.data-dir", () -> DIR.resolve(state).toString());
        // Each test context gets its own free MLLP port (two cached contexts cannot share 2575).
        registry.add("yibao.mllp.port", GatewayTestEnvironment::freePort);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS client presenting an institution's (EC) client certificate, or none. */
    static HttpClient client(String leafName) {
        return HttpClient.newBuilder().sslContext(sslContext(leafName)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Issues the synthetic hospital H11010500001 a client certificate of the test's own (EC) under {@code leafName}, once
     * per test PKI: a certificate a test may revoke, since no other test presents it.
     */
    static void issueOwnHospitalCertificate(String leafName) throws Exception {
        Institution hospital = Institution.SYNTHETIC.stream().filter(i -> i.code().equals("H11010500001")).findFirst().orElseThrow();
        if (!Files.exists(DevPki.hierarchyDirectory(PKI, KeyAlgorithm.EC_P256).resolve(leafName + ".pem"))) {
            DevPki.issueClientCertificate(PKI, KeyAlgorithm.EC_P256, hospital, leafName);
        }
    }

    /**
     * Adds an institution to the test PKI once ({@code yibao certs add-institution}): its client certificates, for a
     * hospital or pharmacy its envelope-signing certificate, its SSH key.
     */
    static synchronized void addInstitution(Institution institution) {
        if (Files.exists(DevPki.hierarchyDirectory(PKI, KeyAlgorithm.EC_P256).resolve(DevPki.clientLeafName(institution.code()) + ".pem"))) {
            return;
        }
        try {
            DevPki.addInstitution(PKI, institution);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS trusting the test PKI's EC root, presenting the named leaf's certificate (or none). */
    static SSLContext sslContext(String leafName) {
        return TestTls.sslContext(PKI, leafName);
    }


    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> simulator(String path) {
        return send(client(DevPki.PLATFORM_TLS), HttpRequest.newBuilder(URI.create("https://localhost:" + SIMULATOR_PORT + path)).GET().build());
    }

    /** Polls a batch's status view (as {@code client}) until it is COMPLETE or REJECTED, or {@code patience} ran out. */
    static JsonNode waitForFinalBatch(URI statusUrl, String client, Duration patience) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            HttpResponse<String> response = send(client(client), HttpRequest.newBuilder(statusUrl).GET().build());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + statusUrl + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode view = JSON.readTree(response.body());
            String status = view.get("status").asText();
            if ("COMPLETE".equals(status) || "REJECTED".equals(status) || Instant.now().isAfter(deadline)) {
                return view;
            }
            Thread.sleep(200);
        }
    }

    /** How many POSTs the simulator accepted for a message id (its idempotency key). */
    static long deliveriesOf(String id) throws IOException {
        long deliveries = 0;
        for (JsonNode entry : JSON.readTree(simulator("/api/v1/messages").body())) {
            if (entry.get("receipt").get("idempotencyKey").asText().equals(id)) {
                deliveries += entry.get("deliveries").asLong();
            }
        }
        return deliveries;
    }

    /**
     * The temporary directory of this JVM's test state, removed when the JVM exits: each run leaves ~300 MB (ledgers,
     * broker journals) that would otherwise pile up in {@code /tmp} run after run. Removed by a Spring Boot shutdown
     * handler, which runs after every context (the cached test contexts and the simulator) has closed: a plain JVM
     * shutdown hook ran beside their closing, deleted the brokers' journals and ledgers under them (the brokers saw
     * their lock lost and stopped, their listener containers retried for seconds) and the fork overran surefire's
     * 30 s exit limit. {@link #deleteLeftovers} takes what a killed JVM left.
     */
    private static Path createDirectory() {
        try {
            Path dir = Files.createTempDirectory(DIRECTORY_PREFIX);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            SpringApplication.getShutdownHandlers().add(() -> deleteQuietly(dir));
            deleteLeftovers(dir.getParent());
            DevPki.init(dir.resolve("pki"));
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test directories of earlier runs whose JVM is gone: anything still in them was written after their cleanup. */
    private static void deleteLeftovers(Path parent) throws IOException {
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.filter(dir -> dir.getFileName().toString().startsWith(DIRECTORY_PREFIX) && !ownerIsAlive(dir))
                    .forEach(GatewayTestEnvironment::deleteQuietly);
        }
    }

    private static boolean ownerIsAlive(Path dir) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim())).isPresent();
        } catch (IOException | NumberFormatException noOwner) {
            // The owner file went first in a cleanup, or a JVM starting now has not written it yet (give it a minute).
            try {
                return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(1)));
            } catch (IOException gone) {
                return true;
            }
        }
    }

    /** Deletes a test directory, what can be deleted of it if something is still writing there. */
    static void deleteQuietly(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException notAll) {
            // a file written while the JVM exits; the rest is gone
        }
    }

    private static ConfigurableApplicationContext startSimulator() {
        return PlatformSimulatorApplication.start("--server.port=0", "--simulator.pki-dir=" + PKI);
    }
}
