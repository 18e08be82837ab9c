package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken mapping fails at load, naming the file, the line and the key. */
class MappingLoadErrorTest {
    @TempDir
    Path folder;

    private String fixture() throws Exception {
        return Files.readString(MappingFixtures.folder("pharmacy-sales").resolve("mapping.yaml"), StandardCharsets.UTF_8);
    }

    private void write(String yaml) throws Exception {
        Files.writeString(folder.resolve("mapping.yaml"), yaml, StandardCharsets.UTF_8);
    }

    @Test
    void unknownKey() throws Exception {
        write(fixture().replace("  record-key:", "  record-kee:"));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("mapping.yaml line 31, key /source/record-kee").hasMessageContaining("unknown key 'record-kee'");
    }

    @Test
    void badElementPath() throws Exception {
        write(fixture().replace("{path: \"quantity.unit\"", "{path: \"quantity.unitt\""));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key /resources/3/set/10/path").hasMessageContaining("'unitt' is not an element of Quantity");
    }

    @Test
    void resourceTypeWithoutProfile() throws Exception {
        write(fixture().replace("type: Coverage", "type: Account"));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key /resources/2/type").hasMessageContaining("no profile for resource type 'Account'");
    }

    @Test
    void unknownConceptMapTarget() throws Exception {
        write(fixture().replaceFirst("to: \"https://yibao.io/fhir/CodeSystem/med-list-codg\"", "to: \"https://yibao.io/fhir/CodeSystem/nothing\""));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key /resources/3/set/3/translate").hasMessageContaining("no ConceptMap");
    }

    @Test
    void envelopeSignatureOnABatchMapping() throws Exception {
        write(fixture().replace("  input: batch\n", "  input: batch\n  envelope-signature: national\n"));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("line 6, key /adapter/envelope-signature")
                .hasMessageContaining("envelope-signature needs input: message and source.format: json");
    }

    @Test
    void unknownEnvelopeSignature() throws Exception {
        write(fixture().replace("  input: batch\n", "  input: batch\n  envelope-signature: pkcs7\n"));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key /adapter/envelope-signature").hasMessageContaining("is 'national', not 'pkcs7'");
    }

    @Test
    void unknownField() throws Exception {
        write(fixture().replace("from: buyer_name}", "from: buyer}"));
        assertThatThrownBy(() -> MappingAdapters.load(folder)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key /resources/0/set/2/from").hasMessageContaining("unknown field 'buyer'");
    }
}
