package io.yibao.adapter.mapping;

import java.util.Map;

/**
 * The values a mapping reads for one record: the record's fields by name, the file header's fields as
 * {@code header.<name>}, {@code file.name}, {@code file.sender}, {@code record.number}, {@code record.line},
 * and inside a repeat the repetition's own fields (which shadow the record's).
 */
final class Scope {
    private final RecordPayload payload;
    private final Map<String, String> fields;
    private final Map<String, String> repetition;

    Scope(RecordPayload payload, Map<String, String> fields) {
        this(payload, fields, null);
    }

    private Scope(RecordPayload payload, Map<String, String> fields, Map<String, String> repetition) {
        this.payload = payload;
        this.fields = fields;
        this.repetition = repetition;
    }

    Scope repetition(Map<String, String> values) {
        return new Scope(payload, fields, values);
    }

    /** Whether a name is one of the reserved context names rather than a source field. */
    static boolean isContextName(String name) {
        return name.startsWith("header.") || name.equals("file.name") || name.equals("file.sender") || name.equals("record.number")
                || name.equals("record.line");
    }

    String value(String name) {
        if (repetition != null && repetition.containsKey(name)) {
            return repetition.get(name);
        }
        String value = fields.get(name);
        if (value != null) {
            return value;
        }
        if (name.startsWith("header.")) {
            return payload.header() == null ? null : payload.header().get(name.substring(7));
        }
        return switch (name) {
            case "file.name" -> payload.file();
            case "file.sender" -> payload.sender();
            case "record.number" -> String.valueOf(payload.number());
            case "record.line" -> String.valueOf(payload.line());
            default -> null;
        };
    }

    RecordPayload payload() {
        return payload;
    }

    Map<String, String> fields() {
        return fields;
    }
}
