package io.yibao.adapter;

import java.util.Optional;

/**
 * Turns one institution format into canonical messages. Plain Java, no Camel: the gateway's routes call
 * it. Implementations register with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.yibao.adapter.InboundAdapter}); putting the module on the class path is
 * all the gateway needs. Implementations are thread-safe and stateless between calls.
 */
public interface InboundAdapter {

    /** Stable id, used in URLs and the enrollment registry: {@code hospital-hl7v2}, {@code pharmacy-csv}. */
    String id();

    /** One line for operators: the institution kind and the native format it reads. */
    String description();

    /**
     * Translates one native message. Never throws for bad input: a message that cannot be translated
     * comes back with errors (rule, native location, FHIRPath where known) and no bundle, so that it
     * can be quarantined with the reason.
     */
    Translation translate(NativeMessage message, TranslationContext context);

    /**
     * The message's header read cheaply, before and without a full translation, so that the gateway can
     * refuse a message that claims another institution (403) and answer a resubmission with the first
     * message's id at once. Empty fields when the format has none or they cannot be read: the gateway
     * then recognises resubmissions by identical bytes, and translation checks the claim.
     */
    default Envelope peek(NativeMessage message) {
        return Envelope.UNKNOWN;
    }

    /**
     * How this adapter reads batch files, if its institutions send files of many records; each record it
     * yields is then translated by {@link #translate} as a message of its own.
     */
    default Optional<BatchReader> batches() {
        return Optional.empty();
    }

    /**
     * The signature this adapter's messages carry inside themselves, if any (the national envelope's
     * {@code cainfo}): the gateway then refuses, at intake, every message whose signature does not verify with
     * the key enrolled for the sending institution. Empty: the messages carry none the gateway checks.
     */
    default Optional<EnvelopeSignature> envelopeSignature() {
        return Optional.empty();
    }
}
