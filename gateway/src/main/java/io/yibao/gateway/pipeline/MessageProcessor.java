package io.yibao.gateway.pipeline;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.signatures.BundleSigner;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Translate → validate → sign for one ledger message ({@link ChunkProcessor} calls it for each message of a chunk and
 * records the results together). A message that fails translation, the institution check or validation is REJECTED
 * with its outcome (quarantine); it is never forwarded.
 */
@Service
public class MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);

    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final CanonicalValidator validator;
    private final BundleSigner signer;
    private final ConceptMapTranslator codes;
    private final Clock clock;
    private final MessageMetrics metrics;

    public MessageProcessor(Adapters adapters, EnrollmentRegistry enrollments, CanonicalValidator validator,
                            BundleSigner signer, ConceptMapTranslator codes, Clock clock, MessageMetrics metrics) {
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.validator = validator;
        this.signer = signer;
        this.codes = codes;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What processing one message came to: the ledger's write and the issues behind it. */
    public record Result(MessageLedger.Processed processed, List<ValidationIssue> issues) {
        public MessageStatus status() {
            return processed.status();
        }
    }

    /**
     * Translates, checks the claimed institution, validates and signs a RECEIVED message: SIGNED with the signed
     * canonical message, or REJECTED with the outcome (quarantine). Writes nothing: the caller records the result, then
     * calls {@link #recorded}.
     */
    public Result prepare(LedgerEntry entry) {
        String id = entry.id();
        InboundAdapter adapter = adapters.byId(entry.adapter())
                .orElseThrow(() -> new IllegalStateException("adapter " + entry.adapter() + " is not on the class path"));
        Translation translation = adapter.translate(new NativeMessage(entry.payload(), entry.contentType(), entry.institution()),
                new TranslationContext(id, codes, clock));
        List<ValidationIssue> issues = new ArrayList<>(translation.issues());
        String event = translation.event().orElse(null);
        String sourceId = translation.sourceMessageId().orElse(null);

        Optional<EnrollmentRegistry.Refusal> refusal = translation.claimedInstitutionCode()
                .flatMap(claimed -> enrollments.checkClaim(entry.institution(), claimed));
        if (refusal.isPresent()) {
            issues.add(new ValidationIssue(IssueSeverity.ERROR, IssueType.SECURITY, refusal.get().rule(), null,
                    refusal.get().message(), refusal.get().messageZh()));
        }
        if (!translation.succeeded() || refusal.isPresent()) {
            return rejected(id, event, sourceId, issues);
        }

        Bundle bundle = translation.bundle().orElseThrow();
        String json = StandardPackage.load().fhirContext().newJsonParser().encodeResourceToString(bundle);
        for (ValidationIssue issue : ValidationIssue.of(validator.validate(bundle))) {
            if (issue.ruleId() != null) {
                issues.add(translation.nativeLocationOf(issue.expression()).map(issue::withLocation).orElse(issue));
            }
        }
        if (issues.stream().anyMatch(ValidationIssue::isError)) {
            return rejected(id, event, sourceId, issues);
        }
        return new Result(new MessageLedger.Processed(id, MessageStatus.SIGNED, event, sourceId, signer.sign(json),
                Outcomes.toJson(issues)), issues);
    }

    private static Result rejected(String id, String event, String sourceId, List<ValidationIssue> issues) {
        return new Result(new MessageLedger.Processed(id, MessageStatus.REJECTED, event, sourceId, null, Outcomes.toJson(issues)),
                issues);
    }

    /** Logs and counts a result the ledger has recorded. */
    public void recorded(LedgerEntry entry, Result result) {
        String event = result.processed().event();
        if (result.status() == MessageStatus.SIGNED) {
            // DEBUG: INFO lines are for final outcomes (docs/architecture.md, "Logs").
            log.debug("message {} from {} signed (event {}, {} warnings)", entry.id(), entry.institution(), event, result.issues().size());
            metrics.count(MessageMetrics.Step.SIGNED, entry.adapter(), event);
            return;
        }
        List<ValidationIssue> issues = result.issues();
        log.info("message {} rejected: {} errors, rules {}", entry.id(), issues.stream().filter(ValidationIssue::isError).count(),
                issues.stream().filter(ValidationIssue::isError).map(ValidationIssue::ruleId).distinct().toList());
        metrics.count(MessageMetrics.Step.REJECTED, entry.adapter(), event);
    }
}
