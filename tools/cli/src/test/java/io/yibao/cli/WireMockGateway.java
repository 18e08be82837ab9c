package io.yibao.cli;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Path;
import java.util.List;

/**
 * WireMock in the gateway's place for the commands that talk to a running gateway: HTTPS on a free port with the
 * development PKI's gateway certificate, client certificates required and checked against the PKI's root.
 */
final class WireMockGateway {
    private WireMockGateway() {}

    /** Starts it on a development PKI made in {@code pki}. */
    static WireMockServer start(Path pki) throws Exception {
        DevPki.init(pki);
        String password = new String(DevPki.readStorePassword(pki));
        Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        WireMockServer gateway = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(ec.resolve(DevPki.GATEWAY_TLS + ".p12").toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password)
                .needClientAuth(true)
                .trustStorePath(ec.resolve("truststore.p12").toString()).trustStoreType("PKCS12").trustStorePassword(password));
        gateway.start();
        return gateway;
    }

    /** The options that reach it as an institution of that PKI: --gateway, --cert, --key, --cacert. */
    static List<String> connection(WireMockServer gateway, Path pki, String institution) {
        Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        String client = DevPki.clientLeafName(institution);
        return List.of("--gateway", url(gateway), "--cert", ec.resolve(client + ".chain.pem").toString(),
                "--key", ec.resolve(client + ".key.pem").toString(), "--cacert", ec.resolve("root.pem").toString());
    }

    static String url(WireMockServer gateway) {
        return "https://localhost:" + gateway.httpsPort();
    }
}
