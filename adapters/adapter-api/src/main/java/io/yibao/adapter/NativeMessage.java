package io.yibao.adapter;

import java.util.Objects;

/**
 * A message as an institution sent it: the exact bytes (never decoded by the gateway before the adapter:
 * the adapter knows the format's charset rules, e.g. HL7 MSH-18), the declared content type if any, and
 * the institution the sender's client certificate identifies.
 */
public record NativeMessage(byte[] payload, String contentType, String senderInstitutionCode) {

    public NativeMessage {
        Objects.requireNonNull(payload, "payload");
    }
}
