package io.yibao.adapter.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The FHIRPaths the adapter produces point back to the HL7 fields they came from. */
class Hl7v2NativeLocationsTest {

    @Test
    void patientAndClaimElementsNameTheirHl7Fields() throws Exception {
        Translation translation = Hl7TestSupport.translate(Files.readAllBytes(Path.of("src/test/resources/samples/dft-p03-v25-outpatient.hl7")));

        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.identifier[0].value")).contains("PID-3");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.name[0]")).contains("PID-5");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.birthDate")).contains("PID-7");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.gender")).contains("PID-8");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[2].productOrService.coding[0].code")).contains("FT1-7");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[1].quantity.value")).contains("FT1-10");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[0].unitPrice.value")).contains("FT1-12");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[0].net")).contains("FT1-11");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[0].category")).contains("FT1-6");
        assertThat(translation.nativeLocationOf("Bundle.entry[5].resource.item[0].extension[0].value")).contains("FT1-2");
        assertThat(translation.nativeLocationOf("Bundle.entry[4].resource.identifier[0].value")).contains("PV1-19");
        assertThat(translation.nativeLocationOf("Bundle.timestamp")).contains("MSH-7");
    }
}
