package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ledger package stands below the batch package: batches use the ledger, never the other way round (the
 * batch side hooks in through {@link BatchRecordStatusListener}). Checked on the compiled classes: every class
 * a class file refers to is named in its constant pool, so a reference to {@code io/yibao/gateway/batch/} there
 * is a dependency, whatever the source's imports say.
 */
class LedgerDoesNotDependOnBatchesTest {

    @Test
    void noClassOfTheLedgerPackageRefersToTheBatchPackage() throws Exception {
        Path ledgerClasses = Path.of(MessageLedger.class.getResource("MessageLedger.class").toURI()).getParent();
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(ledgerClasses)) {
            classFiles = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertThat(classFiles).extracting(f -> f.getFileName().toString()).contains("MessageLedger.class", "MessageLedger$StatusUpdate.class");
        for (Path classFile : classFiles) {
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(classFile.getFileName().toString()).doesNotContain("io/yibao/gateway/batch/");
        }
    }
}
