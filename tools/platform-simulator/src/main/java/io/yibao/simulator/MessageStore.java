package io.yibao.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The accepted messages, keyed by idempotency key, in order of first acceptance, with the counters of
 * {@code GET /api/v1/stats}. In memory; with {@code simulator.storage-dir} each accepted Bundle and its
 * receipt are written as files instead, and only the receipt stays in memory (the Bundle is read back from its
 * file when asked for); the files are not reloaded at start.
 */
@Component
public class MessageStore {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Map<String, StoredMessage> messages = new LinkedHashMap<>();
    private final Map<String, String> sharedValues = new HashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final Path storageDir;
    private final ObjectMapper objectMapper;
    private final Clock clock = Clock.systemUTC();

    public MessageStore(SimulatorProperties properties, ObjectMapper objectMapper) throws IOException {
        this.objectMapper = objectMapper;
        this.storageDir = properties.storageDir() == null ? null : properties.storageDir().toAbsolutePath().normalize();
        if (storageDir != null) {
            for (int shard = 0; shard < 256; shard++) {
                Files.createDirectories(storageDir.resolve(HexFormat.of().toHexDigits((byte) shard)));
            }
            LOG.info("accepted messages are also written to {}", storageDir);
        }
    }

    /** What {@link #accept} did. */
    public enum Outcome {
        /** The key was new: the message is stored. */
        CREATED,
        /** The key was known with the same Bundle identifier: a repeat delivery, nothing stored. */
        REPEAT,
        /** The key was known with another Bundle identifier: nothing stored or counted. */
        CONFLICT
    }

    /** Outcome of {@link #accept} and the message stored under the key (the first one). */
    public record Acceptance(StoredMessage message, Outcome outcome) {}

    /**
     * Stores a verified message under its idempotency key, or, if the key is known with the same
     * Bundle identifier, counts a repeat and returns the message stored first (its receipt unchanged).
     */
    public synchronized Acceptance accept(String idempotencyKey, String bundleId, String event, byte[] bundle,
                                          String caller, String callerCode, String signer) throws IOException {
        StoredMessage existing = messages.get(idempotencyKey);
        if (existing != null) {
            if (!existing.getReceipt().bundleId().equals(bundleId)) {
                rejected.incrementAndGet();
                return new Acceptance(existing, Outcome.CONFLICT);
            }
            existing.recordRepeat();
            duplicates.incrementAndGet();
            return new Acceptance(existing, Outcome.REPEAT);
        }
        // The gateway's Bundle identifier is its message id, the idempotency key: one string for both.
        Receipt receipt = new Receipt(UUID.randomUUID().toString(), idempotencyKey,
                Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), Receipt.ACCEPTED,
                bundleId.equals(idempotencyKey) ? idempotencyKey : bundleId, shared(event));
        StoredMessage message;
        if (storageDir != null) {
            write(receipt, bundle);
            message = new StoredMessage(receipt, storageDir, shared(caller), shared(callerCode), shared(signer));
        } else {
            message = new StoredMessage(receipt, bundle, shared(caller), shared(callerCode), shared(signer));
        }
        messages.put(idempotencyKey, message);
        accepted.incrementAndGet();
        return new Acceptance(message, Outcome.CREATED);
    }

    /**
     * One instance of each caller, institution code, signer and event kept: a few distinct values, each otherwise held
     * again by every message. With the Bundle's file path no longer kept, a message with a storage directory takes 321
     * bytes of heap instead of 682 (docs/benchmarks.md, round 25). Called under the store's lock.
     */
    private String shared(String value) {
        return value == null ? null : sharedValues.computeIfAbsent(value, v -> v);
    }

    public synchronized Optional<StoredMessage> find(String idempotencyKey) {
        return Optional.ofNullable(messages.get(idempotencyKey));
    }

    /** Every accepted message, in order of first acceptance. */
    public synchronized List<StoredMessage> all() {
        return new ArrayList<>(messages.values());
    }

    public void countRejected() {
        rejected.incrementAndGet();
    }

    public void countFaulted() {
        faulted.incrementAndGet();
    }

    /** The counters of {@code GET /api/v1/stats}. */
    public record Stats(long accepted, long duplicates, long rejected, long faulted) {}

    public Stats stats() {
        return new Stats(accepted.get(), duplicates.get(), rejected.get(), faulted.get());
    }

    /** Forgets every message and zeroes the counters (files already written stay). */
    public synchronized void clear() {
        messages.clear();
        sharedValues.clear();
        accepted.set(0);
        duplicates.set(0);
        rejected.set(0);
        faulted.set(0);
    }

    /** Writes the Bundle and its receipt. */
    private void write(Receipt receipt, byte[] bundle) throws IOException {
        Path file = bundleFile(storageDir, receipt.idempotencyKey());
        Files.write(file, bundle);
        Files.write(file.resolveSibling(fileName(receipt.idempotencyKey()) + ".receipt.json"),
                objectMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(receipt));
    }

    /** The file of the Bundle stored under an idempotency key below a storage directory. */
    static Path bundleFile(Path storageDir, String idempotencyKey) {
        String base = fileName(idempotencyKey);
        return storageDir.resolve(shardOf(base)).resolve(base + ".json");
    }

    /**
     * The subdirectory of a message's files: two hex digits of the name's {@link String#hashCode} (fixed by the Java
     * language). With every file in one directory, request threads creating files at once queued on that directory's
     * lock in the kernel, and the simulator spent more CPU in the kernel than in Java once it held a few hundred
     * thousand (docs/benchmarks.md, round 7); 256 directories spread both.
     */
    static String shardOf(String fileName) {
        return HexFormat.of().toHexDigits((byte) fileName.hashCode());
    }

    /** The key itself when it is a safe file name, otherwise its SHA-256 in hex. */
    static String fileName(String idempotencyKey) {
        if (SAFE_FILE_NAME.matcher(idempotencyKey).matches() && !idempotencyKey.startsWith(".")) {
            return idempotencyKey;
        }
        try {
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(idempotencyKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
