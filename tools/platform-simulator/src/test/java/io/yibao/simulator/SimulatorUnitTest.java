package io.yibao.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yibao.certs.DevPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts that need no server: PKI bootstrap, fault plans and their count-down, file names. */
class SimulatorUnitTest {

    @TempDir
    Path tmp;

    private SimulatorProperties properties(SimulatorProperties.FaultProperties faults) {
        return new SimulatorProperties(0, tmp.resolve("pki"), null, faults, 1000, List.of(), Duration.ofSeconds(5));
    }

    @Test
    void createsThePkiWhenTheDirectoryHasNone() throws Exception {
        Path dir = tmp.resolve("pki");
        SimulatorPki pki = new SimulatorPki(properties(
                new SimulatorProperties.FaultProperties(FaultMode.NONE, 503, null, -1)));
        assertThat(dir.resolve(DevPki.STORE_PASSWORD_FILE)).exists();
        assertThat(pki.tlsKeyStore()).exists();
        assertThat(pki.tlsTrustStore()).exists();
        assertThat(pki.signatureTrustAnchors()).hasSize(2);
        String password = Files.readString(dir.resolve(DevPki.STORE_PASSWORD_FILE)).strip();

        new SimulatorPki(properties(new SimulatorProperties.FaultProperties(FaultMode.NONE, 503, null, -1)));
        assertThat(Files.readString(dir.resolve(DevPki.STORE_PASSWORD_FILE)).strip())
                .as("an existing PKI is reused").isEqualTo(password);
    }

    @Test
    void startupFaultCountsDown() {
        FaultInjector injector = new FaultInjector(properties(
                new SimulatorProperties.FaultProperties(FaultMode.STATUS, 502, null, 2)));
        assertThat(injector.claim().status()).isEqualTo(502);
        assertThat(injector.claim().mode()).isEqualTo(FaultMode.STATUS);
        assertThat(injector.claim().mode()).isEqualTo(FaultMode.NONE);
    }

    @Test
    void untilResetFaultStays() {
        FaultInjector injector = new FaultInjector(properties(
                new SimulatorProperties.FaultProperties(FaultMode.DELAY, 503, null, -1)));
        for (int i = 0; i < 5; i++) {
            assertThat(injector.claim().delayMillis()).isEqualTo(FaultPlan.DEFAULT_DELAY_MILLIS);
        }
        injector.reset();
        assertThat(injector.claim()).isEqualTo(FaultPlan.NONE);
    }

    @Test
    void faultPlanValidation() {
        assertThat(FaultPlan.of(FaultMode.TIMEOUT, null, null, null).delayMillis()).isEqualTo(FaultPlan.DEFAULT_TIMEOUT_MILLIS);
        assertThat(FaultPlan.of(FaultMode.STATUS, null, null, null).status()).isEqualTo(503);
        assertThatThrownBy(() -> FaultPlan.of(FaultMode.STATUS, 302, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.of(FaultMode.DELAY, null, 700_000L, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.of(FaultMode.DELAY, null, 10L, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storageFileNames() {
        assertThat(MessageStore.fileName("7f1e9d3c-1b2a-4c5d-9e8f-050528976237")).isEqualTo("7f1e9d3c-1b2a-4c5d-9e8f-050528976237");
        assertThat(MessageStore.fileName("../etc/passwd")).startsWith("sha256-").hasSize(7 + 64);
        assertThat(MessageStore.fileName("..")).startsWith("sha256-");
    }

    /** Message ids spread over the 256 storage directories; a name's directory is fixed (String.hashCode is specified). */
    @Test
    void storageShards() {
        Map<String, Integer> perShard = new HashMap<>();
        for (int i = 0; i < 25_600; i++) {
            String name = MessageStore.fileName(UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)).toString());
            assertThat(MessageStore.shardOf(name)).matches("[0-9a-f]{2}");
            perShard.merge(MessageStore.shardOf(name), 1, Integer::sum);
        }
        assertThat(perShard).hasSize(256);
        assertThat(MessageStore.shardOf("7f1e9d3c-1b2a-4c5d-9e8f-050528976237")).isEqualTo("d0");
        assertThat(perShard.values()).allSatisfy(count -> assertThat(count).isBetween(50, 200));
    }
}
