package io.yibao.adapter.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;

/**
 * A FHIRPath-like dotted element path with indexes ({@code identifier[0].value},
 * {@code medicationCodeableConcept.coding[1]}, {@code extension[0].valueCoding}), compiled once against the
 * resource type and applied through HAPI's generic {@code makeProperty}/{@code addChild}, so any element of
 * any resource is reachable without Java and no reflection happens per record.
 */
final class ElementPath {
    private static final Pattern SEGMENT = Pattern.compile("([a-zA-Z][a-zA-Z0-9]*)(?:\\[(\\d+)])?");

    /** For a choice ({@code medicationCodeableConcept}), {@code choiceName} is the element's own name ({@code medication[x]}). */
    private record Segment(String name, int hash, int index, boolean list, boolean choice, String choiceName) {}

    private final String text;
    private final List<Segment> segments;
    private final Class<? extends Base> targetClass;

    private ElementPath(String text, List<Segment> segments, Class<? extends Base> targetClass) {
        this.text = text;
        this.segments = segments;
        this.targetClass = targetClass;
    }

    /**
     * Compiles a path against a prototype element (a fresh resource or element of the type the path
     * starts from).
     *
     * @throws IllegalArgumentException naming the segment that is not an element of the type
     */
    static ElementPath compile(String text, Base prototype) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty element path");
        }
        List<Segment> segments = new ArrayList<>();
        Base current = prototype;
        for (String part : text.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part + "' is not an element name with an optional [index]");
            }
            String name = m.group(1);
            Property property = current.getNamedProperty(name);
            if (property == null) {
                throw new IllegalArgumentException("'" + name + "' is not an element of " + current.fhirType());
            }
            boolean choice = property.getName().endsWith("[x]") && !property.getName().equals(name);
            if (property.getName().endsWith("[x]") && !choice) {
                throw new IllegalArgumentException("'" + name + "' is a choice of types: name the type, e.g. " + name + "String");
            }
            boolean list = property.getMaxCardinality() > 1;
            int index = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            if (!list && index > 0) {
                throw new IllegalArgumentException("'" + name + "' of " + current.fhirType() + " does not repeat: index " + index + " is out of reach");
            }
            Segment segment = new Segment(name, name.hashCode(), index, list, choice, property.getName());
            segments.add(segment);
            try {
                current = step(current, segment);
            } catch (FHIRException e) {
                throw new IllegalArgumentException("'" + name + "' of " + current.fhirType() + ": " + e.getMessage(), e);
            }
        }
        return new ElementPath(text, List.copyOf(segments), current.getClass());
    }

    /** The element at this path under {@code root}, created (with any missing parents and list entries) as needed. */
    Base resolve(Base root) {
        Base current = root;
        for (Segment segment : segments) {
            current = step(current, segment);
        }
        return current;
    }

    /**
     * Appends a new element at the path's last segment (a list), creating its parents as needed: one
     * repetition of a {@code repeat}.
     */
    Base append(Base root) {
        Base parent = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            parent = step(parent, segments.get(i));
        }
        Segment last = segments.get(segments.size() - 1);
        return parent.makeProperty(last.hash, last.name);
    }

    /** How many elements the path's last segment already holds under {@code root} (parents are created as needed). */
    int resolveCount(Base root) {
        Base parent = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            parent = step(parent, segments.get(i));
        }
        Segment last = segments.get(segments.size() - 1);
        Base[] existing = parent.getProperty(last.hash, last.name, false);
        return existing == null ? 0 : existing.length;
    }

    /** Whether the path's last segment repeats (a list). */
    boolean endsInList() {
        return segments.get(segments.size() - 1).list;
    }

    private static Base step(Base current, Segment segment) {
        if (segment.choice) {
            // HAPI answers getProperty for a choice under its bare name (medication), not medication[x]
            String bare = segment.choiceName.substring(0, segment.choiceName.length() - 3);
            Base[] existing = current.getProperty(bare.hashCode(), bare, false);
            if (existing != null && existing.length > 0 && existing[0] != null
                    && existing[0].fhirType().equalsIgnoreCase(segment.name.substring(bare.length()))) {
                // the choice is already set; addChild would replace it
                return existing[0];
            }
            return current.addChild(segment.name);
        }
        if (!segment.list) {
            return current.makeProperty(segment.hash, segment.name);
        }
        Base[] existing = current.getProperty(segment.hash, segment.name, false);
        int size = existing == null ? 0 : existing.length;
        if (segment.index < size) {
            return existing[segment.index];
        }
        Base added = null;
        for (int i = size; i <= segment.index; i++) {
            added = current.makeProperty(segment.hash, segment.name); // on a list, makeProperty appends
        }
        return added;
    }

    /** The class of the element the path ends at ({@code StringType}, {@code Coding}, {@code Reference}, …). */
    Class<? extends Base> targetClass() {
        return targetClass;
    }

    /** The path as written, which is also its FHIRPath below the resource. */
    @Override
    public String toString() {
        return text;
    }
}
