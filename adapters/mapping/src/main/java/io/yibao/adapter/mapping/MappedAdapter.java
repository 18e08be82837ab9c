package io.yibao.adapter.mapping;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Envelope;
import io.yibao.adapter.EnvelopeSignature;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The adapter a mapping file describes: {@link #translate} maps one record (a {@link RecordPayload}, or a
 * native file holding exactly one record) to a canonical message; {@link #batches} reads whole files through
 * the mapping's {@link RecordFormat}. Thread-safe; no adapter-specific Java.
 */
public final class MappedAdapter implements InboundAdapter {
    private final CompiledMapping mapping;
    private final BatchReader batchReader = new Batches();

    MappedAdapter(CompiledMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public String id() {
        return mapping.id;
    }

    @Override
    public String description() {
        return mapping.description;
    }

    @Override
    public Translation translate(NativeMessage message, TranslationContext context) {
        RecordPayload payload;
        try {
            payload = payload(message);
        } catch (RecordProblem e) {
            return Translation.failed(List.of(e.issue()), Optional.empty(), Optional.empty());
        }
        Map<String, String> fields;
        try {
            fields = payload.fields() != null ? payload.fields() : mapping.format.split(payload);
        } catch (RecordProblem e) {
            return Translation.failed(List.of(e.issue()), Optional.empty(), Optional.empty());
        }
        return mapping.translate(payload, fields, context);
    }

    @Override
    public Envelope peek(NativeMessage message) {
        try {
            RecordPayload payload = payload(message);
            Map<String, String> fields = payload.fields() != null ? payload.fields() : mapping.format.split(payload);
            return mapping.peek(payload, fields);
        } catch (RecordProblem e) {
            return Envelope.UNKNOWN;
        }
    }

    @Override
    public Optional<BatchReader> batches() {
        return mapping.batch ? Optional.of(batchReader) : Optional.empty();
    }

    @Override
    public Optional<EnvelopeSignature> envelopeSignature() {
        return Optional.ofNullable(mapping.envelopeSignature);
    }

    /** The record of a message: a record payload as batches yield it, or a native file of exactly one record. */
    private RecordPayload payload(NativeMessage message) throws RecordProblem {
        if (RecordPayload.isPayload(message.payload(), message.contentType())) {
            try {
                return RecordPayload.fromJson(message.payload());
            } catch (IOException e) {
                throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.PAYLOAD, "record payload",
                        "The record payload is not valid " + RecordPayload.CONTENT_TYPE + ": " + e.getMessage(),
                        "记录内容不是有效的 " + RecordPayload.CONTENT_TYPE + "：" + e.getMessage()));
            }
        }
        Supplier<InputStream> bytes = () -> new ByteArrayInputStream(message.payload());
        try (RecordFormat.Records records = mapping.format.records(bytes, "message", message.senderInstitutionCode())) {
            RecordPayload first = records.hasNext() ? records.next() : null;
            if (first == null || records.hasNext()) {
                throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.SINGLE_RECORD, "message",
                        "A single message holds exactly one record; this one holds " + (first == null ? "none" : "more than one")
                                + ": send files of many records as a batch",
                        "单条报文只能包含一条记录；本报文" + (first == null ? "没有记录" : "包含多条记录") + "：多条记录请按批量文件发送"));
            }
            return first;
        } catch (UnreadableSource e) {
            throw new RecordProblem(e.issue());
        } catch (IOException | UncheckedIOException e) {
            throw new RecordProblem(MappingIssues.issue(IssueType.STRUCTURE, MappingIssues.ENCODING, "message",
                    "The message cannot be read: " + e.getMessage(), "报文无法读取：" + e.getMessage()));
        }
    }

    /** Batch files through the mapping's record format; each record becomes a self-contained payload. */
    private final class Batches implements BatchReader {
        @Override
        public BatchCheck check(BatchFile file) throws IOException {
            return mapping.format.check(opener(file), file.name());
        }

        @Override
        public RecordStream records(BatchFile file) throws IOException {
            RecordFormat.Records records = mapping.format.records(opener(file), file.name(), file.senderInstitutionCode());
            return new RecordStream() {
                @Override
                public boolean hasNext() {
                    return records.hasNext();
                }

                @Override
                public BatchRecord next() {
                    RecordPayload payload = records.next();
                    Optional<String> key = payload.fields() == null ? Optional.empty() : mapping.recordKey(payload, payload.fields());
                    return new BatchRecord(payload.number(), payload.location(), payload.toJson(), RecordPayload.CONTENT_TYPE, key);
                }

                @Override
                public void close() throws IOException {
                    records.close();
                }
            };
        }

        private Supplier<InputStream> opener(BatchFile file) {
            return () -> {
                try {
                    return Files.newInputStream(file.path());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }
}
