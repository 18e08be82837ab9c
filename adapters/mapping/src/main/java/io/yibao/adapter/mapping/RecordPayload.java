package io.yibao.adapter.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One batch record as a self-contained native message: the normalized UTF-8 JSON form
 * ({@value #CONTENT_TYPE}) that {@link MappedAdapter#translate} reads back on its own and an operator can
 * correct in quarantine. It holds the record's named fields (absent when the record could not be split: then
 * {@code translate} splits {@code raw} again and rejects it naming the rule), the file-level context the
 * record needs ({@code header} fields such as the institution code, the file name, the sender, the record
 * number and line), the exact text of the record, and {@code problem} when even the text could not be decoded.
 *
 * @param adapter   the mapping (adapter id) that read it
 * @param columns   CSV only, and only when {@code fields} is absent: the file's column order, to split {@code raw}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RecordPayload(String adapter, String file, String sender, long number, long line, String location, String encoding,
                     Map<String, String> header, Map<String, String> fields, List<String> columns, String raw,
                     String problem) {

    /** The media type of a record payload. */
    static final String CONTENT_TYPE = "application/vnd.yibao.record+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter WRITER = JSON.writerFor(RecordPayload.class);
    private static final ObjectReader READER = JSON.readerFor(RecordPayload.class);

    byte[] toJson() {
        try {
            return WRITER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a record payload is plain strings and numbers", e);
        }
    }

    static RecordPayload fromJson(byte[] json) throws IOException {
        return READER.readValue(json);
    }

    /** Whether a message is a record payload (by content type, or by its first bytes when none is declared). */
    static boolean isPayload(byte[] bytes, String contentType) {
        if (contentType != null && contentType.startsWith(CONTENT_TYPE)) {
            return true;
        }
        return contentType == null && bytes.length > 12 && bytes[0] == '{' && new String(bytes, 0, 12).startsWith("{\"adapter\":");
    }
}
