package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Where two JSON documents differ, as one line per differing element with its path
 * ({@code entry[3].resource.total.value: expected 47.60, got 47.6}). Written here rather than a text diff: a
 * path names the canonical element, and key order or indentation never count as a difference.
 */
final class JsonDifferences {
    private JsonDifferences() {}

    static List<String> between(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("", expected, actual, out);
        return out;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = path.isEmpty() ? name : path + "." + name;
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                if (e == null) {
                    out.add(at + ": not expected, got " + brief(a));
                } else if (a == null) {
                    out.add(at + ": expected " + brief(e) + ", missing");
                } else {
                    compare(at, e, a, out);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext() || a.hasNext()) {
                String at = path + "[" + i++ + "]";
                if (!a.hasNext()) {
                    out.add(at + ": expected " + brief(e.next()) + ", missing");
                } else if (!e.hasNext()) {
                    out.add(at + ": not expected, got " + brief(a.next()));
                } else {
                    compare(at, e.next(), a.next(), out);
                }
            }
        } else if (!textOf(expected).equals(textOf(actual)) || expected.getNodeType() != actual.getNodeType()) {
            out.add(path + ": expected " + brief(expected) + ", got " + brief(actual));
        }
    }

    /** A number keeps its written form: 47.60 and 47.6 differ (canonical decimals carry their scale). */
    private static String textOf(JsonNode node) {
        return node.isNumber() ? node.decimalValue().toString() : node.toString();
    }

    private static String brief(JsonNode node) {
        String text = node.isNumber() ? node.decimalValue().toString() : node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
