package io.yibao.gateway.ingress;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.Envelope;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ledger.LedgerIds;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.gateway.pipeline.PipelineRoutes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Receiving one native message, whatever the transport (HTTPS, MLLP): the caller (known from its
 * client certificate) must be enrolled for the adapter, the message's header (read by the adapter's
 * {@code peek}) may only claim an institution the caller sends for, a signature the message carries inside
 * itself (the national envelope's {@code cainfo}) must verify with the caller's enrolled key
 * ({@link EnvelopeSignatureCheck}; 403 otherwise, nothing recorded, as for the other refusals), and then the
 * exact bytes go into the ledger and the id onto the inbox. {@link #receive} returns only after the ledger row is committed,
 * so a transport may acknowledge as soon as it returns. When too many messages wait for processing
 * ({@link IngressBackPressure}) a message is refused as {@link #BUSY}, before anything is recorded.
 */
@Service
public class InboundReception {
    private static final Logger log = LoggerFactory.getLogger(InboundReception.class);

    /** The rule of a refusal because too many messages wait for processing (HTTP 503 with Retry-After). */
    public static final String BUSY = "gw-busy";
    /** Rule of a message larger than {@code yibao.ingress.maximum-message-size}. */
    public static final String TOO_LARGE = "gw-message-too-large";

    /** What became of a message. */
    public sealed interface Result permits Accepted, Duplicate, Refused {}

    /** Recorded as new (RECEIVED) under this gateway message id. */
    public record Accepted(String id) implements Result {}

    /** A resubmission: the same institution already sent it, as message {@code firstId}. */
    public record Duplicate(String firstId) implements Result {}

    /**
     * Refused before anything was recorded: the rule, the reason in English and Chinese, the HTTP status
     * and the FHIR issue type an HTTP answer carries.
     */
    public record Refused(String rule, String message, String messageZh, int status, IssueType type) implements Result {}

    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final MessageLedger ledger;
    private final ProducerTemplate producer;
    private final MessageMetrics metrics;
    private final IngressBackPressure backPressure;
    private final EnvelopeSignatureCheck envelopeSignatures;
    private final int maximumMessageSize;

    public InboundReception(Adapters adapters, EnrollmentRegistry enrollments, EnvelopeSignatureCheck envelopeSignatures,
                            MessageLedger ledger, ProducerTemplate producer, MessageMetrics metrics, IngressBackPressure backPressure,
                            GatewayProperties properties) {
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.envelopeSignatures = envelopeSignatures;
        this.ledger = ledger;
        this.producer = producer;
        this.metrics = metrics;
        this.backPressure = backPressure;
        this.maximumMessageSize = Math.toIntExact(properties.getIngress().getMaximumMessageSize().toBytes());
    }

    /** The refusal of a caller whose client certificate names no institution. */
    public static Refused noIdentity() {
        return new Refused("gw-no-identity", "The client certificate carries no institution code", "客户端证书中没有机构编码",
                403, IssueType.SECURITY);
    }

    /** The refusal of a message larger than {@code yibao.ingress.maximum-message-size}; {@code size} -1 when only "larger" is known. */
    public Refused tooLarge(long size) {
        String actual = size < 0 ? "more than " + maximumMessageSize : Long.toString(size);
        String actualZh = size < 0 ? "超过 " + maximumMessageSize : Long.toString(size);
        return new Refused(TOO_LARGE, "The message is " + actual + " bytes; this gateway takes at most " + maximumMessageSize
                + " bytes in one message (send many records as a batch file: /api/v1/batches)",
                "报文大小为 " + actualZh + " 字节；本网关单条报文最大 " + maximumMessageSize + " 字节（大量记录请以批量文件提交：/api/v1/batches）",
                413, IssueType.TOOLONG);
    }

    /** Largest message in bytes that {@link #receive} takes; callers read at most one byte more. */
    public int maximumMessageSize() {
        return maximumMessageSize;
    }

    /**
     * The checks that need no content, in the order every ingress applies them before it reads or parses a
     * message: the caller enrolled for the adapter, the adapter present, the size ({@code size} -1 if not
     * known yet). A caller who may not use the adapter learns nothing about what it sent.
     */
    public Optional<Refused> admit(String institution, String adapterId, long size) {
        Optional<EnrollmentRegistry.Refusal> notEnrolled = enrollments.checkAdapter(institution, adapterId);
        if (notEnrolled.isPresent()) {
            return Optional.of(forbidden(notEnrolled.get()));
        }
        if (adapters.byId(adapterId).isEmpty()) {
            return Optional.of(new Refused("gw-unknown-adapter", "No adapter " + adapterId + " at this gateway", "本网关没有适配器 " + adapterId,
                    404, IssueType.NOTSUPPORTED));
        }
        if (size > maximumMessageSize) {
            return Optional.of(tooLarge(size));
        }
        return Optional.empty();
    }

    /**
     * Receives {@code payload} from {@code institution} (the CN of its client certificate) for adapter
     * {@code adapterId}: {@link #admit}, then the content.
     */
    public Result receive(String institution, String adapterId, byte[] payload, String contentType) {
        Optional<Refused> refused = admit(institution, adapterId, payload.length);
        if (refused.isPresent()) {
            return refused.get();
        }
        InboundAdapter adapter = adapters.byId(adapterId).orElseThrow();
        Envelope envelope = adapter.peek(new NativeMessage(payload, contentType, institution));
        if (envelope.claimedInstitutionCode().isPresent()) {
            Optional<EnrollmentRegistry.Refusal> wrongClaim = enrollments.checkClaim(institution, envelope.claimedInstitutionCode().get());
            if (wrongClaim.isPresent()) {
                return forbidden(wrongClaim.get());
            }
        }
        Optional<EnrollmentRegistry.Refusal> badSignature = envelopeSignatures.check(institution, adapterId, payload);
        if (badSignature.isPresent()) {
            return forbidden(badSignature.get());
        }
        if (backPressure.isBusy()) {
            metrics.count(MessageMetrics.Step.REFUSED_BUSY, adapterId, null);
            long seconds = Math.max(1, backPressure.retryAfter().toSeconds());
            return new Refused(BUSY, "The gateway is busy: too many messages wait for processing; nothing was recorded, send it again in "
                    + seconds + " s", "网关繁忙：待处理报文过多；本报文未保存，请于 " + seconds + " 秒后重发", 503, IssueType.TRANSIENT);
        }
        String dedupeKey = envelope.sourceMessageId().map(id -> "src:" + id).orElseGet(() -> "sha256:" + sha256(payload));
        String id = LedgerIds.next();
        Optional<String> first = ledger.recordIfNew(id, institution, adapterId, dedupeKey, envelope.sourceMessageId().orElse(null),
                payload, contentType);
        if (first.isPresent()) {
            log.info("resubmission from {} answered with message {}", institution, first.get());
            metrics.count(MessageMetrics.Step.DUPLICATE, adapterId, null);
            return new Duplicate(first.get());
        }
        metrics.count(MessageMetrics.Step.RECEIVED, adapterId, null);
        enqueue(id);
        return new Accepted(id);
    }

    private static Refused forbidden(EnrollmentRegistry.Refusal refusal) {
        return new Refused(refusal.rule(), refusal.message(), refusal.messageZh(), 403, IssueType.FORBIDDEN);
    }

    /**
     * The ledger already holds the message on disk; if the broker is unreachable now, the recovery
     * sweep enqueues it later, so the sender's answer does not depend on it.
     */
    private void enqueue(String id) {
        try {
            producer.sendBody(PipelineRoutes.INBOX, id);
        } catch (RuntimeException e) {
            log.warn("message {} is in the ledger but could not be queued now ({}); recovery will queue it", id, e.getMessage());
        }
    }

    private static String sha256(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
