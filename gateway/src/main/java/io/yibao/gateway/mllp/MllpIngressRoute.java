package io.yibao.gateway.mllp;

import javax.net.ssl.SSLSession;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Route {@code mllp-ingress}: MLLP over TLS in, {@link MllpReception} decides, its acknowledgement goes
 * back on the same connection ({@code sync}). The connection stays open for the next message, also after
 * a refusal; the sender closes it.
 */
public class MllpIngressRoute extends RouteBuilder {
    static final String ROUTE_ID = "mllp-ingress";

    private final MllpProperties properties;
    private final MllpReception reception;

    MllpIngressRoute(MllpProperties properties, MllpReception reception) {
        this.properties = properties;
        this.reception = reception;
    }

    @Override
    public void configure() {
        // Host and port come from the typed MllpProperties (validated, with their defaults) rather than
        // {{placeholders}} that would repeat the defaults here.
        fromF("netty:tcp://%s:%d?sync=true&ssl=true&needClientAuth=true&sslContextParameters=#mllpSslContextParameters"
                        + "&decoders=#mllpDecoder&encoders=#mllpEncoder", properties.getHost(), properties.getPort())
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    SSLSession session = exchange.getIn().getHeader(NettyConstants.NETTY_SSL_SESSION, SSLSession.class);
                    Object frame = exchange.getIn().getBody();
                    exchange.getMessage().setBody(frame instanceof MllpFrameDecoder.OversizedFrame oversized
                            ? reception.receive(session, oversized) : reception.receive(session, (byte[]) frame));
                });
    }
}
