package io.yibao.gateway.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.TlsConfiguration;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
        if (!breaker.tryAcquire()) {
            throw new PlatformCircuitOpenException("circuit breaker open: the platform kept failing ("
                    + (breaker.lastFailure() == null ? "no failure recorded" : breaker.lastFailure()) + ")");
        }
        long start = System.nanoTime();
        try {
            String receipt = send(messageId, signedBundle);
            breaker.succeeded(System.nanoTime() - start);
            return receipt;
        } catch (PlatformRejectedException refused) {
            breaker.succeeded(System.nanoTime() - start); // the platform answered: it is up
            throw refused;
        } catch (PlatformUnavailableException | RuntimeException failure) {
            breaker.failed(System.nanoTime() - start, failure);
            throw failure;
        }
    }

    private String send(String messageId, String signedBundle) throws PlatformUnavailableException, PlatformRejectedException {
        HttpRequest request = HttpRequest.newBuilder(properties.getPlatform().getUrl())
                .timeout(properties.getPlatform().getTimeout())
                .header("Content-Type", "application/fhir+json")
                .header("Idempotency-Key", messageId)
                .POST(HttpRequest.BodyPublishers.ofString(signedBundle, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PlatformUnavailableException("platform unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformUnavailableException("interrupted while forwarding", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return checkedReceipt(messageId, response.body());
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new PlatformUnavailableException("platform answered " + status, null);
        }
        throw new PlatformRejectedException("platform refused the message with " + status, response.body());
    }
}
