package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.RecordStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The batch reader's two passes agree: the check counts as many records as the stream yields. */
class CamtBatchReaderTest {
    private final CamtBatchReader reader = new CamtBatchReader();

    @Test
    void theCheckedRecordCountIsTheNumberOfRecordsStreamed() throws IOException {
        BatchFile file = new BatchFile(Path.of("src/test/resources/check/camt053-gb18030.xml"), "camt053-gb18030.xml",
                "application/xml", "B11010500003");
        BatchCheck check = reader.check(file);
        long streamed = 0;
        try (RecordStream records = reader.records(file)) {
            while (records.hasNext()) {
                records.next();
                streamed++;
            }
        }
        assertThat(check.accepted()).isTrue();
        assertThat(streamed).isEqualTo(check.records()).isEqualTo(2);
    }
}
