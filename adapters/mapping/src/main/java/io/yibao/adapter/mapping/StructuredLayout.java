package io.yibao.adapter.mapping;

import io.yibao.standards.validation.ValidationIssue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * What an XML or JSON source says about where its values are: the path of the record element (or array),
 * file-level values outside the records that become {@code header.<name>} fields, the record's own values
 * and its repeated groups (repeated child elements, arrays) by native path, and the control totals a
 * header or trailer carries. Paths are written in the format's own notation (XML element paths, JSON
 * pointers); the readers compile them. Also checks the control totals, the same way for both formats.
 *
 * @param record     the path of a record: {@code /jfxx/records/record}; JSON: a pointer to an array of
 *                   records or to the one record ({@code ""} = the whole document)
 * @param header     native path (absolute) → field name, read as {@code header.<name>}
 * @param fields     native path relative to the record → field name
 * @param groups     group name → its repeated element or array and the fields of each repetition
 * @param count      the header field holding the number of records, or null
 * @param sums       header fields holding the sum of a record field or of a group's field ({@code group.field})
 */
record StructuredLayout(String record, Map<String, String> header, Map<String, String> fields, Map<String, Group> groups,
                        String count, List<Sum> sums) {

    /** A repeated group: its path relative to the record and its fields (path relative to one repetition → name). */
    record Group(String name, String path, Map<String, String> fields) {}

    /** A header field that must equal the sum of a record field (or {@code group.field}) over all records. */
    record Sum(String total, String field, int decimalPlaces) {}

    StructuredLayout {
        header = Map.copyOf(header);
        fields = Map.copyOf(fields);
        groups = Map.copyOf(groups);
        sums = List.copyOf(sums);
    }

    /** Running totals over the records of one file, then compared with the header's figures. */
    final class Totals {
        private final BigDecimal[] sumsSoFar = new BigDecimal[sums.size()];
        private long records;

        Totals() {
            java.util.Arrays.fill(sumsSoFar, BigDecimal.ZERO);
        }

        void add(RecordPayload record) {
            records++;
            for (int i = 0; i < sums.size(); i++) {
                String field = sums.get(i).field();
                int dot = field.indexOf('.');
                String group = dot < 0 ? null : field.substring(0, dot);
                if (group != null && groups.containsKey(group)) {
                    List<Map<String, String>> repetitions = record.groups() == null ? null : record.groups().get(group);
                    if (repetitions != null) {
                        for (Map<String, String> repetition : repetitions) {
                            addAmount(i, repetition.get(field.substring(dot + 1)));
                        }
                    }
                } else {
                    addAmount(i, record.fields().get(field));
                }
            }
        }

        private void addAmount(int i, String text) {
            BigDecimal amount = FixedWidthRecordFormat.parseAmount(text, sums.get(i).decimalPlaces());
            if (amount != null) {
                sumsSoFar[i] = sumsSoFar[i].add(amount); // a bad amount fails its own record when translated
            }
        }

        long records() {
            return records;
        }

        /** The control-total findings against the file-level fields; {@code where} names a header field's place. */
        List<ValidationIssue> check(Map<String, String> headerFields, java.util.function.Function<String, String> where) {
            List<ValidationIssue> issues = new ArrayList<>();
            if (count != null) {
                String claimed = headerFields.get(count);
                String stripped = claimed == null ? null : claimed.strip().replaceFirst("^0+(?=\\d)", "");
                if (!String.valueOf(records).equals(stripped)) {
                    issues.add(MappingIssues.issue(IssueType.BUSINESSRULE, MappingIssues.CONTROL_COUNT, where.apply(count),
                            "Control field " + count + " (" + where.apply(count) + ") says " + (claimed == null ? "nothing" : claimed)
                                    + " records, the file has " + records,
                            "控制字段 " + count + "（" + where.apply(count) + "）记载 " + (claimed == null ? "空" : claimed) + " 条记录，文件实有 "
                                    + records + " 条"));
                }
            }
            for (int i = 0; i < sums.size(); i++) {
                Sum sum = sums.get(i);
                String claimedText = headerFields.get(sum.total());
                BigDecimal claimed = FixedWidthRecordFormat.parseAmount(claimedText, sum.decimalPlaces());
                if (claimed == null || claimed.compareTo(sumsSoFar[i]) != 0) {
                    String said = claimed == null ? "'" + (claimedText == null ? "" : claimedText) + "'" : claimed.toPlainString();
                    issues.add(MappingIssues.issue(IssueType.BUSINESSRULE, MappingIssues.CONTROL_SUM, where.apply(sum.total()),
                            "Control field " + sum.total() + " (" + where.apply(sum.total()) + ") says " + said + ", the sum of " + sum.field()
                                    + " over the records is " + sumsSoFar[i].toPlainString(),
                            "控制字段 " + sum.total() + "（" + where.apply(sum.total()) + "）记载 " + said + "，各记录 " + sum.field() + " 合计为 "
                                    + sumsSoFar[i].toPlainString()));
                }
            }
            return issues;
        }
    }
}
