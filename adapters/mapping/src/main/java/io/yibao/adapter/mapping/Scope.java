package io.yibao.adapter.mapping;

import java.util.Map;

/**
 * The values a mapping reads for one record: the record's fields by name, the file header's fields as
 * {@code header.<name>}, {@code file.name}, {@code file.sender}, {@code record.number}, {@code record.line},
 * {@code repetition.number} (1-based, inside a repeat over a group),
 * and inside a repeat the repetition's own fields (which shadow the record's).
 */
final class Scope {
    private final RecordPayload payload;
    private final Map<String, String> fields;
    private final Map<String, String> repetition;
    private final String group;
    private final int index;

    Scope(RecordPayload payload, Map<String, String> fields) {
        this(payload, fields, null, null, -1);
    }

    private Scope(RecordPayload payload, Map<String, String> fields, Map<String, String> repetition, String group, int index) {
        this.payload = payload;
        this.fields = fields;
        this.repetition = repetition;
        this.group = group;
        this.index = index;
    }

    /** The scope of one part of a split field. */
    Scope repetition(Map<String, String> values) {
        return new Scope(payload, fields, values, null, -1);
    }

    /** The scope of repetition {@code index} (0-based) of an XML/JSON group. */
    Scope repetition(Map<String, String> values, String group, int index) {
        return new Scope(payload, fields, values, group, index);
    }

    /**
     * How a field is named to locate it: a field of the current group repetition as {@code group[index].field},
     * which the record formats turn into the native place; any other name as it is.
     */
    String qualified(String name) {
        return group != null && repetition.containsKey(name) ? group + "[" + index + "]." + name : name;
    }

    /** Whether a name is one of the reserved context names rather than a source field. */
    static boolean isContextName(String name) {
        return name.startsWith("header.") || name.equals("file.name") || name.equals("file.sender") || name.equals("record.number")
                || name.equals("record.line") || name.equals("repetition.number");
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
            case "repetition.number" -> group == null ? null : String.valueOf(index + 1);
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
