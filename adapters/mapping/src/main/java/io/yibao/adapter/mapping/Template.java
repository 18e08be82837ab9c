package io.yibao.adapter.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with field references, compiled once: {@code md-{sale_no}-{line_no}}, or
 * {@code {payee_code:1:7}} for characters 1 (inclusive) to 7 (exclusive) of a field, as Java's substring.
 * A reference to an empty field makes the whole value empty (see {@link #expand}).
 */
final class Template {
    private record Part(String literal, String field, int from, int to) {}

    private final String text;
    private final List<Part> parts;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                parts.add(new Part(text.substring(i), null, 0, 0));
                break;
            }
            if (open > i) {
                parts.add(new Part(text.substring(i, open), null, 0, 0));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'{' without '}' in template '" + text + "'");
            }
            String[] ref = text.substring(open + 1, close).split(":", -1);
            if (ref[0].isBlank() || (ref.length != 1 && ref.length != 3)) {
                throw new IllegalArgumentException("'{" + text.substring(open + 1, close) + "}' is not {field} or {field:from:to}");
            }
            try {
                parts.add(ref.length == 1 ? new Part(null, ref[0].strip(), -1, -1)
                        : new Part(null, ref[0].strip(), Integer.parseInt(ref[1].strip()), Integer.parseInt(ref[2].strip())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'{" + text.substring(open + 1, close) + "}': from and to are character positions", e);
            }
            i = close + 1;
        }
        return new Template(text, List.copyOf(parts));
    }

    /** A template that is one field reference. */
    static Template field(String name) {
        return new Template("{" + name + "}", List.of(new Part(null, name, -1, -1)));
    }

    /** The fields referenced, in order. */
    List<String> fields() {
        return parts.stream().filter(p -> p.field != null).map(Part::field).toList();
    }

    /** The expanded text, or null when a referenced field is empty (or shorter than a substring needs). */
    String expand(Scope scope) {
        if (parts.size() == 1 && parts.get(0).field != null && parts.get(0).from < 0) {
            String value = scope.value(parts.get(0).field);
            return value == null || value.isEmpty() ? null : value;
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Part part : parts) {
            if (part.literal != null) {
                out.append(part.literal);
                continue;
            }
            String value = scope.value(part.field);
            if (value == null || value.isEmpty()) {
                return null;
            }
            if (part.from >= 0) {
                if (value.length() < part.to) {
                    return null;
                }
                value = value.substring(part.from, part.to);
            }
            out.append(value);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
