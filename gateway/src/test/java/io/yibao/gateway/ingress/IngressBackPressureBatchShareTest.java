package io.yibao.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.gateway.batch.BatchRecordCounts;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ledger.LedgerDiskSync;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.platform.CircuitBreakerProperties;
import io.yibao.gateway.platform.PlatformCircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batches may fill only half of the pipeline's limit, so that single messages are still accepted while a
 * large file is split; singles are refused only at the full limit.
 */
class IngressBackPressureBatchShareTest {
    private static final int LIMIT = 20;

    private MessageLedger ledger;
    private IngressBackPressure backPressure;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private int sequence;

    @BeforeEach
    void setUp() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(h2)), clock, new BatchRecordCounts(jdbc, clock), new LedgerDiskSync(jdbc));
        GatewayProperties properties = new GatewayProperties();
        properties.getIngress().setMaximumWaiting(LIMIT);
        backPressure = new IngressBackPressure(ledger,
                new PlatformCircuitBreaker(new CircuitBreakerProperties(), new SimpleMeterRegistry(), clock), clock, properties);
    }

    @Test
    void batchesUseHalfOfTheLimitAndSinglesTheWhole() {
        assertThat(backPressure.batchMayRelease(50)).as("a chunk larger than the share goes when nothing waits").isTrue();

        waiting(8);
        assertThat(backPressure.batchMayRelease(2)).as("8 + 2 <= 10").isTrue();
        assertThat(backPressure.batchMayRelease(3)).as("8 + 3 > 10").isFalse();
        assertThat(backPressure.isBusy()).isFalse();

        waiting(11);
        assertThat(backPressure.batchMayRelease(1)).isFalse();
        assertThat(backPressure.isBusy()).as("19 of 20").isFalse();

        waiting(1);
        assertThat(backPressure.isBusy()).as("20 of 20").isTrue();
    }

    /** Records {@code more} RECEIVED messages and lets the next call sample the ledger again. */
    private void waiting(int more) {
        for (int i = 0; i < more; i++) {
            sequence++;
            ledger.recordIfNew(UUID.randomUUID().toString(), "P11010500002", "pharmacy-csv", "src:" + sequence, null,
                    ("record " + sequence).getBytes(StandardCharsets.UTF_8), "text/csv");
        }
        clock.now = clock.now.plus(Duration.ofSeconds(1));
    }
}
