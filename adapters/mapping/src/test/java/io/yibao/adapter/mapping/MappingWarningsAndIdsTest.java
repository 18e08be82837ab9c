package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Translation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A populated field nothing maps is a warning naming it; two resources on one id are an error naming both. */
class MappingWarningsAndIdsTest {
    @TempDir
    Path folder;

    private MappedAdapter fixtureWith(String yaml) throws Exception {
        Files.writeString(folder.resolve("mapping.yaml"), yaml, StandardCharsets.UTF_8);
        return MappingAdapters.load(folder);
    }

    private static String fixture() throws Exception {
        return Files.readString(MappingFixtures.folder("pharmacy-sales").resolve("mapping.yaml"), StandardCharsets.UTF_8);
    }

    private static Translation secondRecord(MappedAdapter adapter) throws Exception {
        Path sample = MappingFixtures.folder("pharmacy-sales").resolve("samples/sales-gbk.csv");
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample, "P11010500002"));
        return MappingFixtures.translate(adapter, records.get(1));
    }

    @Test
    void aPopulatedFieldNothingMapsIsAWarningNamingIt() throws Exception {
        MappedAdapter adapter = fixtureWith(fixture()
                .replace("{path: \"medicationCodeableConcept.text\", from: product_name}", "{path: \"medicationCodeableConcept.text\", const: x}")
                .replace("{path: \"item[0].productOrService.text\", from: product_name}", "{path: \"item[0].productOrService.text\", const: x}"));
        Translation translation = secondRecord(adapter);
        assertThat(translation.succeeded()).isTrue();
        assertThat(translation.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("map-unmapped-field");
            assertThat(issue.location()).isEqualTo("line 4, column 商品名称");
        });
    }

    @Test
    void twoResourcesOnOneIdAreAnErrorNamingBoth() throws Exception {
        MappedAdapter adapter = fixtureWith(fixture() + """
                  - name: store
                    include: institution-organization
                    with: {code: fixmedins_code, name: store_name, kind: pharmacy}
                """);
        Translation translation = secondRecord(adapter);
        assertThat(translation.succeeded()).isFalse();
        assertThat(translation.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("map-id-collision");
            assertThat(issue.message()).contains("'pharmacy' and 'store'", "Organization/org-P11010500002");
        });
    }
}
