package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Adapters;
import org.junit.jupiter.api.Test;

/** The module registers its adapter, with its batch reader: on the class path is all the gateway needs. */
class BankIso20022AdapterRegistrationTest {

    @Test
    void theAdapterIsFoundByItsIdAndReadsBatches() {
        assertThat(Adapters.discover().byId("bank-iso20022")).hasValueSatisfying(adapter -> {
            assertThat(adapter).isInstanceOf(BankIso20022ToCanonical.class);
            assertThat(adapter.batches()).containsInstanceOf(CamtBatchReader.class);
        });
    }
}
