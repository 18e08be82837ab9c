package io.yibao.adapter.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.RecordStream;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch envelope's rules, each on a small file: control counts (BTS-1, FTS-1) against the actual
 * counts, a batch or file cut short, messages outside any batch, two sending facilities, and what is
 * accepted (a bare BHS … BTS batch, CR-only segments, several batches in one file).
 */
class Hl7v2BatchEnvelopeTest {
    private static final String FHS = "FHS|^~\\&|HIS|H11010500001|||20261120090000||||F1";
    private static final String BHS = "BHS|^~\\&|HIS|H11010500001|||20261120090000||||B1";
    private final BatchReader reader = Hl7TestSupport.ADAPTER.batches().orElseThrow();

    @TempDir
    Path dir;

    @Test
    void aBatchTrailerCountThatDoesNotMatchRejectsTheFileNamingBts1() throws Exception {
        BatchCheck check = check(FHS, BHS, message("A1"), message("A2"), "BTS|3", "FTS|1");

        assertThat(check.accepted()).isFalse();
        ValidationIssue issue = only(check);
        assertThat(issue.ruleId()).isEqualTo(Hl7BatchFiles.COUNT);
        assertThat(issue.location()).isEqualTo("BTS-1 (line 13)");
        assertThat(issue.message()).contains("says 3").contains("holds 2 messages");
        assertThat(issue.messageZh()).contains("BTS-1");
    }

    @Test
    void aFileTrailerBatchCountThatDoesNotMatchRejectsTheFileNamingFts1() throws Exception {
        BatchCheck check = check(FHS, BHS, message("A1"), "BTS|1", "FTS|2");

        assertThat(only(check).location()).isEqualTo("FTS-1 (line 9)");
        assertThat(only(check).message()).contains("says 2").contains("holds 1 batches");
    }

    @Test
    void anEmptyBatchTrailerCountIsAnError() throws Exception {
        assertThat(only(check(BHS, message("A1"), "BTS")).ruleId()).isEqualTo(Hl7BatchFiles.COUNT);
    }

    @Test
    void aFileCutShortBeforeItsTrailersIsRejected() throws Exception {
        BatchCheck check = check(FHS, BHS, message("A1"), message("A2"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsOnly(Hl7BatchFiles.ENVELOPE);
        assertThat(check.issues()).extracting(ValidationIssue::message)
                .anySatisfy(m -> assertThat(m).contains("BHS at line 2 has no BTS trailer"))
                .anySatisfy(m -> assertThat(m).contains("no FTS trailer"));
    }

    @Test
    void consecutiveMessagesWithoutABatchEnvelopeAreRejectedBecauseTruncationCouldNotBeSeen() throws Exception {
        BatchCheck check = check(message("A1"), message("A2"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).first().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo(Hl7BatchFiles.ENVELOPE);
            assertThat(issue.location()).isEqualTo("MSH (line 1)");
        });
    }

    @Test
    void headersNamingTwoSendingFacilitiesAreRejected() throws Exception {
        BatchCheck check = check(FHS, BHS.replace("H11010500001", "H11010500099"), message("A1"), "BTS|1", "FTS|1");

        assertThat(only(check).ruleId()).isEqualTo(Hl7BatchFiles.INSTITUTION);
        assertThat(check.claimedInstitutionCode()).isEmpty();
    }

    @Test
    void aSegmentAfterTheFileTrailerIsRejected() throws Exception {
        assertThat(only(check(FHS, BHS, message("A1"), "BTS|1", "FTS|1", "BHS|^~\\&")).location()).isEqualTo("line 10");
    }

    @Test
    void anEmptyFileIsRejected() throws Exception {
        assertThat(only(check()).message()).isEqualTo("The file is empty");
    }

    @Test
    void aBareBatchWithCrOnlySegmentsAndTwoBatchesInAFileAreAccepted() throws Exception {
        Path bare = write("\r", BHS, message("A1"), "BTS|1");
        BatchCheck bareCheck = reader.check(new BatchFile(bare, "bare.hl7", null, "H11010500001"));
        assertThat(bareCheck.issues()).isEmpty();
        assertThat(bareCheck.records()).isEqualTo(1);
        assertThat(bareCheck.batchReference()).contains("B1");

        BatchCheck two = check(FHS, BHS, message("A1"), "BTS|1", BHS.replace("B1", "B2"), message("A2"), message("A3"), "BTS|2", "FTS|2");
        assertThat(two.issues()).isEmpty();
        assertThat(two.records()).isEqualTo(3);
        assertThat(two.batchReference()).contains("B1");
    }

    @Test
    void recordsAreNumberedAcrossBatchesWithTheirLinesAndMsh10() throws Exception {
        Path file = write("\n", FHS, BHS, message("A1"), "", "BTS|1", BHS, message("A2"), "BTS|1", "FTS|2");

        List<BatchRecord> records = new ArrayList<>();
        try (RecordStream stream = reader.records(new BatchFile(file, "f.hl7", null, "H11010500001"))) {
            stream.forEachRemaining(records::add);
        }

        assertThat(records).extracting(BatchRecord::number).containsExactly(1L, 2L);
        assertThat(records).extracting(BatchRecord::location).containsExactly("lines 3-7", "lines 11-15");
        assertThat(records).extracting(r -> r.sourceRecordId().orElseThrow()).containsExactly("A1", "A2");
        assertThat(new String(records.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo(message("A2").replace('\n', '\r'));
    }

    private static String message(String controlId) {
        return String.join("\n", Hl7TestSupport.MSH.replace("|T0001|", "|" + controlId + "|"), Hl7TestSupport.EVN, Hl7TestSupport.PID,
                Hl7TestSupport.PV1, Hl7TestSupport.IN1);
    }

    private BatchCheck check(String... segments) throws Exception {
        return reader.check(new BatchFile(write("\r\n", segments), "test.hl7", null, "H11010500001"));
    }

    private Path write(String separator, String... segments) throws Exception {
        String text = segments.length == 0 ? "" : String.join("\n", segments).replace("\n", separator) + separator;
        return Files.write(Files.createTempFile(dir, "batch", ".hl7"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static ValidationIssue only(BatchCheck check) {
        assertThat(check.issues()).hasSize(1);
        return check.issues().get(0);
    }
}
