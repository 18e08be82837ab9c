package io.yibao.adapter.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The segments of a parsed message in message order, read by position (segment, field, repetition,
 * component, subcomponent) whatever the HL7 version, and a record of which fields the mapping read, so
 * that every populated field nothing read can be reported.
 */
final class Hl7Segments {
    private final List<Segment> segments = new ArrayList<>();
    private final IdentityHashMap<Segment, Set<Integer>> read = new IdentityHashMap<>();

    Hl7Segments(Message message) {
        ReadOnlyMessageIterator iterator = new ReadOnlyMessageIterator(message);
        while (iterator.hasNext()) {
            Structure structure = iterator.next();
            if (structure instanceof Segment segment && !isEmpty(segment)) {
                segments.add(segment);
            }
        }
    }

    List<Segment> all(String name) {
        return segments.stream().filter(s -> s.getName().equals(name)).toList();
    }

    Optional<Segment> first(String name) {
        return segments.stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    /** The (unescaped) text at a position, or null when empty; the field counts as mapped. */
    String get(Segment segment, int field, int repetition, int component, int subcomponent) {
        markRead(segment, field);
        try {
            if (repetition >= segment.getField(field).length) {
                return null;
            }
            String value = Terser.get(segment, field, repetition, component, subcomponent);
            return value == null || value.isEmpty() ? null : value;
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    /** First repetition, component 1, subcomponent 1. */
    String get(Segment segment, int field) {
        return get(segment, field, 0, 1, 1);
    }

    String get(Segment segment, int field, int component) {
        return get(segment, field, 0, component, 1);
    }

    int repetitions(Segment segment, int field) {
        markRead(segment, field);
        try {
            return segment.getField(field).length;
        } catch (HL7Exception | RuntimeException e) {
            return 0;
        }
    }

    /** Marks a field as taken care of without reading it (delimiters, version, routing). */
    void markRead(Segment segment, int field) {
        read.computeIfAbsent(segment, s -> new TreeSet<>()).add(field);
    }

    static boolean isZSegment(Segment segment) {
        return segment.getName().startsWith("Z") || segment instanceof GenericSegment;
    }

    /** Every populated field of every segment that the mapping did not read, in message order. */
    List<Unread> unread() {
        List<Unread> unread = new ArrayList<>();
        for (Segment segment : segments) {
            Set<Integer> fields = read.getOrDefault(segment, Set.of());
            for (int field = 1; field <= segment.numFields(); field++) {
                if (!fields.contains(field) && isPopulated(segment, field)) {
                    unread.add(new Unread(segment, field, occurrence(segment)));
                }
            }
        }
        return unread;
    }

    /** 1-based occurrence of a segment among the segments of its name. */
    int occurrence(Segment segment) {
        int n = 0;
        for (Segment s : segments) {
            if (s.getName().equals(segment.getName())) {
                n++;
            }
            if (s == segment) {
                return n;
            }
        }
        return n;
    }

    record Unread(Segment segment, int field, int occurrence) {
        String location() {
            return segment.getName() + "-" + field;
        }
    }

    private static boolean isPopulated(Segment segment, int field) {
        try {
            for (Type repetition : segment.getField(field)) {
                if (!repetition.isEmpty()) {
                    return true;
                }
            }
            return false;
        } catch (HL7Exception | RuntimeException e) {
            return false;
        }
    }

    private static boolean isEmpty(Segment segment) {
        try {
            return segment.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }
}
