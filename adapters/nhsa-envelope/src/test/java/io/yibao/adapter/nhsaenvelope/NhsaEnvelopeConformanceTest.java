package io.yibao.adapter.nhsaenvelope;

import io.yibao.adapter.mapping.MappingConformance;

/** The nhsa-envelope mappings (2204, 2207) against their golden samples. */
class NhsaEnvelopeConformanceTest extends MappingConformance {
    NhsaEnvelopeConformanceTest() {
        super("H11010500001");
    }
}
