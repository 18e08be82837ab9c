package io.yibao.simulator;

import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The simulator's development PKI: created with {@link DevPki#init(Path)} at start when the configured
 * directory has none, then the source of the TLS stores and of the signature trust anchors.
 */
@Component
public class SimulatorPki {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorPki.class);

    private final Path directory;
    private final char[] storePassword;
    private final List<X509Certificate> signatureTrustAnchors;

    public SimulatorPki(SimulatorProperties properties) throws IOException, GeneralSecurityException {
        this.directory = properties.pkiDir().toAbsolutePath().normalize();
        if (!Files.exists(directory.resolve(DevPki.STORE_PASSWORD_FILE))) {
            LOG.info("no development PKI in {}: creating one", directory);
            DevPki.init(directory);
        }
        this.storePassword = DevPki.readStorePassword(directory);
        this.signatureTrustAnchors = List.of(
                DevPki.rootCertificate(directory, KeyAlgorithm.EC_P256),
                DevPki.rootCertificate(directory, KeyAlgorithm.SM2));
        LOG.info("development PKI: {} (TLS: EC hierarchy; signatures: EC and SM2 roots)", directory);
    }

    public Path directory() {
        return directory;
    }

    /** The simulator's TLS key store: {@code ec/platform-tls.p12}. */
    public Path tlsKeyStore() {
        return existing(DevPki.hierarchyDirectory(directory, KeyAlgorithm.EC_P256).resolve(DevPki.PLATFORM_TLS + ".p12"));
    }

    /** The trust store for client certificates: {@code ec/truststore.p12} (the EC root). */
    public Path tlsTrustStore() {
        return existing(DevPki.hierarchyDirectory(directory, KeyAlgorithm.EC_P256).resolve("truststore.p12"));
    }

    /** The password of every store of the PKI directory. */
    public String storePassword() {
        return new String(storePassword);
    }

    /** Trust anchors of Bundle signatures: the EC and the SM2 root. */
    public List<X509Certificate> signatureTrustAnchors() {
        return signatureTrustAnchors;
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("missing PKI file " + file
                    + " (the PKI directory is incomplete; re-create it with yibao certs init --force)"));
        }
        return file;
    }
}
