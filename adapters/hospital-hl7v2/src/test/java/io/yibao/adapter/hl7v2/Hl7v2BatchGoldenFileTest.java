package io.yibao.adapter.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.standards.StandardPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The golden batch file ({@code batches/hospital-batch-20261120.hl7}, written by
 * {@code fixtures/make_samples.py}): every golden sample, UTF-8 and GB18030 messages mixed, inside
 * FHS/BHS … BTS/FTS with CR LF. The check accepts it; each record's payload is its sample's segments
 * byte for byte and translates to the very canonical message of the sample's golden pair.
 */
class Hl7v2BatchGoldenFileTest {
    private static final Path FILE = Path.of("src/test/resources/batches/hospital-batch-20261120.hl7");
    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final Path EXPECTED = Path.of("src/test/resources/expected");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BatchReader reader = Hl7TestSupport.ADAPTER.batches().orElseThrow();
    private final BatchFile file = new BatchFile(FILE, FILE.getFileName().toString(), null, "H11010500001");

    @Test
    void theCheckCountsSevenMessagesInOneBatchFromTheHospital() throws Exception {
        BatchCheck check = reader.check(file);

        assertThat(check.issues()).isEmpty();
        assertThat(check.accepted()).isTrue();
        assertThat(check.records()).isEqualTo(7);
        assertThat(check.batchReference()).contains("B20261120-01");
        assertThat(check.claimedInstitutionCode()).contains("H11010500001");
    }

    @Test
    void everyRecordIsItsSampleAndTranslatesToTheSamplesGoldenCanonicalMessage() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            samples = files.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        List<BatchRecord> records = new ArrayList<>();
        try (RecordStream stream = reader.records(file)) {
            stream.forEachRemaining(records::add);
        }

        assertThat(records).hasSize(samples.size());
        long line = 3;
        for (int i = 0; i < records.size(); i++) {
            BatchRecord record = records.get(i);
            byte[] sample = Files.readAllBytes(samples.get(i));
            String sampleWithCr = new String(sample, StandardCharsets.ISO_8859_1).stripTrailing().replace('\n', '\r');
            long segments = sampleWithCr.chars().filter(c -> c == '\r').count() + 1;

            assertThat(record.number()).isEqualTo(i + 1);
            assertThat(record.location()).isEqualTo("lines " + line + "-" + (line + segments - 1));
            assertThat(record.contentType()).isEqualTo("x-application/hl7-v2+er7");
            assertThat(new String(record.payload(), StandardCharsets.ISO_8859_1)).as("payload of record %d", i + 1).isEqualTo(sampleWithCr);
            Translation translation = Hl7TestSupport.translate(record.payload());
            assertThat(record.sourceRecordId()).isEqualTo(translation.sourceMessageId()).isNotEqualTo(Optional.empty());
            assertThat(translation.issues()).as("issues of record %d", i + 1).isEmpty();
            String canonical = StandardPackage.load().fhirContext().newJsonParser().encodeResourceToString(translation.bundle().orElseThrow());
            Path expected = EXPECTED.resolve(samples.get(i).getFileName().toString().replaceFirst("\\.hl7$", ".json"));
            assertThat(JSON.readTree(canonical)).as("record %d against %s", i + 1, expected)
                    .isEqualTo(JSON.readTree(Files.readString(expected, StandardCharsets.UTF_8)));
            line += segments;
        }
    }
}
