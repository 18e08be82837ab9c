package io.yibao.adapter.mapping;

import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The engine's test fixtures: mapping folders under test resources, a fixed translation context, batch reading. */
final class MappingFixtures {
    static final StandardPackage STANDARD = StandardPackage.load();
    static final ConceptMapTranslator CODES = ConceptMapTranslator.of(STANDARD);

    private MappingFixtures() {}

    static Path folder(String name) {
        try {
            return Path.of(MappingFixtures.class.getResource("/yibao-mappings/" + name + "/mapping.yaml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TranslationContext context(String key) {
        return new TranslationContext(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString(), CODES,
                Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneOffset.UTC));
    }

    static BatchFile batch(Path file, String sender) {
        return new BatchFile(file, file.getFileName().toString(), null, sender);
    }

    static List<BatchRecord> records(InboundAdapter adapter, BatchFile file) throws IOException {
        List<BatchRecord> out = new ArrayList<>();
        try (RecordStream stream = adapter.batches().orElseThrow().records(file)) {
            stream.forEachRemaining(out::add);
        }
        return out;
    }

    static Translation translate(InboundAdapter adapter, BatchRecord record) {
        return adapter.translate(new NativeMessage(record.payload(), record.contentType(), "P11010500002"),
                context("record-" + record.number()));
    }
}
