package io.yibao.adapter;

import java.util.Optional;

/**
 * What a native message says about itself in its header: its own id (HL7 MSH-10) and the institution
 * it claims to come from (HL7 MSH-4).
 */
public record Envelope(Optional<String> sourceMessageId, Optional<String> claimedInstitutionCode) {
    /** Nothing known. */
    public static final Envelope UNKNOWN = new Envelope(Optional.empty(), Optional.empty());
}
