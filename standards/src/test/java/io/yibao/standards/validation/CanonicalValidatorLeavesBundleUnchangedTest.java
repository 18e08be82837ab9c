package io.yibao.standards.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import io.yibao.standards.StandardPackage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;

/**
 * Validating a message must not change it: HAPI's FHIRPath engine sets the time zone of the dateTimes it
 * compares (Period {@code per-1}: start <= end) to UTC in the instance itself, so a Bundle encoded after
 * validation said {@code 01:00:00Z} where the adapter had written {@code 09:00:00+08:00}.
 */
class CanonicalValidatorLeavesBundleUnchangedTest {

    @Test
    void aBundleEncodesByteIdenticallyAfterValidationWithItsEncounterPeriodInPlus0800() {
        StandardPackage standard = StandardPackage.load();
        IParser json = standard.fhirContext().newJsonParser();
        Bundle bundle = json.parseResource(Bundle.class, standard.examples().get("hospital-outpatient-fee-details-2204.json"));
        Encounter encounter = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Encounter.class::isInstance).map(Encounter.class::cast).findFirst().orElseThrow();
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-20T09:00:00+08:00");
        String before = json.encodeResourceToString(bundle);

        assertThat(ValidationIssue.hasErrors(CanonicalValidator.create().validate(bundle))).isFalse();

        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-20T09:00:00+08:00");
        assertThat(encounter.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-11-20T10:30:00+08:00");
        assertThat(json.encodeResourceToString(bundle)).isEqualTo(before);
    }
}
