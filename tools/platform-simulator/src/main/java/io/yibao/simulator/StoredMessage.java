package io.yibao.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One accepted message: its receipt, the Bundle exactly as received, who sent it and who signed it,
 * and how often it was delivered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StoredMessage {

    private final Receipt receipt;
    /** The Bundle in memory, or null when it is kept only in its file under {@link #storageDir}. */
    private final byte[] bundle;
    /** The storage directory (one object shared by every message), or null when the Bundle is in memory. */
    private final Path storageDir;
    private final String caller;
    private final String callerInstitutionCode;
    private final String signer;
    /** Changed only under the store's lock ({@link MessageStore#accept}); read by anyone. */
    private volatile int deliveries = 1;

    /** A message kept in memory, Bundle included. */
    StoredMessage(Receipt receipt, byte[] bundle, String caller, String callerInstitutionCode, String signer) {
        this(receipt, bundle.clone(), null, caller, callerInstitutionCode, signer);
    }

    /**
     * A message whose Bundle was written below {@code storageDir} ({@link MessageStore#bundleFile}) and is read from there
     * when asked for: with a storage directory, a long benchmark run keeps hundreds of thousands of Bundles, which do
     * not fit in the heap. The file's path is not kept: it follows from the directory and the idempotency key.
     */
    StoredMessage(Receipt receipt, Path storageDir, String caller, String callerInstitutionCode, String signer) {
        this(receipt, null, storageDir, caller, callerInstitutionCode, signer);
    }

    private StoredMessage(Receipt receipt, byte[] bundle, Path storageDir, String caller, String callerInstitutionCode,
                          String signer) {
        this.receipt = receipt;
        this.bundle = bundle;
        this.storageDir = storageDir;
        this.caller = caller;
        this.callerInstitutionCode = callerInstitutionCode;
        this.signer = signer;
    }

    public Receipt getReceipt() {
        return receipt;
    }

    /** Number of accepted POSTs with this idempotency key (the first one and its repeats). */
    public int getDeliveries() {
        return deliveries;
    }

    /** How many copies are stored: always 1, repeats are not stored again. */
    public int getStored() {
        return 1;
    }

    /** Subject DN (RFC 2253) of the TLS client certificate of the first delivery. */
    public String getCaller() {
        return caller;
    }

    /** The institution code (the client certificate's CN) when the caller is an institution. */
    public String getCallerInstitutionCode() {
        return callerInstitutionCode;
    }

    /** Subject DN (RFC 2253) of the Bundle's signing certificate. */
    public String getSigner() {
        return signer;
    }

    @JsonIgnore
    public byte[] bundle() {
        if (bundle != null) {
            return bundle.clone();
        }
        Path file = MessageStore.bundleFile(storageDir, receipt.idempotencyKey());
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("the stored Bundle " + file + " cannot be read", e);
        }
    }

    /** Another accepted POST of this message; called under the store's lock. */
    int recordRepeat() {
        return ++deliveries;
    }
}
