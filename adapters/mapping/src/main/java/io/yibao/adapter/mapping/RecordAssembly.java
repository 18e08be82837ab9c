package io.yibao.adapter.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a streaming reader of a nested document ({@link JsonRecordFormat}, {@link XmlRecordFormat}) collects while it
 * walks the file: the values outside the records (the header, which every record carries), the current record's fields
 * and group repetitions, and the finished record waiting to be handed out. The readers differ only in how they walk
 * their document and name what they find.
 */
final class RecordAssembly {
    private final String adapterId;
    private final String fileName;
    private final String sender;
    private final Map<String, String> header = new LinkedHashMap<>();
    private long number;
    private long line;
    private Map<String, String> fields;
    private Map<String, List<Map<String, String>>> groups;
    private Map<String, String> repetition;
    private RecordPayload finished;

    RecordAssembly(String adapterId, String fileName, String sender) {
        this.adapterId = adapterId;
        this.fileName = fileName;
        this.sender = sender;
    }

    /** The values found outside the records so far. */
    Map<String, String> header() {
        return header;
    }

    void header(String name, String value) {
        header.put(name, value);
    }

    /** A record starts at {@code line} of the file. */
    void startRecord(long line) {
        this.line = line;
        fields = new LinkedHashMap<>();
        groups = null;
    }

    boolean inRecord() {
        return fields != null;
    }

    void field(String name, String value) {
        fields.put(name, value);
    }

    /** A repetition of {@code group} starts in the current record. */
    void startRepetition(String group) {
        repetition = new LinkedHashMap<>();
        if (groups == null) {
            groups = new LinkedHashMap<>();
        }
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(repetition);
    }

    boolean inRepetition() {
        return repetition != null;
    }

    void repetitionField(String name, String value) {
        repetition.put(name, value);
    }

    void endRepetition() {
        repetition = null;
    }

    /** The current record is complete: it is numbered and waits for {@link #takeFinished}. */
    void finishRecord(String location, String encoding) {
        number++;
        finished = new RecordPayload(adapterId, fileName, sender, number, line, location, encoding,
                header.isEmpty() ? null : new LinkedHashMap<>(header), fields, groups, null, null, null);
        fields = null;
        groups = null;
    }

    boolean hasFinished() {
        return finished != null;
    }

    /** The finished record, or null; it is handed out once. */
    RecordPayload takeFinished() {
        RecordPayload record = finished;
        finished = null;
        return record;
    }
}
