package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.sftp.DropAreaSftpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway's own SFTP server for the batch drop area, over loopback with MINA SSHD's SFTP client: an
 * enrolled bank uploads its fixed-width sample and the file-drop route takes it (a batch in the ledger, the
 * report next to the file, readable but not removable over SFTP); a key not listed for the institution, or
 * the bank's key under another institution's name, does not log in; no path leaves the institution's
 * directory; uploads outside an enrolled adapter's {@code incoming/} are refused with the reason; an upload
 * cut off by the session ending leaves nothing to take.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SftpBatchDropEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BANK = "B11010500003";
    private static final String PHARMACY = "P11010500002";
    private static final Path DROP = GatewayTestEnvironment.DIR.resolve("sftp-drop");
    private static final Path HOST_KEY = GatewayTestEnvironment.DIR.resolve("sftp/ssh_host_ed25519_key");
    private static final Path SAMPLE = Path.of("../adapters/bank-fixed-width/src/main/resources/yibao-mappings/bank-fixed-width/samples/results-gbk.txt");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SshClient client;

    @Autowired
    DropAreaSftpServer server;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "sftp");
        registry.add("yibao.batch.drop-dir", DROP::toString);
        registry.add("yibao.batch.drop-poll-interval", () -> "PT0.2S");
        registry.add("yibao.batch.completion-check-interval", () -> "PT0.2S");
        registry.add("yibao.sftp.enabled", () -> "true");
        registry.add("yibao.sftp.host", () -> "127.0.0.1");
        registry.add("yibao.sftp.port", GatewayTestEnvironment::freePort);
        registry.add("yibao.sftp.host-key", HOST_KEY::toString);
        registry.add("yibao.sftp.authorized-keys-dir", () -> GatewayTestEnvironment.PKI.resolve("ssh").toString());
    }

    @BeforeAll
    static void startClient() {
        client = SshClient.setUpDefaultClient();
        // The client pins the host key the gateway generated: the one in its host key file.
        client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(key, hostKey().getPublic()));
        client.start();
    }

    @AfterAll
    static void stopClient() throws IOException {
        client.stop();
    }

    @Test
    void anEnrolledBankUploadsItsSampleAndTheBatchIsTakenWithItsReportNextToIt() throws Exception {
        String name = "results-" + run() + ".txt";
        try (ClientSession session = logIn(BANK, institutionKey(BANK)); SftpClient sftp = sftp(session)) {
            assertThat(names(sftp, "/")).contains("bank-fixed-width", "bank-iso20022").doesNotContain("pharmacy-csv");
            try (OutputStream out = sftp.write("/bank-fixed-width/incoming/" + name)) {
                out.write(Files.readAllBytes(SAMPLE));
            }

            String report = "/bank-fixed-width/done/" + name + ".report.json";
            JsonNode written = waitForReport(sftp, report);
            assertThat(written.get("status").asText()).as(written.toString()).isEqualTo("COMPLETE");
            assertThat(written.at("/recordCounts/DELIVERED").asLong()).isEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM batch WHERE institution = ? AND adapter = ? AND file_name = ? AND drop_dir IS NOT NULL",
                    Long.class, BANK, "bank-fixed-width", name)).isEqualTo(1);
            assertThat(names(sftp, "/bank-fixed-width/done")).contains(name, name + ".report.json");

            // What the gateway took and wrote is the gateway's: readable, not removable or renamable.
            assertPermissionDenied(() -> sftp.remove(report), "read-only");
            assertPermissionDenied(() -> sftp.rename("/bank-fixed-width/done/" + name, "/bank-fixed-width/incoming/" + name), "read-only");
            assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/done").resolve(name)).exists();
        }
    }

    @Test
    void aKeyNotListedForTheInstitutionDoesNotLogIn() throws Exception {
        KeyPair stranger = SecurityUtils.getKeyPairGenerator("Ed25519").generateKeyPair();

        assertLogInRefused(() -> logIn(BANK, stranger));
    }

    @Test
    void theBanksKeyDoesNotOpenAnotherInstitutionsAccount() {
        assertLogInRefused(() -> logIn(PHARMACY, institutionKey(BANK)));
        assertLogInRefused(() -> logIn("../" + PHARMACY, institutionKey(BANK)));
    }

    @Test
    void noPathLeavesTheInstitutionsDirectory() throws Exception {
        Path secret = Files.createDirectories(DROP.resolve(PHARMACY)).resolve("secret-" + run() + ".txt");
        Files.writeString(secret, "the pharmacy's");
        Path link = Files.createDirectories(DROP.resolve(BANK)).resolve("elsewhere-" + run());
        Files.createSymbolicLink(link, DROP.resolve(PHARMACY));
        String secretName = secret.getFileName().toString();

        try (ClientSession session = logIn(BANK, institutionKey(BANK)); SftpClient sftp = sftp(session)) {
            assertThat(sftp.canonicalPath("..")).isEqualTo("/");
            assertThat(sftp.canonicalPath("/../../..")).isEqualTo("/");
            // ".." stops at the institution's root: these name files of its own directory, which do not exist.
            for (String path : List.of("../" + PHARMACY + "/" + secretName, "/../" + PHARMACY + "/" + secretName,
                    "/bank-fixed-width/../../" + PHARMACY + "/" + secretName)) {
                assertThatThrownBy(() -> read(sftp, path)).as(path).isInstanceOfSatisfying(SftpException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_NO_SUCH_FILE));
            }
            assertPermissionDenied(() -> upload(sftp, "../" + PHARMACY + "/pharmacy-csv/incoming/x.csv", "x"), "not in an incoming directory");
            // A link leading out is not followed, listed into or even read.
            String escape = "/" + link.getFileName();
            assertPermissionDenied(() -> read(sftp, escape + "/" + secretName), "leads outside your directory");
            assertPermissionDenied(() -> sftp.openDir(escape).close(), "leads outside your directory");
            assertPermissionDenied(() -> sftp.readLink(escape), "leads outside your directory");
            assertPermissionDenied(() -> sftp.symLink("/bank-fixed-width/incoming/peek", escape), "creating a link");
        }
        assertThat(DROP.resolve(PHARMACY).resolve("pharmacy-csv/incoming/x.csv")).doesNotExist();
        assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/incoming/peek")).doesNotExist();
    }

    @Test
    void uploadsOutsideAnEnrolledAdaptersIncomingDirectoryAreRefusedWithTheReason() throws Exception {
        try (ClientSession session = logIn(BANK, institutionKey(BANK)); SftpClient sftp = sftp(session)) {
            assertPermissionDenied(() -> upload(sftp, "/pharmacy-csv/incoming/sales.csv", "x"), "gw-adapter-not-enrolled");
            assertPermissionDenied(() -> upload(sftp, "/bank-fixed-width/done/results.txt", "x"), "not in an incoming directory");
            assertPermissionDenied(() -> upload(sftp, "/results.txt", "x"), "/bank-fixed-width/incoming/");
            assertPermissionDenied(() -> sftp.mkdir("/pharmacy-csv"), "creating a directory");
            assertPermissionDenied(() -> sftp.rmdir("/bank-fixed-width/incoming"), "removing a directory");
        }
        assertThat(DROP.resolve(BANK).resolve("pharmacy-csv")).doesNotExist();
        assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/done/results.txt")).doesNotExist();
        assertThat(DROP.resolve(BANK).resolve("results.txt")).doesNotExist();
        assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/incoming")).isDirectory();
    }

    @Test
    void anUploadCutOffByTheSessionEndingLeavesNothingToTake() throws Exception {
        String name = "cut-" + run() + ".txt";
        Path incoming = DROP.resolve(BANK).resolve("bank-fixed-width/incoming");
        byte[] file = Files.readAllBytes(SAMPLE);

        ClientSession session = logIn(BANK, institutionKey(BANK));
        SftpClient sftp = sftp(session);
        OutputStream out = sftp.write("/bank-fixed-width/incoming/" + name);
        out.write(file, 0, file.length / 2);
        out.flush();
        // Half the file is on the server, under a hidden name the drop route skips; the name itself is not there.
        waitUntil(() -> staged(incoming, name).anyMatch(path -> size(path) == file.length / 2), "half the file staged");
        assertThat(incoming.resolve(name)).doesNotExist();

        session.close(true);

        waitUntil(() -> staged(incoming, name).findAny().isEmpty(), "the staged upload discarded");
        assertThat(incoming.resolve(name)).doesNotExist();
        // Several poll intervals of the drop route later, nothing was taken.
        Thread.sleep(1_000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM batch WHERE file_name = ?", Long.class, name)).isZero();
        assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/done").resolve(name + ".report.json")).doesNotExist();
        assertThat(DROP.resolve(BANK).resolve("bank-fixed-width/refused").resolve(name + ".report.json")).doesNotExist();
    }

    @Test
    void theServerListensWhereConfiguredWithTheHostKeyItKeepsInItsFile() throws Exception {
        assertThat(server.isRunning()).isTrue();
        assertThat(HOST_KEY).isRegularFile();
        try (ClientSession session = logIn(BANK, institutionKey(BANK))) {
            assertThat(KeyUtils.compareKeys(session.getServerKey(), hostKey().getPublic())).isTrue();
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private ClientSession logIn(String user, KeyPair key) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", server.port()).verify(WAIT).getSession();
        try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(WAIT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private static SftpClient sftp(ClientSession session) throws IOException {
        return SftpClientFactory.instance().createSftpClient(session);
    }

    /** The development PKI's SSH key of an institution ({@code yibao certs init} writes {@code ssh/<code>}). */
    private static KeyPair institutionKey(String institution) throws Exception {
        return keyPair(GatewayTestEnvironment.PKI.resolve("ssh").resolve(institution));
    }

    private static KeyPair hostKey() {
        try {
            return keyPair(HOST_KEY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null).iterator().next();
        }
    }

    private static List<String> names(SftpClient sftp, String directory) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (SftpClient.DirEntry entry : sftp.readDir(directory)) {
            names.add(entry.getFilename());
        }
        return names;
    }

    private static byte[] read(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return in.readAllBytes();
        }
    }

    private static void upload(SftpClient sftp, String path, String content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static JsonNode waitForReport(SftpClient sftp, String report) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode written = JSON.readTree(read(sftp, report));
                if (!"RECEIVED".equals(written.path("status").asText()) && written.has("recordCounts")) {
                    return written;
                }
            } catch (SftpException notYet) {
                assertThat(notYet.getStatus()).isEqualTo(SftpConstants.SSH_FX_NO_SUCH_FILE);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no report " + report + " within 90 s");
    }

    /** Refused by the server (no method left to try), not a time-out or a connection failure. */
    private static void assertLogInRefused(ThrowingCall logIn) {
        assertThatThrownBy(logIn::run).isInstanceOf(SshException.class).hasMessageContaining("No more authentication methods available");
    }

    private static void assertPermissionDenied(ThrowingCall call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SftpException.class, e -> {
            assertThat(e.getStatus()).as(e.getMessage()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED);
            assertThat(e.getMessage()).contains(reason);
        });
    }

    private static Stream<Path> staged(Path incoming, String name) {
        try (Stream<Path> files = Files.list(incoming)) {
            return files.filter(path -> path.getFileName().toString().startsWith("." + name + ".")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException gone) {
            return -1;
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
