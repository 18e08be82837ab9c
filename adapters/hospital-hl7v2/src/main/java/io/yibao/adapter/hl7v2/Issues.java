package io.yibao.adapter.hl7v2;

import io.yibao.adapter.TranslationIssues;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The findings of one translation, each naming its place in the HL7 message ({@code PID-3}, {@code FT1-7}). */
final class Issues extends TranslationIssues {
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

    /** A required segment or field is absent. */
    void missing(String location, String what, String whatZh) {
        error(IssueType.REQUIRED, REQUIRED, location, location + " (" + what + ") is required but missing",
                location + "（" + whatZh + "）为必填项，但报文中缺失");
    }

    /** A field whose value cannot be used. */
    void invalid(String location, String value, String why, String whyZh) {
        error(IssueType.VALUE, VALUE, location, location + " '" + value + "': " + why, location + " '" + value + "'：" + whyZh);
    }
}
