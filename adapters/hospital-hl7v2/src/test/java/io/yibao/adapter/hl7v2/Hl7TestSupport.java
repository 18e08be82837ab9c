package io.yibao.adapter.hl7v2;

import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/** The adapter, a fixed translation context and the validator, shared by the tests. */
final class Hl7TestSupport {
    static final String MESSAGE_ID = "7f1e9d3c-1b2a-4c5d-9e8f-000000000701";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC);
    static final HospitalHl7v2ToCanonical ADAPTER = new HospitalHl7v2ToCanonical();
    static final TranslationContext CONTEXT =
            new TranslationContext(MESSAGE_ID, ConceptMapTranslator.of(StandardPackage.load()), CLOCK);
    private static CanonicalValidator validator;

    private Hl7TestSupport() {}

    static Translation translate(byte[] payload) {
        return ADAPTER.translate(new NativeMessage(payload, "application/hl7-v2", "H11010500001"), CONTEXT);
    }

    /** Segments joined with CR, encoded in UTF-8. */
    static Translation translate(String... segments) {
        return translate(String.join("\r", segments).getBytes(StandardCharsets.UTF_8));
    }

    static synchronized CanonicalValidator validator() {
        if (validator == null) {
            validator = CanonicalValidator.create();
        }
        return validator;
    }

    static List<ValidationIssue> validate(Bundle bundle) {
        return ValidationIssue.of(validator().validate(bundle));
    }

    static List<ValidationIssue> errors(List<ValidationIssue> issues) {
        return issues.stream().filter(ValidationIssue::isError).toList();
    }

    static List<ValidationIssue> warnings(Translation translation) {
        return translation.issues().stream().filter(i -> !i.isError()).toList();
    }

    static Optional<ValidationIssue> issueAt(Translation translation, String location) {
        return translation.issues().stream().filter(i -> location.equals(i.location())).findFirst();
    }

    // A good ADT^A04 v2.5 in pieces, for focused tests to vary.
    static final String MSH = "MSH|^~\\&|HIS|H11010500001|||20261120081530||ADT^A04|T0001|P|2.5||||||UNICODE UTF-8";
    static final String EVN = "EVN|A04";
    static final String PID = "PID|1||110105198001010016^^^^ID~11000000000000000001^^^^SS||张^三测试||19800101|M";
    static final String PV1 = "PV1|1|O||||||||||||||||12|MDT20261120000101|||||||||||||||||||||||||202611200815";
    static final String IN1 = "IN1|1|310|110105||||||||||||310";
}
