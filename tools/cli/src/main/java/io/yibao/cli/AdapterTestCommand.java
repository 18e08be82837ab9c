package io.yibao.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.adapter.mapping.MappedAdapter;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yibao adapter test}: runs a mapping folder on native files the way the gateway does (for a batch file
 * {@code check}, then every record through {@code translate}), validates each canonical message with the
 * {@link CanonicalValidator}, and prints per record the outcome, the issues (rule, FHIRPath, native location,
 * message), the unmapped fields and the canonical JSON; compares with {@code expected/<file>/<record>.json}
 * when present. Records are streamed: a file far larger than the heap goes through.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a mapping folder on its samples (or the given files) and show what the gateway would make of every record.",
                "Exit code 0 when every record translates into a valid canonical message (warnings allowed) and matches expected/;"
                        + " 1 when a file or record has an error or differs from expected/; 2 when the mapping cannot be loaded."})
final class AdapterTestCommand implements Callable<Integer> {
    enum Language { en, zh }

    enum Progress { auto, bar, plain, none }

    /** The clock of every translation: outputs are then reproducible, so that expected/ files can be compared. */
    static final Clock TEST_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    /** Below this many records no progress is shown in {@code auto} mode. */
    static final long PROGRESS_THRESHOLD = 10_000;
    private static final String UNMAPPED_RULE = "map-unmapped-field";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // 46.80 and 46.8 are different canonical decimals
            .build();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|DIR",
            description = "A mapping folder (holding mapping.yaml), or an adapter id / folder name under --adapters-dir or on the class path.")
    String adapter;

    @Parameters(index = "1..*", paramLabel = "FILE", description = "Native files to run (default: every file in the folder's samples/).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--quiet", description = "Per record the outcome and issues, without the canonical JSON.")
    boolean quiet;

    @Option(names = "--summary", description = "Only file checks, records with errors, and the totals (for large files).")
    boolean summary;

    @Option(names = "--lang", defaultValue = "en", description = "Language of issue messages: en or zh. Default: ${DEFAULT-VALUE}.")
    Language language;

    @Option(names = "--sender", paramLabel = "INSTITUTION",
            description = "The sending institution (as the client certificate would say). Default: the institution the file claims.")
    String sender;

    @Option(names = "--write-expected",
            description = "Write expected/<file>/<record>.json from this run for every record without error (review them before committing).")
    boolean writeExpected;

    @Option(names = "--progress", defaultValue = "auto",
            description = "Progress on stderr: auto (for files of 10,000+ records: a bar on a terminal, else a line every 5 s), bar, plain, none. Default: ${DEFAULT-VALUE}.")
    Progress progress;

    @Option(names = "--adapters-dir", defaultValue = "adapters", paramLabel = "DIR",
            description = "Where mapping folders are looked up by name or id. Default: ${DEFAULT-VALUE}.")
    Path adaptersDir;

    private PrintWriter out;
    private CanonicalValidator validator;
    private ConceptMapTranslator codes;
    private final Totals totals = new Totals();

    /** Counts over every file of the run. */
    private static final class Totals {
        long records;
        long ok;
        long warnings;
        long failed;
        long filesRejected;
        long matched;
        long differ;
        long withoutExpected;
        long written;
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        MappingFolders.Found found = MappingFolders.find(adapter, adaptersDir);
        MappedAdapter mapped = found.adapter();
        List<Path> inputs = files.isEmpty() ? samplesOf(found) : files;
        validator = CanonicalValidator.create();
        codes = ConceptMapTranslator.of(StandardPackage.load());
        out.printf("adapter %s (%s)%s%n", mapped.id(), mapped.description(), found.folder().map(f -> " from " + f).orElse(" from the class path"));
        for (Path file : inputs) {
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            Optional<Path> expectedDir = found.folder().map(f -> f.resolve("expected").resolve(stem(file)));
            Optional<BatchReader> batches = mapped.batches();
            if (batches.isPresent()) {
                runBatch(mapped, batches.get(), file, expectedDir);
            } else {
                out.printf("%n== %s (one message)%n", file);
                runRecord(mapped, new NativeMessage(Files.readAllBytes(file), null, sender), file, 1, "message", Optional.empty(), expectedDir);
            }
        }
        out.printf("%nsummary: %d records: %d ok, %d with warnings, %d failed; %d of %d files rejected as a whole%n",
                totals.records, totals.ok, totals.warnings, totals.failed, totals.filesRejected, inputs.size());
        out.printf("expected: %d match, %d differ, %d without expected output%s%n", totals.matched, totals.differ, totals.withoutExpected,
                writeExpected ? ", " + totals.written + " written" : "");
        out.flush();
        boolean anyError = totals.failed > 0 || totals.filesRejected > 0 || totals.differ > 0;
        return anyError ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private void runBatch(MappedAdapter mapped, BatchReader reader, Path file, Optional<Path> expectedDir) throws IOException {
        String name = file.getFileName().toString();
        BatchCheck check = reader.check(new BatchFile(file, name, null, sender));
        String institution = sender != null ? sender : check.claimedInstitutionCode().orElse(null);
        out.printf("%n== %s: %d records%s%s: file check %s%n", file, check.records(),
                check.batchReference().map(r -> ", batch " + r).orElse(""),
                check.claimedInstitutionCode().map(c -> ", institution " + c).orElse(""),
                check.accepted() ? "passed" : "FAILED: the gateway rejects the whole file (records still run below, to show their issues)");
        check.issues().forEach(issue -> out.println("  " + describe(issue)));
        if (!check.accepted()) {
            totals.filesRejected++;
        }
        BatchProgress shown = new BatchProgress(spec.commandLine().getErr(), progressStyle(check.records()), name, check.records(), System::nanoTime);
        long done = 0;
        try (RecordStream records = reader.records(new BatchFile(file, name, null, institution))) {
            while (records.hasNext()) {
                BatchRecord record = records.next();
                runRecord(mapped, new NativeMessage(record.payload(), record.contentType(), institution), file, record.number(),
                        record.location(), record.sourceRecordId(), expectedDir);
                shown.recordDone(++done);
            }
        }
        shown.finish(done);
    }

    private void runRecord(MappedAdapter mapped, NativeMessage message, Path file, long number, String location,
                           Optional<String> key, Optional<Path> expectedDir) throws IOException {
        String messageId = UUID.nameUUIDFromBytes((mapped.id() + "/" + file.getFileName() + "/" + number).getBytes(StandardCharsets.UTF_8)).toString();
        Translation translation = mapped.translate(message, new TranslationContext(messageId, codes, TEST_CLOCK));
        List<ValidationIssue> issues = new ArrayList<>(translation.issues());
        String json = null;
        if (translation.bundle().isPresent()) {
            Bundle bundle = translation.bundle().get();
            for (ValidationIssue issue : ValidationIssue.of(validator.validate(bundle))) {
                if (issue.ruleId() != null || issue.isError()) {
                    issues.add(issue.location() != null ? issue
                            : translation.nativeLocationOf(issue.expression()).map(issue::withLocation).orElse(issue));
                }
            }
            json = StandardPackage.load().fhirContext().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
        }
        // the engine names a bad field once per rule that uses it; identical findings are shown once
        issues = new ArrayList<>(new java.util.LinkedHashSet<>(issues));
        boolean failed = json == null || issues.stream().anyMatch(ValidationIssue::isError);
        List<String> differences = failed ? List.of() : compareWithExpected(json, expectedDir, number);
        totals.records++;
        String verdict;
        if (failed) {
            totals.failed++;
            verdict = "FAILED";
        } else if (!differences.isEmpty()) {
            verdict = "DIFFERS FROM EXPECTED";
        } else if (!issues.isEmpty()) {
            totals.warnings++;
            verdict = "ok with warnings";
        } else {
            totals.ok++;
            verdict = "ok";
        }
        boolean problem = failed || !differences.isEmpty();
        if (summary && !problem) {
            return;
        }
        out.printf("%s%s: %s%n", location.startsWith("record ") ? location : "record " + number + " (" + location + ")",
                key.map(k -> " key " + k).orElse(""), verdict);
        issues.stream().filter(i -> !UNMAPPED_RULE.equals(i.ruleId())).forEach(issue -> out.println("  " + describe(issue)));
        List<ValidationIssue> unmapped = issues.stream().filter(i -> UNMAPPED_RULE.equals(i.ruleId())).toList();
        if (!unmapped.isEmpty()) {
            out.println("  unmapped fields (" + UNMAPPED_RULE + "):");
            unmapped.forEach(issue -> out.println("    " + (issue.location() != null ? issue.location() + ": " : "") + message(issue)));
        }
        differences.forEach(d -> out.println("  expected/" + file.getFileName() + " differs: " + d));
        if (json != null && !quiet && !summary) {
            out.println(json);
        }
    }

    /** Compares with (or, with --write-expected, writes) the expected output; the differences found. */
    private List<String> compareWithExpected(String json, Optional<Path> expectedDir, long number) throws IOException {
        if (expectedDir.isEmpty()) {
            totals.withoutExpected++;
            return List.of();
        }
        Path expected = expectedDir.get().resolve(number + ".json");
        if (writeExpected) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, json + "\n", StandardCharsets.UTF_8);
            totals.written++;
            totals.matched++;
            return List.of();
        }
        if (!Files.isRegularFile(expected)) {
            totals.withoutExpected++;
            return List.of();
        }
        List<String> differences = JsonDifferences.between(JSON.readTree(expected.toFile()), JSON.readTree(json)).stream()
                .map(d -> d + " (" + expected + ")").toList();
        if (differences.isEmpty()) {
            totals.matched++;
        } else {
            totals.differ++;
        }
        return differences;
    }

    /** One line: severity, rule, FHIRPath, native location, message in the chosen language. */
    private String describe(ValidationIssue issue) {
        return issue.severity().toCode().toUpperCase() + " " + (issue.ruleId() == null ? "-" : issue.ruleId())
                + (issue.expression() == null ? "" : " " + issue.expression())
                + (issue.location() == null ? "" : " [" + issue.location() + "]") + ": " + message(issue);
    }

    private String message(ValidationIssue issue) {
        return language == Language.zh && issue.messageZh() != null ? issue.messageZh() : issue.message();
    }

    private BatchProgress.Style progressStyle(long records) {
        return switch (progress) {
            case none -> BatchProgress.Style.NONE;
            case bar -> BatchProgress.Style.BAR;
            case plain -> BatchProgress.Style.PLAIN;
            // Java 17 cannot ask whether stderr alone is a terminal; a console means the run is interactive.
            case auto -> records < PROGRESS_THRESHOLD ? BatchProgress.Style.NONE
                    : System.console() != null ? BatchProgress.Style.BAR : BatchProgress.Style.PLAIN;
        };
    }

    private static List<Path> samplesOf(MappingFolders.Found found) throws IOException {
        Path folder = found.folder().orElseThrow(() -> new IllegalArgumentException(
                "adapter " + found.adapter().id() + " comes from the class path: name the files to run"));
        Path samples = folder.resolve("samples");
        if (!Files.isDirectory(samples)) {
            throw new IllegalArgumentException(folder + " has no samples/ folder: add samples or name the files to run");
        }
        try (Stream<Path> listed = Files.list(samples)) {
            List<Path> sampleFiles = listed.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            if (sampleFiles.isEmpty()) {
                throw new IllegalArgumentException(samples + " is empty: add a sample or name the files to run");
            }
            return sampleFiles;
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
