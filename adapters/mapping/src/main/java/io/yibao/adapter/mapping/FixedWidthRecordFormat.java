package io.yibao.adapter.mapping;

import com.google.common.collect.AbstractIterator;
import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Fixed-width records as source records: header, detail and trailer records told apart by a discriminator,
 * fields at byte positions counted in the file's encoding (in GBK a Chinese character is 2 bytes), CRLF or
 * LF rows, control totals in the trailer. Written by hand because no library slices by bytes of a multi-byte
 * encoding and refuses a field boundary that cuts a character in half (that is an error naming the field).
 * A record shorter than its layout reads the missing bytes as spaces (editors trim trailing blanks).
 */
final class FixedWidthRecordFormat implements RecordFormat {
    enum Role { HEADER, DETAIL, TRAILER }

    /** One field: 1-based first byte, length in bytes, whether spaces are trimmed. */
    record Field(String name, int start, int length, boolean trim) {
        String bytes() {
            return "bytes " + start + "-" + (start + length - 1) + " (" + name + ")";
        }
    }

    /** One record type. */
    record Layout(String type, Role role, List<Field> fields) {}

    /** The trailer field holding the sum of a detail field. */
    record Sum(String trailerField, String detailField, int decimalPlaces) {}

    enum LineEnding { ANY, CRLF, LF }

    private final String adapterId;
    private final Charset configured;
    private final LineEnding lineEnding;
    private final int discriminatorStart;
    private final int discriminatorLength;
    private final Map<String, Layout> layouts;
    private final Layout header;
    private final Layout trailer;
    private final Map<String, Field> detailFields = new LinkedHashMap<>();
    private final String countField;
    private final List<Sum> sums;
    private final String institutionField;
    private final String batchReferenceField;

    FixedWidthRecordFormat(String adapterId, Charset configured, LineEnding lineEnding, int discriminatorStart,
                           int discriminatorLength, Map<String, Layout> layouts, String countField, List<Sum> sums,
                           String institutionField, String batchReferenceField) {
        this.adapterId = adapterId;
        this.configured = configured;
        this.lineEnding = lineEnding;
        this.discriminatorStart = discriminatorStart;
        this.discriminatorLength = discriminatorLength;
        this.layouts = Map.copyOf(layouts);
        this.header = layouts.values().stream().filter(l -> l.role() == Role.HEADER).findFirst().orElse(null);
        this.trailer = layouts.values().stream().filter(l -> l.role() == Role.TRAILER).findFirst().orElse(null);
        layouts.values().stream().filter(l -> l.role() == Role.DETAIL)
                .forEach(l -> l.fields().forEach(f -> detailFields.putIfAbsent(f.name(), f)));
        this.countField = countField;
        this.sums = List.copyOf(sums);
        this.institutionField = institutionField;
        this.batchReferenceField = batchReferenceField;
    }

    // --- check ------------------------------------------------------------------------------------------

    @Override
    public BatchCheck check(Supplier<InputStream> file, String fileName) throws IOException {
        List<ValidationIssue> issues = new ArrayList<>();
        SourceCharsets.Encoding encoding = SourceCharsets.detect(configured, file);
        Charset charset = encoding.charset();
        long details = 0;
        Map<String, String> headerFields = null;
        Map<String, String> trailerFields = null;
        long trailerLine = 0;
        BigDecimal[] totals = new BigDecimal[sums.size()];
        java.util.Arrays.fill(totals, BigDecimal.ZERO);
        try (Lines lines = new Lines(file.get(), encoding.bomLength())) {
            while (lines.next()) {
                String text;
                try {
                    text = decode(lines.bytes, charset);
                } catch (CharacterCodingException e) {
                    issues.add(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.ENCODING, fileName + ", line " + lines.number,
                            "Line " + lines.number + " is not valid " + charset.name(), "第 " + lines.number + " 行不是有效的 " + charset.name() + " 编码"));
                    details++;
                    continue;
                }
                lineEndingIssue(lines, fileName).ifPresent(issues::add);
                if (trailerFields != null) {
                    issues.add(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.TRAILER, fileName + ", line " + lines.number,
                            "Line " + lines.number + " follows the trailer record (line " + trailerLine + ")",
                            "第 " + lines.number + " 行位于尾记录（第 " + trailerLine + " 行）之后"));
                }
                Layout layout = layouts.get(discriminator(text, charset));
                if (layout != null && layout.role() == Role.HEADER) {
                    if (lines.number != 1) {
                        issues.add(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.HEADER, fileName + ", line " + lines.number,
                                "A header record at line " + lines.number + ": the header is the first record only",
                                "第 " + lines.number + " 行出现头记录：头记录只能是第一条"));
                    }
                    headerFields = splitOrReport(layout, text, charset, "header (line " + lines.number + ")", issues);
                } else if (layout != null && layout.role() == Role.TRAILER) {
                    trailerFields = splitOrReport(layout, text, charset, "trailer (line " + lines.number + ")", issues);
                    trailerLine = lines.number;
                } else {
                    details++;
                    if (layout != null && !sums.isEmpty()) {
                        addToTotals(layout, text, charset, totals);
                    }
                }
            }
        }
        if (header != null && headerFields == null) {
            issues.add(MappingIssues.issue(IssueType.REQUIRED, MappingIssues.HEADER, fileName + ", line 1",
                    "The file has no header record (type '" + header.type() + "')", "文件缺少头记录（类型 '" + header.type() + "'）"));
        }
        if (trailer != null && trailerFields == null) {
            issues.add(MappingIssues.issue(IssueType.REQUIRED, MappingIssues.TRAILER, fileName + ", end",
                    "The file has no trailer record (type '" + trailer.type() + "'): its control totals cannot be checked",
                    "文件缺少尾记录（类型 '" + trailer.type() + "'）：无法核对控制总数"));
        }
        if (trailerFields != null) {
            checkTotals(trailerFields, trailerLine, details, totals, fileName, issues);
        }
        Map<String, String> h = headerFields == null ? Map.of() : headerFields;
        return new BatchCheck(details, Optional.ofNullable(emptyToNull(h.get(batchReferenceField))),
                Optional.ofNullable(emptyToNull(h.get(institutionField))), issues);
    }

    private void checkTotals(Map<String, String> trailerFields, long trailerLine, long details, BigDecimal[] totals, String fileName,
                             List<ValidationIssue> issues) {
        if (countField != null) {
            Field field = field(trailer, countField);
            String claimed = trailerFields.get(countField);
            String where = fileName + ", trailer (line " + trailerLine + "), " + field.bytes();
            if (!String.valueOf(details).equals(stripZeros(claimed))) {
                issues.add(MappingIssues.issue(IssueType.BUSINESSRULE, MappingIssues.CONTROL_COUNT, where,
                        "Trailer field " + countField + " says " + claimed + " records, the file has " + details,
                        "尾记录字段 " + countField + " 记载 " + claimed + " 条记录，文件实有 " + details + " 条"));
            }
        }
        for (int i = 0; i < sums.size(); i++) {
            Sum sum = sums.get(i);
            Field field = field(trailer, sum.trailerField());
            String where = fileName + ", trailer (line " + trailerLine + "), " + field.bytes();
            String claimedText = trailerFields.get(sum.trailerField());
            BigDecimal claimed = parseAmount(claimedText, sum.decimalPlaces());
            if (claimed == null || claimed.compareTo(totals[i]) != 0) {
                issues.add(MappingIssues.issue(IssueType.BUSINESSRULE, MappingIssues.CONTROL_SUM, where,
                        "Trailer field " + sum.trailerField() + " says " + (claimed == null ? "'" + claimedText + "'" : claimed.toPlainString())
                                + ", the sum of " + sum.detailField() + " over the detail records is " + totals[i].toPlainString(),
                        "尾记录字段 " + sum.trailerField() + " 记载 " + (claimed == null ? "'" + claimedText + "'" : claimed.toPlainString())
                                + "，明细记录 " + sum.detailField() + " 合计为 " + totals[i].toPlainString()));
            }
        }
    }

    private void addToTotals(Layout layout, String text, Charset charset, BigDecimal[] totals) {
        Map<String, String> fields;
        try {
            fields = slice(layout, text, charset, "");
        } catch (RecordProblem e) {
            return; // the record fails on its own when translated
        }
        for (int i = 0; i < sums.size(); i++) {
            BigDecimal amount = parseAmount(fields.get(sums.get(i).detailField()), sums.get(i).decimalPlaces());
            if (amount != null) {
                totals[i] = totals[i].add(amount);
            }
        }
    }

    private Map<String, String> splitOrReport(Layout layout, String text, Charset charset, String where, List<ValidationIssue> issues) {
        try {
            return slice(layout, text, charset, where);
        } catch (RecordProblem e) {
            issues.add(e.issue());
            return Map.of();
        }
    }

    private Optional<ValidationIssue> lineEndingIssue(Lines lines, String fileName) {
        if (lineEnding == LineEnding.ANY || !lines.terminated) {
            return Optional.empty();
        }
        boolean crlf = lines.crlf;
        if (crlf == (lineEnding == LineEnding.CRLF)) {
            return Optional.empty();
        }
        return Optional.of(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.LINE_ENDING, fileName + ", line " + lines.number,
                "Line " + lines.number + " ends with " + (crlf ? "CRLF" : "LF") + ", the layout says " + lineEnding,
                "第 " + lines.number + " 行以 " + (crlf ? "CRLF" : "LF") + " 结尾，格式规定为 " + lineEnding));
    }

    static BigDecimal parseAmount(String text, int decimalPlaces) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip()).movePointLeft(decimalPlaces);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stripZeros(String count) {
        if (count == null) {
            return null;
        }
        String s = count.strip().replaceFirst("^0+(?=\\d)", "");
        return s;
    }

    // --- records ----------------------------------------------------------------------------------------

    @Override
    public Records records(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        SourceCharsets.Encoding encoding = SourceCharsets.detect(configured, file);
        Lines lines = new Lines(file.get(), encoding.bomLength());
        return new DetailRecords(lines, encoding.charset(), fileName, sender);
    }

    private final class DetailRecords extends AbstractIterator<RecordPayload> implements Records {
        private final Lines lines;
        private final Charset charset;
        private final String fileName;
        private final String sender;
        private Map<String, String> headerFields;
        private long number;

        DetailRecords(Lines lines, Charset charset, String fileName, String sender) {
            this.lines = lines;
            this.charset = charset;
            this.fileName = fileName;
            this.sender = sender;
        }

        @Override
        protected RecordPayload computeNext() {
            try {
                while (lines.next()) {
                    RecordPayload record = read();
                    if (record != null) {
                        return record;
                    }
                }
                return endOfData();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private RecordPayload read() {
            String text;
            String problem = null;
            try {
                text = decode(lines.bytes, charset);
            } catch (CharacterCodingException e) {
                text = new String(lines.bytes, charset);
                problem = "line " + lines.number + " is not valid " + charset.name();
            }
            Layout layout = problem == null ? layouts.get(discriminator(text, charset)) : null;
            if (layout != null && layout.role() == Role.HEADER) {
                try {
                    headerFields = slice(layout, text, charset, "");
                } catch (RecordProblem e) {
                    headerFields = Map.of();
                }
                return null;
            }
            if (layout != null && layout.role() == Role.TRAILER) {
                return null;
            }
            number++;
            Map<String, String> fields = null;
            if (layout != null) {
                try {
                    fields = slice(layout, text, charset, "");
                } catch (RecordProblem e) {
                    fields = null; // translate splits raw again and names the field
                }
            }
            return new RecordPayload(adapterId, fileName, sender, number, lines.number, "record " + number + " (line " + lines.number + ")",
                    charset.name(), headerFields, fields, null, null, text, problem);
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    @Override
    public Map<String, String> split(RecordPayload payload) throws RecordProblem {
        if (payload.problem() != null) {
            throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.ENCODING, payload.location(),
                    "Record " + payload.number() + ": " + payload.problem(), "第 " + payload.number() + " 条记录：" + payload.problem()));
        }
        Charset charset = payload.encoding() == null ? (configured == null ? SourceCharsets.GB18030 : configured)
                : Charset.forName(payload.encoding());
        String text = payload.raw() == null ? "" : payload.raw();
        String type = discriminator(text, charset);
        Layout layout = layouts.get(type);
        if (layout == null || layout.role() != Role.DETAIL) {
            throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.RECORD_TYPE, payload.location(),
                    "Record " + payload.number() + " (" + payload.location() + ") has record type '" + type + "', which is not a detail type of the layout "
                            + layouts.values().stream().filter(l -> l.role() == Role.DETAIL).map(Layout::type).toList(),
                    "第 " + payload.number() + " 条记录（" + payload.location() + "）的记录类型 '" + type + "' 不是格式中的明细记录类型"));
        }
        return slice(layout, text, charset, payload.location() + ", ");
    }

    @Override
    public String locate(String field, RecordPayload payload) {
        Field f = detailFields.get(field);
        if (f == null && header != null && field.startsWith("header.")) {
            Field h = field(header, field.substring("header.".length()));
            return h == null ? field : "header (line 1), " + h.bytes();
        }
        return f == null ? payload.location() + ", " + field : payload.location() + ", " + f.bytes();
    }

    // --- bytes ------------------------------------------------------------------------------------------

    private String discriminator(String text, Charset charset) {
        int[] offsets = byteOffsets(text, charset);
        return substring(text, offsets, discriminatorStart - 1, discriminatorLength);
    }

    /**
     * The fields of one record. Byte offsets are computed per character of the decoded text, so a field
     * boundary that falls inside a multi-byte character is found and reported instead of yielding garbage.
     */
    private Map<String, String> slice(Layout layout, String text, Charset charset, String where) throws RecordProblem {
        int[] offsets = byteOffsets(text, charset);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Field field : layout.fields()) {
            int from = field.start() - 1;
            int to = from + field.length();
            if (!boundary(offsets, from) || !boundary(offsets, to)) {
                int cut = !boundary(offsets, from) ? from + 1 : to;
                throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.FIXED_CUT, where + field.bytes(),
                        "Field " + field.name() + " (" + field.bytes() + ") cuts a multi-byte " + charset.name() + " character in half at byte " + cut
                                + ": the layout's widths do not match the file",
                        "字段 " + field.name() + "（" + field.bytes() + "）在第 " + cut + " 字节处把一个 " + charset.name() + " 多字节字符截成两半：格式宽度与文件不符"));
            }
            String value = substring(text, offsets, from, field.length());
            fields.put(field.name(), field.trim() ? value.strip() : value);
        }
        return fields;
    }

    /** offsets[i] = byte offset where character i starts; offsets[length] = total bytes. */
    private static int[] byteOffsets(String text, Charset charset) {
        int[] offsets = new int[text.length() + 1];
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            offsets[i] = bytes;
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                bytes += text.substring(i, i + 2).getBytes(charset).length;
                offsets[i + 1] = -1; // inside a surrogate pair: not a boundary
                i++;
            } else {
                bytes += String.valueOf(c).getBytes(charset).length;
            }
        }
        offsets[text.length()] = bytes;
        return offsets;
    }

    private static boolean boundary(int[] offsets, int byteOffset) {
        int total = offsets[offsets.length - 1];
        if (byteOffset >= total) {
            return true; // past the end: read as spaces
        }
        return indexOf(offsets, byteOffset) >= 0;
    }

    private static int indexOf(int[] offsets, int byteOffset) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] == byteOffset) {
                return i;
            }
            if (offsets[i] > byteOffset) {
                return -1;
            }
        }
        return -1;
    }

    private static String substring(String text, int[] offsets, int fromByte, int length) {
        int total = offsets[offsets.length - 1];
        if (fromByte >= total) {
            return "";
        }
        int from = indexOf(offsets, fromByte);
        int to = fromByte + length >= total ? text.length() : indexOf(offsets, fromByte + length);
        return text.substring(from, to);
    }

    private static String decode(byte[] bytes, Charset charset) throws CharacterCodingException {
        return SourceCharsets.strictDecoder(charset).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static Field field(Layout layout, String name) {
        return layout == null ? null : layout.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * The lines of a file as bytes, split on LF (a GBK or GB18030 trail byte is never 0x0A or 0x0D), with the
     * CR of a CRLF removed; empty lines are skipped.
     */
    private static final class Lines implements java.io.Closeable {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] bytes;
        long number;
        boolean crlf;
        boolean terminated;
        private long physical;

        Lines(InputStream in, int bomLength) throws IOException {
            this.in = new BufferedInputStream(in, 1 << 16);
            this.in.skipNBytes(bomLength);
        }

        boolean next() throws IOException {
            while (true) {
                line.reset();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                if (b < 0 && line.size() == 0) {
                    return false;
                }
                physical++;
                terminated = b == '\n';
                byte[] all = line.toByteArray();
                crlf = all.length > 0 && all[all.length - 1] == '\r';
                bytes = crlf ? java.util.Arrays.copyOf(all, all.length - 1) : all;
                if (bytes.length > 0) {
                    number = physical;
                    return true;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
