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
import io.yibao.preparation.CanonicalMessagePreparation;
import io.yibao.signatures.BundleSigner;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Translate → validate → sign for the ledger messages of a chunk ({@link ChunkProcessor} records the results together;
 * the valid messages are signed together). A message that fails translation, the institution check or validation is REJECTED
 * with its outcome (quarantine); it is never forwarded. So is one on which translation or validation throws (a
 * defect), with rule {@value #PROCESSING_FAILED}.
 */
@Service
public class MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);
    /** Rule of a message quarantined because a step threw instead of reporting issues. */
    public static final String PROCESSING_FAILED = "gw-processing-failed";

    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final CanonicalMessagePreparation preparation;
    private final ConceptMapTranslator codes;
    private final Clock clock;
    private final MessageMetrics metrics;

    public MessageProcessor(Adapters adapters, EnrollmentRegistry enrollments, CanonicalValidator validator,
                            BundleSigner signer, ConceptMapTranslator codes, Clock clock, MessageMetrics metrics) {
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.preparation = new CanonicalMessagePreparation(validator, signer, StandardPackage.load().fhirContext());
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
     * Translates, checks the claimed institution, validates and signs RECEIVED messages (a chunk): each SIGNED with its
     * signed canonical message, or REJECTED with its outcome (quarantine); results in the entries' order. The valid ones
     * are signed together, under one signature over the tree of their payloads ({@link CanonicalMessagePreparation#signAll}),
     * each still verifiable on its own. Writes nothing: the caller records the results, then calls {@link #recorded}.
     */
    public List<Result> prepareAll(List<LedgerEntry> entries) {
        List<Checked> checked = new ArrayList<>(entries.size());
        List<Bundle> toSign = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            Checked check = check(entry);
            checked.add(check);
            if (check instanceof Valid valid) {
                toSign.add(valid.bundle());
            }
        }
        Iterator<String> signed = toSign.isEmpty() ? Collections.emptyIterator() : preparation.signAll(toSign).iterator();
        List<Result> results = new ArrayList<>(entries.size());
        for (Checked check : checked) {
            if (check instanceof Valid valid) {
                results.add(new Result(new MessageLedger.Processed(valid.id(), MessageStatus.SIGNED, valid.event(), valid.sourceId(),
                        signed.next(), Outcomes.toJson(valid.issues())), valid.issues()));
            } else {
                results.add(((Rejected) check).result());
            }
        }
        return results;
    }

    /** What a message came to before signing. */
    private sealed interface Checked permits Valid, Rejected {}

    /** A message that passed translation, the institution check and validation: its Bundle is to be signed. */
    private record Valid(String id, String event, String sourceId, Bundle bundle, List<ValidationIssue> issues) implements Checked {}

    /** A message rejected (quarantined) with its outcome. */
    private record Rejected(Result result) implements Checked {}

    /** Everything but signing. */
    private Checked check(LedgerEntry entry) {
        String id = entry.id();
        InboundAdapter adapter = adapters.byId(entry.adapter())
                .orElseThrow(() -> new IllegalStateException("adapter " + entry.adapter() + " is not on the class path"));
        Translation translation;
        try {
            translation = adapter.translate(new NativeMessage(entry.payload(), entry.contentType(), entry.institution()),
                    new TranslationContext(id, codes, clock));
        } catch (RuntimeException defect) {
            return new Rejected(failed(entry, "translation by adapter " + adapter.id(), "适配器 " + adapter.id() + " 转换", defect));
        }
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
            return new Rejected(rejected(id, event, sourceId, issues));
        }

        try {
            issues.addAll(preparation.validate(translation));
        } catch (RuntimeException defect) {
            return new Rejected(failed(entry, "validation", "校验", defect));
        }
        if (issues.stream().anyMatch(ValidationIssue::isError)) {
            // Rejected before encoding: a rejected message is never encoded or signed.
            return new Rejected(rejected(id, event, sourceId, issues));
        }
        return new Valid(id, event, sourceId, translation.bundle().orElseThrow(), issues);
    }

    /**
     * A step that threw instead of reporting issues: a defect (adapters must report bad input as issues, and the
     * validator does). The message is quarantined with the step and the exception named, so that it is neither lost
     * nor rolled back with the rest of its chunk again and again; the sender or an operator can replay it once the
     * defect is mended. The exception's text stays out of the log (it may quote the payload) and goes into the outcome,
     * which only the sending institution sees.
     */
    private static Result failed(LedgerEntry entry, String step, String stepZh, RuntimeException defect) {
        log.warn("message {} from {}: {} failed with {}; quarantined", entry.id(), entry.institution(), step, defect.getClass().getName());
        log.debug("message {}: {} failed", entry.id(), step, defect);
        String what = defect.getClass().getSimpleName() + (defect.getMessage() == null ? "" : ": " + defect.getMessage());
        return rejected(entry.id(), null, null, List.of(new ValidationIssue(IssueSeverity.ERROR, IssueType.EXCEPTION, PROCESSING_FAILED,
                null, "The gateway could not process the message: " + step + " failed (" + what + "). A defect of the gateway, "
                        + "not an error found in the message; replay the message once the defect is mended",
                "网关无法处理该报文：" + stepZh + "失败（" + what + "）。此为网关缺陷，并非报文错误；缺陷修复后请重放该报文")));
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
