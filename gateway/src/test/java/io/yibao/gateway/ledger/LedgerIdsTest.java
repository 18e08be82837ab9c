package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LedgerIdsTest {

    @Test
    void idsAreVersion7UuidsCarryingTheirMillisecondInTheUsualForm() {
        long before = System.currentTimeMillis();
        String id = LedgerIds.next();
        long after = System.currentTimeMillis();

        UUID uuid = UUID.fromString(id);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(millisecondOf(uuid)).isBetween(before, after);
    }

    @Test
    void anIdOfALaterMillisecondSortsAfterAsTextAndIdsNeverRepeat() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(LedgerIds.next());
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        List<String> byText = ids.stream().sorted().toList();
        for (int i = 1; i < byText.size(); i++) {
            assertThat(millisecondOf(UUID.fromString(byText.get(i))))
                    .as("%s sorts after %s", byText.get(i), byText.get(i - 1))
                    .isGreaterThanOrEqualTo(millisecondOf(UUID.fromString(byText.get(i - 1))));
        }
    }

    /** The first 48 bits of a version 7 UUID: Unix time in milliseconds (RFC 9562, section 5.7). */
    private static long millisecondOf(UUID uuid) {
        return uuid.getMostSignificantBits() >>> 16;
    }
}
