package io.yibao.adapter;

import io.yibao.standards.validation.ValidationIssue;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The findings of one translation or file check, in the order found, each naming its rule and its place in
 * the native input ({@code PID-3}, {@code line 4, column 销售单号}, {@code /Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry[1]});
 * adapters keep their rule ids and their own phrasings in a subclass or beside it.
 */
public class TranslationIssues {
    private final List<ValidationIssue> list = new ArrayList<>();

    /** An error finding (the translation fails) as a value, for code that reports it elsewhere. */
    public static ValidationIssue issue(IssueType type, String rule, String location, String message, String messageZh) {
        return new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh, location);
    }

    /** Records an error: the native input cannot become a canonical message as it is. */
    public void error(IssueType type, String rule, String location, String message, String messageZh) {
        list.add(issue(type, rule, location, message, messageZh));
    }

    /** Records a warning: the message goes on, and the sender is told (unmapped data, an assumption made). */
    public void warning(IssueType type, String rule, String location, String message, String messageZh) {
        list.add(new ValidationIssue(IssueSeverity.WARNING, type, rule, null, message, messageZh, location));
    }

    public void add(ValidationIssue issue) {
        list.add(issue);
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(ValidationIssue::isError);
    }

    /** The findings so far, in the order found (the live list). */
    public List<ValidationIssue> all() {
        return list;
    }
}
