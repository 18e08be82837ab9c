package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code yibao adapter test} prints each record's canonical Bundle after validating it: the times must be
 * those the adapter wrote ({@code +08:00}), not the UTC form HAPI's FHIRPath date comparison (Encounter.period
 * start <= end) used to leave behind in a validated Bundle.
 */
class AdapterTestShowsTheAdaptersTimeZoneTest {
    static final Path FEE_DETAILS_2204 = Path.of("../../adapters/nhsa-envelope/src/main/resources/yibao-mappings/nhsa-envelope-2204");

    @Test
    void encounterPeriodIsPrintedInPlus0800AsTheAdapterWroteIt() {
        CliRun run = CliRun.of("adapter", "test", FEE_DETAILS_2204.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("\"start\": \"2026-11-20T09:00:00+08:00\"")
                .contains("\"end\": \"2026-11-20T10:30:00+08:00\"")
                .doesNotContain("2026-11-20T01:00:00Z")
                .contains("  fee-details-2204.json: conforms");
    }
}
