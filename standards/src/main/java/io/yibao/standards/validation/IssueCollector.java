package io.yibao.standards.validation;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Collects the issues of one validation and turns them into an OperationOutcome. Not thread-safe. */
public final class IssueCollector {
    private final List<ValidationIssue> issues = new ArrayList<>();

    public void add(IssueSeverity severity, IssueType type, String ruleId, String expression, String message, String messageZh) {
        issues.add(new ValidationIssue(severity, type, ruleId, expression, message, messageZh));
    }

    public void error(IssueType type, String ruleId, String expression, String message, String messageZh) {
        add(IssueSeverity.ERROR, type, ruleId, expression, message, messageZh);
    }

    /** Adds a finding made elsewhere (an adapter's, with its native location). */
    public void add(ValidationIssue issue) {
        issues.add(issue);
    }

    public List<ValidationIssue> issues() {
        return issues;
    }

    public OperationOutcome toOperationOutcome() {
        OperationOutcome outcome = new OperationOutcome();
        for (ValidationIssue issue : issues) {
            outcome.addIssue(issue.toIssue());
        }
        if (issues.isEmpty()) {
            outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .getDetails().setText("No issues: the message conforms to the canonical standard");
        }
        return outcome;
    }
}
