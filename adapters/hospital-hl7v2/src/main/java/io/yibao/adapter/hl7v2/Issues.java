package io.yibao.adapter.hl7v2;

import io.yibao.standards.validation.ValidationIssue;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The findings of one translation, each naming its place in the HL7 message ({@code PID-3}, {@code FT1-7}). */
final class Issues {
    /** Rule ids of this adapter's findings (the code system of validation rules is shared with the standard). */
    static final String CHARSET = "hl7-charset";
    static final String PARSE = "hl7-parse";
    static final String VERSION = "hl7-version";
    static final String MESSAGE_TYPE = "hl7-message-type";
    static final String REQUIRED = "hl7-required";
    static final String VALUE = "hl7-value";
    static final String UNKNOWN_CODE = "hl7-unknown-code";
    static final String UNMAPPED = "hl7-unmapped";
    static final String Z_SEGMENT = "hl7-z-segment";
    static final String ASSUMED = "hl7-assumed";

    private final List<ValidationIssue> list = new ArrayList<>();

    void error(IssueType type, String rule, String location, String message, String messageZh) {
        list.add(new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh, location));
    }

    void warning(IssueType type, String rule, String location, String message, String messageZh) {
        list.add(new ValidationIssue(IssueSeverity.WARNING, type, rule, null, message, messageZh, location));
    }

    /** A required segment or field is absent. */
    void missing(String location, String what, String whatZh) {
        error(IssueType.REQUIRED, REQUIRED, location, location + " (" + what + ") is required but missing",
                location + "（" + whatZh + "）为必填项，但报文中缺失");
    }

    /** A field whose value cannot be used. */
    void invalid(String location, String value, String why, String whyZh) {
        error(IssueType.VALUE, VALUE, location, location + " '" + value + "': " + why, location + " '" + value + "'：" + whyZh);
    }

    boolean hasErrors() {
        return list.stream().anyMatch(ValidationIssue::isError);
    }

    List<ValidationIssue> all() {
        return list;
    }
}
