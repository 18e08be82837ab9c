package io.yibao.adapter.mapping;

import com.google.common.collect.AbstractIterator;
import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * XML elements as source records, read with StAX (the JDK's streaming parser: one element at a time, never a
 * whole-document tree, so a batch far larger than the heap goes through). The mapping names the record
 * element's path ({@code /jfxx/records/record}); values outside the records (a batch header or trailer element)
 * become {@code header.<name>} fields; leaf elements and attributes ({@code @name}) inside a record are its
 * fields; a repeated child element declared as a group gives one repetition per occurrence. Paths use
 * prefixes declared in {@code namespaces}; an unprefixed name means no namespace (as in XPath). The encoding is
 * the one the XML declaration (or a BOM) names unless the mapping fixes one. DTDs and external entities are
 * refused (XXE). Native locations are XPath-like with indexes: {@code /jfxx/records/record[17]/jfje}.
 */
final class XmlRecordFormat implements RecordFormat {
    private static final XMLInputFactory FACTORY = factory();

    private final String adapterId;
    private final Charset configured;
    private final StructuredLayout layout;
    private final String recordKey;
    private final Map<String, String> headerByKey = new HashMap<>();
    private final Map<String, String> fieldByKey = new HashMap<>();
    private final Map<String, String> groupByKey = new HashMap<>();
    private final Map<String, Map<String, String>> groupFieldByKey = new HashMap<>();
    /** Field name → the path as the mapping wrote it, for native locations. */
    private final Map<String, String> pathOfHeader = new HashMap<>();
    private final Map<String, String> pathOfField = new HashMap<>();
    private final Map<String, String> pathOfGroupField = new HashMap<>();
    /** Namespace URI → the mapping's prefix, so that native locations read like the mapping's paths (and are XPath with its prefixes). */
    private final Map<String, String> prefixOf = new HashMap<>();
    private final String institutionField;
    private final String batchReferenceField;

    XmlRecordFormat(String adapterId, Charset configured, Map<String, String> namespaces, StructuredLayout layout,
                    String institutionField, String batchReferenceField) {
        this.adapterId = adapterId;
        this.configured = configured;
        this.layout = layout;
        this.recordKey = key(layout.record(), namespaces, true);
        namespaces.forEach((prefix, uri) -> prefixOf.putIfAbsent(uri, prefix));
        layout.header().forEach((path, field) -> {
            headerByKey.put(key(path, namespaces, true), field);
            pathOfHeader.put(field, path);
        });
        layout.fields().forEach((path, field) -> {
            fieldByKey.put(key(path, namespaces, false), field);
            pathOfField.put(field, path);
        });
        layout.groups().forEach((name, group) -> {
            groupByKey.put(key(group.path(), namespaces, false), name);
            Map<String, String> fields = new HashMap<>();
            group.fields().forEach((path, field) -> {
                fields.put(key(path, namespaces, false), field);
                pathOfGroupField.put(name + "." + field, path);
            });
            groupFieldByKey.put(name, fields);
        });
        this.institutionField = institutionField;
        this.batchReferenceField = batchReferenceField;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /**
     * A path as the parser's keys: {@code p:name} → {@code {uri}name}, {@code name} → {@code name},
     * {@code @attr} stays; absolute paths keep their leading slash.
     */
    static String key(String path, Map<String, String> namespaces, boolean absolute) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("empty XML path");
        }
        if (absolute != path.startsWith("/")) {
            throw new IllegalArgumentException("XML path '" + path + "' must be " + (absolute ? "absolute (start with /)" : "relative (no leading /)"));
        }
        StringBuilder out = new StringBuilder();
        for (String segment : (absolute ? path.substring(1) : path).split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("XML path '" + path + "' has an empty step");
            }
            boolean attribute = segment.startsWith("@");
            String name = attribute ? segment.substring(1) : segment;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                String uri = namespaces.get(name.substring(0, colon));
                if (uri == null) {
                    throw new IllegalArgumentException("XML path '" + path + "' uses prefix '" + name.substring(0, colon)
                            + "' that source.xml.namespaces does not declare");
                }
                name = "{" + uri + "}" + name.substring(colon + 1);
            }
            if (out.length() > 0 || absolute) {
                out.append('/');
            }
            out.append(attribute ? "@" : "").append(name);
        }
        return out.toString();
    }

    @Override
    public BatchCheck check(Supplier<InputStream> file, String fileName) throws IOException {
        List<ValidationIssue> issues = new ArrayList<>();
        StructuredLayout.Totals totals = layout.new Totals();
        String institution = null;
        String reference = null;
        Elements elements = null;
        try (Elements records = open(file, fileName, null)) {
            elements = records;
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
        Map<String, String> header = elements.assembly.header();
        issues.addAll(totals.check(header, field -> fileName + ", " + pathOfHeader.getOrDefault(field, field)));
        institution = fileLevel(institutionField, header, institution);
        reference = fileLevel(batchReferenceField, header, reference);
        return new BatchCheck(totals.records(), Optional.ofNullable(reference), Optional.ofNullable(institution), issues);
    }

    private static String fileLevel(String field, Map<String, String> header, String fromRecord) {
        String value = field != null && field.startsWith("header.") ? header.get(field.substring(7)) : fromRecord;
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public Records records(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        return open(file, fileName, sender);
    }

    private Elements open(Supplier<InputStream> file, String fileName, String sender) throws IOException {
        InputStream in = file.get();
        try {
            XMLStreamReader reader = configured == null ? FACTORY.createXMLStreamReader(in)
                    : FACTORY.createXMLStreamReader(in, configured.name());
            return new Elements(reader, in, fileName, sender);
        } catch (XMLStreamException e) {
            in.close();
            throw new UnreadableSource(syntaxIssue(fileName, e));
        }
    }

    private static ValidationIssue syntaxIssue(String fileName, XMLStreamException e) {
        String where = e.getLocation() == null ? fileName
                : fileName + ", line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
        String reason = e.getMessage() == null ? e.toString() : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+]\\s*Message: ", "");
        return MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.XML_SYNTAX, where,
                "The file is not well-formed XML (or not valid in its declared encoding) at " + where + ": " + reason,
                "文件在 " + where + " 处不是格式良好的 XML（或不符合其声明的字符编码）：" + reason);
    }

    @Override
    public Map<String, String> split(RecordPayload payload) throws RecordProblem {
        throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.PAYLOAD, payload.location(),
                "Record " + payload.number() + " (" + payload.location() + ") has no fields: an XML record payload carries its fields",
                "第 " + payload.number() + " 条记录（" + payload.location() + "）没有字段：XML 记录内容须包含字段"));
    }

    @Override
    public String locate(String field, RecordPayload payload) {
        if (field.startsWith("header.")) {
            String name = field.substring(7);
            return pathOfHeader.getOrDefault(name, name);
        }
        int open = field.indexOf('[');
        int dot = field.indexOf("].");
        if (open > 0 && dot > open && layout.groups().containsKey(field.substring(0, open))) {
            String group = field.substring(0, open);
            int index = Integer.parseInt(field.substring(open + 1, dot));
            String name = field.substring(dot + 2);
            return payload.location() + "/" + layout.groups().get(group).path() + "[" + (index + 1) + "]/"
                    + pathOfGroupField.getOrDefault(group + "." + name, name);
        }
        return payload.location() + "/" + pathOfField.getOrDefault(field, field);
    }

    /** One open element. {@code rel} is its key path from the record (or repetition) element, {@code relShown} as written. */
    private static final class Frame {
        final String abs;
        final String absShown;
        final String rel;
        final String relShown;
        final Map<String, Integer> children = new HashMap<>();
        final StringBuilder text = new StringBuilder();
        boolean hasChildren;
        boolean record;
        String group;

        Frame(String abs, String absShown, String rel, String relShown) {
            this.abs = abs;
            this.absShown = absShown;
            this.rel = rel;
            this.relShown = relShown;
        }
    }

    /** The records of one file, parsed as they are consumed; keeps only the current record and the open elements. */
    private final class Elements extends AbstractIterator<RecordPayload> implements Records {
        private final XMLStreamReader reader;
        private final InputStream in;
        private final String fileName;
        private final RecordAssembly assembly;
        private final Deque<Frame> open = new ArrayDeque<>();
        private Frame recordFrame;
        private Frame repetitionFrame;
        private boolean ended;

        Elements(XMLStreamReader reader, InputStream in, String fileName, String sender) {
            this.reader = reader;
            this.in = in;
            this.fileName = fileName;
            this.assembly = new RecordAssembly(adapterId, fileName, sender);
        }

        @Override
        protected RecordPayload computeNext() {
            try {
                while (!assembly.hasFinished() && !ended) {
                    step();
                }
            } catch (XMLStreamException e) {
                throw new UnreadableSource(syntaxIssue(fileName, e));
            }
            RecordPayload record = assembly.takeFinished();
            return record != null ? record : endOfData();
        }

        private void step() throws XMLStreamException {
            if (!reader.hasNext()) {
                ended = true;
                return;
            }
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> start();
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    // only a leaf's text is a value: the whitespace between a container's children is never kept,
                    // so the records' container does not grow with the file
                    if (!open.isEmpty() && !open.peek().hasChildren) {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> end();
                case XMLStreamConstants.END_DOCUMENT -> ended = true;
                default -> { } // comments, processing instructions
            }
        }

        private void start() {
            String uri = reader.getNamespaceURI();
            String local = reader.getLocalName();
            String prefix = reader.getPrefix();
            String key = uri == null || uri.isEmpty() ? local : "{" + uri + "}" + local;
            String shown = shown(uri, prefix, local);
            Frame parent = open.peek();
            int index = 1;
            if (parent != null) {
                parent.hasChildren = true;
                parent.text.setLength(0);
                index = parent.children.merge(key, 1, Integer::sum);
            }
            String abs = (parent == null ? "" : parent.abs) + "/" + key;
            String absShownBase = (parent == null ? "" : parent.absShown) + "/" + shown;
            Frame frame;
            if (recordFrame == null && abs.equals(recordKey)) {
                // a record's location is the mapping's record path with the record's position among its siblings
                frame = new Frame(abs, layout.record() + "[" + index + "]", "", "");
                frame.record = true;
                recordFrame = frame;
                assembly.startRecord(reader.getLocation().getLineNumber());
            } else if (recordFrame != null) {
                Frame base = parent;
                String rel = base.rel.isEmpty() ? key : base.rel + "/" + key;
                String relShown = base.relShown.isEmpty() ? shown : base.relShown + "/" + shown;
                String group = repetitionFrame == null ? groupByKey.get(rel) : null;
                if (group != null) {
                    frame = new Frame(abs, absShownBase + "[" + index + "]", "", "");
                    frame.group = group;
                    repetitionFrame = frame;
                    assembly.startRepetition(group);
                } else {
                    String suffix = index > 1 ? "[" + index + "]" : "";
                    // a repeated element that is not a group keeps its index, so it never overwrites the first
                    frame = new Frame(abs, absShownBase + suffix, rel + suffix, relShown + suffix);
                }
            } else {
                frame = new Frame(abs, absShownBase + (index > 1 ? "[" + index + "]" : ""), "", "");
            }
            open.push(frame);
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                String attrUri = reader.getAttributeNamespace(i);
                String attrPrefix = reader.getAttributePrefix(i);
                String attrLocal = reader.getAttributeLocalName(i);
                String attrKey = "@" + (attrUri == null || attrUri.isEmpty() ? attrLocal : "{" + attrUri + "}" + attrLocal);
                String attrShown = "@" + shown(attrUri, attrPrefix, attrLocal);
                value(frame, attrKey, attrShown, reader.getAttributeValue(i));
            }
        }

        /** A name as the mapping writes it: the mapping's prefix for a namespace it declares, else the document's. */
        private String shown(String uri, String prefix, String local) {
            String mine = uri == null || uri.isEmpty() ? null : prefixOf.get(uri);
            if (mine != null) {
                return mine + ":" + local;
            }
            return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
        }

        private void end() {
            Frame frame = open.pop();
            if (!frame.hasChildren && !frame.record && frame.group == null) {
                String text = frame.text.toString().strip();
                if (!text.isEmpty()) {
                    assign(frame.abs, frame.rel, frame.relShown, text);
                }
            }
            if (frame == repetitionFrame) {
                repetitionFrame = null;
                assembly.endRepetition();
            } else if (frame == recordFrame) {
                recordFrame = null;
                assembly.finishRecord(frame.absShown, reader.getEncoding());
            }
        }

        /** An attribute of {@code owner}. */
        private void value(Frame owner, String attrKey, String attrShown, String text) {
            if (text == null || text.isEmpty()) {
                return;
            }
            String abs = owner.abs + "/" + attrKey;
            String rel = owner.rel.isEmpty() ? attrKey : owner.rel + "/" + attrKey;
            String relShown = owner.relShown.isEmpty() ? attrShown : owner.relShown + "/" + attrShown;
            assign(abs, rel, relShown, text);
        }

        /** A value at {@code abs} (absolute key path), {@code rel} (from the record or repetition element). */
        private void assign(String abs, String rel, String relShown, String text) {
            if (assembly.inRepetition()) {
                Map<String, String> declared = groupFieldByKey.get(repetitionFrame.group);
                assembly.repetitionField(declared.getOrDefault(rel, relShown), text);
            } else if (assembly.inRecord()) {
                assembly.field(fieldByKey.getOrDefault(rel, relShown), text);
            } else {
                String name = headerByKey.get(abs);
                if (name != null) {
                    assembly.header(name, text);
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                reader.close();
            } catch (XMLStreamException e) {
                // closing releases the parser only; the stream is closed below
            }
            in.close();
        }
    }
}
