package io.yibao.gateway.batch;

import java.time.Instant;

/**
 * One batch file as the ledger holds it.
 *
 * @param spoolPath  the file's bytes as received, in the spool
 * @param dropDir    for a dropped file, its {@code <institution>/<adapter>} directory (the report goes under it); null for uploads
 * @param nextRecord the splitting checkpoint: records before it are in the ledger
 * @param reason     for a REJECTED batch, the file-level findings (OperationOutcome JSON)
 * @param duplicateRecords records recognised as sent before (not sent again)
 * @param reportPath for a dropped file whose batch was final once, where its report was written (rewritten there)
 */
public record BatchEntry(String id, String institution, String adapter, String fileName, String contentType, String sha256,
                         long sizeBytes, String spoolPath, String dropDir, BatchStatus status, String batchReference,
                         Long totalRecords, long nextRecord, String reason, long duplicateRecords, String reportPath,
                         Instant receivedAt, Instant updatedAt) {}
