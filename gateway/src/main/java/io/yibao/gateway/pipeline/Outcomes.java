package io.yibao.gateway.pipeline;

import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.ValidationIssue;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** OperationOutcome JSON for the ledger and the API. */
public final class Outcomes {
    private Outcomes() {}

    public static String toJson(List<ValidationIssue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        issues.forEach(issue -> outcome.addIssue(issue.toIssue()));
        if (issues.isEmpty()) {
            outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .getDetails().setText("No issues");
        }
        return StandardPackage.load().fhirContext().newJsonParser().encodeResourceToString(outcome);
    }

    /** A one-issue outcome: a refusal by the gateway itself. */
    public static String refusal(IssueType type, String rule, String message, String messageZh) {
        return toJson(List.of(new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh)));
    }
}
