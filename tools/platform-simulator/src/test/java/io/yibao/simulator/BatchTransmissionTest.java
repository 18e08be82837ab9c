package io.yibao.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading a transmission body: each resource's exact bytes, the keys, and the bodies refused as a whole. */
class BatchTransmissionTest {

    private static final String KEY = "5b0c6f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f";

    @Test
    void takesEachResourceByteForByteWhateverTheMemberOrderAndWhitespace() throws Exception {
        String first = "{\"b\": 12.50,\n \"a\":\"\\u8d75强\"}";
        String body = "\uFEFF{\"entry\" : [ {\"resource\":" + first + ",\"fullUrl\":\"urn:uuid:" + KEY + "\"},"
                + "{\"fullUrl\":\"urn:uuid:" + KEY.toUpperCase() + "\",\"request\":{\"url\":\"messages\"},"
                + "\"resource\":\"not an object\"} ],\"type\":\"batch\",\"resourceType\":\"Bundle\"}";

        BatchTransmission transmission = BatchTransmission.parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(transmission.entries()).hasSize(2);
        BatchTransmission.Entry entry = transmission.entries().get(0);
        assertThat(entry.position()).isZero();
        assertThat(entry.resource()).isEqualTo(first.getBytes(StandardCharsets.UTF_8));
        assertThat(entry.idempotencyKey()).hasValue(KEY);
        BatchTransmission.Entry second = transmission.entries().get(1);
        assertThat(new String(second.resource(), StandardCharsets.UTF_8)).isEqualTo("\"not an object\"");
        assertThat(second.idempotencyKey()).hasValue(KEY.toUpperCase());
    }

    @Test
    void anEntryWithoutAUuidFullUrlOrResourceHasNoKeyOrBytes() throws Exception {
        BatchTransmission transmission = BatchTransmission.parse(("{\"resourceType\":\"Bundle\",\"type\":\"batch\","
                + "\"entry\":[{\"fullUrl\":\"urn:uuid:" + KEY + "x\"},{\"fullUrl\":42},{}]}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(transmission.entries()).allSatisfy(entry -> {
            assertThat(entry.idempotencyKey()).isEmpty();
            assertThat(entry.resource()).isNull();
        });
    }

    @Test
    void refusesWhatIsNotABatchOfEntries() {
        assertRefused("[]", "NOT_A_BATCH");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{}]}", "NOT_A_BATCH");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[]}", "NOT_A_BATCH");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[1]}", "NOT_A_BATCH");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{}],\"entry\":[{}]}", "NOT_A_BATCH");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{}]} {}", "MALFORMED");
        assertRefused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"a\":secret}}]}",
                "MALFORMED");
    }

    @Test
    void aMalformedBodyIsDescribedByPositionWithoutQuotingIt() {
        assertThatThrownBy(() -> BatchTransmission.parse("{\"entry\":[{\"resource\":{\"name\":zhangsan}}]}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BatchTransmission.InvalidTransmission.class)
                .hasMessageStartingWith("the body is not JSON (error at line 1, column ")
                .hasMessageNotContaining("zhangsan");
    }

    private static void assertRefused(String body, String reason) {
        assertThatThrownBy(() -> BatchTransmission.parse(body.getBytes(StandardCharsets.UTF_8)))
                .as(body)
                .isInstanceOfSatisfying(BatchTransmission.InvalidTransmission.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
