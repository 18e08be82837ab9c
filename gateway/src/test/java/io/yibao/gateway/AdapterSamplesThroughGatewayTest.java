package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.yibao.adapter.Adapters;
import io.yibao.adapter.mapping.MappingConformance;
import io.yibao.adapter.mapping.MappingConformance.Sample;
import io.yibao.certs.DevPki;
import io.yibao.certs.Institution;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.signatures.CanonicalJson;
import io.yibao.signatures.EnvelopeSigner;
import io.yibao.signatures.InvalidJsonException;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every golden and bad sample of every adapter the gateway ships, through the running gateway over mutual TLS
 * to the platform simulator, sent as the institution enrolled for the adapter: a good sample's records are all
 * DELIVERED once, each stored by the simulator under its key with a signature that verifies, and each stored
 * Bundle equals the module's {@code expected/<name>.json} (scale-exact); a bad sample's records end REJECTED
 * in quarantine with the rules and native locations its {@code .expected.tsv} names, or the whole file is
 * rejected with the reason. The samples are discovered from the adapter modules' folders
 * ({@link AdapterSampleFolders}), so a new sample is picked up without editing this test. The worked example of
 * docs/onboarding.md (a new pharmacy chain's layout) runs beside them, onboarded as that page says: the institution
 * added to the PKI, its mapping folder and enrollment given to the gateway as properties. Samples of an adapter whose
 * messages carry the national envelope signature are signed here with the enrolled institution's key
 * ({@link #body}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdapterSamplesThroughGatewayTest {
    /** The conformance runner's reading: 47.60 stays distinct from 47.6. */
    private static final ObjectMapper JSON = MappingConformance.EXACT_JSON;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GatewayProperties properties;

    @Autowired
    Adapters adapters;

    /** The worked example of docs/onboarding.md: a pharmacy chain's layout, onboarded with a mapping folder and samples only. */
    static final Path ONBOARDING_EXAMPLE = AdapterSampleFolders.projectRoot().resolve("docs/onboarding-example/pharmacy-p44030500007");
    static final Institution ONBOARDED = new Institution("P44030500007", "测试康民连锁药房南山店",
            Institution.Kind.PHARMACY);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "samples");
        registry.add("yibao.batch.completion-check-interval", () -> "PT0.2S");
        // docs/onboarding.md, steps 8 and 9, as written there: the institution added to the PKI, its mapping folder
        // loaded from the file system, its enrollment added beside application.yaml's.
        GatewayTestEnvironment.addInstitution(ONBOARDED);
        registry.add("yibao.adapters.mapping-dirs", ONBOARDING_EXAMPLE::toString);
        registry.add("yibao.enrollments.P44030500007.adapters", () -> "pharmacy-p44030500007");
    }

    static Stream<AdapterSample> goodSamples() {
        return AdapterSampleFolders.all().stream().filter(s -> !s.sample().bad());
    }

    static Stream<AdapterSample> badSamples() {
        return AdapterSampleFolders.all().stream().filter(s -> s.sample().bad());
    }

    @Test
    void everyAdapterTheGatewayShipsHasGoodSamplesInItsModule() {
        Set<String> withSamples = new TreeSet<>();
        goodSamples().forEach(s -> withSamples.add(s.adapter()));
        assertThat(withSamples).isEqualTo(new TreeSet<>(adapters.all().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodSamples")
    void aGoodSampleIsDeliveredSignedAndStoredAsItsModuleExpects(AdapterSample sample) throws Exception {
        Expected expected = Expected.of(sample);
        String institution = institutionOf(sample.adapter());
        String client = DevPki.clientLeafName(institution);
        forgetEarlierSamples(institution, sample.adapter());
        Instant sent = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> messageIds;
        if (expected.batch()) {
            JsonNode view = uploadAndWait(client, sample);
            assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("COMPLETE");
            assertThat(view.get("records").asLong()).isEqualTo(expected.bundles().size());
            assertThat(view.at("/recordCounts/DELIVERED").asLong()).as(view.toString()).isEqualTo(expected.bundles().size());
            messageIds = jdbc.queryForList("SELECT id FROM message WHERE batch_id = ? ORDER BY record_no", String.class,
                    view.get("id").asText());
        } else {
            JsonNode status = postAndWait(client, sample, institution);
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("DELIVERED");
            messageIds = List.of(status.get("id").asText());
        }
        assertThat(messageIds).hasSize(expected.bundles().size());
        for (int i = 0; i < messageIds.size(); i++) {
            String id = messageIds.get(i);
            assertThat(GatewayTestEnvironment.deliveriesOf(id)).as("deliveries of %s", id).isEqualTo(1);
            HttpResponse<String> stored = GatewayTestEnvironment.simulator("/api/v1/messages/" + id);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            Verification verification = SignatureVerification.VERIFIER.verify(stored.body());
            assertThat(verification.isValid()).as(verification.message()).isTrue();
            assertThat(verification.signerCertificate().orElseThrow().getSubjectX500Principal().getName())
                    .contains("CN=" + DevPki.GATEWAY_SIGNING);
            JsonNode bundle = JSON.readTree(stored.body());
            assertThat(bundle.at("/identifier/value").asText()).as("Bundle.identifier is the gateway's message id").isEqualTo(id);
            JsonNode expectedBundle = expected.bundles().get(i);
            boolean translationTime = OffsetDateTime.parse(expectedBundle.path("timestamp").asText()).toInstant()
                    .equals(MappingConformance.CLOCK.instant());
            if (translationTime) {
                assertThat(OffsetDateTime.parse(bundle.path("timestamp").asText()).toInstant())
                        .as("Bundle.timestamp: when the gateway translated it").isBetween(sent, Instant.now());
            }
            assertThat(comparable(bundle, translationTime)).as("record %d of %s", i + 1, sample)
                    .isEqualTo(comparable(expectedBundle, translationTime));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSamples")
    void aBadSampleEndsInQuarantineOrIsRejectedWithTheRulesItsModuleExpects(AdapterSample sample) throws Exception {
        List<String[]> expected = sample.sample().expectedErrors().stream().map(l -> l.split("\t", 3)).toList();
        assertThat(expected).as("lines of " + sample.sample().expectation()).isNotEmpty();
        String institution = institutionOf(sample.adapter());
        String client = DevPki.clientLeafName(institution);
        forgetEarlierSamples(institution, sample.adapter());
        if (adapters.byId(sample.adapter()).orElseThrow().batches().isEmpty()) {
            if (body(sample, institution).isEmpty()) {
                // Not UTF-8 JSON, so no cainfo can be verified over it: refused at intake, before the adapter sees it.
                HttpResponse<String> refused = post(client, sample.adapter(), Files.readAllBytes(sample.sample().file()));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
                assertThat(JSON.readTree(refused.body()).at("/issue/0/details/coding/0/code").asText()).isEqualTo("gw-envelope-cainfo");
                assertThat(refused.body()).contains("MALFORMED");
                return;
            }
            JsonNode status = postAndWait(client, sample, institution);
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("REJECTED");
            for (String[] line : expected) {
                assertThat(status.at("/outcome/issue")).as(status.toString()).anySatisfy(issue -> {
                    assertThat(issue.at("/details/coding/0/code").asText()).isEqualTo(line[1]);
                    assertThat(issue.has("location") ? issue.at("/location/0").asText() : issue.at("/expression/0").asText())
                            .isEqualTo(line[2]);
                });
            }
            assertThat(get(client, "/api/v1/quarantine").body()).contains(status.get("id").asText());
            return;
        }
        JsonNode view = uploadAndWait(client, sample);
        String batchId = view.get("id").asText();
        if (expected.stream().anyMatch(line -> line[0].equals("file"))) {
            assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("REJECTED");
            for (String[] line : expected) {
                assertThat(view.get("fileIssues")).as(view.toString()).anySatisfy(issue -> {
                    assertThat(issue.get("rule").asText()).isEqualTo(line[1]);
                    assertThat(issue.get("location").asText()).isEqualTo(line[2]);
                    assertThat(issue.get("message").asText()).isNotBlank();
                });
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE batch_id = ?", Long.class, batchId))
                    .as("records released").isZero();
            return;
        }
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("COMPLETE");
        Map<Long, List<String[]>> byRecord = new TreeMap<>();
        expected.forEach(line -> byRecord.computeIfAbsent(Long.parseLong(line[0]), n -> new ArrayList<>()).add(line));
        JsonNode undelivered = view.get("undeliveredRecords");
        assertThat(undelivered).extracting(r -> r.get("record").asLong()).as(view.toString()).containsExactlyElementsOf(byRecord.keySet());
        for (JsonNode record : undelivered) {
            assertThat(record.get("status").asText()).as(record.toString()).isEqualTo("REJECTED");
            for (String[] line : byRecord.get(record.get("record").asLong())) {
                assertThat(record.get("issues")).as(record.toString()).anySatisfy(issue -> {
                    assertThat(issue.get("rule").asText()).isEqualTo(line[1]);
                    assertThat(nativeLocationOrPath(issue)).isEqualTo(line[2]);
                });
            }
        }
        long records = view.get("records").asLong();
        assertThat(view.at("/recordCounts/REJECTED").asLong()).isEqualTo(byRecord.size());
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).isEqualTo(records - byRecord.size());
        String quarantine = get(client, "/api/v1/quarantine").body();
        undelivered.forEach(record -> assertThat(quarantine).contains(record.get("messageId").asText()));
        for (String id : jdbc.queryForList("SELECT id FROM message WHERE batch_id = ? AND status = 'DELIVERED'", String.class, batchId)) {
            assertThat(GatewayTestEnvironment.deliveriesOf(id)).as("deliveries of %s", id).isEqualTo(1);
        }
    }

    /**
     * The Bundle with what the gateway legitimately assigns replaced by placeholders, so it can be compared with
     * the module's expectation (made with {@link MappingConformance#CLOCK} and message ids derived from sample names):
     * <ul>
     *   <li>{@code Bundle.signature}: the gateway signs what it forwards; the adapter's output is unsigned (the
     *       signature is verified separately);</li>
     *   <li>{@code Bundle.identifier.value}: the message id the gateway assigns on receipt (checked separately);</li>
     *   <li>{@code Bundle.timestamp} when the native record has no time of its own (bank-fixed-width): the adapter
     *       then stamps the translation time, the expectation's being {@link MappingConformance#CLOCK} (checked
     *       separately to lie between sending and now);</li>
     *   <li>the order of JSON object members: the gateway signs and sends the canonical JSON form (members sorted
     *       by name); FHIR JSON gives member order no meaning (array order is compared);</li>
     *   <li>entry {@code fullUrl}s, and resource ids equal to them: adapters derive these UUIDs from the message id,
     *       so each is replaced by its entry number wherever it occurs; references are still compared, as the
     *       entry they point to.</li>
     * </ul>
     * Everything else, decimals with their scale, must be equal.
     */
    private static String comparable(JsonNode bundle, boolean translationTime) throws IOException {
        ObjectNode copy = (ObjectNode) bundle.deepCopy();
        copy.remove("signature");
        if (translationTime) {
            copy.put("timestamp", "(translation time)");
        }
        ((ObjectNode) copy.get("identifier")).put("value", "(message id)");
        Map<String, String> placeholders = new HashMap<>();
        int number = 0;
        for (JsonNode entry : copy.path("entry")) {
            String fullUrl = entry.path("fullUrl").asText();
            if (fullUrl.startsWith("urn:uuid:")) {
                placeholders.put(fullUrl, "(entry " + number + ")");
                placeholders.put(fullUrl.substring("urn:uuid:".length()), "(entry " + number + " id)");
            }
            number++;
        }
        return JSON.writeValueAsString(replace(copy, placeholders));
    }

    /** The node with placeholders put in and object members sorted by name (arrays keep their order). */
    private static JsonNode replace(JsonNode node, Map<String, String> placeholders) {
        if (node.isTextual()) {
            String placeholder = placeholders.get(node.asText());
            return placeholder != null ? TextNode.valueOf(placeholder) : node;
        }
        if (node.isObject()) {
            ObjectNode sorted = JSON.createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> sorted.set(name, replace(node.get(name), placeholders)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(replace(element, placeholders)));
            return copy;
        }
        return node;
    }

    /**
     * Frees the de-duplication keys of the adapter's earlier samples, as if each sample went to a fresh gateway: the
     * encoding variants of a module (UTF-8, GBK, GB18030, BOM) hold the same records, which the gateway rightly
     * answers as DUPLICATE of the first without translating them again; each variant must be translated and
     * delivered on its own here. The rows stay (their quarantine and delivery checks keep working).
     */
    private void forgetEarlierSamples(String institution, String adapter) {
        jdbc.update("UPDATE message SET dedupe_key = CONCAT('forgotten:', id) WHERE institution = ? AND adapter = ?", institution, adapter);
    }

    /** As the expectation files name a place: the native location, or the FHIRPath where the standard found an error no native field maps to. */
    private static String nativeLocationOrPath(JsonNode issue) {
        return issue.has("location") ? issue.get("location").asText() : issue.path("expression").asText();
    }

    /** The (first) institution enrolled for the adapter in the gateway's configuration. */
    private String institutionOf(String adapter) {
        return properties.enrollmentsByInstitution().entrySet().stream().filter(e -> e.getValue().getAdapters().contains(adapter))
                .findFirst().map(Map.Entry::getKey)
                .orElseThrow(() -> new AssertionError("no institution is enrolled for " + adapter + " in application.yaml"));
    }

    private JsonNode uploadAndWait(String client, AdapterSample sample) throws Exception {
        String name = URLEncoder.encode(sample.sample().file().getFileName().toString(), StandardCharsets.UTF_8);
        HttpResponse<String> accepted = GatewayTestEnvironment.send(GatewayTestEnvironment.client(client),
                HttpRequest.newBuilder(uri("/api/v1/batches/" + sample.adapter() + "?name=" + name))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(sample.sample().file())).build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        return GatewayTestEnvironment.waitForFinalBatch(uri("/api/v1/batches/" + id), client, PATIENCE);
    }

    private JsonNode postAndWait(String client, AdapterSample sample, String institution) throws Exception {
        HttpResponse<String> accepted = post(client, sample.adapter(), body(sample, institution).orElseThrow(
                () -> new AssertionError(sample + " cannot be signed: not UTF-8 JSON")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        HttpResponse<String> status = get(client, "/api/v1/messages/" + id + "?wait=PT60S");
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        return JSON.readTree(status.body());
    }

    private HttpResponse<String> post(String client, String adapter, byte[] body) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(client), HttpRequest.newBuilder(uri("/api/v1/inbound/" + adapter))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * What is sent for a single-message sample: its bytes, or, for an adapter whose messages carry the national
     * envelope signature, the sample signed with the enrolled institution's development envelope key as the sending
     * system would sign it. Sample files are static and the development PKI is generated per machine, so the files
     * keep an empty {@code cainfo} (the adapter's own conformance test is unchanged) and are signed here. Empty when
     * the sample cannot be signed because it is not UTF-8 JSON.
     */
    private Optional<byte[]> body(AdapterSample sample, String institution) throws Exception {
        byte[] bytes = Files.readAllBytes(sample.sample().file());
        if (adapters.byId(sample.adapter()).orElseThrow().envelopeSignature().isEmpty()) {
            return Optional.of(bytes);
        }
        String json;
        try {
            json = CanonicalJson.toCanonicalString(CanonicalJson.parse(bytes));
        } catch (InvalidJsonException e) {
            return Optional.empty();
        }
        EnvelopeSigner signer = new EnvelopeSigner(DevPki.credentials(GatewayTestEnvironment.PKI, KeyAlgorithm.SM2,
                DevPki.envelopeSigningLeafName(institution)).privateKey());
        return Optional.of(signer.sign(json).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String client, String path) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(client), HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    /** One sample of one adapter; shown as {@code adapter: bad/name} in the test report. */
    record AdapterSample(String adapter, Sample sample) {
        @Override
        public String toString() {
            return adapter + ": " + sample.name();
        }
    }

    /**
     * The Bundles a good sample's expectation holds, and whether the sample is a batch file: the mapping engine's
     * {@code {"check", "records": [{bundle}]}} or {@code {"message": {bundle}}}, bank-iso20022's array of Bundles,
     * hospital-hl7v2's single Bundle.
     */
    record Expected(boolean batch, List<JsonNode> bundles) {
        static Expected of(AdapterSample sample) throws IOException {
            Path file = sample.sample().expectation();
            assertThat(file).as("expectation of " + sample).isRegularFile();
            JsonNode tree = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            List<JsonNode> bundles = new ArrayList<>();
            if (tree.isArray()) {
                tree.forEach(bundles::add);
                return new Expected(true, bundles);
            }
            if (tree.has("records")) {
                tree.get("records").forEach(record -> bundles.add(record.get("bundle")));
                return new Expected(true, bundles);
            }
            bundles.add(tree.has("message") ? tree.get("message").get("bundle") : tree);
            return new Expected(false, bundles);
        }
    }

    /** The gateway's signatures checked on their own, against the test PKI's roots (as the platform does). */
    static final class SignatureVerification {
        static final SignatureVerifier VERIFIER = create();

        private static SignatureVerifier create() {
            try {
                return new SignatureVerifier(List.of(DevPki.rootCertificate(GatewayTestEnvironment.PKI, KeyAlgorithm.EC_P256),
                        DevPki.rootCertificate(GatewayTestEnvironment.PKI, KeyAlgorithm.SM2)), Clock.systemUTC());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Finds the adapter modules' sample folders in the source tree (the class path holds none of hospital-hl7v2's), and
     * the onboarding example's ({@link #ONBOARDING_EXAMPLE}).
     */
    static final class AdapterSampleFolders {
        static List<AdapterSample> all() {
            Path adaptersDir = projectRoot().resolve("adapters");
            List<AdapterSample> samples = new ArrayList<>();
            MappingConformance.samples(ONBOARDING_EXAMPLE).forEach(s -> samples.add(new AdapterSample("pharmacy-p44030500007", s)));
            try (Stream<Path> modules = Files.list(adaptersDir)) {
                for (Path module : modules.sorted().toList()) {
                    Path main = module.resolve("src/main/resources");
                    if (Files.isRegularFile(main.resolve(io.yibao.adapter.mapping.MappingAdapters.INDEX))) {
                        for (Path folder : MappingConformance.indexedFolders(main)) {
                            MappingConformance.samples(folder).forEach(s -> samples.add(new AdapterSample(folder.getFileName().toString(), s)));
                        }
                    } else if (Files.isDirectory(module.resolve("src/test/resources/samples"))) {
                        // Java adapters (hospital-hl7v2, bank-iso20022): module name = adapter id, samples/ and expected/ side by side
                        Path folder = module.resolve("src/test/resources");
                        MappingConformance.samples(folder).forEach(s -> samples.add(new AdapterSample(module.getFileName().toString(), s)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return samples;
        }

        /** The repository root: the nearest directory above the working directory (gateway/ under Maven) with adapters/adapter-api. */
        static Path projectRoot() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("adapters/adapter-api"))) {
                    return dir;
                }
            }
            throw new IllegalStateException("no adapters/ folder above " + Path.of("").toAbsolutePath());
        }
    }
}
