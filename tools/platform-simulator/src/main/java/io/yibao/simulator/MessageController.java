package io.yibao.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.InstitutionIdentity;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's message API: {@code POST /api/v1/messages} accepts a signed canonical Bundle,
 * {@code POST /api/v1/messages/batch} many of them in one request (each judged as if POSTed alone), and the
 * inspection endpoints show what was accepted.
 */
@RestController
@RequestMapping("/api/v1")
public class MessageController {

    /** The header carrying the gateway's message id; required on every POST. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Longest accepted idempotency key. */
    static final int MAX_KEY_LENGTH = 200;
    private static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    private static final Logger LOG = LoggerFactory.getLogger(MessageController.class);

    private final SignatureVerifier verifier;
    private final MessageStore store;
    private final FaultInjector faults;
    private final int maxBatchEntries;

    public MessageController(SimulatorPki pki, CertificateRevocation revocation, MessageStore store, FaultInjector faults,
                             SimulatorProperties properties) {
        this.verifier = new SignatureVerifier(pki.signatureTrustAnchors(), Clock.systemUTC(), revocation);
        this.store = store;
        this.faults = faults;
        this.maxBatchEntries = properties.maxBatchEntries();
    }

    @PostMapping(path = "/messages", consumes = {"application/fhir+json", MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<?> receive(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                     @RequestBody(required = false) byte[] body, HttpServletRequest request)
            throws IOException {
        Optional<ResponseEntity<?>> faulted = applyFault();
        if (faulted.isPresent()) {
            return faulted.get();
        }
        return judge(idempotencyKey, body, false, Caller.of(request), verifier.transmission()).toResponse();
    }

    /**
     * Many signed messages in one request: a Bundle of type batch whose entries each carry a message
     * Bundle ({@code resource}) and its idempotency key ({@code fullUrl} = {@code urn:uuid:<key>}). Each
     * entry is judged exactly as {@link #receive} judges a request; the answer lists the results in order.
     */
    @PostMapping(path = "/messages/batch", consumes = {"application/fhir+json", MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<?> receiveTransmission(@RequestBody(required = false) byte[] body,
                                                 HttpServletRequest request) throws IOException {
        Optional<ResponseEntity<?>> faulted = applyFault();
        if (faulted.isPresent()) {
            return faulted.get();
        }
        Caller caller = Caller.of(request);
        if (body == null || body.length == 0) {
            return rejectTransmission(HttpStatus.BAD_REQUEST, "required", "EMPTY_BODY", "the request has no body",
                    caller);
        }
        if (strictUtf8(body) == null) {
            return rejectTransmission(HttpStatus.UNPROCESSABLE_ENTITY, "structure", "MALFORMED",
                    "the body is not UTF-8", caller);
        }
        BatchTransmission transmission;
        try {
            transmission = BatchTransmission.parse(body);
        } catch (BatchTransmission.InvalidTransmission e) {
            return rejectTransmission(HttpStatus.UNPROCESSABLE_ENTITY, "structure", e.reason(), e.getMessage(),
                    caller);
        }
        int entries = transmission.entries().size();
        if (entries > maxBatchEntries) {
            return rejectTransmission(HttpStatus.PAYLOAD_TOO_LARGE, "too-costly", "TOO_MANY_ENTRIES",
                    "a transmission holds at most " + maxBatchEntries + " entries; this one has " + entries, caller);
        }

        List<TransmissionResults.EntryResult> results = new ArrayList<>(entries);
        // The gateway signs the messages of a chunk together: one signature check for all that share it.
        SignatureVerifier.Transmission verifying = verifier.transmission();
        int created = 0;
        int repeats = 0;
        for (BatchTransmission.Entry entry : transmission.entries()) {
            Optional<String> key = entry.idempotencyKey();
            MessageVerdict verdict = key.isPresent()
                    ? judge(key.get(), entry.resource(), true, caller, verifying)
                    : reject(HttpStatus.BAD_REQUEST, "value", "INVALID_IDEMPOTENCY_KEY", "Bundle.entry["
                            + entry.position() + "].fullUrl must be urn:uuid: followed by a UUID", caller);
            results.add(TransmissionResults.EntryResult.of(key.orElse(null), verdict));
            if (verdict.status() == HttpStatus.CREATED) {
                created++;
            } else if (verdict.status() == HttpStatus.OK) {
                repeats++;
            }
        }
        LOG.info("transmission judged: entries={} created={} repeats={} refused={} caller={}", entries, created,
                repeats, entries - created - repeats, caller.subject());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new TransmissionResults(results));
    }

    /**
     * The judging of one message, shared by {@link #receive} and {@link #receiveTransmission}: key rules,
     * body checks, signature, message shape, then {@link MessageStore#accept}. Counts and logs as it goes.
     *
     * @param utf8Checked the body is known to be well-formed UTF-8: an entry of a transmission whose whole body was checked
     *     (an entry's bytes are a whole JSON value, so they start and end between characters)
     */
    private MessageVerdict judge(String idempotencyKey, byte[] body, boolean utf8Checked, Caller caller,
                                 SignatureVerifier.Transmission verifying) throws IOException {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return reject(HttpStatus.BAD_REQUEST, "required", "MISSING_IDEMPOTENCY_KEY",
                    "the " + IDEMPOTENCY_KEY + " header (the gateway's message id) is required", caller);
        }
        idempotencyKey = idempotencyKey.strip();
        if (idempotencyKey.length() > MAX_KEY_LENGTH || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return reject(HttpStatus.BAD_REQUEST, "value", "INVALID_IDEMPOTENCY_KEY",
                    "the " + IDEMPOTENCY_KEY + " header must be 1 to " + MAX_KEY_LENGTH
                            + " printable ASCII characters without spaces", caller);
        }
        if (body == null || body.length == 0) {
            return reject(HttpStatus.BAD_REQUEST, "required", "EMPTY_BODY", "the request has no body", caller);
        }
        String json = utf8Checked ? new String(body, StandardCharsets.UTF_8) : strictUtf8(body);
        if (json == null) {
            return reject(HttpStatus.UNPROCESSABLE_ENTITY, "structure", "MALFORMED", "the body is not UTF-8", caller);
        }

        Verification verification = verifying.verify(json);
        if (!verification.isValid()) {
            return reject(HttpStatus.UNPROCESSABLE_ENTITY, verification.status() == Verification.Status.MALFORMED
                            ? "structure" : "security",
                    verification.status().name(), verification.message(), caller);
        }

        JsonNode bundle = verification.bundle().orElseThrow();
        String bundleId = text(bundle.path("identifier").path("value"));
        JsonNode header = bundle.path("entry").path(0).path("resource");
        String event = text(header.path("eventCoding").path("code"));
        if (!"message".equals(text(bundle.path("type"))) || !"MessageHeader".equals(text(header.path("resourceType")))
                || bundleId == null || event == null) {
            return reject(HttpStatus.UNPROCESSABLE_ENTITY, "structure", "NOT_A_MESSAGE",
                    "expected a Bundle of type message with identifier.value whose first entry is a MessageHeader"
                            + " with eventCoding.code", caller);
        }

        MessageStore.Acceptance acceptance = store.accept(idempotencyKey, bundleId, event, body, caller.subject(),
                caller.institutionCode(), verification.signerCertificate()
                        .map(c -> c.getSubjectX500Principal().getName(X500Principal.RFC2253)).orElse(null));
        Receipt receipt = acceptance.message().getReceipt();
        switch (acceptance.outcome()) {
            case CREATED -> {
                LOG.info("accepted message key={} bundleId={} event={} caller={}", idempotencyKey, bundleId, event,
                        caller.subject());
                return MessageVerdict.receipt(HttpStatus.CREATED, receipt);
            }
            case CONFLICT -> {
                LOG.info("rejected message: 409 key={} was first used for another Bundle", idempotencyKey);
                return MessageVerdict.refused(HttpStatus.CONFLICT, "conflict", "IDEMPOTENCY_KEY_REUSED",
                        "the " + IDEMPOTENCY_KEY + " was already used for another Bundle (identifier "
                                + receipt.bundleId() + ")");
            }
            case REPEAT -> { }
        }
        LOG.info("repeat of key={} (delivery {}): same receipt", idempotencyKey, acceptance.message().getDeliveries());
        return MessageVerdict.receipt(HttpStatus.OK, receipt);
    }

    /**
     * Applies the active fault once per request (a single message or a whole transmission): the answer
     * when the fault answers instead of processing, empty when processing goes on (after a delay fault).
     */
    private Optional<ResponseEntity<?>> applyFault() {
        FaultPlan fault = faults.claim();
        switch (fault.mode()) {
            case STATUS -> {
                store.countFaulted();
                LOG.info("injected fault: answering {} without processing", fault.status());
                return Optional.of(OperationOutcomes.response(HttpStatus.valueOf(fault.status()), "transient",
                        "INJECTED_FAULT", "fault injected by the platform simulator: status " + fault.status()));
            }
            case TIMEOUT -> {
                store.countFaulted();
                LOG.info("injected fault: holding the request {} ms, then giving up without processing",
                        fault.delayMillis());
                sleep(fault.delayMillis());
                return Optional.of(ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
                        .header(HttpHeaders.CONNECTION, "close")
                        .contentType(OperationOutcomes.FHIR_JSON)
                        .body(OperationOutcomes.of("timeout", "INJECTED_TIMEOUT",
                                "fault injected by the platform simulator: timed out after " + fault.delayMillis()
                                        + " ms; the message was not processed")));
            }
            case DELAY -> {
                LOG.info("injected fault: delaying {} ms before processing", fault.delayMillis());
                sleep(fault.delayMillis());
            }
            case NONE -> { }
        }
        return Optional.empty();
    }

    /** Every accepted message: its receipt, deliveries, stored copies, caller and signer. */
    @GetMapping("/messages")
    public ResponseEntity<List<StoredMessage>> list() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(store.all());
    }

    /** The Bundle stored under an idempotency key, byte for byte as received. */
    @GetMapping("/messages/{idempotencyKey}")
    public ResponseEntity<?> get(@PathVariable String idempotencyKey) {
        return store.find(idempotencyKey)
                .<ResponseEntity<?>>map(m -> ResponseEntity.ok().contentType(OperationOutcomes.FHIR_JSON).body(m.bundle()))
                .orElseGet(() -> OperationOutcomes.response(HttpStatus.NOT_FOUND, "not-found", "UNKNOWN_MESSAGE",
                        "no message was accepted with this " + IDEMPOTENCY_KEY));
    }

    @GetMapping("/stats")
    public ResponseEntity<MessageStore.Stats> stats() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(store.stats());
    }

    private MessageVerdict reject(HttpStatus status, String issueType, String reason, String message, Caller caller) {
        store.countRejected();
        LOG.info("rejected message: {} {} ({}) caller={}", status.value(), reason, message, caller.subject());
        return MessageVerdict.refused(status, issueType, reason, message);
    }

    /** A transmission refused as a whole: no entry is judged; counted once as rejected. */
    private ResponseEntity<?> rejectTransmission(HttpStatus status, String issueType, String reason, String message,
                                                 Caller caller) {
        store.countRejected();
        LOG.info("rejected transmission: {} {} ({}) caller={}", status.value(), reason, message, caller.subject());
        return OperationOutcomes.response(status, issueType, reason, message);
    }

    /** The bytes as UTF-8 text; null if they are not well-formed UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** The TLS client: its certificate's subject (RFC 2253) and institution code, either null when unknown. */
    private record Caller(String subject, String institutionCode) {

        static Caller of(HttpServletRequest request) {
            Object certificates = request.getAttribute(CLIENT_CERTIFICATES);
            if (!(certificates instanceof X509Certificate[] chain) || chain.length == 0) {
                return new Caller(null, null);
            }
            return new Caller(chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253),
                    InstitutionIdentity.findCode(chain[0]).orElse(null));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
