package io.yibao.adapter.mapping;

import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * CSV rows as source records, parsed with Apache Commons CSV (quoted fields holding delimiters and line
 * breaks, CRLF or LF, a BOM). A header row's names map to field names through {@code columns} (e.g.
 * {@code 销售单号 → sale_no}); a header name not listed there is a field of its own name, reported as
 * unmapped if nothing uses it. Without a header row, {@code columns} lists the fields in column order.
 */
final class CsvRecordFormat implements RecordFormat {
    private final String adapterId;
    private final Charset configured;
    private final CSVFormat format;
    private final boolean headerRow;
    /** Header name → field name (insertion order = column order when there is no header row). */
    private final Map<String, String> columns;
    private final Map<String, String> headerOfField = new HashMap<>();
    private final String institutionField;
    private final String batchReferenceField;

    CsvRecordFormat(String adapterId, Charset configured, char delimiter, Character quote, boolean headerRow,
                    Map<String, String> columns, String institutionField, String batchReferenceField) {
        this.adapterId = adapterId;
        this.configured = configured;
        this.format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setQuote(quote).setIgnoreEmptyLines(true).get();
        this.headerRow = headerRow;
        this.columns = new LinkedHashMap<>(columns);
        columns.forEach((header, field) -> headerOfField.put(field, header));
        this.institutionField = institutionField;
        this.batchReferenceField = batchReferenceField;
    }

    @Override
    public BatchCheck check(Supplier<InputStream> file, String fileName) throws IOException {
        List<ValidationIssue> issues = new ArrayList<>();
        long count = 0;
        String institution = null;
        String reference = null;
        try (Rows rows = open(file, fileName, null)) {
            while (rows.hasNext()) {
                RecordPayload record = rows.next();
                count++;
                if (count == 1 && record.fields() != null) {
                    institution = emptyToNull(record.fields().get(institutionField));
                    reference = emptyToNull(record.fields().get(batchReferenceField));
                }
            }
            issues.addAll(rows.headerIssues);
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            boolean encoding = cause instanceof java.nio.charset.CharacterCodingException;
            issues.add(MappingIssues.issue(IssueType.STRUCTURE, encoding ? MappingIssues.ENCODING : MappingIssues.CSV_SYNTAX,
                    fileName + ", after record " + count,
                    encoding ? "The file is not valid in its encoding after record " + count + ": " + cause.getMessage()
                            : "The CSV cannot be read after record " + count + ": " + cause.getMessage(),
                    encoding ? "文件在第 " + count + " 条记录之后含有不符合其字符编码的字节：" + cause.getMessage()
                            : "CSV 文件在第 " + count + " 条记录之后无法解析：" + cause.getMessage()));
        }
        return new BatchCheck(count, Optional.ofNullable(reference), Optional.ofNullable(institution), issues);
    }

    @Override
    public Records records(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        return open(file, fileName, sender);
    }

    private Rows open(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        SourceCharsets.Encoding encoding = SourceCharsets.detect(configured, file);
        InputStream in = file.get();
        try {
            in.skipNBytes(encoding.bomLength());
            return new Rows(new RecordingReader(new InputStreamReader(in, SourceCharsets.strictDecoder(encoding.charset()))),
                    fileName, sender, encoding.charset().name());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public Map<String, String> split(RecordPayload payload) throws RecordProblem {
        List<String> order = payload.columns() != null ? payload.columns() : List.copyOf(columns.values());
        List<String> values = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(payload.raw() == null ? "" : payload.raw()), format)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (it.hasNext()) {
                it.next().forEach(values::add);
            }
            if (it.hasNext()) {
                throw new RecordProblem(columnsIssue(payload, "holds more than one row", "包含多于一行"));
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.CSV_SYNTAX, payload.location(),
                    "Row at " + payload.location() + " is not valid CSV: " + e.getMessage(),
                    "位于" + payload.location() + "的行不是有效的 CSV：" + e.getMessage()));
        }
        if (values.size() != order.size()) {
            throw new RecordProblem(columnsIssue(payload, "has " + values.size() + " columns, the header has " + order.size(),
                    "有 " + values.size() + " 列，表头有 " + order.size() + " 列"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            fields.put(order.get(i), values.get(i));
        }
        return fields;
    }

    private static ValidationIssue columnsIssue(RecordPayload payload, String what, String whatZh) {
        return MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.CSV_COLUMNS, payload.location(),
                "Row " + payload.number() + " (" + payload.location() + ") " + what,
                "第 " + payload.number() + " 行（" + payload.location() + "）" + whatZh);
    }

    @Override
    public String locate(String field, RecordPayload payload) {
        return "line " + payload.line() + ", column " + headerOfField.getOrDefault(field, field);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The rows of one file; keeps only the text of the current row in memory. */
    private final class Rows implements Records {
        private final RecordingReader reader;
        private final CSVParser parser;
        private final Iterator<CSVRecord> iterator;
        private final String fileName;
        private final String sender;
        private final String encoding;
        private final List<ValidationIssue> headerIssues = new ArrayList<>();
        private List<String> fieldOrder;
        private CSVRecord pending;
        private long number;
        private long line = 1;

        Rows(RecordingReader reader, String fileName, String sender, String encoding) throws IOException {
            this.reader = reader;
            this.parser = CSVParser.parse(reader, format);
            this.iterator = parser.iterator();
            this.fileName = fileName;
            this.sender = sender;
            this.encoding = encoding;
            this.pending = iterator.hasNext() ? iterator.next() : null;
            if (headerRow) {
                readHeader();
            } else {
                fieldOrder = List.copyOf(columns.values());
            }
        }

        private void readHeader() {
            if (pending == null) {
                fieldOrder = List.of();
                headerIssues.add(MappingIssues.issue(IssueType.REQUIRED, MappingIssues.CSV_HEADER, fileName + ", line 1",
                        "The file is empty: no header row", "文件为空：没有表头行"));
                return;
            }
            CSVRecord header = pending;
            pending = iterator.hasNext() ? iterator.next() : null;
            List<String> order = new ArrayList<>();
            for (String name : header) {
                order.add(columns.getOrDefault(name.strip(), name.strip()));
            }
            for (Map.Entry<String, String> expected : columns.entrySet()) {
                if (!order.contains(expected.getValue())) {
                    headerIssues.add(MappingIssues.issue(IssueType.REQUIRED, MappingIssues.CSV_HEADER, fileName + ", line 1",
                            "The header row has no column '" + expected.getKey() + "' (field " + expected.getValue() + ")",
                            "表头缺少列 '" + expected.getKey() + "'（字段 " + expected.getValue() + "）"));
                }
            }
            fieldOrder = List.copyOf(order);
            line += newlines(reader.take(pending == null ? reader.position() : pending.getCharacterPosition()));
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public RecordPayload next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            CSVRecord row = pending;
            pending = iterator.hasNext() ? iterator.next() : null;
            String text = reader.take(pending == null ? reader.position() : pending.getCharacterPosition());
            String raw = stripLineEnds(text);
            long start = line;
            long rawLines = newlines(raw);
            line += newlines(text);
            number++;
            String location = rawLines == 0 ? "line " + start : "lines " + start + "-" + (start + rawLines);
            Map<String, String> fields = null;
            if (row.size() == fieldOrder.size()) {
                fields = new LinkedHashMap<>(fieldOrder.size() * 2);
                for (int i = 0; i < fieldOrder.size(); i++) {
                    fields.put(fieldOrder.get(i), row.get(i));
                }
            }
            return new RecordPayload(adapterId, fileName, sender, number, start, location, encoding, null, fields,
                    fields == null ? fieldOrder : null, raw, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static String stripLineEnds(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    private static long newlines(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * Keeps the characters the CSV parser has read but the caller has not yet taken, so that each row's exact
     * text can be cut out by the parser's character positions (Commons CSV does not keep raw rows).
     */
    private static final class RecordingReader extends FilterReader {
        private final StringBuilder kept = new StringBuilder();
        private long keptStart;

        RecordingReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                kept.append((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                kept.append(buffer, offset, n);
            }
            return n;
        }

        /** The characters read so far. */
        long position() {
            return keptStart + kept.length();
        }

        /** The kept text up to an absolute position, which is then forgotten. */
        String take(long end) {
            int cut = (int) (end - keptStart);
            String text = kept.substring(0, cut);
            kept.delete(0, cut);
            keptStart = end;
            return text;
        }
    }
}
