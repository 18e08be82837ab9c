package io.yibao.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives a running gateway with one batch file and reports what it does with it: generates a synthetic
 * file of {@code --records} records (pharmacy CSV for P11010500002, or an HL7 v2 batch for H11010500001;
 * streamed to disk), uploads it over mutual TLS as the file's institution
 * ({@code POST /api/v1/batches/{adapter}}), then every second reads the batch's status
 * ({@code GET /api/v1/batches/{id}}), the platform simulator's accepted count and the gateway's heap,
 * until the batch is final, every record is delivered, or {@code --max-wait}. With {@code --warmup-records}, a first
 * file of other records goes the same way before it, its lines marked {@code warm-up} and not counted.
 *
 * <p>Figures: upload time (request start → 202: the file is spooled and fsynced); split rate (records
 * put into the ledger per second, from the 202 to the last record split); end-to-end rate (records the
 * simulator accepted per second, from the upload's start to the last delivery seen) and the delivery rate
 * once the split is over; for a run stopped by {@code --max-wait}, the projected time to deliver the rest
 * at that rate; the gateway's heap (peak and last of the per-second samples); the gateway's CPU from the upload's
 * start to the end, per record, and how long its JIT compilers were compiling ({@link GatewayProbe#gatewayCpu});
 * errors by kind. The last line is a JSON summary ({@code RESULT {...}}).
 */
@Command(name = "BatchLoadGenerator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Uploads one synthetic batch file to a running gateway and measures upload, split and delivery.")
public final class BatchLoadGenerator implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The batch layouts this driver can generate: adapter id, sending institution, media type. */
    enum Layout {
        PHARMACY_CSV("pharmacy-csv", SyntheticPharmacyCsv.INSTITUTION, "text/csv", "csv"),
        HOSPITAL_HL7V2("hospital-hl7v2", SyntheticHl7Batch.INSTITUTION, "x-application/hl7-v2+er7", "hl7");

        final String adapter;
        final String institution;
        final String mediaType;
        final String extension;

        Layout(String adapter, String institution, String mediaType, String extension) {
            this.adapter = adapter;
            this.institution = institution;
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    @Option(names = "--gateway", description = "The gateway's HTTPS base URL (default: ${DEFAULT-VALUE}).")
    URI gateway = URI.create("https://localhost:8444");

    @Option(names = "--management", description = "The gateway's management base URL, health and metrics (default: ${DEFAULT-VALUE}).")
    URI management = URI.create("http://127.0.0.1:8081");

    @Option(names = "--simulator", description = "The platform simulator's base URL, or none (default: ${DEFAULT-VALUE}).",
            converter = OptionalUri.class)
    URI simulator = URI.create("https://localhost:8443");

    @Option(names = "--pki", description = "Development PKI directory (default: ${DEFAULT-VALUE}).")
    Path pki = Path.of("var/pki");

    @Option(names = "--layout", description = "PHARMACY_CSV (adapter pharmacy-csv) or HOSPITAL_HL7V2 (default: ${DEFAULT-VALUE}).")
    Layout layout = Layout.PHARMACY_CSV;

    @Option(names = "--records", description = "Records in the generated file (default: ${DEFAULT-VALUE}).")
    long records = 20_000;

    @Option(names = "--encoding", description = "Pharmacy CSV encoding, GBK or UTF-8 (default: ${DEFAULT-VALUE}); HL7 is UTF-8.")
    Charset encoding = Charset.forName("GBK");

    @Option(names = "--dir", description = "Where the generated file is written (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("var/bench/batches");

    @Option(names = "--keep-file", description = "Keep the generated file after the run (default: deleted).")
    boolean keepFile;

    @Option(names = "--generate-only", description = "Write the file, keep it and stop (to look at it or feed it to yibao adapter test).")
    boolean generateOnly;

    @Option(names = "--max-wait", description = "Stop polling after this long from the upload's start (default: ${DEFAULT-VALUE}).")
    Duration maxWait = Duration.ofMinutes(10);

    @Option(names = "--stop-after-split", description = "Stop once every record is split into the ledger (for files the pipeline cannot deliver in the time).")
    boolean stopAfterSplit;

    @Option(names = "--status-every", description = "Read the batch's status every N seconds (default: ${DEFAULT-VALUE}); heap and deliveries are read every second. "
            + "The gateway counts a batch's records by status on each read, which costs it CPU in proportion to the batch.")
    int statusEvery = 5;

    @Option(names = "--reset-simulator", negatable = true, description = "Forget the simulator's messages before the run (default: ${DEFAULT-VALUE}).")
    boolean resetSimulator = true;

    @Option(names = "--seed", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed = 20261123L;

    @Option(names = "--warmup-records", description = "First a file of this many other records, delivered and not counted, so that the measured "
            + "file meets a gateway whose JIT has compiled the batch path (default: none).")
    long warmupRecords;

    private final String runId = Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);

    /** One per-second sample: ms since the upload's start, heap bytes, delivered at the simulator, records split, batch status. */
    private record Sample(long atMs, long heap, long delivered, long split, String status) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new BatchLoadGenerator()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        Charset charset = layout == Layout.PHARMACY_CSV ? encoding : StandardCharsets.UTF_8;
        if (generateOnly) {
            generate(runId, records, charset, "batch");
            return 0;
        }
        if (warmupRecords > 0) {
            int warmedUp = run(runId + "W", warmupRecords, charset, true);
            if (warmedUp != 0) {
                return warmedUp;
            }
        }
        return run(runId, records, charset, false);
    }

    /**
     * Generates a file of {@code count} records (ids made from {@code fileRunId}), uploads and follows it with a probe of
     * its own (errors counted apart), deletes it.
     */
    private int run(String fileRunId, long count, Charset charset, boolean warmUp) throws Exception {
        Path file = generate(fileRunId, count, charset, warmUp ? "warm-up" : "batch");
        try {
            return measure(new GatewayProbe(pki, layout.institution, gateway, management, simulator, 4), file, Files.size(file), charset,
                    count, warmUp);
        } finally {
            if (!keepFile) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path generate(String fileRunId, long count, Charset charset, String label) throws Exception {
        Path file = dir.resolve("batch-" + fileRunId + "." + layout.extension);
        long generateStart = System.nanoTime();
        if (layout == Layout.PHARMACY_CSV) {
            new SyntheticPharmacyCsv().write(file, count, charset, fileRunId, seed);
        } else {
            new SyntheticHl7Batch(GatewayLoadGenerator.resource("/gateway-samples/adt-a01.hl7")).write(file, count, fileRunId);
        }
        double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
        log(label + ": %s, %d records, %s, %.1f MB, written in %.1f s; adapter %s as %s", file, count, charset, Files.size(file) / 1e6,
                generateSeconds, layout.adapter, layout.institution);
        return file;
    }

    /** Uploads {@code file} of {@code records} records and follows it; a warm-up's lines say so and it prints no RESULT. */
    private int measure(GatewayProbe probe, Path file, long size, Charset charset, long records, boolean warmUp) throws Exception {
        String label = warmUp ? "warm-up" : "batch";
        if (resetSimulator) {
            probe.resetSimulator();
        }
        long deliveredAtStart = Math.max(0, probe.simulatorAccepted());
        GatewayProbe.GatewayCpu cpuAtStart = probe.gatewayCpu();
        long start = System.nanoTime();
        URI upload = gateway.resolve("/api/v1/batches/" + layout.adapter + "?name=" + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8));
        HttpResponse<String> response = probe.http().send(HttpRequest.newBuilder(upload)
                .header("Content-Type", layout.mediaType + "; charset=" + charset.name())
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 202) {
            log(label + ": the gateway answered the upload with %d: %s", response.statusCode(), response.body());
            probe.count("upload HTTP " + response.statusCode());
            return 1;
        }
        String id = JSON.readTree(response.body()).path("id").asText();
        log(label + ": uploaded in %.1f s (%.1f MB/s), batch %s", uploadSeconds, size / 1e6 / uploadSeconds, id);

        List<Sample> samples = new ArrayList<>();
        long deadline = start + maxWait.toNanos();
        String status = "RECEIVED";
        long split = 0;
        long delivered = 0;
        JsonNode last = null;
        Long splitDoneMs = null;
        long lastDeliveryMs = (long) (uploadSeconds * 1000);
        while (true) {
            long atMs = (System.nanoTime() - start) / 1_000_000;
            long heap = probe.gatewayHeapUsed();
            long now = probe.simulatorAccepted();
            if (now >= 0 && now - deliveredAtStart != delivered) {
                delivered = now - deliveredAtStart;
                lastDeliveryMs = atMs;
            }
            boolean readStatus = samples.size() % Math.max(1, statusEvery) == 0 || (probe.hasSimulator() && delivered >= records);
            if (readStatus) {
                try {
                    HttpResponse<String> view = probe.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/batches/" + id + "?size=1")).GET().build());
                    if (view.statusCode() == 200) {
                        last = JSON.readTree(view.body());
                        status = last.path("status").asText();
                        split = last.path("recordsSplit").asLong(split);
                    } else {
                        probe.count("status HTTP " + view.statusCode());
                    }
                } catch (Exception e) {
                    probe.count("status-read " + e.getClass().getSimpleName());
                }
            }
            samples.add(new Sample(atMs, heap, delivered, split, status));
            if (splitDoneMs == null && split >= records) {
                splitDoneMs = atMs;
            }
            if (samples.size() % 10 == 0) {
                log("  %5.0f s: %s, split %d, delivered %d, heap %d MB", atMs / 1000.0, status, split, delivered, heap >> 20);
            }
            boolean finished = status.equals("COMPLETE") || status.equals("REJECTED") || (probe.hasSimulator() && delivered >= records)
                    || (stopAfterSplit && splitDoneMs != null);
            if (finished || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }

        GatewayProbe.GatewayCpu cpuAtEnd = probe.gatewayCpu();
        double measuredSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("layout", layout.name());
        result.put("adapter", layout.adapter);
        result.put("records", records);
        result.put("encoding", charset.name());
        result.put("fileMB", round(size / 1e6));
        result.put("batchId", id);
        result.put("uploadSeconds", round(uploadSeconds));
        result.put("finalStatus", status);
        result.put("recordCounts", last == null ? null : JSON.treeToValue(last.path("recordCounts"), Map.class));
        result.put("split", split);
        double uploadMs = uploadSeconds * 1000;
        result.put("splitSeconds", splitDoneMs == null ? null : round((splitDoneMs - uploadMs) / 1000));
        result.put("splitPerSecond", splitDoneMs == null ? rateOrNull(split, samples.get(samples.size() - 1).atMs() - uploadMs)
                : rateOrNull(split, splitDoneMs - uploadMs));
        result.put("delivered", probe.hasSimulator() ? delivered : null);
        result.put("secondsToLastDelivery", round(lastDeliveryMs / 1000.0));
        result.put("endToEndPerSecond", rateOrNull(delivered, lastDeliveryMs));
        Double afterSplit = deliveryRateAfterSplit(samples, splitDoneMs);
        result.put("deliveredPerSecondAfterSplit", afterSplit);
        long undelivered = records - delivered;
        Double rate = afterSplit != null ? afterSplit : rateOrNull(delivered, lastDeliveryMs);
        result.put("undelivered", undelivered);
        result.put("projectedSecondsForTheRest", undelivered > 0 && rate != null && rate > 0 ? round(undelivered / rate) : null);
        result.put("gatewayHeapUsedMaxMB", samples.stream().mapToLong(Sample::heap).max().orElse(-1) >> 20);
        result.put("gatewayHeapUsedLastMB", samples.isEmpty() ? -1 : samples.get(samples.size() - 1).heap() >> 20);
        result.put("samples", samples.size());
        cpuAtEnd.putSince(cpuAtStart, measuredSeconds, probe.hasSimulator() ? delivered : split, "Record", result);
        result.put("errors", new LinkedHashMap<>(probe.errors()));
        log(label + ": %s after %.0f s; split %d %s (%s records/s); delivered %s (%s/s end to end%s), %d undelivered%s",
                status, samples.get(samples.size() - 1).atMs() / 1000.0, split,
                result.get("splitSeconds") == null ? "so far, not finished" : "in " + result.get("splitSeconds") + " s", result.get("splitPerSecond"),
                result.get("delivered"), result.get("endToEndPerSecond"), afterSplit == null ? "" : ", " + afterSplit + "/s after the split",
                undelivered,
                result.get("projectedSecondsForTheRest") == null ? "" : " (≈" + result.get("projectedSecondsForTheRest") + " s more at that rate)");
        log(label + ": gateway heap used max %s MB, last %s MB; record counts %s; errors %s", result.get("gatewayHeapUsedMaxMB"),
                result.get("gatewayHeapUsedLastMB"), result.get("recordCounts"), result.get("errors"));
        log(label + ": %s", GatewayProbe.GatewayCpu.describe(result, "Record", "record", "from the upload to the end"));
        if (!warmUp) {
            System.out.println("RESULT " + JSON.writeValueAsString(result));
        }
        return 0;
    }

    /** Deliveries per second from the end of the split to the last sample with a delivery, when both exist and differ. */
    private static Double deliveryRateAfterSplit(List<Sample> samples, Long splitDoneMs) {
        if (splitDoneMs == null) {
            return null;
        }
        Sample from = null;
        Sample to = null;
        for (Sample s : samples) {
            if (from == null && s.atMs() >= splitDoneMs) {
                from = s;
            }
            if (from != null && s.delivered() > from.delivered() && (to == null || s.delivered() > to.delivered())) {
                to = s;
            }
        }
        return from == null || to == null ? null : round((to.delivered() - from.delivered()) * 1000.0 / (to.atMs() - from.atMs()));
    }

    private static Double rateOrNull(long count, double ms) {
        return ms <= 0 ? null : round(count * 1000.0 / ms);
    }

    private static double round(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** {@code none} → no simulator. */
    static final class OptionalUri implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            return value.equals("none") ? null : URI.create(value);
        }
    }
}
