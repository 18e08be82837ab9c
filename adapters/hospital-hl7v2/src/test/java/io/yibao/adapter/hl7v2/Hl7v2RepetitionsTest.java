package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import io.yibao.standards.CanonicalStandard.Sid;
import io.yibao.standards.validation.ValidationIssue;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** PID-3 and PID-5 repetitions: identifiers by type code, every name, an unmapped identifier type reported. */
class Hl7v2RepetitionsTest {

    @Test
    void identifierRepetitionsMapByTypeAndAnUnknownTypeIsAWarning() {
        Translation translation = translate(MSH, EVN,
                "PID|1||MR0099^^^HIS^MR~110105198001010016^^^^NNCHN~11000000000000000001^^^^MI||张^三测试~ZHANG^SAN||19800101|M",
                PV1, IN1);

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        Patient patient = Hl7v2EscapeSequencesTest.patient(translation);
        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Sid.RESIDENT_ID, "110105198001010016"),
                org.assertj.core.groups.Tuple.tuple(Sid.PSN_NO, "11000000000000000001"));
        assertThat(patient.getName()).extracting(n -> n.getText()).containsExactly("张三测试", "SAN ZHANG");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.identifier[1].value")).contains("PID-3");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.name[1].family")).contains("PID-5");

        ValidationIssue mr = issueAt(translation, "PID-3").orElseThrow();
        assertThat(mr.isError()).isFalse();
        assertThat(mr.ruleId()).isEqualTo(Issues.UNMAPPED);
        assertThat(mr.message()).contains("repetition 1").contains("'MR'");
    }

    @Test
    void twoResidentIdsForOnePatientAreAnError() {
        Translation translation = translate(MSH, EVN,
                "PID|1||110105198001010016^^^^ID~110105196507120248^^^^NI||张^三测试||19800101|M", PV1, IN1);

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "PID-3")).hasValueSatisfying(i -> assertThat(i.isError()).isTrue());
    }
}
