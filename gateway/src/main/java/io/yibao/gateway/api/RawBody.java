package io.yibao.gateway.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * The request body exactly as sent. Spring rebuilds the body of a form-encoded POST from its decoded
 * parameters, which would corrupt a native message sent with a careless content type (curl's default);
 * reading the stream keeps every byte.
 */
final class RawBody {
    private RawBody() {}

    static byte[] of(HttpServletRequest request) throws IOException {
        return request.getInputStream().readAllBytes();
    }
}
