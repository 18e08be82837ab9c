package io.yibao.adapter.mapping;

import io.yibao.adapter.TranslationIssues;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The findings of reading or mapping one record or file, each naming its native place ({@code line 4, column
 * 销售单号}, {@code record 5 (line 6), bytes 21-28 (payee_name)}). Rule ids form the {@code map-*} family
 * (listed in {@code docs/mapping-reference.md}).
 */
final class MappingIssues extends TranslationIssues {
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
    static final String XML_SYNTAX = "map-xml-syntax";
    static final String JSON_SYNTAX = "map-json-syntax";

    /** A warning about data: an informational finding (unmapped fields, ignored values). */
    void warning(String rule, String location, String message, String messageZh) {
        warning(IssueType.INFORMATIONAL, rule, location, message, messageZh);
    }
}
