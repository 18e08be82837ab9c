package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yibao batch send}: what an institution (or an operator on its behalf) runs to hand a batch file to the gateway
 * and account for every record. Uploads the file over mutual TLS ({@code POST /api/v1/batches/{adapter}}, streamed from
 * disk), follows the batch ({@code GET /api/v1/batches/{id}}, counters only: cheap to poll) with a progress bar of the
 * records settled, and once the batch is final saves its report ({@code GET /api/v1/batches/{id}/report}) next to the
 * file and prints the totals and the first records that were not delivered, with rule, place and reason.
 * The gateway is reached through {@link GatewayConnection}.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a batch file to the gateway over mutual TLS, follow it until every record is settled, and save its report.",
                "Exit code 0: every record delivered (or sent before). 1: the file was rejected as a whole, or records were rejected or "
                        + "dead-lettered (the report and the lines printed say which and why). 2: not sent or not followed to the end "
                        + "(refused, unreachable, TLS, --max-wait passed)."})
final class BatchSendCommand implements Callable<Integer> {
    /** Statuses of a batch after which nothing changes by itself. */
    private static final Set<String> FINAL = Set.of("COMPLETE", "REJECTED");
    /** Record statuses that are settled; with the records sent before, they are the progress. */
    private static final List<String> SETTLED = List.of("DELIVERED", "REJECTED", "DEAD_LETTERED", "DUPLICATE");
    /** Undelivered records printed at the end; the report has them all. */
    static final int LISTED = 10;

    private final ObjectMapper json = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The batch file, sent as it is (any encoding the adapter reads).")
    Path file;

    @Option(names = "--adapter", required = true, description = "The adapter that reads the file, e.g. pharmacy-csv.")
    String adapter;

    @Mixin
    GatewayConnection gateway;

    @Option(names = "--name", description = "The file name the gateway records and reports. Default: FILE's name.")
    String name;

    @Option(names = "--report", paramLabel = "PATH", description = "Where the report is saved. Default: FILE.report.json.")
    Path report;

    @Option(names = "--no-wait", description = "Only send: print the batch id and status URL, and exit 0 once the gateway has the file.")
    boolean noWait;

    @Option(names = "--poll-every", defaultValue = "PT2S", paramLabel = "DURATION",
            description = "How often the batch's status is read. Default: ${DEFAULT-VALUE}.")
    Duration pollEvery;

    @Option(names = "--max-wait", defaultValue = "PT24H", paramLabel = "DURATION",
            description = "Give up following after this long (the batch goes on; exit 2). Default: ${DEFAULT-VALUE}.")
    Duration maxWait;

    @Option(names = "--progress", defaultValue = "auto",
            description = "Progress on stderr: auto (for files of 10,000+ records: a bar on a terminal, else a line every 5 s), bar, plain, none. Default: ${DEFAULT-VALUE}.")
    BatchProgress.Choice progress;

    /** Time for the progress and for --max-wait; a test may replace it. */
    LongSupplier nanoTime = System::nanoTime;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        String fileName = name != null ? name : file.getFileName().toString();
        JsonNode sent;
        try {
            sent = upload(fileName);
        } catch (GatewayConnection.Unreachable refused) {
            err.println("batch send: " + refused.getMessage());
            return ExitCodes.FAILED;
        }
        String id = sent.path("id").asText();
        URI status = gateway.uri(sent.path("statusUrl").asText("/api/v1/batches/" + id));
        if (sent.path("duplicate").asBoolean()) {
            out.printf("%s was sent before: batch %s%n", fileName, id);
        } else {
            out.printf("%s sent: batch %s (%s)%n", fileName, id, status);
        }
        out.flush();
        if (noWait) {
            return ExitCodes.OK;
        }
        return follow(id, status, fileName);
    }

    /** POST the file; the gateway's answer (202, or 200 for a file it has had before). */
    private JsonNode upload(String fileName) throws IOException, InterruptedException, GatewayConnection.Unreachable {
        URI uri = gateway.uri("/api/v1/batches/" + URLEncoder.encode(adapter, StandardCharsets.UTF_8) + "?name="
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = gateway.send(request, "send the file");
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new GatewayConnection.Unreachable("the gateway refused the file: HTTP " + response.statusCode()
                    + gateway.reasons(response.body()));
        }
        return json.readTree(response.body());
    }

    /** Reads the status until the batch is final, showing progress; then the report and the totals. */
    private int follow(String id, URI status, String fileName) throws IOException, InterruptedException {
        long deadline = nanoTime.getAsLong() + maxWait.toNanos();
        BatchProgress shown = null;
        JsonNode view;
        while (true) {
            view = readStatus(status, 1);
            if (view != null) {
                if (shown == null && view.has("records")) {
                    shown = new BatchProgress(err, BatchProgress.style(progress, view.path("records").asLong()), fileName,
                            view.path("records").asLong(), nanoTime);
                }
                if (shown != null) {
                    shown.recordDone(settled(view));
                }
                if (FINAL.contains(view.path("status").asText())) {
                    break;
                }
            }
            if (nanoTime.getAsLong() - deadline > 0) {
                err.printf("batch send: batch %s is still %s after %s; it goes on at the gateway: %s%n", id,
                        view == null ? "unknown" : view.path("status").asText(), maxWait, status);
                return ExitCodes.FAILED;
            }
            Thread.sleep(pollEvery.toMillis());
        }
        if (shown != null) {
            shown.finish(settled(view));
        }
        JsonNode firstUndelivered = readStatus(status, LISTED);
        Path reportFile = report != null ? report : file.resolveSibling(file.getFileName() + ".report.json");
        saveReport(URI.create(status + "/report"), reportFile);
        return summarise(firstUndelivered != null ? firstUndelivered : view, reportFile);
    }

    /** The status view with a page of {@code size} undelivered records, or null (said on stderr) if it could not be read now. */
    private JsonNode readStatus(URI status, int size) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = gateway.send(HttpRequest.newBuilder(URI.create(status + "?size=" + size)).GET().build(), "read the batch's status");
        } catch (GatewayConnection.Unreachable unreachable) {
            err.println("batch send: " + unreachable.getMessage() + "; trying again");
            return null;
        }
        if (response.statusCode() != 200) {
            err.println("batch send: reading the status: HTTP " + response.statusCode() + gateway.reasons(response.body()) + "; trying again");
            return null;
        }
        return json.readTree(response.body());
    }

    private void saveReport(URI uri, Path reportFile) throws IOException, InterruptedException {
        Path part = reportFile.resolveSibling("." + reportFile.getFileName() + ".part");
        HttpResponse<Path> response;
        try {
            response = gateway.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofFile(part), "read the report");
        } catch (GatewayConnection.Unreachable e) {
            Files.deleteIfExists(part);
            throw new IOException(e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            String body = Files.readString(part);
            Files.deleteIfExists(part);
            throw new IOException("the report could not be read from " + uri + ": HTTP " + response.statusCode() + gateway.reasons(body));
        }
        Files.move(part, reportFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The totals, the first undelivered records and the verdict. */
    private int summarise(JsonNode view, Path reportFile) {
        JsonNode counts = view.path("recordCounts");
        String batchStatus = view.path("status").asText();
        out.printf("batch %s %s: %,d records: %,d delivered, %,d rejected, %,d dead-lettered, %,d sent before%n", view.path("id").asText(),
                batchStatus, view.path("records").asLong(), counts.path("DELIVERED").asLong(), counts.path("REJECTED").asLong(),
                counts.path("DEAD_LETTERED").asLong(), counts.path("DUPLICATE").asLong());
        for (JsonNode issue : view.path("fileIssues")) {
            out.println("  file: " + describe(issue));
        }
        for (JsonNode record : view.path("undeliveredRecords")) {
            String where = record.has("location") ? " (" + record.path("location").asText() + ")" : "";
            JsonNode issues = record.path("issues");
            if (issues.isEmpty()) {
                out.printf("  record %d%s %s%n", record.path("record").asLong(), where, record.path("status").asText());
            }
            for (JsonNode issue : issues) {
                out.printf("  record %d%s %s: %s%n", record.path("record").asLong(), where, record.path("status").asText(), describe(issue));
            }
        }
        long undelivered = counts.path("REJECTED").asLong() + counts.path("DEAD_LETTERED").asLong();
        if (undelivered > view.path("undeliveredRecords").size()) {
            out.printf("  ... %,d more in the report%n", undelivered - view.path("undeliveredRecords").size());
        }
        out.println("report: " + reportFile);
        out.flush();
        return "REJECTED".equals(batchStatus) || undelivered > 0 ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private static long settled(JsonNode view) {
        long settled = 0;
        for (String status : SETTLED) {
            settled += view.path("recordCounts").path(status).asLong();
        }
        return settled;
    }

    /** Rule, native location, FHIRPath and reason of one issue as the batch API flattens them. */
    private String describe(JsonNode issue) {
        String message = gateway.language == AdapterTestCommand.Language.zh && issue.has("messageZh")
                ? issue.path("messageZh").asText() : issue.path("message").asText();
        return issue.path("rule").asText() + (issue.has("location") ? " [" + issue.path("location").asText() + "]" : "")
                + (issue.has("expression") ? " " + issue.path("expression").asText() : "") + ": " + message;
    }
}
