package io.yibao.adapter.mapping;

import io.yibao.adapter.BatchCheck;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A reader of one native source format ({@code csv}, {@code fixed}; XML and JSON readers implement this too):
 * it checks a whole file, yields its records as {@link RecordPayload}s (named string fields plus the file
 * context and the raw text), splits a payload's raw text again when it has no fields, and names the native
 * place of each field. Implementations are immutable, thread-safe, and stream: no whole-file reads.
 */
interface RecordFormat {

    /** The records of one file, read as they are consumed. */
    interface Records extends Iterator<RecordPayload>, Closeable {}

    /** Reads the whole file once: header/trailer, control totals, claimed institution; never throws for bad input. */
    BatchCheck check(Supplier<InputStream> file, String fileName) throws IOException;

    /** The file's records in order, numbered from 1; a record that cannot be split still comes out, without fields. */
    Records records(Supplier<InputStream> file, String fileName, String sender) throws IOException;

    /** The fields of a payload that has none, from its raw text, or the reason it cannot be split. */
    Map<String, String> split(RecordPayload payload) throws RecordProblem;

    /** Where a field of a record sits in the file, for people: {@code line 4, column 销售单号}. */
    String locate(String field, RecordPayload payload);
}
