package io.yibao.adapter;

import java.util.Objects;
import java.util.Optional;

/**
 * One record of a batch file, as a native message of its own.
 *
 * @param number          1-based position of the record in the file (detail records only; header and
 *                        trailer are not counted), the number batch reports name
 * @param location        where the record sits in the file for people: {@code line 17},
 *                        {@code lines 17-18}, {@code /Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[3]}
 * @param payload         the bytes {@link InboundAdapter#translate} reads (and an operator corrects)
 * @param contentType     the payload's media type, telling {@code translate} that it is a batch record
 * @param sourceRecordId  the sender's own key of the record if the layout has one (a sale number, a bank
 *                        serial): with the institution it recognises a record sent again in another file
 */
public record BatchRecord(long number, String location, byte[] payload, String contentType, Optional<String> sourceRecordId) {

    public BatchRecord {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(sourceRecordId, "sourceRecordId");
    }
}
