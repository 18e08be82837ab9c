package io.yibao.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the load drivers share: an HTTPS client with an institution's client certificate from the
 * development PKI (mutual TLS), the gateway's used heap from its actuator metrics (management port), the platform
 * simulator's count of accepted messages, and the errors met on the way, counted by kind.
 */
final class GatewayProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI gateway;
    private final URI management;
    private final URI simulator;
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    /** {@code simulator} may be null: no delivered counts then. */
    GatewayProbe(Path pki, String institution, URI gateway, URI management, URI simulator, int ioThreads) throws Exception {
        this.gateway = gateway;
        this.management = management;
        this.simulator = simulator;
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext(pki, institution))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(Math.max(4, ioThreads), daemon("load-http")))
                .build();
    }

    HttpClient http() {
        return http;
    }

    URI gateway(String path) {
        return gateway.resolve(path);
    }

    boolean hasSimulator() {
        return simulator != null;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Forgets the simulator's received messages, so that its count starts from zero. */
    void resetSimulator() throws IOException, InterruptedException {
        if (simulator != null) {
            send(HttpRequest.newBuilder(simulator.resolve("/api/v1/admin/messages")).DELETE().build());
        }
    }

    /** The gateway's used heap in bytes ({@code jvm.memory.used}, area heap), -1 if unreadable. */
    long gatewayHeapUsed() {
        return (long) gatewayMetric("jvm.memory.used?tag=area:heap",
                line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""), "heap-read");
    }

    /**
     * The CPU time the gateway's process has used so far, in seconds ({@code process.cpu.time}, all its threads: request,
     * pipeline, broker, database, GC, JIT), -1 if unreadable. Two readings give its CPU over a window: a figure per
     * message that is steadier from run to run than the latencies.
     */
    double gatewayCpuSeconds() {
        double nanoseconds = gatewayMetric("process.cpu.time", line -> line.startsWith("process_cpu_time_ns_total"), "cpu-read");
        return nanoseconds < 0 ? -1 : nanoseconds / 1e9;
    }

    /**
     * A meter of the gateway's management port in its base unit (bytes, nanoseconds): from
     * {@code /actuator/metrics/<meter>} when that endpoint is exposed (the benchmarks expose it), else the sum of the
     * {@code /actuator/prometheus} lines {@code prometheusLine} selects (the default exposure); -1 if unreadable, the
     * failure counted under {@code errorKind}.
     */
    private double gatewayMetric(String meter, Predicate<String> prometheusLine, String errorKind) {
        try {
            HttpResponse<String> metrics = send(HttpRequest.newBuilder(management.resolve("/actuator/metrics/" + meter)).GET().build());
            if (metrics.statusCode() == 200) {
                return JSON.readTree(metrics.body()).path("measurements").path(0).path("value").asDouble(-1);
            }
            HttpResponse<String> prometheus = send(HttpRequest.newBuilder(management.resolve("/actuator/prometheus")).GET().build());
            if (prometheus.statusCode() != 200) {
                return -1;
            }
            double sum = 0;
            boolean found = false;
            for (String line : prometheus.body().split("\n")) {
                if (prometheusLine.test(line)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? sum : -1;
        } catch (Exception e) {
            count(errorKind + " " + e.getClass().getSimpleName());
            return -1;
        }
    }

    /** Messages the platform simulator accepted ({@code GET /api/v1/stats}), -1 without a simulator or if unreadable. */
    long simulatorAccepted() {
        if (simulator == null) {
            return -1;
        }
        try {
            HttpResponse<String> stats = send(HttpRequest.newBuilder(simulator.resolve("/api/v1/stats")).GET().build());
            return JSON.readTree(stats.body()).path("accepted").asLong(-1);
        } catch (Exception e) {
            count("stats-read " + e.getClass().getSimpleName());
            return -1;
        }
    }

    void count(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, AtomicLong> errors() {
        return errors;
    }

    private static SSLContext sslContext(Path pki, String institution) throws Exception {
        char[] password = Files.readString(pki.resolve("store-password")).trim().toCharArray();
        KeyStore client = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("ec/client-" + institution + ".p12"))) {
            client.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("ec/truststore.p12"))) {
            trust.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(client, password);
        TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusts.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trusts.getTrustManagers(), null);
        return context;
    }

    static ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
