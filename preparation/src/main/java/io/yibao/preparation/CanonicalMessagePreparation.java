package io.yibao.preparation;

import ca.uhn.fhir.context.FhirContext;
import io.yibao.adapter.Translation;
import io.yibao.signatures.BundleSigner;
import io.yibao.standards.json.FhirJsonTree;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The work the gateway does on one translated message after translation, without Spring or the ledger: validate the
 * canonical Bundle against the standard (issues pointed at the native message where the adapter knows where), then,
 * for messages without errors, encode and sign them (those of a chunk together). The gateway's {@code MessageProcessor} calls it for each message,
 * and so does {@code bench}'s {@code CanonicalMessageBenchmark}, so the benchmark measures what the gateway runs.
 * Thread-safe.
 */
public final class CanonicalMessagePreparation {

    private final CanonicalValidator validator;
    private final BundleSigner signer;
    private final FhirJsonTree json;

    public CanonicalMessagePreparation(CanonicalValidator validator, BundleSigner signer, FhirContext fhirContext) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.json = new FhirJsonTree(fhirContext);
    }

    /**
     * Validates a successful translation's Bundle: the issues of the standard's rules, each with the native location
     * of its element where the translation knows it.
     *
     * @throws java.util.NoSuchElementException if the translation did not succeed (it has no Bundle)
     */
    public List<ValidationIssue> validate(Translation translation) {
        Bundle bundle = translation.bundle().orElseThrow();
        List<ValidationIssue> located = new ArrayList<>();
        for (ValidationIssue issue : ValidationIssue.of(validator.validate(bundle))) {
            if (issue.ruleId() != null) {
                located.add(translation.nativeLocationOf(issue.expression()).map(issue::withLocation).orElse(issue));
            }
        }
        return located;
    }

    /**
     * The signed canonical messages of valid Bundles, in their order, under one signature ({@link BundleSigner#signAll}):
     * what the ledger keeps and transmits, each verifiable on its own. HAPI encodes each Bundle once, straight into the
     * tree the signer canonicalises ({@link FhirJsonTree}), not into JSON text the signer would parse again; the result
     * is the same text.
     */
    public List<String> signAll(List<Bundle> bundles) {
        return signer.signAll(bundles.stream().map(json::encode).toList());
    }
}
