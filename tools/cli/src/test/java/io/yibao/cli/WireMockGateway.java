package io.yibao.cli;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * WireMock in the gateway's place for the commands that talk to a running gateway (a JUnit extension: {@code
 * @RegisterExtension static final WireMockGateway gateway = new WireMockGateway();}): HTTPS on a free port with the
 * certificate of a development PKI of its own, client certificates required and checked against that PKI's root;
 * started before the class's tests, its stubs and requests forgotten before each test, stopped and its PKI deleted after.
 */
final class WireMockGateway extends WireMockServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Path pki;

    WireMockGateway() {
        this(newPki());
    }

    private WireMockGateway(Path pki) {
        super(configuration(pki));
        this.pki = pki;
    }

    private static Path newPki() {
        try {
            Path pki = Files.createTempDirectory("yibao-cli-gateway-pki");
            DevPki.init(pki);
            return pki;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test PKI", e);
        }
    }

    private static WireMockConfiguration configuration(Path pki) {
        String password;
        try {
            password = new String(DevPki.readStorePassword(pki));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        return wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(ec.resolve(DevPki.GATEWAY_TLS + ".p12").toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password)
                .needClientAuth(true)
                .trustStorePath(ec.resolve("truststore.p12").toString()).trustStoreType("PKCS12").trustStorePassword(password);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        resetAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(pki)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The PKI its certificate comes from. */
    Path pki() {
        return pki;
    }

    /** The options that reach it as an institution of its PKI: --gateway, --cert, --key, --cacert. */
    List<String> connection(String institution) {
        Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        String client = DevPki.clientLeafName(institution);
        return List.of("--gateway", url(), "--cert", ec.resolve(client + ".chain.pem").toString(),
                "--key", ec.resolve(client + ".key.pem").toString(), "--cacert", ec.resolve("root.pem").toString());
    }

    String url() {
        return "https://localhost:" + httpsPort();
    }
}
