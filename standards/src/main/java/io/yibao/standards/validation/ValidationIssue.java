package io.yibao.standards.validation;

import io.yibao.standards.CanonicalStandard;
import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.StringType;

/**
 * One finding about a message: the rule it breaks, where (a FHIRPath expression, and for a finding about
 * native input the place in it, e.g. {@code PID-3} or {@code row 12, column amount}), how bad, and what
 * is wrong in English and Chinese. {@link #toIssue()} and {@link #of(OperationOutcome)} map it to and
 * from an OperationOutcome issue: rule id in {@code details.coding}, English in {@code details.text}
 * with the Chinese as its {@code translation} extension, the path in {@code expression}, the native
 * place in {@code location}.
 */
public record ValidationIssue(IssueSeverity severity, IssueType type, String ruleId, String expression, String message,
                              String messageZh, String location) {

    public ValidationIssue(IssueSeverity severity, IssueType type, String ruleId, String expression, String message,
                           String messageZh) {
        this(severity, type, ruleId, expression, message, messageZh, null);
    }

    /** The same finding, placed in the native input as well. */
    public ValidationIssue withLocation(String nativeLocation) {
        return new ValidationIssue(severity, type, ruleId, expression, message, messageZh, nativeLocation);
    }

    /** Code system of rule ids in {@code OperationOutcome.issue.details.coding}. */
    public static final String RULE_SYSTEM = CanonicalStandard.codeSystem("validation-rule");
    static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";

    public boolean isError() {
        return severity == IssueSeverity.ERROR || severity == IssueSeverity.FATAL;
    }

    public OperationOutcomeIssueComponent toIssue() {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(severity)
                .setCode(type);
        issue.getDetails().addCoding().setSystem(RULE_SYSTEM).setCode(ruleId);
        issue.getDetails().setText(message);
        if (messageZh != null) {
            Extension translation = issue.getDetails().getTextElement().addExtension().setUrl(TRANSLATION);
            translation.addExtension("lang", new org.hl7.fhir.r4.model.CodeType("zh-CN"));
            translation.addExtension("content", new StringType(messageZh));
        }
        if (expression != null) {
            issue.addExpression(expression);
        }
        if (location != null) {
            issue.addLocation(location);
        }
        return issue;
    }

    /** The issues of an outcome this validator (or the gateway) produced. */
    public static List<ValidationIssue> of(OperationOutcome outcome) {
        return outcome.getIssue().stream().map(ValidationIssue::fromIssue).toList();
    }

    /** Whether an outcome holds an error or a fatal issue. */
    public static boolean hasErrors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .anyMatch(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL);
    }

    private static ValidationIssue fromIssue(OperationOutcomeIssueComponent issue) {
        String rule = issue.getDetails().getCoding().stream()
                .filter(c -> RULE_SYSTEM.equals(c.getSystem())).map(c -> c.getCode()).findFirst().orElse(null);
        String zh = null;
        Extension translation = issue.getDetails().getTextElement().getExtensionByUrl(TRANSLATION);
        if (translation != null && translation.getExtensionByUrl("content") != null) {
            zh = translation.getExtensionByUrl("content").getValue().primitiveValue();
        }
        String expression = issue.getExpression().isEmpty() ? null : issue.getExpression().get(0).getValue();
        String message = issue.getDetails().hasText() ? issue.getDetails().getText() : issue.getDiagnostics();
        String location = issue.getLocation().isEmpty() ? null : issue.getLocation().get(0).getValue();
        return new ValidationIssue(issue.getSeverity(), issue.getCode(), rule, expression, message, zh, location);
    }

    /** One line: {@code ERROR yb-pat-2 Bundle.entry[1].resource.identifier[0].value (PID-3): English / 中文}. */
    @Override
    public String toString() {
        return severity.toCode().toUpperCase() + " " + (ruleId == null ? "-" : ruleId) + " "
                + (expression == null ? "" : expression) + (location == null ? "" : " (" + location + ")") + ": " + message
                + (messageZh == null ? "" : " / " + messageZh);
    }
}
