package io.yibao.simulator;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted message: its receipt, the Bundle exactly as received, who sent it and who signed it,
 * and how often it was delivered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StoredMessage {

    private final Receipt receipt;
    private final byte[] bundle;
    private final String caller;
    private final String callerInstitutionCode;
    private final String signer;
    private final AtomicInteger deliveries = new AtomicInteger(1);

    StoredMessage(Receipt receipt, byte[] bundle, String caller, String callerInstitutionCode, String signer) {
        this.receipt = receipt;
        this.bundle = bundle.clone();
        this.caller = caller;
        this.callerInstitutionCode = callerInstitutionCode;
        this.signer = signer;
    }

    public Receipt getReceipt() {
        return receipt;
    }

    /** Number of accepted POSTs with this idempotency key (the first one and its repeats). */
    public int getDeliveries() {
        return deliveries.get();
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
        return bundle.clone();
    }

    int recordRepeat() {
        return deliveries.incrementAndGet();
    }
}
