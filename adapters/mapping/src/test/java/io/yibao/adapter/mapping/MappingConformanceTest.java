package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.CanonicalValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance test of a mapping-only adapter module: every sample of every mapping folder its
 * {@code src/main/resources/META-INF/yibao/mappings.list} lists, run by {@link MappingConformance}. Shipped in
 * this module's test-jar; an adapter module runs it with surefire's {@code dependenciesToScan}, so it needs no
 * Java. Run with {@code -Dyibao.conformance.write=true} to (re)write the expected files, then review the diff.
 * (This engine module's own build excludes it: the engine has no mapping folder of its own in
 * {@code src/main}; {@link MappingConformanceRunnerTest} tests the runner.)
 */
class MappingConformanceTest {
    private static final Path RESOURCES = Path.of("src/main/resources");

    @TestFactory
    Stream<DynamicContainer> everySampleOfEveryMappingFolderConforms() {
        assertThat(RESOURCES.resolve(MappingAdapters.INDEX)).as("the module's mapping index").isRegularFile();
        List<Path> folders = MappingConformance.indexedFolders(RESOURCES);
        assertThat(folders).as("mapping folders listed in " + MappingAdapters.INDEX).isNotEmpty();
        MappingConformance conformance = new MappingConformance(CanonicalValidator.create(), StandardPackage.load());
        boolean write = Boolean.getBoolean("yibao.conformance.write");
        return folders.stream().map(folder -> {
            List<MappingConformance.Sample> samples = MappingConformance.samples(folder);
            assertThat(samples).as("samples of " + folder).isNotEmpty();
            assertThat(samples).as("bad samples of " + folder).anyMatch(MappingConformance.Sample::bad);
            MappedAdapter adapter = MappingAdapters.load(folder);
            return DynamicContainer.dynamicContainer(folder.getFileName().toString(), samples.stream().map(sample ->
                    DynamicTest.dynamicTest(sample.name(), () -> {
                        MappingConformance.Result result = conformance.run(adapter, sample, write);
                        assertThat(result.failures()).as(sample.name()).isEmpty();
                    })));
        });
    }
}
