package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.slf4j.LoggerFactory;

/**
 * The Artemis pair an operator deploys, started from exactly its files ({@code docker/artemis/broker-primary.xml}
 * and {@code broker-backup.xml} with the {@code gateway-*.xml} they include): each broker in a JVM of its own, as
 * the standalone server runs, so that the primary can die of SIGKILL mid-run. Only what the files leave to their
 * placeholders differs from a deployment: loopback addresses, free ports, a random cluster password, an instance
 * directory per broker under the test's temporary directory. Each broker's {@code etc/} is made as the official
 * image makes it: the deployment's files copied in (its {@code etc-override/}), plus the users and roles files
 * {@code artemis create} writes for its {@code ARTEMIS_USER} (here the gateway's broker user, role {@code amq}, with a
 * random password). The brokers log clients in through the deployment's {@code login.config}, as the standalone
 * server does ({@code <jaas-security domain="activemq"/>}).
 *
 * <p>{@link #main} is the broker JVM: it starts the broker from a file and reports on its output when it is active
 * (serving clients) and, for the backup, when its replica of the primary's journal is in sync.
 */
final class BrokerPair implements AutoCloseable {
    static final String USER = "yibao-gateway";
    static final String PASSWORD = UUID.randomUUID().toString();
    private static final String ACTIVE = "yibao-test-broker: active";
    private static final String NOT_ACTIVE = "yibao-test-broker: not active";
    private static final String IN_SYNC = "yibao-test-broker: replica in sync";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The files of the deployment (the module's tests run in {@code gateway/}). */
    static final Path CONFIGURATION = Path.of("..", "docker", "artemis").toAbsolutePath().normalize();
    /** The JAAS domain of the standalone broker's bootstrap.xml, defined by the deployment's login.config. */
    private static final String JAAS_DOMAIN = "activemq";

    /** One broker JVM, its port and its output. */
    record Broker(Process process, int port, Path log) {}

    private Broker primary;
    private final Broker backup;
    private final List<Broker> started = new ArrayList<>();
    private final Path pki;
    private final String storePassword;
    private final String clusterPassword = UUID.randomUUID().toString();
    private final Path dir;
    private final Path logs;
    private final Map<String, String> primarySettings;
    private final Map<String, String> backupSettings;

    /**
     * Starts the primary, then the backup, and returns once the backup's replica is in sync. Both take their TLS
     * identity ({@code broker-tls}) and trust from the development PKI in {@code pki}, as docker/compose.yaml gives them.
     */
    BrokerPair(Path dir, Path logs, Path pki) throws Exception {
        this(dir, logs, pki, Map.of(), Map.of());
    }

    /**
     * As {@link #BrokerPair(Path, Path, Path)}, with more of the files' placeholders set for each broker (e.g. its
     * network check, the pair's ping periods), as an operator sets them in the brokers' environments.
     */
    BrokerPair(Path dir, Path logs, Path pki, Map<String, String> primarySettings, Map<String, String> backupSettings) throws Exception {
        this.pki = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        this.storePassword = new String(DevPki.readStorePassword(pki));
        this.dir = dir;
        this.logs = logs;
        this.primarySettings = Map.copyOf(primarySettings);
        this.backupSettings = Map.copyOf(backupSettings);
        int primaryPort = GatewayProcesses.freePort();
        int backupPort = GatewayProcesses.freePort();
        primary = start("broker-primary", "broker-primary", primaryPort, backupPort);
        awaitLine(primary, ACTIVE);
        backup = start("broker-backup", "broker-backup", backupPort, primaryPort);
        awaitLine(backup, IN_SYNC);
    }

    /**
     * The gateway's {@code YIBAO_BROKER_URL} for this pair, as docker/compose.yaml sets it: mutual TLS with the gateway's
     * own TLS identity ({@code gateway-tls}), the broker's certificate checked against the PKI's root and the host.
     */
    String brokerUrl() {
        return "(tcp://127.0.0.1:" + primary.port() + "?name=primary,tcp://127.0.0.1:" + backup.port() + "?name=backup)"
                + "?ha=true&reconnectAttempts=-1&retryInterval=500&retryIntervalMultiplier=1.5&maxRetryInterval=5000"
                + tlsOptions(DevPki.GATEWAY_TLS);
    }

    /**
     * The URL options of a TLS client of the pair: trust in the PKI's root and the host check, and the certificate of
     * the PKI's leaf {@code certificate} (its {@code NAME.p12}) to present, none if it is null.
     */
    String tlsOptions(String certificate) {
        String trust = "&sslEnabled=true&verifyHost=true&trustStoreType=PKCS12&trustStorePath=" + pki.resolve("truststore.p12")
                + "&trustStorePassword=" + storePassword;
        return certificate == null
                ? trust
                : trust + "&keyStoreType=PKCS12&keyStorePath=" + pki.resolve(certificate + ".p12") + "&keyStorePassword=" + storePassword;
    }

    /** The primary's port (its acceptor takes mutual TLS only). */
    int primaryPort() {
        return primary.port();
    }

    /** SIGKILL to the primary: no shutdown, no goodbye to the backup or the clients. */
    void killPrimary() throws InterruptedException {
        primary.process().destroyForcibly();
        assertThat(primary.process().waitFor(30, TimeUnit.SECONDS)).as("the primary broker died of SIGKILL").isTrue();
    }

    /** Waits until the backup has become active (it had lost its primary). */
    void awaitBackupActive() throws Exception {
        awaitLine(backup, ACTIVE);
    }

    /**
     * SIGSTOP to the primary: it stays alive but silent, its connections open and unanswered, as a machine lost
     * without a TCP reset looks to its peer and its clients.
     */
    void freezePrimary() throws Exception {
        signal(primary, "STOP");
    }

    /** SIGCONT to a frozen primary. */
    void thawPrimary() throws Exception {
        signal(primary, "CONT");
    }

    /** Whether the backup has been active at any time since it started. */
    boolean backupWasEverActive() throws IOException {
        return Files.readAllLines(backup.log(), StandardCharsets.UTF_8).contains(ACTIVE);
    }

    /** Waits until the backup's output has a line containing {@code text}. */
    void awaitBackupOutput(String text) throws Exception {
        awaitOutput(backup, "'" + text + "'", lines -> lines.stream().anyMatch(line -> line.contains(text)));
    }

    /** Waits until the backup's replica of the primary's journal is in sync (again: after {@code since} lines of output). */
    void awaitBackupInSyncAfter(int since) throws Exception {
        awaitOutput(backup, "the replica in sync again", lines -> lines.subList(Math.min(since, lines.size()), lines.size()).contains(IN_SYNC));
    }

    /** Lines the backup has written so far. */
    int backupOutputLines() throws IOException {
        return Files.readAllLines(backup.log(), StandardCharsets.UTF_8).size();
    }

    private static void signal(Broker broker, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(broker.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %s", signal, broker.process().pid()).isTrue();
    }

    /**
     * Starts the killed primary again on its journal and port and returns once it has failed back: it found the
     * backup active with its node id ({@code check-for-active-server}), copied the backup's journal, and became active
     * again, and the backup ({@code allow-failback}) stepped back and is once more a replica in sync.
     */
    void restartPrimaryAndAwaitFailback() throws Exception {
        primary = start("broker-primary", "broker-primary-restarted", primary.port(), backup.port());
        awaitLine(primary, ACTIVE);
        awaitOutput(backup, "a replica in sync again after stepping back",
                lines -> lines.contains(NOT_ACTIVE) && lines.lastIndexOf(IN_SYNC) > lines.indexOf(NOT_ACTIVE));
    }

    @Override
    public void close() throws InterruptedException {
        for (Broker broker : started) {
            broker.process().destroyForcibly();
            broker.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Broker start(String name, String logName, int port, int peerPort) throws IOException {
        Map<String, String> settings = name.equals("broker-primary") ? primarySettings : backupSettings;
        Path file = CONFIGURATION.resolve(name + ".xml");
        assertThat(file).as("the deployment's broker configuration").isRegularFile();
        Path instance = Files.createDirectories(dir.resolve(name));
        Path etc = instanceEtc(instance);
        Path log = logs.resolve(logName + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                // What the standalone launcher (bin/artemis) sets: the instance directory (the journal under data/),
                // its etc/ (where the gateway-*.xml files the broker files include are) and the JAAS file there.
                "-Dartemis.instance=" + instance,
                "-Dartemis.instance.etc=" + etc,
                "-Djava.security.auth.login.config=" + etc.resolve("login.config"),
                "-DYIBAO_BROKER_NAME=" + name,
                "-DYIBAO_BROKER_BIND=127.0.0.1",
                "-DYIBAO_BROKER_HOST=127.0.0.1",
                "-DYIBAO_BROKER_PORT=" + port,
                "-DYIBAO_BROKER_PEER_HOST=127.0.0.1",
                "-DYIBAO_BROKER_PEER_PORT=" + peerPort,
                "-DARTEMIS_CLUSTER_PASSWORD=" + clusterPassword,
                "-DYIBAO_BROKER_KEY_STORE=" + pki.resolve(DevPki.BROKER_TLS + ".p12"),
                "-DYIBAO_BROKER_TRUST_STORE=" + pki.resolve("truststore.p12"),
                "-DYIBAO_BROKER_STORE_PASSWORD=" + storePassword));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(BrokerPair.class.getName());
        command.add(file.toUri().toString());
        Process process = new ProcessBuilder(command).directory(instance.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        Broker broker = new Broker(process, port, log);
        started.add(broker);
        return broker;
    }

    /**
     * The instance's {@code etc/} as the official image leaves it: the deployment's files (mounted into
     * {@code etc-override/}, copied into {@code etc/} at start) and the users and roles files that {@code artemis
     * create} writes for the image's {@code ARTEMIS_USER} and {@code ARTEMIS_PASSWORD}, role {@code amq}.
     */
    private static Path instanceEtc(Path instance) throws IOException {
        Path etc = Files.createDirectories(instance.resolve("etc"));
        try (var files = Files.list(CONFIGURATION)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, etc.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(etc.resolve("artemis-users.properties"), USER + " = " + PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("artemis-roles.properties"), "amq = " + USER + "\n", StandardCharsets.UTF_8);
        return etc;
    }

    private static void awaitLine(Broker broker, String line) throws Exception {
        awaitOutput(broker, "'" + line + "'", lines -> lines.contains(line));
    }

    /** Waits until the broker's output, line by line, satisfies {@code condition}. */
    private static void awaitOutput(Broker broker, String description, Predicate<List<String>> condition) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!condition.test(Files.readAllLines(broker.log(), StandardCharsets.UTF_8))) {
            assertThat(broker.process().isAlive()).as("the broker exited, see %s", broker.log()).isTrue();
            assertThat(Instant.now()).as("no %s within %s, see %s", description, START_TIMEOUT, broker.log()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** The broker JVM: {@code args[0]} is the URL of its broker.xml. */
    public static void main(String[] args) throws Exception {
        // The standalone broker's logging levels: without a configuration Logback logs everything, the audit included.
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        logging.getLogger("org.apache.activemq.audit").setLevel(Level.WARN);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ()
                .setConfigResourcePath(args[0])
                .setSecurityManager(new ActiveMQJAASSecurityManager(JAAS_DOMAIN));
        broker.start();
        ActiveMQServer server = broker.getActiveMQServer();
        // Every change of role, until killed: a backup becomes active when its primary dies and steps back when the
        // primary fails back; a primary restarted after a failover is a replica of the backup until it takes over.
        boolean inSync = false;
        boolean active = false;
        while (true) {
            if (server.isReplicaSync() != inSync) {
                inSync = !inSync;
                if (inSync) {
                    System.out.println(IN_SYNC);
                }
            }
            if (server.isActive() != active) {
                active = !active;
                System.out.println(active ? ACTIVE : NOT_ACTIVE);
            }
            Thread.sleep(100);
        }
    }
}
