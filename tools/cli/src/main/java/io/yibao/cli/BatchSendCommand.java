package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
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
 *
 * <p>The JDK's HTTP client, as nothing more is needed: one request at a time, TLS from the PEM files curl takes.
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

    @Option(names = "--gateway", defaultValue = "https://localhost:8444", paramLabel = "URL",
            description = "The gateway's API. Default: ${DEFAULT-VALUE}.")
    URI gateway;

    @Option(names = "--cert", required = true, paramLabel = "CHAIN.pem", description = "The institution's client certificate chain (PEM, leaf first).")
    Path certificate;

    @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "Its private key (PEM, unencrypted).")
    Path key;

    @Option(names = "--cacert", required = true, paramLabel = "CA.pem", description = "The CA certificate(s) the gateway's certificate must chain to.")
    Path caCertificates;

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

    @Option(names = "--lang", defaultValue = "en", description = "Language of the reasons printed: en or zh. Default: ${DEFAULT-VALUE}.")
    AdapterTestCommand.Language language;

    /** Time for the progress and for --max-wait; a test may replace it. */
    LongSupplier nanoTime = System::nanoTime;

    private PrintWriter out;
    private PrintWriter err;
    private HttpClient http;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        http = HttpClient.newBuilder().sslContext(sslContext(certificate, key, caCertificates))
                .connectTimeout(Duration.ofSeconds(10)).build();
        String fileName = name != null ? name : file.getFileName().toString();
        JsonNode sent;
        try {
            sent = upload(fileName);
        } catch (Refused refused) {
            err.println("batch send: " + refused.getMessage());
            return ExitCodes.FAILED;
        }
        String id = sent.path("id").asText();
        URI status = gateway.resolve(sent.path("statusUrl").asText("/api/v1/batches/" + id));
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
    private JsonNode upload(String fileName) throws IOException, InterruptedException, Refused {
        URI uri = gateway.resolve("/api/v1/batches/" + URLEncoder.encode(adapter, StandardCharsets.UTF_8) + "?name="
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = send(request, "send the file");
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new Refused("the gateway refused the file: HTTP " + response.statusCode() + reasons(response.body()));
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
            response = send(HttpRequest.newBuilder(URI.create(status + "?size=" + size)).GET().build(), "read the batch's status");
        } catch (Refused unreachable) {
            err.println("batch send: " + unreachable.getMessage() + "; trying again");
            return null;
        }
        if (response.statusCode() != 200) {
            err.println("batch send: reading the status: HTTP " + response.statusCode() + reasons(response.body()) + "; trying again");
            return null;
        }
        return json.readTree(response.body());
    }

    private void saveReport(URI uri, Path reportFile) throws IOException, InterruptedException {
        Path part = reportFile.resolveSibling("." + reportFile.getFileName() + ".part");
        HttpResponse<Path> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofFile(part));
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new IOException("the report could not be read from " + uri + ": " + e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            String body = Files.readString(part);
            Files.deleteIfExists(part);
            throw new IOException("the report could not be read from " + uri + ": HTTP " + response.statusCode() + reasons(body));
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
        String message = language == AdapterTestCommand.Language.zh && issue.has("messageZh")
                ? issue.path("messageZh").asText() : issue.path("message").asText();
        return issue.path("rule").asText() + (issue.has("location") ? " [" + issue.path("location").asText() + "]" : "")
                + (issue.has("expression") ? " " + issue.path("expression").asText() : "") + ": " + message;
    }

    /** The rules and reasons of a refusal's OperationOutcome, or nothing if the body is not one. */
    private String reasons(String body) {
        StringBuilder reasons = new StringBuilder();
        try {
            for (JsonNode issue : json.readTree(body).path("issue")) {
                String text = issue.at("/details/text").asText(issue.path("diagnostics").asText());
                if (language == AdapterTestCommand.Language.zh) {
                    for (JsonNode part : issue.at("/details/_text/extension/0/extension")) {
                        if ("content".equals(part.path("url").asText())) {
                            text = part.path("valueString").asText();
                        }
                    }
                }
                reasons.append(reasons.length() == 0 ? ": " : "; ").append(issue.at("/details/coding/0/code").asText("-")).append(' ').append(text);
            }
        } catch (IOException notJson) {
            // a proxy's page, say: the status code is all there is
        }
        return reasons.toString();
    }

    /** A request whose failure to connect is said in words: TLS refused, nobody listening. */
    private HttpResponse<String> send(HttpRequest request, String what) throws IOException, InterruptedException, Refused {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (SSLException e) {
            throw new Refused("could not " + what + ": the TLS handshake with " + gateway + " failed (" + e.getMessage()
                    + "); check --cert, --key and --cacert");
        } catch (ConnectException e) {
            throw new Refused("could not " + what + ": nothing answers at " + gateway);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Refused("could not " + what + ": " + gateway + " did not answer in time");
        } catch (IOException e) {
            throw new Refused("could not " + what + " at " + gateway + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    /** Not sent or not readable, said in words. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Mutual TLS from PEM files, as curl takes them. The key and certificates are handed to the JDK's TLS as the JDK's
     * own objects (re-read from their encodings), whichever provider parsed the PEM.
     */
    static SSLContext sslContext(Path certificatePem, Path keyPem, Path caPem) throws IOException, GeneralSecurityException {
        Credentials credentials = Credentials.fromPem(keyPem, certificatePem);
        PrivateKey bcKey = credentials.privateKey();
        PrivateKey privateKey = KeyFactory.getInstance(bcKey instanceof ECKey ? "EC" : bcKey.getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(bcKey.getEncoded()));
        char[] password = "in-memory".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", privateKey, password, jdk(credentials.chain()).toArray(Certificate[]::new));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<Certificate> authorities = jdk(Credentials.readCertificates(caPem));
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static List<Certificate> jdk(List<X509Certificate> certificates) throws GeneralSecurityException {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<Certificate> converted = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            converted.add(x509.generateCertificate(new ByteArrayInputStream(certificate.getEncoded())));
        }
        return converted;
    }
}
