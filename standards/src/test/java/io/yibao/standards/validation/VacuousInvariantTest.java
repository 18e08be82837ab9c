package io.yibao.standards.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.standards.CanonicalStandard;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ValueSetIndex;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The invariants the walk skips when a child is absent really hold then: each compiled invariant is
 * evaluated by the FHIRPath engine on a value that has other content but not that child, and must be true.
 */
class VacuousInvariantTest {
    private static final StandardPackage STANDARD = StandardPackage.load();
    private static final FhirPathEvaluator FHIR_PATH = new FhirPathEvaluator(STANDARD);
    private static final ProfileCompiler PROFILES = new ProfileCompiler(STANDARD, new ValueSetIndex(STANDARD), FHIR_PATH);

    @ParameterizedTest
    @CsvSource({"dom-2, contained", "dom-3, contained", "dom-4, contained", "dom-5, contained", "ref-1, reference"})
    void skippedInvariantHoldsWithoutItsChild(String key, String child) {
        Patient patient = new Patient();
        patient.addName().setFamily("测试");
        patient.getManagingOrganization().setDisplay("测试医院");
        Reference reference = new Reference().setDisplay("只有显示名").setType("Organization");
        ElementRule rule = key.startsWith("dom-") ? PROFILES.profile(CanonicalStandard.profile("yb-patient")) : PROFILES.typeRoot("Reference");
        Base focus = key.startsWith("dom-") ? patient : reference;
        Invariant invariant = rule.invariants.stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();

        assertThat(invariant.vacuousWithout()).isEqualTo(child);
        assertThat(focus.listChildrenByName(child, false)).isEmpty();
        BundleIndex message = new BundleIndex(new Bundle().addEntry(new Bundle.BundleEntryComponent().setResource(patient)));
        assertThat(FHIR_PATH.holds(invariant.parsed(), message, patient, focus))
                .as("%s (%s) without %s", key, invariant.expression(), child).isTrue();
    }
}
