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
import java.util.Locale;
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
     * The gateway's CPU time so far, in seconds, of all its threads ({@code process.cpu.time}: request, pipeline,
     * broker, database, GC, JIT), and how long its JIT compilers have been compiling ({@code jvm.compilation.time}: the
     * wall-clock time of each compilation summed, which on busy cores exceeds the compilers' CPU); -1 where unreadable.
     * Two readings give its CPU over a run (a figure per message steadier from run to run than the latencies) and say
     * whether the run measured a warm gateway: on two cores the compilers take about a third of a core for the first
     * ~3 minutes under load (docs/benchmarks.md, round 11).
     */
    GatewayCpu gatewayCpu() {
        double cpuNanoseconds = gatewayMetric("process.cpu.time", line -> line.startsWith("process_cpu_time_ns_total"), "cpu-read");
        double jitMilliseconds = gatewayMetric("jvm.compilation.time", line -> line.startsWith("jvm_compilation_time_ms_total"), "jit-read");
        return new GatewayCpu(cpuNanoseconds < 0 ? -1 : cpuNanoseconds / 1e9, jitMilliseconds < 0 ? -1 : jitMilliseconds / 1e3);
    }

    /** A reading of {@link #gatewayCpu}. */
    record GatewayCpu(double cpuSeconds, double jitSeconds) {
        /**
         * Puts the figures of the window from {@code start} to this reading into {@code result}: {@code gatewayCpuSeconds},
         * {@code gatewayCpuCores} (over {@code seconds} of wall time), {@code gatewayCpuMsPer<unit>} and
         * {@code gatewayJitSeconds}; null where a reading failed.
         */
        void putSince(GatewayCpu start, double seconds, long delivered, String unit, Map<String, Object> result) {
            boolean cpuRead = start.cpuSeconds >= 0 && cpuSeconds >= start.cpuSeconds;
            double cpu = cpuSeconds - start.cpuSeconds;
            result.put("gatewayCpuSeconds", cpuRead ? Math.round(cpu * 10) / 10.0 : null);
            result.put("gatewayCpuCores", cpuRead && seconds > 0 ? Math.round(cpu / seconds * 100) / 100.0 : null);
            result.put("gatewayCpuMsPer" + unit, cpuRead && delivered > 0 ? Math.round(cpu * 1e5 / delivered) / 100.0 : null);
            boolean jitRead = start.jitSeconds >= 0 && jitSeconds >= start.jitSeconds;
            result.put("gatewayJitSeconds", jitRead ? Math.round((jitSeconds - start.jitSeconds) * 10) / 10.0 : null);
        }

        /** The line the generators print for the figures {@link #putSince} put ({@code noun}: what a {@code unit} is). */
        static String describe(Map<String, Object> result, String unit, String noun, String window) {
            return String.format(Locale.ROOT, "gateway CPU: %s s %s (%s cores), %s ms per %s; JIT compiling for %s s",
                    result.get("gatewayCpuSeconds"), window, result.get("gatewayCpuCores"), result.get("gatewayCpuMsPer" + unit), noun,
                    result.get("gatewayJitSeconds"));
        }
    }

    /**
     * A meter of the gateway's management port in its base unit (bytes, nanoseconds, milliseconds): from
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
