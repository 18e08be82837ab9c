package io.yibao.simulator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the simulator, prefix {@code simulator}.
 *
 * @param port HTTPS port of the simulator ({@code simulator.port}, default 8443; 0 picks a free port).
 *     {@code server.port} is derived from it in {@code application.properties}, so an explicit
 *     {@code server.port} still wins.
 * @param pkiDir development PKI directory ({@code simulator.pki-dir}, default {@code var/pki}, relative
 *     to the working directory). If it holds no {@code store-password} file, a new PKI is created there
 *     with {@code DevPki.init} at start. TLS uses {@code ec/platform-tls.p12} as the server key and
 *     {@code ec/truststore.p12} (the EC root) for client certificates; signatures are verified against
 *     the EC and the SM2 root.
 * @param storageDir optional directory ({@code simulator.storage-dir}) into which every accepted Bundle
 *     and its receipt are also written as files; unset, messages are kept in memory only.
 * @param faults fault injected at start ({@code simulator.faults.*}); the same as a
 *     {@code POST /api/v1/admin/faults} right after start. Default: none.
 * @param maxBatchEntries most entries one {@code POST /api/v1/messages/batch} may carry
 *     ({@code simulator.max-batch-entries}, default 1000); a larger transmission is answered 413.
 * @param revocationLists the CRL files a signer's chain is checked against ({@code simulator.revocation-lists}); empty
 *     (the default): the PKI's own, {@code ec/} and {@code sm2/} {@code intermediate.crl.pem} and {@code root.crl.pem},
 *     as the gateway's ingress does. A CRL is used only if a CA of the PKI signed it.
 * @param revocationRefreshInterval how often at most the CRL files are looked at again
 *     ({@code simulator.revocation-refresh-interval}, default 5s), so a revocation needs no restart
 */
@ConfigurationProperties("simulator")
@Validated
public record SimulatorProperties(
        @DefaultValue("8443") @Min(0) @Max(65535) int port,
        @DefaultValue("var/pki") @NotNull Path pkiDir,
        Path storageDir,
        @DefaultValue @Valid @NotNull FaultProperties faults,
        @DefaultValue("1000") @Min(1) int maxBatchEntries,
        @DefaultValue @NotNull List<Path> revocationLists,
        @DefaultValue("5s") @NotNull Duration revocationRefreshInterval) {

    /**
     * A fault to inject from the start ({@code simulator.faults.*}).
     *
     * @param mode {@code none} (default), {@code status}, {@code delay} or {@code timeout}; see
     *     {@link FaultMode}
     * @param status HTTP status answered in {@code status} mode (default 503; 400–599)
     * @param delayMillis how long {@code delay} mode waits before processing, and {@code timeout} mode
     *     holds the request before giving up on it (milliseconds, default 2000 for delay and 30000 for
     *     timeout when unset; at most 600000)
     * @param count how many of the next message POSTs the fault applies to; -1 (default) = until reset
     */
    public record FaultProperties(
            @DefaultValue("none") @NotNull FaultMode mode,
            @DefaultValue("503") @Min(400) @Max(599) int status,
            @Min(0) @Max(600_000) Long delayMillis,
            @DefaultValue("-1") @Min(-1) int count) {

        /** The plan these properties describe. */
        public FaultPlan toPlan() {
            return FaultPlan.of(mode, status, delayMillis, count);
        }
    }
}
