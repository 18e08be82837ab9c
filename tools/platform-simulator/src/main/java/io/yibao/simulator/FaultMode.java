package io.yibao.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the simulator does to a message POST while a fault is active. */
public enum FaultMode {
    /** No fault: messages are processed normally. */
    NONE,
    /** Answer with the configured HTTP status (e.g. 503) and an OperationOutcome, without processing. */
    STATUS,
    /** Wait {@code delayMillis}, then process the message normally (it is stored and receipted). */
    DELAY,
    /**
     * Hold the request for {@code delayMillis} without processing it (the message is not stored),
     * then answer 504 and close the connection: a client with a shorter read timeout sees a timeout.
     */
    TIMEOUT;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FaultMode fromJson(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
