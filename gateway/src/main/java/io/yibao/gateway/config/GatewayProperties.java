package io.yibao.gateway.config;

import io.yibao.certs.Institution;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** The gateway's own settings ({@code yibao.*}). */
@Validated
@ConfigurationProperties("yibao")
public class GatewayProperties {

    /** Directory of the PKI (as {@code yibao certs init} writes it): TLS and signing keys come from here. */
    @NotNull
    private Path pki = Path.of("var/pki");

    /**
     * Create a development PKI in {@link #pki} at start-up when there is none. For the embedded
     * single-node setup only; production mounts the operator's keys and turns this off.
     */
    private boolean createDevelopmentPki = true;

    /** Algorithm of the signature on forwarded messages: ES256 or SM2. */
    @NotBlank
    private String signatureAlgorithm = "SM2";

    /** The insurance information platform the gateway forwards to. */
    @Valid
    private final Platform platform = new Platform();

    /**
     * Which institution may use which adapter and send for which institution codes, by institution code (the CN of
     * its client certificate). A map and not a list so that an override (a command-line argument, an environment
     * variable, another configuration file) adds or changes one institution without restating the others: Spring
     * Boot merges a map's entries across property sources and replaces a list whole.
     */
    @Valid
    private Map<String, Enrollment> enrollments = new LinkedHashMap<>();

    /** Forwarding retries before a message is dead-lettered. */
    @Valid
    private final Forwarding forwarding = new Forwarding();

    /** Ingress back-pressure: when senders are told to come back later. */
    @Valid
    private final Ingress ingress = new Ingress();

    /** How the pipeline takes messages off the inbox. */
    @Valid
    private final Pipeline pipeline = new Pipeline();

    /** The recovery sweep: ledger messages no queue holds any more are queued again. */
    @Valid
    private final Recovery recovery = new Recovery();

    /** How long the ledger keeps what it no longer needs: the content of delivered messages. */
    @Valid
    private final Retention retention = new Retention();

    public Path getPki() {
        return pki;
    }

    public void setPki(Path pki) {
        this.pki = pki;
    }

    public boolean isCreateDevelopmentPki() {
        return createDevelopmentPki;
    }

    public void setCreateDevelopmentPki(boolean createDevelopmentPki) {
        this.createDevelopmentPki = createDevelopmentPki;
    }

    public String getSignatureAlgorithm() {
        return signatureAlgorithm;
    }

    public void setSignatureAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public Platform getPlatform() {
        return platform;
    }

    public Map<String, Enrollment> getEnrollments() {
        return enrollments;
    }

    public void setEnrollments(Map<String, Enrollment> enrollments) {
        this.enrollments = enrollments;
    }

    /**
     * The enrollments by institution code in upper case (an environment variable's key arrives in lower case), each
     * key checked to be a well-formed institution code.
     *
     * @throws IllegalStateException naming the property, if a key is not a code or two keys are the same code
     */
    public Map<String, Enrollment> enrollmentsByInstitution() {
        Map<String, Enrollment> byInstitution = new LinkedHashMap<>();
        enrollments.forEach((key, enrollment) -> {
            String code = key.toUpperCase(Locale.ROOT);
            if (!Institution.isWellFormedCode(code)) {
                throw new IllegalStateException("yibao.enrollments." + key + ": '" + key + "' is not an institution code"
                        + " (12 characters: a letter, a 6-digit region code and a 5-digit sequence, e.g. H11010500001)");
            }
            if (byInstitution.put(code, enrollment) != null) {
                throw new IllegalStateException("yibao.enrollments: institution " + code + " is enrolled twice");
            }
        });
        return byInstitution;
    }

    public Forwarding getForwarding() {
        return forwarding;
    }

    public Ingress getIngress() {
        return ingress;
    }

    public Pipeline getPipeline() {
        return pipeline;
    }

    public Recovery getRecovery() {
        return recovery;
    }

    public Retention getRetention() {
        return retention;
    }

    /** The inbox consumers ({@code ChunkingListenerContainers}). */
    public static class Pipeline {
        /**
         * Most messages an inbox consumer takes in one go when more are waiting: processed together, their results in one
         * transaction, forwarded in one transmission, their deliveries in one transaction.
         */
        @Positive
        private int maximumChunk = 100;
        /**
         * Inbox consumers: each alternates the CPU work of its chunk with waiting on the platform's answer to the chunk's
         * transmission, so on two cores four keep the cores busy where two left them idle while both waited (559 against
         * 473 messages/s delivered at the maximum, docs/benchmarks.md round 7; two again in round 25: larger transmissions
         * and ~7 % less CPU per message at 500/s, but 813 against 857 messages/s at the maximum). More for more cores.
         */
        @Positive
        private int inboxConsumers = 4;

        public int getMaximumChunk() {
            return maximumChunk;
        }

        public int getInboxConsumers() {
            return inboxConsumers;
        }

        public void setInboxConsumers(int inboxConsumers) {
            this.inboxConsumers = inboxConsumers;
        }

        public void setMaximumChunk(int maximumChunk) {
            this.maximumChunk = maximumChunk;
        }
    }

    /** A CRL to download: from {@code url} (a CA's CRL distribution point, HTTP or HTTPS) into {@code file}. */
    public static class RevocationListDownload {
        @NotNull
        private URI url;

        @NotNull
        private Path file;

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public Path getFile() {
            return file;
        }

        public void setFile(Path file) {
            this.file = file;
        }
    }

    /** Ingress: back-pressure, size limit and certificate revocation (HTTPS and MLLP alike). */
    public static class Ingress {
        /**
         * Messages waiting in the pipeline (ledger status RECEIVED, plus SIGNED unless the platform's
         * circuit breaker is open) above which new messages are refused with 503 and Retry-After (MLLP:
         * AR) instead of queued, so that ingress cannot outrun the pipeline and the wait of an accepted
         * message stays bounded.
         */
        @Min(1)
        private int maximumWaiting = 500;

        /** The Retry-After given to a sender refused because the gateway is busy. */
        @NotNull
        private Duration retryAfter = Duration.ofSeconds(1);

        /**
         * Largest single message taken over HTTPS ({@code /api/v1/inbound}) or in one MLLP frame; a larger one
         * is refused ({@code gw-message-too-large}: 413, MLLP AR) without being held in memory whole. Batch
         * files are not single messages: they stream to disk and are split ({@code /api/v1/batches}).
         */
        @NotNull
        private DataSize maximumMessageSize = DataSize.ofMegabytes(4);

        /**
         * CRL files (X.509 v2, PEM or DER, one CRL each) by which the certificates institutions present are checked for
         * revocation (TLS client chains at HTTPS and MLLP, enrolled envelope-signing certificates); each must be signed by
         * a root or intermediate of {@link GatewayProperties#getPki() pki}. Empty (the default): the PKI's own
         * {@code <pki>/{ec,sm2}/{intermediate,root}.crl.pem}, as the development PKI writes them. See docs/security.md.
         */
        @NotNull
        private List<Path> revocationLists = new ArrayList<>();

        /** How often at most the CRL files are looked at again (modification time), so a revocation needs no restart. */
        @NotNull
        private Duration revocationRefreshInterval = Duration.ofSeconds(5);

        /**
         * CRLs to download from their CAs' distribution points into files of {@code revocation-lists}, at start and
         * every {@code revocation-download-interval}. Empty (the default): the files are kept current by someone else.
         */
        @NotNull
        @Valid
        private List<RevocationListDownload> revocationListDownloads = new ArrayList<>();

        /** How often the CRLs of {@code revocation-list-downloads} are downloaded again (a 304 when unchanged). */
        @NotNull
        private Duration revocationDownloadInterval = Duration.ofMinutes(15);

        public List<RevocationListDownload> getRevocationListDownloads() {
            return revocationListDownloads;
        }

        public void setRevocationListDownloads(List<RevocationListDownload> revocationListDownloads) {
            this.revocationListDownloads = revocationListDownloads;
        }

        public Duration getRevocationDownloadInterval() {
            return revocationDownloadInterval;
        }

        public void setRevocationDownloadInterval(Duration revocationDownloadInterval) {
            this.revocationDownloadInterval = revocationDownloadInterval;
        }

        public int getMaximumWaiting() {
            return maximumWaiting;
        }

        public void setMaximumWaiting(int maximumWaiting) {
            this.maximumWaiting = maximumWaiting;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public DataSize getMaximumMessageSize() {
            return maximumMessageSize;
        }

        public void setMaximumMessageSize(DataSize maximumMessageSize) {
            this.maximumMessageSize = maximumMessageSize;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        public List<Path> getRevocationLists() {
            return revocationLists;
        }

        public void setRevocationLists(List<Path> revocationLists) {
            this.revocationLists = revocationLists;
        }

        public Duration getRevocationRefreshInterval() {
            return revocationRefreshInterval;
        }

        public void setRevocationRefreshInterval(Duration revocationRefreshInterval) {
            this.revocationRefreshInterval = revocationRefreshInterval;
        }
    }

    /** The platform endpoint. */
    public static class Platform {
        /** URL messages are POSTed to (HTTPS with mutual TLS). */
        @NotNull
        private URI url = URI.create("https://localhost:8443/api/v1/messages");

        /** Time allowed for one forwarding request. */
        @NotNull
        private Duration timeout = Duration.ofSeconds(10);

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** One institution's enrollment (its code is the key it is enrolled under). */
    public static class Enrollment {
        /** Adapters it may use, by id (hospital-hl7v2, pharmacy-csv, ...). */
        private List<String> adapters = new ArrayList<>();

        /** Institution codes it may send messages for; empty means only its own. */
        private List<String> sendsFor = new ArrayList<>();

        /**
         * PEM file of the SM2 certificate (leaf first, then any intermediates) whose key signs this
         * institution's national envelopes ({@code cainfo}); needed when it is enrolled for an adapter whose
         * messages carry one. Checked at start-up against the roots of {@link GatewayProperties#getPki() pki}
         * and for its validity on every message. Development: {@code <pki>/sm2/envelope-signing-<code>.chain.pem}.
         */
        private Path envelopeSigningCertificate;

        /**
         * Instead of a certificate: the raw SM2 public key that signs its envelopes, {@code 04||X||Y} or
         * {@code X||Y} in hex or Base64, as some provinces publish it (no certificate, so no expiry check).
         */
        private String envelopePublicKey;

        public List<String> getAdapters() {
            return adapters;
        }

        public void setAdapters(List<String> adapters) {
            this.adapters = adapters;
        }

        public List<String> getSendsFor() {
            return sendsFor;
        }

        public void setSendsFor(List<String> sendsFor) {
            this.sendsFor = sendsFor;
        }

        public Path getEnvelopeSigningCertificate() {
            return envelopeSigningCertificate;
        }

        public void setEnvelopeSigningCertificate(Path envelopeSigningCertificate) {
            this.envelopeSigningCertificate = envelopeSigningCertificate;
        }

        public String getEnvelopePublicKey() {
            return envelopePublicKey;
        }

        public void setEnvelopePublicKey(String envelopePublicKey) {
            this.envelopePublicKey = envelopePublicKey;
        }
    }

    /** Redelivery of forwarding. */
    public static class Forwarding {
        /** Attempts before dead-lettering. */
        @Positive
        private int maximumAttempts = 6;

        /** Delay before the first retry; doubles each time. */
        @NotNull
        private Duration initialDelay = Duration.ofMillis(500);

        /** Longest delay between retries. */
        @NotNull
        private Duration maximumDelay = Duration.ofSeconds(30);

        public int getMaximumAttempts() {
            return maximumAttempts;
        }

        public void setMaximumAttempts(int maximumAttempts) {
            this.maximumAttempts = maximumAttempts;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaximumDelay() {
            return maximumDelay;
        }

        public void setMaximumDelay(Duration maximumDelay) {
            this.maximumDelay = maximumDelay;
        }
    }

    /**
     * {@code RecoverySweep}: a message still RECEIVED or SIGNED after its grace is queued again (a crash between two
     * steps, the broker unreachable at ingress). A grace shorter than the time a message normally waits in a queue
     * costs work (the steps are idempotent and the platform dedupes, so never a second delivery); a longer one is the
     * time a stranded message waits.
     */
    public static class Recovery {
        /** How often the ledger is looked at (also the delay after start before the first look). */
        @NotNull
        private Duration interval = Duration.ofSeconds(30);

        /** Age after which a RECEIVED message goes onto the inbox again. */
        @NotNull
        private Duration receivedGrace = Duration.ofMinutes(1);

        /**
         * Age after which a SIGNED message goes onto the outbox again: well beyond what forwarding's retries and an open
         * circuit breaker take, so a message being retried is not sent a second time alongside.
         */
        @NotNull
        private Duration signedGrace = Duration.ofMinutes(10);

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getReceivedGrace() {
            return receivedGrace;
        }

        public void setReceivedGrace(Duration receivedGrace) {
            this.receivedGrace = receivedGrace;
        }

        public Duration getSignedGrace() {
            return signedGrace;
        }

        public void setSignedGrace(Duration signedGrace) {
            this.signedGrace = signedGrace;
        }
    }

    /**
     * {@code LedgerRetention}: the native payload and the signed canonical message of a DELIVERED message are removed
     * from the ledger once it has been delivered for {@link #deliveredContentAfter}; the row stays (status, times,
     * dedupe key, outcome, the platform's receipt). Quarantined (REJECTED) and dead-lettered messages keep their content
     * until they are delivered: it is what a correction or a replay needs.
     */
    public static class Retention {
        /** Whether content is removed at all; false keeps it for ever. */
        private boolean enabled = true;

        /** Time after delivery at which a message's content goes. */
        @NotNull
        private Duration deliveredContentAfter = Duration.ofDays(90);

        /** How often the ledger is looked at. */
        @NotNull
        private Duration interval = Duration.ofHours(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getDeliveredContentAfter() {
            return deliveredContentAfter;
        }

        public void setDeliveredContentAfter(Duration deliveredContentAfter) {
            this.deliveredContentAfter = deliveredContentAfter;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }
}
