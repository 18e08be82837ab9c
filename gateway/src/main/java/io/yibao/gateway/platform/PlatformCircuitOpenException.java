package io.yibao.gateway.platform;

import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;

/**
 * Forwarding was not attempted: the circuit breaker is open because the platform kept failing. Still
 * "unavailable" (the message waits and is tried again), but it used up none of the message's attempts.
 */
public class PlatformCircuitOpenException extends PlatformUnavailableException {
    public PlatformCircuitOpenException(String message) {
        super(message, null);
    }
}
