package io.yibao.adapter.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Adapters;
import org.junit.jupiter.api.Test;

/** The module registers its adapter: on the class path is all the gateway needs. */
class HospitalHl7v2AdapterRegistrationTest {

    @Test
    void theAdapterIsFoundByItsId() {
        assertThat(Adapters.discover().byId("hospital-hl7v2")).hasValueSatisfying(
                adapter -> assertThat(adapter).isInstanceOf(HospitalHl7v2ToCanonical.class));
    }
}
