package io.yibao.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An active fault: its mode, the status ({@code status} mode), the delay ({@code delay} and
 * {@code timeout} modes) and how many more message POSTs it applies to ({@code remaining}, -1 = until
 * reset). This is also the JSON of {@code GET/POST /api/v1/admin/faults}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultPlan(FaultMode mode, Integer status, Long delayMillis, int remaining) {

    /** Default delay of {@code delay} mode when none is given. */
    public static final long DEFAULT_DELAY_MILLIS = 2_000;
    /** Default hold time of {@code timeout} mode when none is given. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    /** Upper bound of a delay, so a forgotten fault cannot hold Tomcat threads for hours. */
    public static final long MAX_DELAY_MILLIS = 600_000;

    public static final FaultPlan NONE = new FaultPlan(FaultMode.NONE, null, null, 0);

    /**
     * Validates and normalises a requested fault; {@code status}, {@code delayMillis} and
     * {@code count} may be null for their defaults (503, mode default, -1).
     *
     * @throws IllegalArgumentException with a message for the caller if a value is out of range
     */
    public static FaultPlan of(FaultMode mode, Integer status, Long delayMillis, Integer count) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required: none, status, delay or timeout");
        }
        if (mode == FaultMode.NONE) {
            return NONE;
        }
        int remaining = count == null ? -1 : count;
        if (remaining < -1 || remaining == 0) {
            throw new IllegalArgumentException("count must be a positive number of requests, or -1 for until reset");
        }
        return switch (mode) {
            case STATUS -> {
                int code = status == null ? 503 : status;
                if (code < 400 || code > 599) {
                    throw new IllegalArgumentException("status must be an error status, 400 to 599");
                }
                yield new FaultPlan(mode, code, null, remaining);
            }
            case DELAY, TIMEOUT -> {
                long delay = delayMillis != null ? delayMillis
                        : mode == FaultMode.DELAY ? DEFAULT_DELAY_MILLIS : DEFAULT_TIMEOUT_MILLIS;
                if (delay < 0 || delay > MAX_DELAY_MILLIS) {
                    throw new IllegalArgumentException("delayMillis must be between 0 and " + MAX_DELAY_MILLIS);
                }
                yield new FaultPlan(mode, null, delay, remaining);
            }
            case NONE -> NONE;
        };
    }

    /** The plan after it has been applied to one more request. */
    FaultPlan consumedOnce() {
        if (remaining == -1) {
            return this;
        }
        return remaining <= 1 ? NONE : new FaultPlan(mode, status, delayMillis, remaining - 1);
    }
}
