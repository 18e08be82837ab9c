package io.yibao.cli;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.adapter.mapping.MappedAdapter;
import io.yibao.adapter.mapping.MappingConformance;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
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
 * message), the unmapped fields and the canonical JSON. Run on a folder's own samples it then runs the engine's
 * {@link MappingConformance} (good samples against {@code expected/}, bad ones against their {@code .expected.tsv}),
 * whose verdict is the exit code. Records are streamed: a file far larger than the heap goes through.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a mapping folder on its samples (or the given files) and show what the gateway would make of every record.",
                "Exit code, given files: 0 when every record translates into a valid canonical message (warnings allowed), 1 on any error.",
                "Exit code, the folder's own samples: 0 when samples/ match expected/ and samples/bad/ fail exactly as their .expected.tsv says, else 1.",
                "Exit code 2: the mapping cannot be loaded or a file cannot be read."})
final class AdapterTestCommand implements Callable<Integer> {
    enum Language { en, zh }

    private static final String UNMAPPED_RULE = "map-unmapped-field";

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
            description = "With the folder's own samples: (re)write expected/<sample>.json and samples/bad/<sample>.expected.tsv from this run (review the diff).")
    boolean writeExpected;

    @Option(names = "--progress", defaultValue = "auto",
            description = "Progress on stderr: auto (for files of 10,000+ records: a bar on a terminal, else a line every 5 s), bar, plain, none. Default: ${DEFAULT-VALUE}.")
    BatchProgress.Choice progress;

    @Option(names = "--adapters-dir", defaultValue = "adapters", paramLabel = "DIR",
            description = "Where mapping folders are looked up by name or id. Default: ${DEFAULT-VALUE}.")
    Path adaptersDir;

    private PrintWriter out;
    private CanonicalValidator validator;
    private ConceptMapTranslator codes;
    private final Totals totals = new Totals();
    private MappedAdapter mapped;

    /** Counts over every file of the run. */
    private static final class Totals {
        long records;
        long ok;
        long warnings;
        long failed;
        long filesRejected;
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        MappingFolders.Found found = MappingFolders.find(adapter, adaptersDir);
        mapped = found.adapter();
        boolean ownSamples = files.isEmpty();
        List<Path> inputs = ownSamples ? samplesOf(found).stream().map(MappingConformance.Sample::file).toList() : files;
        validator = CanonicalValidator.create();
        codes = ConceptMapTranslator.of(StandardPackage.load());
        out.printf("adapter %s (%s)%s%n", mapped.id(), mapped.description(), found.folder().map(f -> " from " + f).orElse(" from the class path"));
        for (Path file : inputs) {
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            Optional<BatchReader> batches = mapped.batches();
            if (batches.isPresent()) {
                runBatch(batches.get(), file);
            } else {
                out.printf("%n== %s (one message)%n", file);
                runRecord(new NativeMessage(Files.readAllBytes(file), null, sender), file, 1, "message", Optional.empty());
            }
        }
        out.printf("%nsummary: %d records: %d ok, %d with warnings, %d failed; %d of %d files rejected as a whole%n",
                totals.records, totals.ok, totals.warnings, totals.failed, totals.filesRejected, inputs.size());
        boolean anyError = totals.failed > 0 || totals.filesRejected > 0;
        if (ownSamples) {
            // The folder's own samples: good ones must match expected/, bad ones (samples/bad/) must fail exactly as
            // their .expected.tsv says; that verdict, the engine's conformance, is the exit code.
            anyError = !conformance(found.folder().orElseThrow(), mapped);
        }
        out.flush();
        return anyError ? ExitCodes.INVALID : ExitCodes.OK;
    }

    /** Runs the engine's conformance on every sample of the folder; prints each verdict; true when all conform. */
    private boolean conformance(Path folder, MappedAdapter mapped) {
        MappingConformance conformance = new MappingConformance(validator, StandardPackage.load());
        boolean all = true;
        out.println("conformance (samples/ against expected/, samples/bad/ against their .expected.tsv):");
        for (MappingConformance.Sample sample : MappingConformance.samples(folder)) {
            MappingConformance.Result result = conformance.run(mapped, sample, writeExpected);
            all &= result.passed();
            out.printf("  %s: %s%n", sample.name(), writeExpected ? "expectation written to " + sample.expectation()
                    : result.passed() ? "conforms" : "DOES NOT CONFORM");
            result.failures().forEach(failure -> out.println("    " + failure.replace("\n", "\n    ")));
        }
        return all;
    }

    private void runBatch(BatchReader reader, Path file) throws IOException {
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
        BatchProgress shown = new BatchProgress(spec.commandLine().getErr(), BatchProgress.style(progress, check.records()), name, check.records(), System::nanoTime);
        long done = 0;
        try (RecordStream records = reader.records(new BatchFile(file, name, null, institution))) {
            while (records.hasNext()) {
                BatchRecord record = records.next();
                runRecord(new NativeMessage(record.payload(), record.contentType(), institution), file, record.number(),
                        record.location(), record.sourceRecordId());
                shown.recordDone(++done);
            }
        }
        shown.finish(done);
    }

    private void runRecord(NativeMessage message, Path file, long number, String location, Optional<String> key) {
        String messageId = UUID.nameUUIDFromBytes((mapped.id() + "/" + file.getFileName() + "/" + number).getBytes(StandardCharsets.UTF_8)).toString();
        Translation translation = mapped.translate(message, new TranslationContext(messageId, codes, MappingConformance.CLOCK));
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
        totals.records++;
        String verdict;
        if (failed) {
            totals.failed++;
            verdict = "FAILED";
        } else if (!issues.isEmpty()) {
            totals.warnings++;
            verdict = "ok with warnings";
        } else {
            totals.ok++;
            verdict = "ok";
        }
        if (summary && !failed) {
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
        if (json != null && !quiet && !summary) {
            out.println(json);
        }
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

    private static List<MappingConformance.Sample> samplesOf(MappingFolders.Found found) {
        Path folder = found.folder().orElseThrow(() -> new IllegalArgumentException(
                "adapter " + found.adapter().id() + " comes from the class path: name the files to run"));
        List<MappingConformance.Sample> samples = MappingConformance.samples(folder);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(folder + " has no samples (samples/, samples/bad/): add one or name the files to run");
        }
        return samples;
    }
}
