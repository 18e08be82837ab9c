package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance run of a mapping-only adapter module, shipped in the engine's test-jar: a module's test is one
 * empty subclass naming the institution that sends its samples. It loads every mapping folder the module's
 * {@code target/classes/META-INF/yibao/mappings.list} names and, for every file in
 * {@code src/test/resources/samples/<adapter id>/}, reads it as a batch (check, then every record) or as one
 * message, translates, validates each bundle with {@link CanonicalValidator}, and compares the outcome with the
 * golden file {@code src/test/resources/expected/<adapter id>/<sample>.json} (file-level findings, per-record
 * issues and validation errors with rule and native location, the canonical bundle). Whatever the golden file
 * says, a sample named {@code bad-*} must give at least one error and any other sample none.
 * Run with {@code -Dyibao.conformance.write=true} to (re)write the golden files after a deliberate change,
 * then read their diff.
 */
public abstract class MappingConformance {
    private static final CanonicalValidator VALIDATOR = CanonicalValidator.create();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String sender;

    /** @param sender the institution code the samples come from (the client certificate's, in the gateway) */
    protected MappingConformance(String sender) {
        this.sender = sender;
    }

    @TestFactory
    Stream<DynamicTest> everySampleMatchesItsGoldenOutcome() throws IOException {
        Path index = Path.of("target/classes").resolve(MappingAdapters.INDEX);
        assertThat(index).as("the module's mapping index").exists();
        List<DynamicTest> tests = new ArrayList<>();
        for (String folder : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            if (folder.isBlank() || folder.strip().startsWith("#")) {
                continue;
            }
            MappedAdapter adapter = MappingAdapters.load(Path.of("target/classes").resolve(folder.strip()));
            Path samples = Path.of("src/test/resources/samples", adapter.id());
            assertThat(samples).as("samples of " + adapter.id()).isDirectory();
            try (Stream<Path> files = Files.list(samples)) {
                files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted()
                        .forEach(sample -> tests.add(DynamicTest.dynamicTest(adapter.id() + ": " + sample.getFileName(),
                                () -> conforms(adapter, sample))));
            }
        }
        assertThat(tests).as("samples").isNotEmpty();
        return tests.stream();
    }

    private void conforms(MappedAdapter adapter, Path sample) throws IOException {
        Outcome outcome = adapter.batches().isPresent() ? batch(adapter, sample) : message(adapter, sample);
        String name = sample.getFileName().toString();
        if (name.startsWith("bad-")) {
            assertThat(outcome.errors).as(name + " is a bad sample: it must give an error").isPositive();
        } else {
            assertThat(outcome.errors).as(name + " must give no error:\n" + outcome.text).isZero();
        }
        Path expected = Path.of("src/test/resources/expected", adapter.id(), name + ".json");
        if (Boolean.getBoolean("yibao.conformance.write")) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, outcome.text, StandardCharsets.UTF_8);
        }
        assertThat(expected).as("golden file (write it with -Dyibao.conformance.write=true, then review it)").exists();
        assertThat(outcome.text).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    /** The outcome of one sample as golden-file text, and how many errors it holds. */
    private record Outcome(String text, int errors) {}

    private Outcome batch(MappedAdapter adapter, Path sample) throws IOException {
        StringWriter out = new StringWriter();
        int errors = 0;
        try (JsonGenerator json = JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(sample, sender));
            json.writeObjectFieldStart("check");
            json.writeNumberField("records", check.records());
            json.writeBooleanField("accepted", check.accepted());
            json.writeStringField("batchReference", check.batchReference().orElse(null));
            json.writeStringField("claimedInstitution", check.claimedInstitutionCode().orElse(null));
            errors += issues(json, "issues", check.issues());
            json.writeEndObject();
            if (check.accepted()) {
                json.writeArrayFieldStart("records");
                for (BatchRecord record : MappingFixtures.records(adapter, MappingFixtures.batch(sample, sender))) {
                    json.writeStartObject();
                    json.writeNumberField("number", record.number());
                    json.writeStringField("location", record.location());
                    json.writeStringField("sourceRecordId", record.sourceRecordId().orElse(null));
                    errors += translation(json, adapter.translate(new NativeMessage(record.payload(), record.contentType(), sender),
                            MappingFixtures.context(sample.getFileName() + "#" + record.number())));
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        return new Outcome(out + "\n", errors);
    }

    private Outcome message(MappedAdapter adapter, Path sample) throws IOException {
        StringWriter out = new StringWriter();
        int errors;
        try (JsonGenerator json = JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            errors = translation(json, adapter.translate(new NativeMessage(Files.readAllBytes(sample), null, sender),
                    MappingFixtures.context(sample.getFileName().toString())));
            json.writeEndObject();
        }
        return new Outcome(out + "\n", errors);
    }

    private static int translation(JsonGenerator json, Translation translation) throws IOException {
        int errors = issues(json, "translationIssues", translation.issues());
        json.writeStringField("sourceMessageId", translation.sourceMessageId().orElse(null));
        json.writeStringField("claimedInstitution", translation.claimedInstitutionCode().orElse(null));
        if (translation.bundle().isPresent()) {
            Bundle bundle = translation.bundle().get();
            List<ValidationIssue> validation = ValidationIssue.of(VALIDATOR.validate(bundle)).stream()
                    .filter(ValidationIssue::isError)
                    .map(i -> i.location() == null && i.expression() != null
                            ? i.withLocation(translation.nativeLocationOf(i.expression()).orElse(null)) : i)
                    .toList();
            errors += issues(json, "validationErrors", validation);
            String encoded = MappingFixtures.STANDARD.fhirContext().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
            json.writeFieldName("bundle");
            json.writeRawValue(encoded);
        }
        return errors;
    }

    private static int issues(JsonGenerator json, String name, List<ValidationIssue> issues) {
        try {
            json.writeArrayFieldStart(name);
            int errors = 0;
            for (ValidationIssue issue : issues) {
                json.writeString(issue.severity().toCode() + " " + issue.ruleId() + " @ "
                        + (issue.location() != null ? issue.location() : issue.expression()) + ": " + issue.message());
                errors += issue.isError() ? 1 : 0;
            }
            json.writeEndArray();
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
