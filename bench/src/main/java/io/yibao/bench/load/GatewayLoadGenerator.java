package io.yibao.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives a running gateway over HTTPS with mutual TLS with HL7 v2 admissions (the gateway's
 * {@code samples/adt-a01.hl7}, a unique MSH-10 per message) and reports what a sender and the platform
 * see. Stops by itself: after {@code --duration} or {@code --count} messages, whichever comes first, then
 * waits (at most {@code --drain}) for the gateway to deliver what it accepted.
 *
 * <p>Two models: {@code --rate=N} is an <em>open</em> model, a fixed arrival rate (message i is due at
 * start + i/N, sent asynchronously whatever the state of earlier ones; latency is measured from the due
 * time, so a stalled server cannot hide its queueing: no coordinated omission); {@code --rate=max} is a
 * closed model of {@code --concurrency} senders, each sending its next message when the last is answered.
 *
 * <p>Figures: ingress latency (submit → HTTP 202, HdrHistogram); sustained end-to-end throughput
 * (messages the platform simulator accepted per second, from its {@code GET /api/v1/stats}, over the
 * sending window and up to the last delivery); end-to-end latency (submit → DELIVERED, from the
 * ledger's {@code updatedAt} of every {@code --e2e-sample}th message, read after the run; the clock
 * is the same machine's); the statuses of those messages; errors by kind; the gateway's heap
 * ({@code /actuator/metrics/jvm.memory.used?tag=area:heap}, else {@code /actuator/prometheus}) sampled
 * every second; the gateway's CPU ({@code process.cpu.time}) from the start of sending to the end of the drain, in
 * cores and per delivered message, and how long its JIT compilers were compiling ({@code jvm.compilation.time}: a run
 * that starts before they are done measures a gateway still warming up). The last line of output is a JSON summary
 * ({@code RESULT {...}}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.yibao.bench.load.GatewayLoadGenerator \
 *     --gateway=https://localhost:28444 --simulator=https://localhost:28443 --pki=var/bench/pki \
 *     --rate=500 --duration=PT30S
 * </pre>
 */
public final class GatewayLoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "x-application/hl7-v2+er7";
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Options options;
    private final GatewayProbe probe;
    private final HttpClient http;
    private final String template;
    private final String runId = Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);

    private final Histogram ingress = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    private final Histogram ingressService = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    /** Open model: messages that were due while every connection was busy (they wait; latency counts from the due time). */
    private final AtomicLong queuedAtClient = new AtomicLong();
    /** Accepted messages whose end-to-end latency is read after the run: id → due instant. */
    private final ConcurrentLinkedQueue<Submitted> sampled = new ConcurrentLinkedQueue<>();
    private final List<long[]> heapSamples = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<long[]> deliveredSamples = java.util.Collections.synchronizedList(new ArrayList<>());

    private record Submitted(String id, Instant due) {}

    GatewayLoadGenerator(Options options) throws Exception {
        this.options = options;
        this.probe = new GatewayProbe(options.pki, options.institution, options.gateway, options.management, options.simulator, options.ioThreads);
        this.http = probe.http();
        this.template = options.template != null ? Files.readString(options.template, StandardCharsets.UTF_8) : resource("/gateway-samples/adt-a01.hl7");
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!options.warmupDuration.isZero()) {
            log("warm-up: the same load for %s, drained, not counted (the gateway's JIT compiles for minutes after start)",
                    options.warmupDuration);
            new GatewayLoadGenerator(options.warmingUp()).run();
            log("warm-up done; the measured run follows");
        }
        Map<String, Object> result = new GatewayLoadGenerator(options).run();
        System.out.println("RESULT " + JSON.writeValueAsString(result));
        System.exit(0);
    }

    Map<String, Object> run() throws Exception {
        log("load: %s, %s, at most %d messages, gateway %s", options.rate == 0 ? "max throughput, " + options.concurrency + " senders"
                : "open model at " + options.rate + " messages/s", options.duration, options.count, options.gateway);
        if (options.resetSimulator) {
            probe.resetSimulator();
        }
        long deliveredBefore = probe.simulatorAccepted();
        warmUp();
        long deliveredAtStart = probe.simulatorAccepted();

        ExecutorService monitor = Executors.newSingleThreadExecutor(GatewayProbe.daemon("load-monitor"));
        CountDownLatch stopMonitor = new CountDownLatch(1);
        GatewayProbe.GatewayCpu cpuAtStart = probe.gatewayCpu();
        long startNanos = System.nanoTime();
        monitor.submit(() -> monitor(startNanos, deliveredAtStart, stopMonitor));

        List<CompletableFuture<?>> pending = options.rate > 0 ? openModel(startNanos) : closedModel(startNanos);
        long sendingEndNanos = System.nanoTime();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long answeredNanos = System.nanoTime();
        double sendingSeconds = (sendingEndNanos - startNanos) / 1e9;
        long deliveredAtSendingEnd = deliveredSince(deliveredAtStart);

        // Drain: wait until the platform has every accepted message, no progress for --drain, or --drain-max in all. An
        // unreadable count (the simulator down) is no progress, and leaves the figure unknown rather than negative.
        long target = accepted.get();
        long delivered = deliveredAtSendingEnd;
        long lastProgress = System.nanoTime();
        long lastDeliveredNanos = answeredNanos;
        long drainDeadline = System.nanoTime() + options.drainMax.toNanos();
        while (delivered < target && System.nanoTime() - lastProgress < options.drain.toNanos() && System.nanoTime() < drainDeadline) {
            Thread.sleep(250);
            long now = deliveredSince(deliveredAtStart);
            if (now > delivered) {
                delivered = now;
                lastProgress = System.nanoTime();
                lastDeliveredNanos = lastProgress;
            }
        }
        if (deliveredSince(deliveredAtStart) < 0) {
            log("the simulator's count of accepted messages cannot be read (%s): delivery figures unknown", probe.errors());
            delivered = -1;
        }
        if (delivered >= target) {
            lastDeliveredNanos = Math.min(lastDeliveredNanos, System.nanoTime());
        }
        GatewayProbe.GatewayCpu cpuAtEnd = probe.gatewayCpu();
        double measuredSeconds = (System.nanoTime() - startNanos) / 1e9;
        stopMonitor.countDown();
        monitor.shutdown();
        monitor.awaitTermination(5, TimeUnit.SECONDS);

        Map<String, Long> statuses = new LinkedHashMap<>();
        Histogram e2e = new Histogram(HIGHEST_NANOS, 3);
        readEndToEnd(statuses, e2e);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mode", options.rate == 0 ? "max" : "open");
        result.put("targetRate", options.rate == 0 ? null : options.rate);
        result.put("concurrency", options.rate == 0 ? options.concurrency : null);
        result.put("sent", sent.get());
        result.put("accepted202", accepted.get());
        result.put("errors", new LinkedHashMap<>(probe.errors()));
        result.put("connections", options.rate == 0 ? options.concurrency : options.maxInFlight);
        result.put("queuedAtClient", queuedAtClient.get());
        result.put("sendingSeconds", round(sendingSeconds));
        result.put("offeredPerSecond", round(sent.get() / sendingSeconds));
        result.put("acceptedPerSecond", round(accepted.get() / sendingSeconds));
        result.put("ingressMs", percentiles(ingress));
        result.put("ingressServiceMs", percentiles(ingressService));
        boolean duringSendingKnown = deliveredAtSendingEnd >= 0;
        boolean deliveredKnown = delivered >= 0; // null: unknown (the simulator's count unreadable)
        result.put("deliveredDuringSending", duringSendingKnown ? deliveredAtSendingEnd : null);
        result.put("deliveredPerSecondDuringSending", duringSendingKnown ? round(deliveredAtSendingEnd / sendingSeconds) : null);
        result.put("deliveredPerSecondSteady", steadyDeliveryRate());
        result.put("delivered", deliveredKnown ? delivered : null);
        result.put("undelivered", deliveredKnown ? Math.max(0, target - delivered) : null);
        double untilLast = (lastDeliveredNanos - startNanos) / 1e9;
        result.put("secondsToLastDelivery", round(untilLast));
        result.put("endToEndPerSecond", deliveredKnown ? round(delivered / untilLast) : null);
        result.put("endToEndSampled", e2e.getTotalCount());
        result.put("endToEndMs", percentiles(e2e));
        result.put("sampleStatuses", statuses);
        result.put("gatewayHeapUsedMaxMB", heapSamples.stream().mapToLong(s -> s[1]).max().orElse(-1) / (1024 * 1024));
        result.put("gatewayHeapUsedLastMB", heapSamples.isEmpty() ? -1 : heapSamples.get(heapSamples.size() - 1)[1] / (1024 * 1024));
        result.put("gatewayHeapSamples", heapSamples.size());
        cpuAtEnd.putSince(cpuAtStart, measuredSeconds, delivered, "Delivered", result);
        result.put("simulatorAcceptedBeforeRun", deliveredBefore);
        printSummary(result);
        return result;
    }

    /** Messages the simulator accepted since {@code atStart}; -1 when its count cannot be read. */
    private long deliveredSince(long atStart) {
        long accepted = probe.simulatorAccepted();
        return accepted < 0 || atStart < 0 ? -1 : accepted - atStart;
    }

    /** A few messages before measuring, so connections exist and the first-message costs are paid. */
    private void warmUp() throws Exception {
        for (int i = 0; i < options.warmup; i++) {
            HttpResponse<String> response = probe.send(submitRequest(message("W" + i)));
            if (response.statusCode() != 202 && response.statusCode() != 200) {
                throw new IllegalStateException("the gateway refused the warm-up message: " + response.statusCode() + " " + response.body());
            }
            if (i == options.warmup - 1) {
                String id = JSON.readTree(response.body()).path("id").asText();
                probe.send(HttpRequest.newBuilder(options.gateway.resolve("/api/v1/messages/" + id + "?wait=PT30S")).GET().build());
            }
        }
    }

    private List<CompletableFuture<?>> openModel(long startNanos) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Semaphore inFlight = new Semaphore(options.maxInFlight);
        double intervalNanos = 1e9 / options.rate;
        long endNanos = startNanos + options.duration.toNanos();
        for (long i = 0; i < options.count; i++) {
            long due = startNanos + (long) (i * intervalNanos);
            if (due >= endNanos) {
                break;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                queuedAtClient.incrementAndGet();
                inFlight.acquireUninterruptibly();
            }
            pending.add(submit(i, due).whenComplete((r, e) -> inFlight.release()));
            if (pending.size() > 10_000) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }
        return pending;
    }

    private List<CompletableFuture<?>> closedModel(long startNanos) throws InterruptedException {
        long endNanos = startNanos + options.duration.toNanos();
        AtomicLong next = new AtomicLong();
        List<CompletableFuture<?>> senders = new ArrayList<>();
        for (int s = 0; s < options.concurrency; s++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            senders.add(done);
            sendNext(next, endNanos, done);
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();
        return List.of();
    }

    private void sendNext(AtomicLong next, long endNanos, CompletableFuture<Void> done) {
        long now = System.nanoTime();
        long i = next.getAndIncrement();
        if (now >= endNanos || i >= options.count) {
            done.complete(null);
            return;
        }
        submit(i, now).whenComplete((r, e) -> sendNext(next, endNanos, done));
    }

    private CompletableFuture<?> submit(long i, long dueNanos) {
        Instant dueInstant = Instant.now().minusNanos(Math.max(0, System.nanoTime() - dueNanos));
        long sentNanos = System.nanoTime();
        sent.incrementAndGet();
        return sendUntilNotBusy(i).handle((response, failure) -> {
            long end = System.nanoTime();
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                count("exception " + cause.getClass().getSimpleName());
                return null;
            }
            if (response.statusCode() == 202) {
                accepted.incrementAndGet();
                ingress.recordValue(Math.min(HIGHEST_NANOS, end - dueNanos));
                ingressService.recordValue(Math.min(HIGHEST_NANOS, end - sentNanos));
                if (i % options.e2eSample == 0) {
                    Matcher id = ID.matcher(response.body());
                    if (id.find()) {
                        sampled.add(new Submitted(id.group(1), dueInstant));
                    }
                }
            } else {
                count("HTTP " + response.statusCode());
            }
            return null;
        });
    }

    /**
     * Sends message {@code i}. A 503 (the gateway's back-pressure) is not a failure: like a real sender,
     * the message is sent again after the Retry-After the gateway gave; its latency keeps counting from
     * its due time.
     */
    private CompletableFuture<HttpResponse<String>> sendUntilNotBusy(long i) {
        return http.sendAsync(submitRequest(message(Long.toString(i))), HttpResponse.BodyHandlers.ofString())
                .thenCompose(response -> {
                    if (response.statusCode() != 503) {
                        return CompletableFuture.completedFuture(response);
                    }
                    count("HTTP 503 (busy; sent again after Retry-After)");
                    long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                            .thenCompose(ignored -> sendUntilNotBusy(i));
                });
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** Every second: the gateway's heap and the platform's delivered count. */
    private void monitor(long startNanos, long deliveredAtStart, CountDownLatch stop) {
        try {
            do {
                long t = (System.nanoTime() - startNanos) / 1_000_000;
                long heap = probe.gatewayHeapUsed();
                if (heap >= 0) {
                    heapSamples.add(new long[] {t, heap});
                }
                long delivered = probe.simulatorAccepted();
                if (delivered >= 0) {
                    deliveredSamples.add(new long[] {t, delivered - deliveredAtStart});
                }
            } while (!stop.await(1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deliveries per second over the middle of the sending window (skipping the first and last fifth),
     * where the pipeline runs in a steady state rather than filling or draining.
     */
    private Double steadyDeliveryRate() {
        double windowMs = options.duration.toMillis();
        List<long[]> inside;
        synchronized (deliveredSamples) {
            inside = deliveredSamples.stream().filter(s -> s[0] >= windowMs * 0.2 && s[0] <= windowMs * 0.8).toList();
        }
        if (inside.size() < 2) {
            return null;
        }
        long[] first = inside.get(0);
        long[] last = inside.get(inside.size() - 1);
        return round((last[1] - first[1]) * 1000.0 / (last[0] - first[0]));
    }

    /** Status and submit → DELIVERED time of the sampled messages, from the ledger's updatedAt. */
    private void readEndToEnd(Map<String, Long> statuses, Histogram e2e) throws InterruptedException {
        List<Submitted> all = new ArrayList<>(sampled);
        Semaphore parallel = new Semaphore(8);
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (Submitted s : all) {
            parallel.acquire();
            HttpRequest request = HttpRequest.newBuilder(options.gateway.resolve("/api/v1/messages/" + s.id())).GET().build();
            reads.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                parallel.release();
                if (failure != null || response.statusCode() != 200) {
                    synchronized (statuses) {
                        statuses.merge("unreadable", 1L, Long::sum);
                    }
                    return null;
                }
                try {
                    JsonNode view = JSON.readTree(response.body());
                    String status = view.path("status").asText();
                    synchronized (statuses) {
                        statuses.merge(status, 1L, Long::sum);
                    }
                    if ("DELIVERED".equals(status)) {
                        Instant updated = Instant.parse(view.path("updatedAt").asText());
                        e2e.recordValue(Math.max(0, Math.min(HIGHEST_NANOS, Duration.between(s.due(), updated).toNanos())));
                    }
                } catch (Exception e) {
                    synchronized (statuses) {
                        statuses.merge("unparsable", 1L, Long::sum);
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
    }

    private HttpRequest submitRequest(String hl7) {
        return HttpRequest.newBuilder(options.gateway.resolve("/api/v1/inbound/hospital-hl7v2"))
                .timeout(options.requestTimeout)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(hl7, StandardCharsets.UTF_8))
                .build();
    }

    /** The template with MSH-10 replaced by a unique id of this run. */
    String message(String sequence) {
        return withControlId(template, "LG" + runId + "-" + sequence);
    }

    /** {@code message} with its MSH-10 (message control id) replaced by {@code controlId}. */
    static String withControlId(String message, String controlId) {
        int end = message.indexOf('\r') >= 0 ? message.indexOf('\r') : message.indexOf('\n');
        String msh = end < 0 ? message : message.substring(0, end);
        String[] fields = msh.split("\\|", -1);
        fields[9] = controlId;
        return String.join("|", fields) + (end < 0 ? "" : message.substring(end));
    }

    private void count(String kind) {
        probe.count(kind);
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            p.put("p50", ms(h.getValueAtPercentile(50)));
            p.put("p90", ms(h.getValueAtPercentile(90)));
            p.put("p99", ms(h.getValueAtPercentile(99)));
            p.put("p999", ms(h.getValueAtPercentile(99.9)));
            p.put("max", ms(h.getMaxValue()));
            p.put("mean", ms((long) h.getMean()));
        }
        return p;
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    private void printSummary(Map<String, Object> r) {
        log("sent %s, accepted (202) %s, errors %s; %s connections, %s messages waited for one", r.get("sent"), r.get("accepted202"),
                r.get("errors"), r.get("connections"), r.get("queuedAtClient"));
        log("offered %s/s, accepted %s/s over %s s", r.get("offeredPerSecond"), r.get("acceptedPerSecond"), r.get("sendingSeconds"));
        log("ingress latency (from due time) ms: %s", r.get("ingressMs"));
        log("end-to-end: delivered %s during sending (%s/s; steady %s/s), %s in all, %s undelivered; %s/s up to the last delivery (%s s)",
                r.get("deliveredDuringSending"), r.get("deliveredPerSecondDuringSending"), r.get("deliveredPerSecondSteady"),
                r.get("delivered"), r.get("undelivered"), r.get("endToEndPerSecond"), r.get("secondsToLastDelivery"));
        log("end-to-end latency (submit -> DELIVERED, %s sampled) ms: %s; statuses %s", r.get("endToEndSampled"), r.get("endToEndMs"),
                r.get("sampleStatuses"));
        log("gateway heap used: max %s MB, last %s MB (%s samples)", r.get("gatewayHeapUsedMaxMB"), r.get("gatewayHeapUsedLastMB"),
                r.get("gatewayHeapSamples"));
        log("%s", GatewayProbe.GatewayCpu.describe(r, "Delivered", "delivered message", "from the start of sending to the end of the drain"));
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    static String resource(String name) {
        try (InputStream in = GatewayLoadGenerator.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --name=value} arguments. */
    static final class Options implements Cloneable {
        URI gateway = URI.create("https://localhost:8444");
        /** The gateway's management port (health, metrics): plain HTTP on its loopback interface. */
        URI management = URI.create("http://127.0.0.1:8081");
        URI simulator = URI.create("https://localhost:8443");
        Path pki = Path.of("var/pki");
        String institution = "H11010500001";
        Path template;
        /** Messages per second; 0 = max throughput (closed model). */
        double rate = 200;
        int concurrency = 16;
        Duration duration = Duration.ofSeconds(30);
        long count = 1_000_000;
        Duration drain = Duration.ofSeconds(60);
        Duration drainMax = Duration.ofSeconds(180);
        Duration requestTimeout = Duration.ofSeconds(30);
        /**
         * Open model: requests in flight at once, i.e. HTTP/1.1 connections (the JDK client opens one per
         * concurrent request). A sender keeps a small pool; without a bound, a server that falls behind
         * faces thousands of new TLS handshakes, which measures the handshakes and not the gateway.
         */
        int maxInFlight = 32;
        int e2eSample = 10;
        int warmup = 50;
        /**
         * A run of the same load before the measured one, drained and not counted: on two cores the gateway's JIT
         * compilers take a third or more of its CPU for the first minutes of a run (docs/benchmarks.md, round 7).
         */
        Duration warmupDuration = Duration.ZERO;
        int ioThreads = 4;
        boolean resetSimulator = true;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.println("""
                            GatewayLoadGenerator --gateway=https://localhost:8444 --management=http://127.0.0.1:8081 --simulator=https://localhost:8443 --pki=var/pki
                              --rate=200|max --concurrency=16 (max only) --duration=PT30S --count=1000000 --drain=PT60S --drain-max=PT180S
                              --e2e-sample=10 (every Nth accepted message's status is read) --warmup=50 --max-in-flight=32 (connections)
                              --warmup-duration=PT0S (the same load first, drained and not counted)
                              --institution=H11010500001 --template=FILE.hl7 --request-timeout=PT30S --io-threads=4
                              --reset-simulator=true (DELETE /api/v1/admin/messages before the run; --simulator=none to skip)""");
                    System.exit(0);
                }
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                String name = arg.substring(2, eq);
                String value = arg.substring(eq + 1);
                switch (name) {
                    case "gateway" -> o.gateway = URI.create(value);
                    case "management" -> o.management = URI.create(value);
                    case "simulator" -> o.simulator = value.equals("none") ? null : URI.create(value);
                    case "pki" -> o.pki = Path.of(value);
                    case "institution" -> o.institution = value;
                    case "template" -> o.template = Path.of(value);
                    case "rate" -> o.rate = value.equals("max") ? 0 : Double.parseDouble(value);
                    case "concurrency" -> o.concurrency = Integer.parseInt(value);
                    case "duration" -> o.duration = Duration.parse(value);
                    case "count" -> o.count = Long.parseLong(value);
                    case "drain" -> o.drain = Duration.parse(value);
                    case "drain-max" -> o.drainMax = Duration.parse(value);
                    case "request-timeout" -> o.requestTimeout = Duration.parse(value);
                    case "max-in-flight", "connections" -> o.maxInFlight = Integer.parseInt(value);
                    case "e2e-sample" -> o.e2eSample = Math.max(1, Integer.parseInt(value));
                    case "warmup" -> o.warmup = Integer.parseInt(value);
                    case "warmup-duration" -> o.warmupDuration = Duration.parse(value);
                    case "io-threads" -> o.ioThreads = Integer.parseInt(value);
                    case "reset-simulator" -> o.resetSimulator = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
                }
            }
            if (o.rate < 0 || o.concurrency < 1 || o.count < 1 || o.duration.isNegative() || o.duration.isZero()
                    || o.warmupDuration.isNegative()) {
                throw new IllegalArgumentException("rate ≥ 0, concurrency ≥ 1, count ≥ 1, a positive duration and no negative warm-up, please");
            }
            return o;
        }

        /** These options for the warm-up run: its duration, no warm-up of its own. */
        Options warmingUp() {
            try {
                Options o = (Options) clone();
                o.duration = warmupDuration;
                o.warmupDuration = Duration.ZERO;
                return o;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
