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
        ValidationIssue issue = new ValidationIssue(severity, type, ruleId, expression, message, messageZh);
        // One finding, one issue: a rule reached twice on the same element (a slice and its type's own
        // definition both carry ext-1; every line billing the same visit) is reported once.
        if (!issues.contains(issue)) {
            issues.add(issue);
        }
    }

    public void error(IssueType type, String ruleId, String expression, String message, String messageZh) {
        add(IssueSeverity.ERROR, type, ruleId, expression, message, messageZh);
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
