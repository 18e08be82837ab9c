package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A sender's mutual-TLS connection serves far more than Tomcat's default of 100 requests: a handshake costs the gateway
 * ~12 ms of CPU, and at 500 messages/s the default made every sender reconnect several times a second
 * (docs/benchmarks.md, round 16). Raw HTTP/1.1 on one TLS socket, so that a closed connection cannot be hidden by a
 * client that quietly reconnects.
 */
class HttpsConnectionsLastForManyRequestsTest extends AbstractOperationsTest {

    @Test
    void oneConnectionServesTwoHundredRequestsWithoutBeingClosed() throws Exception {
        try (SSLSocket socket = (SSLSocket) GatewayTestEnvironment.sslContext(HOSPITAL).getSocketFactory()
                .createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 1; i <= 200; i++) {
                out.write(("GET /api/v1/messages/" + UUID.randomUUID() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).as("response %d", i).startsWith("HTTP/1.1 404");
                assertThat(head.toLowerCase(Locale.ROOT)).as("response %d", i).doesNotContain("connection: close");
                skipBody(in, head);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the gateway closed the connection; read so far: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void skipBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        int length = lower.indexOf("content-length:");
        if (length >= 0) {
            in.readNBytes(Integer.parseInt(lower.substring(length + 15, lower.indexOf("\r\n", length)).strip()));
            return;
        }
        assertThat(lower).contains("transfer-encoding: chunked");
        while (true) {
            int size = Integer.parseInt(readLine(in).split(";")[0].strip(), 16);
            if (size == 0) {
                readLine(in); // the empty line after the last chunk (no trailers)
                return;
            }
            in.readNBytes(size);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the gateway closed the connection inside a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
