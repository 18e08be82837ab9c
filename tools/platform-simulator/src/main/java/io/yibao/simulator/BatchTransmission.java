package io.yibao.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code POST /api/v1/messages/batch} body: a FHIR R4 Bundle of type {@code batch} whose entries each
 * carry a signed message Bundle ({@code entry.resource}) and its idempotency key ({@code entry.fullUrl} =
 * {@code urn:uuid:<message id>}).
 *
 * <p>Read with Jackson's streaming {@link JsonParser}, by hand, because each entry's resource must be
 * kept as the exact bytes the gateway sent: the signature covers the signed Bundle as sent, and the
 * simulator stores and returns it byte for byte. Reading a tree and writing it again could change number
 * formats ({@code 12.50}), escapes ({@code \u8d75}) and key order. So a resource is taken by byte offsets
 * within the request: from its first token to where {@code skipChildren()} leaves the parser.
 */
public record BatchTransmission(List<Entry> entries) {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Pattern ENTRY_KEY = Pattern.compile(
            "urn:uuid:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
    private static final String EXPECTED = "expected a Bundle of type batch with at least one entry";

    /**
     * One entry of a transmission.
     *
     * @param position index in {@code Bundle.entry}, from 0
     * @param fullUrl {@code entry.fullUrl}; null when absent or not a string
     * @param resource the exact bytes of {@code entry.resource}; null when absent
     */
    public record Entry(int position, String fullUrl, byte[] resource) {

        /** The idempotency key: the UUID of a {@code urn:uuid:} fullUrl, as written; empty for any other fullUrl. */
        public Optional<String> idempotencyKey() {
            if (fullUrl == null) {
                return Optional.empty();
            }
            Matcher matcher = ENTRY_KEY.matcher(fullUrl);
            return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
        }
    }

    /** Why a body is not a transmission: a reason code and a message that never quotes payload content. */
    public static final class InvalidTransmission extends Exception {

        private final String reason;

        InvalidTransmission(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** {@code MALFORMED} (not JSON) or {@code NOT_A_BATCH}. */
        public String reason() {
            return reason;
        }
    }

    /**
     * Reads a transmission from a UTF-8 JSON body (the caller has checked that it is UTF-8).
     *
     * @throws InvalidTransmission if the body is not JSON, not a Bundle of type batch, or has no entry
     */
    public static BatchTransmission parse(byte[] utf8Json) throws InvalidTransmission {
        try (JsonParser parser = JSON.createParser(utf8Json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notABatch(EXPECTED);
            }
            String resourceType = null;
            String type = null;
            List<Entry> entries = null;
            Set<String> seen = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!seen.add(name)) {
                    throw notABatch("the Bundle has the member " + name + " twice");
                }
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "resourceType" -> resourceType = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "entry" -> entries = readEntries(parser, utf8Json);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw notJson(parser.currentTokenLocation().getLineNr(), parser.currentTokenLocation().getColumnNr());
            }
            if (!"Bundle".equals(resourceType) || !"batch".equals(type) || entries == null || entries.isEmpty()) {
                throw notABatch(EXPECTED);
            }
            return new BatchTransmission(List.copyOf(entries));
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote payload (an unrecognised token): give the position only.
            throw notJson(e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? -1 : e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    private static List<Entry> readEntries(JsonParser parser, byte[] body) throws IOException, InvalidTransmission {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw notABatch("Bundle.entry is not an array");
        }
        List<Entry> entries = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int position = entries.size();
            if (token != JsonToken.START_OBJECT) {
                throw notABatch("Bundle.entry[" + position + "] is not an object");
            }
            String fullUrl = null;
            byte[] resource = null;
            Set<String> seen = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!seen.add(name)) {
                    throw notABatch("Bundle.entry[" + position + "] has the member " + name + " twice");
                }
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "fullUrl" -> fullUrl = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "resource" -> resource = exactBytes(parser, body);
                    default -> parser.skipChildren();
                }
            }
            entries.add(new Entry(position, fullUrl, resource));
        }
        return entries;
    }

    /** The bytes of the value the parser stands on, exactly as in the body. */
    private static byte[] exactBytes(JsonParser parser, byte[] body) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        if (parser.currentToken().isStructStart()) {
            parser.skipChildren();
        } else {
            parser.finishToken(); // strings are read lazily: reach the closing quote
        }
        long end = parser.currentLocation().getByteOffset();
        return Arrays.copyOfRange(body, Math.toIntExact(start), Math.toIntExact(end));
    }

    private static InvalidTransmission notABatch(String message) {
        return new InvalidTransmission("NOT_A_BATCH", message);
    }

    private static InvalidTransmission notJson(int line, int column) {
        return new InvalidTransmission("MALFORMED", "the body is not JSON (error at line " + line + ", column "
                + column + ")");
    }
}
