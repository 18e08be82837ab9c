package io.yibao.adapter.iso20022;

import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/** The adapter, a fixed translation context, the validator and record splitting, shared by the tests. */
final class CamtTestSupport {
    static final String MESSAGE_ID = "7f1e9d3c-1b2a-4c5d-9e8f-000000002022";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC);
    static final BankIso20022ToCanonical ADAPTER = new BankIso20022ToCanonical();
    static final TranslationContext CONTEXT =
            new TranslationContext(MESSAGE_ID, ConceptMapTranslator.of(StandardPackage.load()), CLOCK);
    private static CanonicalValidator validator;

    private CamtTestSupport() {}

    static Translation translate(byte[] payload) {
        return ADAPTER.translate(new NativeMessage(payload, CamtEntryRecords.CONTENT_TYPE, "B11010500003"), CONTEXT);
    }

    /** The records of a file, as the batch reader yields them. */
    static List<BatchRecord> records(Path file) throws IOException {
        List<BatchRecord> records = new ArrayList<>();
        try (CamtEntryRecords stream = new CamtEntryRecords(Files.newInputStream(file))) {
            stream.forEachRemaining(records::add);
        }
        return records;
    }

    static synchronized CanonicalValidator validator() {
        if (validator == null) {
            validator = CanonicalValidator.create();
        }
        return validator;
    }

    static List<ValidationIssue> validationErrors(Bundle bundle) {
        return ValidationIssue.of(validator().validate(bundle)).stream().filter(ValidationIssue::isError).toList();
    }

    static Optional<ValidationIssue> issueAt(Translation translation, String location) {
        return translation.issues().stream().filter(i -> location.equals(i.location())).findFirst();
    }
}
