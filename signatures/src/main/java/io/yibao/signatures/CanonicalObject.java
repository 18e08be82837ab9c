package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * The canonical text ({@link CanonicalJson}) of one JSON object, with the end offset of each
 * top-level member, so that {@link #withMember} can give the canonical text of the same object with
 * one more member by splicing it in at its sorted place instead of writing every member again.
 * {@link BundleSigner} uses it to write a Bundle once for both the payload and the signed output.
 * Made by {@link CanonicalJson#ofObject}.
 */
public final class CanonicalObject {

    private final String text;
    /** Top-level member names in canonical (String.compareTo) order. */
    private final String[] names;
    /** {@code memberEnds[i]}: offset in {@link #text} just after the value of member {@code names[i]}. */
    private final int[] memberEnds;

    CanonicalObject(String text, String[] names, int[] memberEnds) {
        this.text = text;
        this.names = names;
        this.memberEnds = memberEnds;
    }

    /** The canonical text of the object. */
    public String text() {
        return text;
    }

    /**
     * The canonical text of the object with one more top-level member: exactly what
     * {@link CanonicalJson#toCanonicalString} writes for the object with {@code name} set to
     * {@code value}.
     *
     * @throws IllegalArgumentException if the object already has a member {@code name} (remove it
     *     before {@link CanonicalJson#ofObject}, as a replacement could not be spliced in place)
     * @throws InvalidJsonException if {@code name} or {@code value} cannot be canonicalized
     */
    public String withMember(String name, JsonNode value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        // RFC 8785 §3.2.3 order is String.compareTo, which is also the natural order binarySearch uses.
        int found = Arrays.binarySearch(names, name);
        if (found >= 0) {
            throw new IllegalArgumentException("the object already has a member named \"" + name + "\"");
        }
        int position = -found - 1;
        StringBuilder member = new StringBuilder(256);
        CanonicalJson.writeMember(name, value, member);
        StringBuilder out = new StringBuilder(text.length() + member.length() + 1);
        if (names.length == 0) {
            return out.append('{').append(member).append('}').toString();
        }
        if (position == 0) {
            return out.append('{').append(member).append(',').append(text, 1, text.length()).toString();
        }
        // After the member that sorts just before the new one; what follows there is ',' or the closing '}'.
        int at = memberEnds[position - 1];
        return out.append(text, 0, at).append(',').append(member).append(text, at, text.length()).toString();
    }
}
