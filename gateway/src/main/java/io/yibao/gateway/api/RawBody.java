package io.yibao.gateway.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * The request body exactly as sent. Spring rebuilds the body of a form-encoded POST from its decoded
 * parameters, which would corrupt a native message sent with a careless content type (curl's default);
 * reading the stream keeps every byte. Bounded: a body longer than the limit is never held whole.
 */
final class RawBody {
    private RawBody() {}

    /** The body, or empty if it is longer than {@code maximum} bytes (at most {@code maximum + 1} bytes are read then). */
    static Optional<byte[]> of(HttpServletRequest request, int maximum) throws IOException {
        if (request.getContentLengthLong() > maximum) {
            return Optional.empty();
        }
        byte[] body = request.getInputStream().readNBytes(maximum + 1);
        return body.length > maximum ? Optional.empty() : Optional.of(body);
    }
}
