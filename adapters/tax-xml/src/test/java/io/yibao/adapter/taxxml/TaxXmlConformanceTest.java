package io.yibao.adapter.taxxml;

import io.yibao.adapter.mapping.MappingConformance;

/** The tax-xml mapping against its golden samples (UTF-8, GBK, GB18030, bad count, bad resident ID, unknown insutype). */
class TaxXmlConformanceTest extends MappingConformance {
    TaxXmlConformanceTest() {
        super("T11010500004");
    }
}
