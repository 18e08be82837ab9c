package io.yibao.adapter;

import io.yibao.standards.validation.ValidationIssue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;

/**
 * The outcome of translating one native message.
 *
 * @param bundle                  the canonical message, absent when the translation failed
 * @param sourceMessageId         the sender's own id of the message (HL7 MSH-10, a batch row key), used
 *                                with the institution to detect duplicates
 * @param claimedInstitutionCode  the institution the message says it comes from (HL7 MSH-4, a file
 *                                header), which the gateway checks against the client certificate
 * @param event                   the business transaction (event code of the standard, e.g. 2204)
 * @param issues                  errors and warnings; unmapped populated fields are warnings, never dropped silently
 * @param nativeLocations         FHIRPath of a canonical element → where it came from in the native
 *                                message ({@code PID-3}), so validation issues can name both
 */
public record Translation(Optional<Bundle> bundle, Optional<String> sourceMessageId, Optional<String> claimedInstitutionCode,
                          Optional<String> event, List<ValidationIssue> issues, Map<String, String> nativeLocations) {

    public Translation {
        issues = List.copyOf(issues);
        nativeLocations = Map.copyOf(nativeLocations);
    }

    /** True when a bundle was produced and no error was found. */
    public boolean succeeded() {
        return bundle.isPresent() && issues.stream().noneMatch(ValidationIssue::isError);
    }

    /** The native location of a canonical element, matching the longest known prefix of its FHIRPath. */
    public Optional<String> nativeLocationOf(String fhirPath) {
        if (fhirPath == null) {
            return Optional.empty();
        }
        String path = fhirPath;
        while (true) {
            String location = nativeLocations.get(path);
            if (location != null) {
                return Optional.of(location);
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            if (cut <= 0) {
                return Optional.empty();
            }
            path = path.substring(0, cut);
        }
    }

    /** A failed translation: errors only, no bundle. */
    public static Translation failed(List<ValidationIssue> issues, Optional<String> sourceMessageId,
                                     Optional<String> claimedInstitutionCode) {
        if (issues.stream().noneMatch(i -> i.severity() == IssueSeverity.ERROR || i.severity() == IssueSeverity.FATAL)) {
            throw new IllegalArgumentException("a failed translation names at least one error");
        }
        return new Translation(Optional.empty(), sourceMessageId, claimedInstitutionCode, Optional.empty(), issues, Map.of());
    }
}
