package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-path discovery through {@code jar:} URLs: the index of a real jar names a folder resolved inside that jar. */
class MappingAdaptersFromJarTest {

    @TempDir
    Path temp;

    @Test
    void aMappingFolderListedInAJarsIndexIsLoadedFromThatJar() throws IOException {
        Path jar = temp.resolve("institution-mappings.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, MappingAdapters.INDEX, "# one folder\nmappings/pharmacy-sales/\n".getBytes(StandardCharsets.UTF_8));
            put(out, "mappings/pharmacy-sales/mapping.yaml", Files.readAllBytes(MappingFixtures.folder("pharmacy-sales").resolve("mapping.yaml")));
        }
        // no parent: the engine's own test index (a class directory) must not be seen, only the jar's
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(loader.getResource(MappingAdapters.INDEX).getProtocol()).isEqualTo("jar");
            List<MappedAdapter> adapters = MappingAdapters.fromClassPath(loader);
            assertThat(adapters).extracting(MappedAdapter::id).containsExactly("test-pharmacy-sales");
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
