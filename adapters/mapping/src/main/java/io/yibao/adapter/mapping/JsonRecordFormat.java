package io.yibao.adapter.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.common.collect.AbstractIterator;
import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * JSON objects as source records, read with Jackson's streaming parser (one token at a time: a batch far
 * larger than the heap goes through). The mapping's {@code record} pointer names either an array whose
 * elements are the records (a batch) or the one record ({@code ""}: the whole document, e.g. a national
 * interface envelope sent as a single message). Scalars outside the records become {@code header.<name>}
 * fields; scalars inside a record are its fields, named by their JSON pointer relative to the record; an array
 * declared as a group gives one repetition per element. Numbers keep the exact text they were written with
 * ({@code 12.50} stays {@code 12.50}); {@code null} is an absent value. Native locations are JSON pointers
 * (RFC 6901): {@code /input/feedetail/3/det_item_fee_sumamt}.
 */
final class JsonRecordFormat implements RecordFormat {
    /** The location of a record that is the whole document. */
    static final String DOCUMENT = "document";
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final String adapterId;
    private final Charset configured;
    private final StructuredLayout layout;
    private final Map<String, String> headerByPointer;
    private final Map<String, String> fieldByPointer;
    private final Map<String, String> groupByPointer = new HashMap<>();
    private final Map<String, Map<String, String>> groupFields = new HashMap<>();
    private final Map<String, String> pointerOfHeader = new HashMap<>();
    private final Map<String, String> pointerOfField = new HashMap<>();
    private final Map<String, String> pointerOfGroupField = new HashMap<>();
    private final String institutionField;
    private final String batchReferenceField;

    JsonRecordFormat(String adapterId, Charset configured, StructuredLayout layout, String institutionField, String batchReferenceField) {
        this.adapterId = adapterId;
        this.configured = configured;
        this.layout = layout;
        pointer(layout.record(), true);
        layout.header().keySet().forEach(p -> pointer(p, false));
        layout.fields().keySet().forEach(p -> pointer(p, false));
        this.headerByPointer = Map.copyOf(layout.header());
        this.fieldByPointer = Map.copyOf(layout.fields());
        layout.header().forEach((p, f) -> pointerOfHeader.put(f, p));
        layout.fields().forEach((p, f) -> pointerOfField.put(f, p));
        layout.groups().forEach((name, group) -> {
            pointer(group.path(), false);
            group.fields().keySet().forEach(p -> pointer(p, true));
            groupByPointer.put(group.path(), name);
            groupFields.put(name, Map.copyOf(group.fields()));
            group.fields().forEach((p, f) -> pointerOfGroupField.put(name + "." + f, p));
        });
        this.institutionField = institutionField;
        this.batchReferenceField = batchReferenceField;
    }

    /** A JSON pointer as RFC 6901 writes it: empty (the whole value, where allowed) or starting with '/'. */
    private static void pointer(String pointer, boolean emptyAllowed) {
        if (pointer == null || (pointer.isEmpty() ? !emptyAllowed : !pointer.startsWith("/"))) {
            throw new IllegalArgumentException("'" + pointer + "' is not a JSON pointer (RFC 6901: '/' and a name per step"
                    + (emptyAllowed ? ", or empty for the whole value" : "") + ")");
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public BatchCheck check(Supplier<InputStream> file, String fileName) throws IOException {
        List<ValidationIssue> issues = new ArrayList<>();
        StructuredLayout.Totals totals = layout.new Totals();
        String institution = null;
        String reference = null;
        Values values = null;
        try (Values records = open(file, fileName, null)) {
            values = records;
            while (records.hasNext()) {
                RecordPayload record = records.next();
                totals.add(record);
                if (totals.records() == 1) {
                    institution = record.fields().get(institutionField);
                    reference = record.fields().get(batchReferenceField);
                }
            }
        } catch (UnreadableSource e) {
            issues.add(e.issue());
            return new BatchCheck(totals.records(), Optional.empty(), Optional.empty(), issues);
        }
        Map<String, String> header = values.assembly.header();
        issues.addAll(totals.check(header, field -> fileName + ", " + pointerOfHeader.getOrDefault(field, field)));
        return new BatchCheck(totals.records(), Optional.ofNullable(fileLevel(batchReferenceField, header, reference)),
                Optional.ofNullable(fileLevel(institutionField, header, institution)), issues);
    }

    private static String fileLevel(String field, Map<String, String> header, String fromRecord) {
        String value = field != null && field.startsWith("header.") ? header.get(field.substring(7)) : fromRecord;
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public Records records(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        return open(file, fileName, sender);
    }

    private Values open(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        SourceCharsets.Encoding encoding = SourceCharsets.detect(configured, file);
        InputStream in = file.get();
        try {
            in.skipNBytes(encoding.bomLength());
            JsonParser parser = FACTORY.createParser(new InputStreamReader(in, SourceCharsets.strictDecoder(encoding.charset())));
            return new Values(parser, fileName, sender, encoding.charset().name());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public Map<String, String> split(RecordPayload payload) throws RecordProblem {
        throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.PAYLOAD, payload.location(),
                "Record " + payload.number() + " (" + payload.location() + ") has no fields: a JSON record payload carries its fields",
                "第 " + payload.number() + " 条记录（" + payload.location() + "）没有字段：JSON 记录内容须包含字段"));
    }

    @Override
    public String locate(String field, RecordPayload payload) {
        if (field.startsWith("header.")) {
            String name = field.substring(7);
            return pointerOfHeader.getOrDefault(name, name);
        }
        String base = DOCUMENT.equals(payload.location()) ? "" : payload.location();
        int open = field.indexOf('[');
        int dot = field.indexOf("].");
        if (open > 0 && dot > open && layout.groups().containsKey(field.substring(0, open))) {
            String group = field.substring(0, open);
            String name = field.substring(dot + 2);
            return base + layout.groups().get(group).path() + "/" + field.substring(open + 1, dot)
                    + pointerOfGroupField.getOrDefault(group + "." + name, name);
        }
        return base + pointerOfField.getOrDefault(field, field);
    }

    /** One open object or array: its pointer, the next array index or the current member name. */
    private static final class Frame {
        final String pointer;
        final boolean array;
        int index;
        String name;
        boolean recordsArray;
        String groupArray;

        Frame(String pointer, boolean array) {
            this.pointer = pointer;
            this.array = array;
        }

        String child() {
            return pointer + "/" + (array ? String.valueOf(index++) : escape(name));
        }
    }

    /** The records of one document, parsed as they are consumed; keeps only the current record and the open containers. */
    private final class Values extends AbstractIterator<RecordPayload> implements Records {
        private final JsonParser parser;
        private final String fileName;
        private final String encoding;
        private final RecordAssembly assembly;
        private final Deque<Frame> open = new ArrayDeque<>();
        private Frame recordFrame;
        private String recordPointer;
        private Frame repetitionFrame;
        private String repetitionGroup;
        private boolean ended;

        Values(JsonParser parser, String fileName, String sender, String encoding) {
            this.parser = parser;
            this.fileName = fileName;
            this.encoding = encoding;
            this.assembly = new RecordAssembly(adapterId, fileName, sender);
        }

        @Override
        protected RecordPayload computeNext() {
            try {
                while (!assembly.hasFinished() && !ended) {
                    step();
                }
            } catch (CharacterCodingException e) {
                // the decoder reads ahead of the parser, so the parser's position would not name the bad bytes
                throw new UnreadableSource(problem(MappingIssues.ENCODING, "is not valid " + encoding + " (JSON is UTF-8, RFC 8259 §8.1): "
                        + e.getMessage(), "不是有效的 " + encoding + " 编码（JSON 应为 UTF-8，RFC 8259 §8.1）：" + e.getMessage(), null));
            } catch (JsonProcessingException e) {
                throw new UnreadableSource(problem(MappingIssues.JSON_SYNTAX, "is not valid JSON: " + e.getOriginalMessage(),
                        "不是有效的 JSON：" + e.getOriginalMessage(), e.getLocation()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            RecordPayload record = assembly.takeFinished();
            return record != null ? record : endOfData();
        }

        private ValidationIssue problem(String rule, String what, String whatZh, JsonLocation location) {
            if (location == null) {
                return MappingIssues.issue(IssueType.STRUCTURE, rule, fileName, "The file " + fileName + " " + what, "文件 " + fileName + " " + whatZh);
            }
            String where = fileName + ", line " + location.getLineNr() + ", column " + location.getColumnNr();
            return MappingIssues.issue(IssueType.STRUCTURE, rule, where, "The file " + what + " at " + where,
                    "文件在 " + where + " 处" + whatZh);
        }

        private void step() throws IOException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                ended = true;
                return;
            }
            Frame parent = open.peek();
            switch (token) {
                case FIELD_NAME -> parent.name = parser.currentName();
                case START_OBJECT, START_ARRAY -> start(parent, token == JsonToken.START_ARRAY);
                case END_OBJECT, END_ARRAY -> end();
                default -> scalar(parent, token);
            }
        }

        private void start(Frame parent, boolean array) {
            Frame frame = new Frame(parent == null ? "" : parent.child(), array);
            if (recordFrame == null) {
                if (frame.pointer.equals(layout.record()) && array) {
                    frame.recordsArray = true;
                } else if (frame.pointer.equals(layout.record()) || (parent != null && parent.recordsArray)) {
                    startRecord(frame);
                }
            } else if (repetitionFrame == null) {
                String group = groupByPointer.get(frame.pointer.substring(recordPointer.length()));
                if (group != null && array) {
                    frame.groupArray = group;
                } else if (group != null || (parent != null && parent.groupArray != null)) {
                    startRepetition(frame, group != null ? group : parent.groupArray);
                }
            }
            open.push(frame);
        }

        private void startRecord(Frame frame) {
            recordFrame = frame;
            recordPointer = frame.pointer;
            assembly.startRecord(parser.currentTokenLocation().getLineNr());
        }

        private void startRepetition(Frame frame, String group) {
            repetitionFrame = frame;
            repetitionGroup = group;
            assembly.startRepetition(group);
        }

        private void end() {
            Frame frame = open.pop();
            if (frame == repetitionFrame) {
                repetitionFrame = null;
                assembly.endRepetition();
            } else if (frame == recordFrame) {
                emit();
            }
        }

        private void emit() {
            assembly.finishRecord(recordPointer.isEmpty() ? DOCUMENT : recordPointer, encoding);
            recordFrame = null;
        }

        private void scalar(Frame parent, JsonToken token) throws IOException {
            String pointer = parent == null ? "" : parent.child();
            String text = token == JsonToken.VALUE_NULL ? null : parser.getText();
            if (recordFrame == null) {
                if (parent != null && parent.recordsArray) {
                    startRecord(new Frame(pointer, false)); // a scalar where a record object belongs: a record without fields
                    emit();
                } else if (text != null && headerByPointer.containsKey(pointer)) {
                    assembly.header(headerByPointer.get(pointer), text);
                }
                return;
            }
            if (text == null) {
                return;
            }
            if (assembly.inRepetition()) {
                String rel = pointer.substring(repetitionFrame.pointer.length());
                assembly.repetitionField(groupFields.get(repetitionGroup).getOrDefault(rel, rel), text);
            } else if (parent.groupArray != null) {
                // an array of plain values declared as a group: each value is a repetition whose field is the pointer ""
                startRepetition(new Frame(pointer, false), parent.groupArray);
                assembly.repetitionField(groupFields.get(repetitionGroup).getOrDefault("", "value"), text);
                repetitionFrame = null;
                assembly.endRepetition();
            } else {
                String rel = pointer.substring(recordPointer.length());
                assembly.field(fieldByPointer.getOrDefault(rel, rel), text);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
