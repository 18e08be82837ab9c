package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import com.prowidesoftware.swift.model.mx.MxCamt05300108;
import com.prowidesoftware.swift.model.mx.MxCamt05400108;
import com.prowidesoftware.swift.model.mx.dic.ReportEntry10;
import io.yibao.adapter.BatchRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting camt files at {@code Ntry}: each record is a camt document of one entry that Prowide reads on its own. */
class CamtEntryRecordsTest {
    private static final Path FILES = Path.of("src/test/resources/check");

    private static List<BatchRecord> records(String name) throws IOException {
        List<BatchRecord> records = new ArrayList<>();
        try (CamtEntryRecords stream = new CamtEntryRecords(Files.newInputStream(FILES.resolve(name)))) {
            stream.forEachRemaining(records::add);
        }
        return records;
    }

    @Test
    void eachCamt054EntryBecomesAOneEntryNotificationWithTheHeader() throws IOException {
        List<BatchRecord> records = records("camt054-good.xml");

        assertThat(records).extracting(BatchRecord::number).containsExactly(1L, 2L);
        assertThat(records).extracting(BatchRecord::location).containsExactly(
                "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]", "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[2]");
        assertThat(records).extracting(r -> r.sourceRecordId().orElseThrow())
                .containsExactly("BK20261126000000123", "BK20261126000000124");
        assertThat(records).allSatisfy(r -> assertThat(r.contentType()).isEqualTo(CamtEntryRecords.CONTENT_TYPE));

        MxCamt05400108 second = MxCamt05400108.parse(new String(records.get(1).payload(), StandardCharsets.UTF_8));
        assertThat(second.getBkToCstmrDbtCdtNtfctn().getGrpHdr().getMsgId()).isEqualTo("NTF20261126000001");
        var notification = second.getBkToCstmrDbtCdtNtfctn().getNtfctn();
        assertThat(notification).hasSize(1);
        assertThat(notification.get(0).getAcct().getSvcr().getFinInstnId().getOthr().getId()).isEqualTo("B11010500003");
        assertThat(notification.get(0).getTxsSummry()).as("report totals hold for the whole file only").isNull();
        ReportEntry10 entry = notification.get(0).getNtry().get(0);
        assertThat(notification.get(0).getNtry()).hasSize(1);
        assertThat(entry.getAcctSvcrRef()).isEqualTo("BK20261126000000124");
        assertThat(entry.getAmt().getValue()).isEqualByComparingTo("28460.35");
    }

    @Test
    void aGb18030StatementSplitsIntoUtf8RecordsWithTheChineseTextIntact() throws IOException {
        List<BatchRecord> records = records("camt053-gb18030.xml");

        assertThat(records).hasSize(2);
        MxCamt05300108 first = MxCamt05300108.parse(new String(records.get(0).payload(), StandardCharsets.UTF_8));
        var statement = first.getBkToCstmrStmt().getStmt().get(0);
        assertThat(statement.getBal()).as("balances hold for the whole statement only").isEmpty();
        assertThat(statement.getAcct().getOwnr().getNm()).isEqualTo("测试市医疗保障事务中心");
        ReportEntry10 entry = statement.getNtry().get(0);
        assertThat(entry.getAmt().getValue()).isEqualTo(new BigDecimal("100000.00")).satisfies(v -> assertThat(v.scale()).isEqualTo(2));
        assertThat(entry.getNtryDtls().get(0).getTxDtls().get(0).getRltdPties().getCdtr().getPty().getNm()).isEqualTo("测试第一人民医院");
    }
}
