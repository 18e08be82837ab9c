package io.yibao.cli;

import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hl7.fhir.r4.model.OperationOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yibao validate}: checks canonical messages against the standard and prints every issue. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate canonical messages (FHIR JSON Bundles) against the standard. Exit code 0 when all are valid, 1 when any has an error.")
final class ValidateCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Message files (- for standard input).")
    List<Path> files;

    @Option(names = "--format", defaultValue = "text", description = "text (one line per issue) or json (the OperationOutcome). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CanonicalValidator validator = CanonicalValidator.create();
        boolean anyInvalid = false;
        for (Path file : files) {
            OperationOutcome outcome = validator.validate(InputFiles.read(file));
            boolean invalid = ValidationIssue.hasErrors(outcome);
            anyInvalid |= invalid;
            if (format == Format.json) {
                out.println(StandardPackage.load().fhirContext().newJsonParser().setPrettyPrint(true).encodeResourceToString(outcome));
                continue;
            }
            List<ValidationIssue> issues = ValidationIssue.of(outcome).stream().filter(i -> i.ruleId() != null).toList();
            long errors = issues.stream().filter(ValidationIssue::isError).count();
            out.printf("%s: %s (%d errors, %d warnings)%n", file, invalid ? "INVALID" : "valid", errors, issues.size() - errors);
            issues.forEach(issue -> out.println("  " + issue));
        }
        out.flush();
        return anyInvalid ? ExitCodes.INVALID : ExitCodes.OK;
    }
}
