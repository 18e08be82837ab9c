package io.yibao.bench;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.bench.load.SyntheticPharmacyCsv;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.preparation.CanonicalMessagePreparation;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message's own work in the gateway, as {@code MessageProcessor.prepare} does it: the adapter's translation,
 * then {@link CanonicalMessagePreparation} (the same class the gateway calls) validating and, the message being valid,
 * encoding and signing it with SM2 (the gateway's default). Two messages: the HL7 v2 ADT^A01 the load generator sends
 * ({@code gateway/samples/adt-a01.hl7}) and one record of a synthetic pharmacy till export (the pharmacy-csv layout
 * of {@link SyntheticPharmacyCsv}, read by the adapter's batch reader as the gateway splits a batch). Besides the whole
 * ({@code prepare}), each step alone on the same message; the ledger, the broker and the transmission are not part of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class CanonicalMessageBenchmark {
    @Param({"hl7-adt-a01", "pharmacy-csv-record"})
    public String message;

    private InboundAdapter adapter;
    private NativeMessage nativeMessage;
    private TranslationContext context;
    private CanonicalMessagePreparation preparation;
    private Translation translation;
    private Bundle bundle;

    @Setup
    public void setUp() throws Exception {
        StandardPackage standard = StandardPackage.load();
        Adapters adapters = Adapters.discover();
        switch (message) {
            case "hl7-adt-a01" -> {
                adapter = adapters.byId("hospital-hl7v2").orElseThrow();
                nativeMessage = new NativeMessage(resource("/gateway-samples/adt-a01.hl7"), "x-application/hl7-v2+er7", "H11010500001");
            }
            case "pharmacy-csv-record" -> {
                adapter = adapters.byId("pharmacy-csv").orElseThrow();
                nativeMessage = firstPharmacyRecord(adapter);
            }
            default -> throw new IllegalArgumentException("no message " + message);
        }
        context = new TranslationContext("9a4c0f3e-5b1d-4e2a-8c7f-1d2e3f4a5b6c", ConceptMapTranslator.of(standard),
                Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC));
        Path pki = Files.createTempDirectory("yibao-bench-pki");
        DevPki.init(pki);
        BundleSigner signer = new BundleSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING), SignatureAlgorithm.SM2);
        SignatureVerifier verifier = new SignatureVerifier(List.of(DevPki.rootCertificate(pki, KeyAlgorithm.SM2)), Clock.systemUTC());
        deleteTree(pki);
        preparation = new CanonicalMessagePreparation(CanonicalValidator.create(), signer, standard.fhirContext());

        translation = adapter.translate(nativeMessage, context);
        if (!translation.succeeded()) {
            throw new IllegalStateException(message + " does not translate cleanly: " + translation.issues());
        }
        bundle = translation.bundle().orElseThrow();
        List<ValidationIssue> errors = preparation.validate(translation).stream().filter(ValidationIssue::isError).toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(message + " is not valid: " + errors);
        }
        if (!verifier.verify(preparation.signAll(List.of(bundle)).get(0)).isValid()) {
            throw new IllegalStateException("the signed " + message + " does not verify");
        }
    }

    /** The whole: translate, validate, and (valid) encode and sign, in MessageProcessor.prepareAll's order, for a chunk of one. */
    @Benchmark
    public String prepare() {
        Translation translated = adapter.translate(nativeMessage, context);
        List<ValidationIssue> issues = preparation.validate(translated);
        if (!translated.succeeded() || issues.stream().anyMatch(ValidationIssue::isError)) {
            throw new IllegalStateException(message + " was rejected");
        }
        return preparation.signAll(List.of(translated.bundle().orElseThrow())).get(0);
    }

    @Benchmark
    public Translation translate() {
        return adapter.translate(nativeMessage, context);
    }

    @Benchmark
    public List<ValidationIssue> validate() {
        return preparation.validate(translation);
    }

    /** Encoding and signing: the signed canonical message of the translated Bundle. */
    @Benchmark
    public String sign() {
        return preparation.signAll(List.of(bundle)).get(0);
    }

    /** The first record of a one-sale synthetic pharmacy export, as the adapter's batch reader hands it over. */
    private static NativeMessage firstPharmacyRecord(InboundAdapter adapter) throws IOException {
        Path file = Files.createTempFile("yibao-bench-pharmacy", ".csv");
        try {
            new SyntheticPharmacyCsv().write(file, 1, StandardCharsets.UTF_8, "BENCH", 42);
            BatchFile batch = new BatchFile(file, "sales.csv", "text/csv", SyntheticPharmacyCsv.INSTITUTION);
            try (RecordStream records = adapter.batches().orElseThrow().records(batch)) {
                BatchRecord record = records.next();
                return new NativeMessage(record.payload(), record.contentType(), SyntheticPharmacyCsv.INSTITUTION);
            }
        } finally {
            Files.delete(file);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = CanonicalMessageBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the class path (bench/pom.xml copies it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
