package io.yibao.adapter.iso20022;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.RecordStream;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Reads a bank's camt.054/camt.053 file as a batch: {@link CamtFileCheck} for the file's own control
 * totals, {@link CamtEntryRecords} for its entries, one self-contained record each. Both stream.
 */
final class CamtBatchReader implements BatchReader {
    private final CamtFileCheck fileCheck = new CamtFileCheck();

    @Override
    public BatchCheck check(BatchFile file) throws IOException {
        return fileCheck.check(file.path());
    }

    @Override
    public RecordStream records(BatchFile file) throws IOException {
        return new CamtEntryRecords(Files.newInputStream(file.path()));
    }
}
