package io.yibao.adapter.mapping;

import io.yibao.standards.validation.ValidationIssue;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The findings of reading or mapping one record or file, each naming its native place ({@code line 4, column
 * 销售单号}, {@code record 5 (line 6), bytes 21-28 (payee_name)}). Rule ids form the {@code map-*} family
 * (listed in {@code docs/mapping-reference.md}).
 */
final class MappingIssues {
    static final String REQUIRED = "map-required";
    static final String PATTERN = "map-pattern";
    static final String MAX_LENGTH = "map-max-length";
    static final String VALUE = "map-value";
    static final String UNKNOWN_CODE = "map-unknown-code";
    static final String UNMAPPED = "map-unmapped-field";
    static final String ID = "map-id";
    static final String ID_COLLISION = "map-id-collision";
    static final String CSV_COLUMNS = "map-csv-columns";
    static final String CSV_HEADER = "map-csv-header";
    static final String CSV_SYNTAX = "map-csv-syntax";
    static final String FIXED_CUT = "map-fixed-cut";
    static final String RECORD_TYPE = "map-record-type";
    static final String LINE_ENDING = "map-line-ending";
    static final String ENCODING = "map-encoding";
    static final String HEADER = "map-header";
    static final String TRAILER = "map-trailer";
    static final String CONTROL_COUNT = "map-control-count";
    static final String CONTROL_SUM = "map-control-sum";
    static final String PAYLOAD = "map-payload";
    static final String SINGLE_RECORD = "map-single-record";

    private final List<ValidationIssue> list = new ArrayList<>();

    static ValidationIssue issue(IssueType type, String rule, String location, String message, String messageZh) {
        return new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh, location);
    }

    void error(IssueType type, String rule, String location, String message, String messageZh) {
        list.add(issue(type, rule, location, message, messageZh));
    }

    void warning(String rule, String location, String message, String messageZh) {
        list.add(new ValidationIssue(IssueSeverity.WARNING, IssueType.INFORMATIONAL, rule, null, message, messageZh, location));
    }

    boolean hasErrors() {
        return list.stream().anyMatch(ValidationIssue::isError);
    }

    List<ValidationIssue> all() {
        return list;
    }
}
