package io.yibao.adapter.mapping;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs a mapping folder's samples and compares them with what the folder expects, so a new sample needs no
 * new code (the adapter modules' conformance test and {@code yibao adapter test} call this).
 *
 * <p>A folder holds {@code mapping.yaml}, {@code samples/} and {@code expected/}:
 * <ul>
 *   <li>a <b>good sample</b> {@code samples/<name>.<ext>}: the batch check accepts it, every record translates
 *       without error, every Bundle passes {@link CanonicalValidator}, and the outcome equals
 *       {@code expected/<name>.json} as a JSON document (whitespace aside, decimals exact: 47.60 is not 47.6): {@code {"check": {…}, "records": [{"number",
 *       "location", "sourceRecordId", "warnings", "bundle"}, …]}};</li>
 *   <li>a <b>bad sample</b> {@code samples/bad/<name>.<ext>} with {@code samples/bad/<name>.<ext>.expected.tsv}:
 *       one line per error, {@code record<TAB>rule<TAB>native location}, where record is the record number or
 *       {@code file} for a file-level rejection by {@link BatchReader#check} (then no record is read); errors of
 *       records that translate but fail the standard count too. The lines must match exactly, in file order.</li>
 *   <li>a mapping with {@code input: message} (no batch reading): each sample file is one native message; a good
 *       one's outcome is {@code {"message": {"sourceMessageId", "institution", "warnings", "bundle"}}}, and the
 *       record column of its lines is {@code message}.</li>
 * </ul>
 * Translation uses a fixed clock ({@link #CLOCK}) and message ids derived from adapter, sample and record, so
 * the output is stable. With {@code write} the expected files are (re)written from the actual outcome instead
 * of compared: review the diff.
 */
public final class MappingConformance {
    /** The translation clock of every conformance run. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneOffset.UTC);
    /** Suffix of a bad sample's expectation file, appended to the sample's file name. */
    public static final String EXPECTATION_SUFFIX = ".expected.tsv";
    private static final String FILE_LEVEL = "file";
    /** The record column of a message adapter's lines: the sample is one message. */
    private static final String MESSAGE = "message";
    /** How expected files are read and compared: decimals exact, 47.60 distinct from 47.6. */
    public static final ObjectMapper EXACT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // keep 47.60 distinct from 47.6: money keeps its scale (Jackson strips trailing zeros by default)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final CanonicalValidator validator;
    private final ConceptMapTranslator codes;
    private final IParser fhirJson;

    public MappingConformance(CanonicalValidator validator, StandardPackage standard) {
        this.validator = validator;
        this.codes = ConceptMapTranslator.of(standard);
        this.fhirJson = standard.fhirContext().newJsonParser();
    }

    /** One sample of a mapping folder: a native file, good or bad. */
    public record Sample(Path folder, Path file, boolean bad) {
        public String name() {
            return (bad ? "bad/" : "") + file.getFileName();
        }

        /** {@code expected/<name>.json} of a good sample, {@code <file>.expected.tsv} of a bad one. */
        public Path expectation() {
            String fileName = file.getFileName().toString();
            if (bad) {
                return file.resolveSibling(fileName + EXPECTATION_SUFFIX);
            }
            int dot = fileName.lastIndexOf('.');
            return folder.resolve("expected").resolve((dot > 0 ? fileName.substring(0, dot) : fileName) + ".json");
        }

        /** The expected errors of a bad sample, {@code record<TAB>rule<TAB>location} per line, comments and blank lines left out. */
        public List<String> expectedErrors() throws IOException {
            return Files.readAllLines(expectation(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    /** The outcome of one sample: empty failures when it conforms. */
    public record Result(Sample sample, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** The mapping folders a class-path root lists in its index {@link MappingAdapters#INDEX} (e.g. {@code src/main/resources}). */
    public static List<Path> indexedFolders(Path root) {
        Path index = root.resolve(MappingAdapters.INDEX);
        try {
            return MappingAdapters.folders(index.toUri().toURL()).stream().map(root::resolve).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping index " + index, e);
        }
    }

    /** The folder's samples, good ones ({@code samples/*}) then bad ones ({@code samples/bad/*}), each sorted by name. */
    public static List<Sample> samples(Path folder) {
        List<Sample> samples = new ArrayList<>();
        samples.addAll(list(folder, folder.resolve("samples"), false));
        samples.addAll(list(folder, folder.resolve("samples").resolve("bad"), true));
        return samples;
    }

    private static List<Sample> list(Path folder, Path directory, boolean bad) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().endsWith(EXPECTATION_SUFFIX))
                    .sorted().map(f -> new Sample(folder, f, bad)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** Runs every sample of the folder with its adapter. */
    public List<Result> run(Path folder, boolean write) {
        MappedAdapter adapter = MappingAdapters.load(folder);
        return samples(folder).stream().map(sample -> run(adapter, sample, write)).toList();
    }

    /** Runs one sample with the folder's adapter; with {@code write} the expectation is written from the outcome. */
    public Result run(MappedAdapter adapter, Sample sample, boolean write) {
        try {
            return sample.bad() ? runBad(adapter, sample, write) : runGood(adapter, sample, write);
        } catch (IOException e) {
            return new Result(sample, List.of("cannot read " + sample.file() + ": " + e));
        }
    }

    private Result runGood(MappedAdapter adapter, Sample sample, boolean write) throws IOException {
        if (adapter.batches().isEmpty()) {
            return runMessage(adapter, sample, write);
        }
        List<String> failures = new ArrayList<>();
        BatchFile file = new BatchFile(sample.file(), sample.file().getFileName().toString(), null, null);
        BatchReader reader = adapter.batches().orElseThrow();
        BatchCheck check = reader.check(file);
        ObjectNode actual = EXACT_JSON.createObjectNode();
        ObjectNode checkNode = actual.putObject("check");
        checkNode.put("records", check.records());
        checkNode.put("batchReference", check.batchReference().orElse(null));
        checkNode.put("institution", check.claimedInstitutionCode().orElse(null));
        check.issues().forEach(issue -> checkNode.withArray("issues").add(line(FILE_LEVEL, issue)));
        check.issues().stream().filter(ValidationIssue::isError)
                .forEach(issue -> failures.add("file rejected: " + line(FILE_LEVEL, issue) + " " + issue.message()));
        ArrayNode records = actual.putArray("records");
        if (check.accepted()) {
            try (RecordStream stream = reader.records(file)) {
                while (stream.hasNext()) {
                    BatchRecord record = stream.next();
                    Translation translation = translate(adapter, sample, record, check);
                    ObjectNode node = records.addObject();
                    node.put("number", record.number());
                    node.put("location", record.location());
                    node.put("sourceRecordId", record.sourceRecordId().orElse(null));
                    translation.issues().stream().filter(i -> !i.isError())
                            .forEach(issue -> node.withArray("warnings").add(line(Long.toString(record.number()), issue)));
                    translation.bundle().ifPresent(bundle -> node.set("bundle", tree(fhirJson.encodeResourceToString(bundle))));
                    for (String error : errors(Long.toString(record.number()), translation)) {
                        failures.add("record " + error);
                    }
                }
            }
        }
        compare(sample, actual, write, failures);
        return new Result(sample, failures);
    }

    /**
     * A good sample of a message adapter ({@code input: message}): the file is one native message; the outcome is
     * {@code {"message": {sourceMessageId, institution, warnings, bundle}}}, warnings as {@code message<TAB>rule<TAB>location}.
     */
    private Result runMessage(MappedAdapter adapter, Sample sample, boolean write) throws IOException {
        List<String> failures = new ArrayList<>();
        Translation translation = translateMessage(adapter, sample);
        ObjectNode actual = EXACT_JSON.createObjectNode();
        ObjectNode node = actual.putObject("message");
        node.put("sourceMessageId", translation.sourceMessageId().orElse(null));
        node.put("institution", translation.claimedInstitutionCode().orElse(null));
        translation.issues().stream().filter(i -> !i.isError()).forEach(issue -> node.withArray("warnings").add(line(MESSAGE, issue)));
        translation.bundle().ifPresent(bundle -> node.set("bundle", tree(fhirJson.encodeResourceToString(bundle))));
        for (String error : errors(MESSAGE, translation)) {
            failures.add(error);
        }
        compare(sample, actual, write, failures);
        return new Result(sample, failures);
    }

    private void compare(Sample sample, ObjectNode actual, boolean write, List<String> failures) throws IOException {
        Path expected = sample.expectation();
        if (write) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, EXACT_JSON.writeValueAsString(actual) + "\n", StandardCharsets.UTF_8);
        } else if (!Files.isRegularFile(expected)) {
            failures.add("no expected file " + expected + " (write it with the conformance write option, then review it)");
        } else {
            // compared as re-serialized text, not as trees: JsonNode equality takes 47.60 for 47.6
            String actualText = EXACT_JSON.writeValueAsString(actual);
            if (!EXACT_JSON.writeValueAsString(tree(Files.readString(expected, StandardCharsets.UTF_8))).equals(actualText)) {
                failures.add("the outcome differs from " + expected + "; actual:\n" + actualText);
            }
        }
    }

    private Result runBad(MappedAdapter adapter, Sample sample, boolean write) throws IOException {
        List<String> actual = new ArrayList<>();
        if (adapter.batches().isEmpty()) {
            actual.addAll(errors(MESSAGE, translateMessage(adapter, sample)));
        } else {
            badBatch(adapter, sample, actual);
        }
        return expectErrors(sample, actual, write);
    }

    private void badBatch(MappedAdapter adapter, Sample sample, List<String> actual) throws IOException {
        BatchFile file = new BatchFile(sample.file(), sample.file().getFileName().toString(), null, null);
        BatchReader reader = adapter.batches().orElseThrow();
        BatchCheck check = reader.check(file);
        check.issues().stream().filter(ValidationIssue::isError).forEach(issue -> actual.add(line(FILE_LEVEL, issue)));
        if (check.accepted()) {
            try (RecordStream stream = reader.records(file)) {
                while (stream.hasNext()) {
                    BatchRecord record = stream.next();
                    actual.addAll(errors(Long.toString(record.number()), translate(adapter, sample, record, check)));
                }
            }
        }
    }

    private Result expectErrors(Sample sample, List<String> actual, boolean write) throws IOException {
        Path expected = sample.expectation();
        if (write) {
            List<String> lines = new ArrayList<>();
            if (Files.isRegularFile(expected)) {  // the comments stay: they say what the sample is for
                Files.readAllLines(expected, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("#")).forEach(lines::add);
            }
            lines.addAll(actual);
            Files.writeString(expected, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return new Result(sample, List.of());
        }
        if (!Files.isRegularFile(expected)) {
            return new Result(sample, List.of("no expectation file " + expected + " (record<TAB>rule<TAB>location per error)"));
        }
        List<String> expectedLines = sample.expectedErrors();
        List<String> failures = new ArrayList<>();
        if (expectedLines.isEmpty()) {
            failures.add(expected + " expects no error: a bad sample expects at least one");
        }
        if (!expectedLines.equals(actual)) {
            failures.add("errors differ from " + expected + "\nexpected:\n" + String.join("\n", expectedLines)
                    + "\nactual:\n" + String.join("\n", actual));
        }
        return new Result(sample, failures);
    }

    private Translation translate(MappedAdapter adapter, Sample sample, BatchRecord record, BatchCheck check) {
        String key = adapter.id() + "/" + sample.name() + "/" + record.number();
        TranslationContext context = new TranslationContext(
                UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString(), codes, CLOCK);
        return adapter.translate(new NativeMessage(record.payload(), record.contentType(),
                check.claimedInstitutionCode().orElse(null)), context);
    }

    /** The sample as one native message; the sender is the institution it claims (as the gateway's peek reads it). */
    private Translation translateMessage(MappedAdapter adapter, Sample sample) throws IOException {
        byte[] bytes = Files.readAllBytes(sample.file());
        String key = adapter.id() + "/" + sample.name();
        TranslationContext context = new TranslationContext(
                UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString(), codes, CLOCK);
        String sender = adapter.peek(new NativeMessage(bytes, null, null)).claimedInstitutionCode().orElse(null);
        return adapter.translate(new NativeMessage(bytes, null, sender), context);
    }

    /**
     * The record's errors as expectation lines (one per rule and location: a field several rules need is named
     * once): translation errors, else the standard's verdict on its Bundle.
     */
    private List<String> errors(String number, Translation translation) {
        List<String> lines = new ArrayList<>();
        translation.issues().stream().filter(ValidationIssue::isError).forEach(issue -> lines.add(line(number, issue)));
        if (lines.isEmpty() && translation.bundle().isPresent()) {
            for (ValidationIssue issue : ValidationIssue.of(validator.validate(translation.bundle().get()))) {
                if (issue.isError()) {
                    String location = translation.nativeLocationOf(issue.expression()).orElse(issue.expression());
                    lines.add(number + "\t" + issue.ruleId() + "\t" + location);
                }
            }
        }
        return lines.stream().distinct().toList();
    }

    private static String line(String record, ValidationIssue issue) {
        return record + "\t" + issue.ruleId() + "\t" + (issue.location() != null ? issue.location() : issue.expression());
    }

    private static JsonNode tree(String json) {
        try {
            return EXACT_JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
