package io.yibao.gateway.platform;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.TlsConfiguration;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * Posts a signed canonical message to the platform over HTTPS with mutual TLS, the gateway's message id
 * as {@code Idempotency-Key}. 2xx returns the receipt; 5xx, timeouts and connection failures are
 * worth retrying ({@link PlatformUnavailableException}); any other answer will not change on retry
 * ({@link PlatformRejectedException}).
 */
@Component
public class PlatformClient {
    private static final ObjectMapper RECEIPTS = new ObjectMapper();

    private final HttpClient http;
    private final GatewayProperties properties;
    private final PlatformCircuitBreaker breaker;

    @Autowired
    public PlatformClient(SslBundles sslBundles, GatewayProperties properties, PlatformCircuitBreaker breaker) {
        this(sslBundles.getBundle(TlsConfiguration.BUNDLE).createSslContext(), properties, breaker);
    }

    PlatformClient(SSLContext sslContext, GatewayProperties properties, PlatformCircuitBreaker breaker) {
        this.properties = properties;
        this.breaker = breaker;
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(properties.getPlatform().getTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Thrown when the platform is down, slow or answers 5xx: try again later. */
    public static class PlatformUnavailableException extends Exception {
        public PlatformUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown when the platform refuses the message for good (4xx). */
    public static class PlatformRejectedException extends Exception {
        private final String response;

        public PlatformRejectedException(String message, String response) {
            super(message);
            this.response = response;
        }

        public String response() {
            return response;
        }
    }

    /**
     * A receipt is proof of delivery only if it is a JSON object naming this message's idempotency key.
     * Anything else is treated as no answer: the message is sent again (the platform dedupes by key and
     * answers with the receipt it gave the first time).
     */
    private static String checkedReceipt(String messageId, String body) throws PlatformUnavailableException {
        try {
            JsonNode receipt = RECEIPTS.readTree(body);
            if (receipt != null && receipt.isObject() && messageId.equals(receipt.path("idempotencyKey").asText(null))) {
                return RECEIPTS.writeValueAsString(receipt);
            }
        } catch (JsonProcessingException e) {
            // falls through: not a receipt
        }
        throw new PlatformUnavailableException("the platform's answer is not a receipt for this message", null);
    }

    /**
     * Forwards the message; returns the platform's receipt. While the circuit breaker is open nothing is
     * sent and {@link PlatformCircuitOpenException} (a kind of unavailability) is thrown.
     */
    public String forward(String messageId, String signedBundle) throws PlatformUnavailableException, PlatformRejectedException {
        return guarded(() -> send(messageId, signedBundle));
    }

    /** A signed message to forward in a transmission: the gateway's message id (its idempotency key) and the signed Bundle. */
    public record Outgoing(String messageId, String signedBundle) {}

    /** What the platform answered for one message of a transmission. */
    public sealed interface EntryAnswer {
        /** Accepted (201) or accepted before (200): the receipt, checked to name the message's key. */
        record Delivered(String receipt) implements EntryAnswer {}

        /** Refused for good (a 4xx other than 408 and 429), with the platform's outcome. */
        record Refused(int status, String outcome) implements EntryAnswer {}

        /** No usable answer (absent, 5xx, 408/429, or a receipt that is not one): send it again, on its own. */
        record Unanswered(String reason) implements EntryAnswer {}
    }

    /**
     * Forwards many signed messages in one request (a transmission: a FHIR Bundle of type {@code batch} whose entries
     * are the signed message Bundles, byte for byte, each under {@code urn:uuid:<message id>}; docs/architecture.md),
     * to {@code <platform url>/batch}, and returns the platform's answer for each message by id. Each message stays
     * signed on its own and idempotent by its own key, so the platform treats every entry as it would the same message
     * posted alone. One answer for the whole request (unavailable, refused, the open breaker) is thrown as for a single
     * message.
     */
    public Map<String, EntryAnswer> forwardAll(List<Outgoing> messages) throws PlatformUnavailableException, PlatformRejectedException {
        return guarded(() -> sendAll(messages));
    }

    /** A call to the platform through the circuit breaker. */
    private interface PlatformCall<T> {
        T call() throws PlatformUnavailableException, PlatformRejectedException;
    }

    private <T> T guarded(PlatformCall<T> call) throws PlatformUnavailableException, PlatformRejectedException {
        if (!breaker.tryAcquire()) {
            throw new PlatformCircuitOpenException("circuit breaker open: the platform kept failing ("
                    + (breaker.lastFailure() == null ? "no failure recorded" : breaker.lastFailure()) + ")");
        }
        long start = System.nanoTime();
        try {
            T answer = call.call();
            breaker.succeeded(System.nanoTime() - start);
            return answer;
        } catch (PlatformRejectedException refused) {
            breaker.succeeded(System.nanoTime() - start); // the platform answered: it is up
            throw refused;
        } catch (PlatformUnavailableException | RuntimeException failure) {
            breaker.failed(System.nanoTime() - start, failure);
            throw failure;
        }
    }

    private String send(String messageId, String signedBundle) throws PlatformUnavailableException, PlatformRejectedException {
        HttpResponse<String> response = post(properties.getPlatform().getUrl(), signedBundle, messageId);
        return checkedReceipt(messageId, successful(response).body());
    }

    private Map<String, EntryAnswer> sendAll(List<Outgoing> messages) throws PlatformUnavailableException, PlatformRejectedException {
        URI url = URI.create(properties.getPlatform().getUrl() + "/batch");
        HttpResponse<String> response = successful(post(url, transmission(messages), null));
        JsonNode results;
        try {
            results = RECEIPTS.readTree(response.body()).path("results");
        } catch (JsonProcessingException e) {
            throw new PlatformUnavailableException("the platform's answer to a transmission is not JSON", e);
        }
        Map<String, EntryAnswer> answers = new HashMap<>();
        for (JsonNode result : results) {
            String key = result.path("idempotencyKey").asText(null);
            if (key == null || answers.containsKey(key)) {
                continue; // an entry the platform could not read the key of, or a key sent twice: its first answer stands
            }
            answers.put(key, entryAnswer(key, result));
        }
        for (Outgoing message : messages) {
            answers.putIfAbsent(message.messageId(), new EntryAnswer.Unanswered("no result for this message in the platform's answer"));
        }
        return answers;
    }

    private static EntryAnswer entryAnswer(String messageId, JsonNode result) {
        int status = result.path("status").asInt(0);
        if (status >= 200 && status < 300) {
            try {
                return new EntryAnswer.Delivered(checkedReceipt(messageId, result.path("receipt").toString()));
            } catch (PlatformUnavailableException notAReceipt) {
                return new EntryAnswer.Unanswered(notAReceipt.getMessage());
            }
        }
        if (retryable(status) || status < 400) {
            return new EntryAnswer.Unanswered("platform answered " + status + " for this message");
        }
        return new EntryAnswer.Refused(status, result.path("outcome").toString());
    }

    /**
     * The transmission's body, written with Jackson's generator: each signed Bundle goes in as a raw value, byte for
     * byte, since its signature is over exactly those bytes (a tree re-serialised could change them).
     */
    private static String transmission(List<Outgoing> messages) {
        StringWriter body = new StringWriter(messages.stream().mapToInt(m -> m.signedBundle().length() + 120).sum() + 64);
        try (JsonGenerator json = RECEIPTS.getFactory().createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", "batch");
            json.writeArrayFieldStart("entry");
            for (Outgoing message : messages) {
                json.writeStartObject();
                json.writeStringField("fullUrl", "urn:uuid:" + message.messageId());
                json.writeFieldName("resource");
                json.writeRawValue(message.signedBundle());
                json.writeObjectFieldStart("request");
                json.writeStringField("method", "POST");
                json.writeStringField("url", "messages");
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string failed", e);
        }
        return body.toString();
    }

    private HttpResponse<String> post(URI url, String body, String idempotencyKey) throws PlatformUnavailableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(properties.getPlatform().getTimeout())
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PlatformUnavailableException("platform unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformUnavailableException("interrupted while forwarding", e);
        }
    }

    /** The response if 2xx; 5xx, 408 and 429 are worth retrying; any other answer will not change on retry. */
    private static HttpResponse<String> successful(HttpResponse<String> response) throws PlatformUnavailableException,
            PlatformRejectedException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        if (retryable(status)) {
            throw new PlatformUnavailableException("platform answered " + status, null);
        }
        throw new PlatformRejectedException("platform refused the message with " + status, response.body());
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
