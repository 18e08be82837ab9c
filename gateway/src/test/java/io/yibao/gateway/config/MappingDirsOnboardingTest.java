package io.yibao.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.InboundAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A mapping folder named by {@code yibao.adapters.mapping-dirs} becomes an adapter beside the class path's
 * (the hospital HL7 v2 adapter and the mapping-only jars pharmacy-csv and bank-fixed-width, found through their
 * {@code META-INF/yibao/mappings.list}): an institution is onboarded without a rebuild.
 */
class MappingDirsOnboardingTest {

    @TempDir
    Path temp;

    @Test
    void aMappingFolderFromTheFileSystemIsAnAdapterBesideTheClassPathOnes() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("pharmacy-csv-branch"));
        String mapping;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("yibao-mappings/pharmacy-csv/mapping.yaml")) {
            assertThat(in).as("the pharmacy-csv jar's mapping on the class path").isNotNull();
            mapping = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(folder.resolve("mapping.yaml"), mapping.replace("id: pharmacy-csv", "id: pharmacy-csv-branch"));
        Path sales = Files.writeString(temp.resolve("sales.csv"), """
                机构编码,门店名称,销售单号,行号,销售时间,证件号码,姓名,性别,险种,参保地,商品编码,商品名称,单位,数量,单价,金额,类别,备注
                P11010500002,测试大药房,XS1,1,2026-11-21 16:42:00,110105197811030575,测试顾客,男,310,110105,6901234567892,阿莫西林胶囊,盒,1,23.80,23.80,09,
                """);

        new ApplicationContextRunner()
                .withBean(LazyInitializationBeanFactoryPostProcessor.class) // only the adapters and what they need
                .withUserConfiguration(GatewayConfiguration.class)
                .withPropertyValues("yibao.adapters.mapping-dirs[0]=" + folder)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Adapters adapters = context.getBean(Adapters.class);
                    assertThat(adapters.all()).containsKeys("hospital-hl7v2", "pharmacy-csv", "bank-fixed-width", "pharmacy-csv-branch");
                    InboundAdapter branch = adapters.byId("pharmacy-csv-branch").orElseThrow();
                    BatchCheck check = branch.batches().orElseThrow().check(new BatchFile(sales, "sales.csv", null, "P11010500002"));
                    assertThat(check.accepted()).as(check.issues().toString()).isTrue();
                    assertThat(check.records()).isEqualTo(1);
                    assertThat(check.claimedInstitutionCode()).contains("P11010500002");
                });
    }
}
