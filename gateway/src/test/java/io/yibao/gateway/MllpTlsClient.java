package io.yibao.gateway;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.net.ssl.SSLSocket;

/**
 * A minimal MLLP client over TLS, as a hospital HIS would be: one connection, a message framed
 * 0x0B … 0x1C 0x0D, then wait for the framed acknowledgement.
 */
final class MllpTlsClient implements AutoCloseable {
    private static final int START = 0x0B;
    private static final int END = 0x1C;
    private static final int CR = 0x0D;

    private final SSLSocket socket;

    /** Connects to the gateway's MLLP port presenting {@code leafName}'s client certificate (none when null). */
    MllpTlsClient(int port, String leafName) throws IOException {
        socket = (SSLSocket) GatewayTestEnvironment.sslContext(leafName).getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
    }

    /** Sends one message and returns the acknowledgement's bytes (unframed). */
    byte[] send(byte[] message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(START);
        out.write(message);
        out.write(END);
        out.write(CR);
        out.flush();
        return read();
    }

    private byte[] read() throws IOException {
        InputStream in = socket.getInputStream();
        int b = in.read();
        if (b != START) {
            throw new EOFException("no MLLP frame: read " + b);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != -1) {
            if (b == END) {
                int next = in.read();
                if (next == CR) {
                    return frame.toByteArray();
                }
                frame.write(b);
                b = next;
                if (b == -1) {
                    break;
                }
            }
            frame.write(b);
        }
        throw new EOFException("connection closed inside an MLLP frame");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
