package io.yibao.gateway.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.ledger.MessageStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a batch came to, as JSON: the batch's status and counts by record status, the file-level reasons
 * of a rejected batch, and every record that was not delivered (record number, native location, rule,
 * field and message in English and Chinese) and every record recognised as sent before. Used for the
 * status view (one page of records) and the report (all records, streamed page by page from the ledger,
 * so a batch of a million records is written in bounded memory). Never a payload.
 */
@Component
public class BatchReport {
    /** Record statuses listed: the ones that need the sender's attention. */
    public static final Set<MessageStatus> LISTED = EnumSet.of(MessageStatus.REJECTED, MessageStatus.DEAD_LETTERED);
    private static final int PAGE = 1000;

    private final BatchLedger ledger;
    private final ObjectMapper json;

    public BatchReport(BatchLedger ledger, ObjectMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /** The whole report. */
    public void write(BatchEntry batch, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            generator.writeStartObject();
            summary(batch, generator);
            generator.writeArrayFieldStart("undeliveredRecords");
            for (long offset = 0; ; offset += PAGE) {
                List<BatchLedger.RecordOutcome> page = ledger.records(batch.id(), LISTED, offset, PAGE);
                for (BatchLedger.RecordOutcome record : page) {
                    record(record, generator);
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("duplicateRecords");
            for (long offset = 0; ; offset += PAGE) {
                List<BatchLedger.DuplicateRecord> page = ledger.duplicates(batch.id(), offset, PAGE);
                for (BatchLedger.DuplicateRecord duplicate : page) {
                    duplicate(duplicate, generator);
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
    }

    /** The status view: the summary and one page of the records that were not delivered. */
    public void writeView(BatchEntry batch, long page, int size, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            summary(batch, generator);
            generator.writeNumberField("page", page);
            generator.writeNumberField("pageSize", size);
            generator.writeArrayFieldStart("undeliveredRecords");
            for (BatchLedger.RecordOutcome record : ledger.records(batch.id(), LISTED, page * size, size)) {
                record(record, generator);
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("duplicateRecords");
            for (BatchLedger.DuplicateRecord duplicate : ledger.duplicates(batch.id(), page * size, size)) {
                duplicate(duplicate, generator);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
    }

    private void summary(BatchEntry batch, JsonGenerator out) throws IOException {
        out.writeStringField("id", batch.id());
        out.writeStringField("status", batch.status().name());
        out.writeStringField("adapter", batch.adapter());
        out.writeStringField("institution", batch.institution());
        writeOptional(out, "fileName", batch.fileName());
        writeOptional(out, "batchReference", batch.batchReference());
        out.writeStringField("sha256", batch.sha256());
        out.writeNumberField("sizeBytes", batch.sizeBytes());
        out.writeStringField("receivedAt", batch.receivedAt().toString());
        out.writeStringField("updatedAt", batch.updatedAt().toString());
        out.writeStringField("statusUrl", "/api/v1/batches/" + batch.id());
        out.writeStringField("reportUrl", "/api/v1/batches/" + batch.id() + "/report");
        if (batch.totalRecords() != null) {
            out.writeNumberField("records", batch.totalRecords());
            out.writeNumberField("recordsSplit", batch.nextRecord() - 1);
        }
        Map<MessageStatus, Long> counts = ledger.recordCounts(batch.id());
        out.writeObjectFieldStart("recordCounts");
        for (MessageStatus status : MessageStatus.values()) {
            out.writeNumberField(status.name(), counts.getOrDefault(status, 0L));
        }
        out.writeNumberField("DUPLICATE", batch.duplicateRecords());
        out.writeEndObject();
        if (batch.reason() != null) {
            out.writeArrayFieldStart("fileIssues");
            issues(json.readTree(batch.reason()), out);
            out.writeEndArray();
        }
    }

    private void record(BatchLedger.RecordOutcome record, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeNumberField("record", record.recordNo());
        writeOptional(out, "location", record.location());
        out.writeStringField("messageId", record.messageId());
        writeOptional(out, "sourceRecordId", record.sourceMessageId());
        out.writeStringField("status", record.status().name());
        out.writeArrayFieldStart("issues");
        if (record.outcome() != null) {
            issues(json.readTree(record.outcome()), out);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void duplicate(BatchLedger.DuplicateRecord duplicate, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeNumberField("record", duplicate.recordNo());
        writeOptional(out, "location", duplicate.location());
        out.writeStringField("firstMessageId", duplicate.messageId());
        out.writeEndObject();
    }

    /** The errors of an OperationOutcome, flattened: rule, native location, FHIRPath, English and Chinese. */
    private static void issues(JsonNode outcome, JsonGenerator out) throws IOException {
        for (JsonNode issue : outcome.path("issue")) {
            String severity = issue.path("severity").asText();
            if (!"error".equals(severity) && !"fatal".equals(severity)) {
                continue;
            }
            out.writeStartObject();
            out.writeStringField("rule", issue.at("/details/coding/0/code").asText());
            writeOptional(out, "location", issue.at("/location/0").asText(null));
            writeOptional(out, "expression", issue.at("/expression/0").asText(null));
            out.writeStringField("message", issue.at("/details/text").asText());
            String chinese = null;
            for (JsonNode part : issue.at("/details/_text/extension/0/extension")) {
                if ("content".equals(part.path("url").asText())) {
                    chinese = part.path("valueString").asText();
                }
            }
            writeOptional(out, "messageZh", chinese);
            out.writeEndObject();
        }
    }

    private static void writeOptional(JsonGenerator out, String field, String value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value);
        }
    }
}
