package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.Credentials;
import java.io.ByteArrayInputStream;
import java.io.Console;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How a subcommand reaches a running gateway as an institution (a picocli mixin): the API's address and the mutual-TLS
 * files curl takes, the client they make, and failures said in words. The JDK's HTTP client, as nothing more is needed:
 * one request at a time.
 */
final class GatewayConnection {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--gateway", defaultValue = "https://localhost:8444", paramLabel = "URL",
            description = "The gateway's API. Default: ${DEFAULT-VALUE}.")
    URI gateway;

    @Option(names = "--cert", required = true, paramLabel = "CHAIN.pem|STORE.p12",
            description = "The institution's client certificate: its chain as PEM (leaf first, with --key), or a PKCS#12 store "
                    + "(.p12/.pfx) holding key and chain.")
    Path certificate;

    @Option(names = "--key", paramLabel = "KEY.pem", description = "The private key of a PEM --cert (PKCS#8 or SEC1, encrypted or not).")
    Path key;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "A file whose first line is the password of the PKCS#12 store or the encrypted key. Without it the "
                    + "password is asked for on the terminal.")
    Path passwordFile;

    @Option(names = "--cacert", required = true, paramLabel = "CA.pem", description = "The CA certificate(s) the gateway's certificate must chain to.")
    Path caCertificates;

    @Option(names = "--lang", defaultValue = "en", description = "Language of the reasons printed: en or zh. Default: ${DEFAULT-VALUE}.")
    AdapterTestCommand.Language language;

    private HttpClient http;

    /** The gateway's URI for a path (with its query). */
    URI uri(String path) {
        return gateway.resolve(path);
    }

    /** A request whose body is read as UTF-8 text. */
    HttpResponse<String> send(HttpRequest request, String what) throws IOException, InterruptedException, Unreachable {
        return send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
    }

    /** A request; not reaching the gateway (TLS refused, nobody listening) is an {@link Unreachable} naming {@code what}. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, String what)
            throws IOException, InterruptedException, Unreachable {
        try {
            return client().send(request, body);
        } catch (SSLException e) {
            throw new Unreachable("could not " + what + ": the TLS handshake with " + gateway + " failed (" + e.getMessage()
                    + "); check --cert, --key and --cacert");
        } catch (ConnectException e) {
            throw new Unreachable("could not " + what + ": nothing answers at " + gateway);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("could not " + what + ": " + gateway + " did not answer in time");
        } catch (IOException e) {
            throw new Unreachable("could not " + what + " at " + gateway + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    /** The rules and reasons of an answer's OperationOutcome (": rule text; rule text"), or nothing if the body is not one. */
    String reasons(String body) {
        StringBuilder reasons = new StringBuilder();
        try {
            for (JsonNode issue : JSON.readTree(body).path("issue")) {
                reasons.append(reasons.length() == 0 ? ": " : "; ").append(issue.at("/details/coding/0/code").asText("-")).append(' ')
                        .append(text(issue));
            }
        } catch (IOException notJson) {
            // a proxy's page, say: the status code is all there is
        }
        return reasons.toString();
    }

    /** An OperationOutcome issue's text in the chosen language (the Chinese translation extension when asked and present). */
    String text(JsonNode issue) {
        String text = issue.at("/details/text").asText(issue.path("diagnostics").asText());
        if (language == AdapterTestCommand.Language.zh) {
            for (JsonNode part : issue.at("/details/_text/extension/0/extension")) {
                if ("content".equals(part.path("url").asText())) {
                    text = part.path("valueString").asText();
                }
            }
        }
        return text;
    }

    /** Could not reach the gateway, or could not be understood by it; said in words. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private HttpClient client() throws IOException {
        if (http == null) {
            try {
                http = HttpClient.newBuilder().sslContext(sslContext(credentials(), caCertificates))
                        .connectTimeout(Duration.ofSeconds(10)).build();
            } catch (GeneralSecurityException e) {
                throw new IOException("the TLS files cannot be used: " + e.getMessage(), e);
            }
        }
        return http;
    }

    /**
     * The client's key and chain from {@code --cert} and {@code --key}: PEM files as curl takes them, or a PKCS#12 store as
     * institutions are often issued. A password (store, encrypted key) comes from {@code --password-file}, else the terminal.
     */
    Credentials credentials() throws IOException, GeneralSecurityException {
        boolean pem = Credentials.isPem(certificate);
        if (pem && key == null) {
            throw new IOException("--cert " + certificate + " is a PEM chain: give its private key with --key");
        }
        if (!pem && key != null) {
            throw new IOException("--cert " + certificate + " is not PEM, so it is read as a PKCS#12 store holding the key: drop --key");
        }
        if (!pem) {
            char[] password = password("the PKCS#12 store " + certificate);
            try {
                return Credentials.fromPkcs12(certificate, password);
            } catch (IOException e) {
                throw new IOException("cannot open the PKCS#12 store " + certificate + " (wrong password, or not a PKCS#12 file)", e);
            }
        }
        PrivateKey privateKey;
        try {
            privateKey = Credentials.readPrivateKey(key, passwordFile == null ? null : password("the key " + key));
        } catch (Credentials.EncryptedKeyException encrypted) {
            privateKey = Credentials.readPrivateKey(key, password("the key " + key)); // asked for on the terminal
        }
        return new Credentials(privateKey, Credentials.readCertificates(certificate));
    }

    private char[] password(String of) throws IOException {
        if (passwordFile != null) {
            List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
            return (lines.isEmpty() ? "" : lines.get(0)).toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new IOException(of + " needs a password: give --password-file (no terminal to ask on)");
        }
        char[] typed = console.readPassword("Password of %s: ", of);
        if (typed == null) {
            throw new IOException("no password typed for " + of);
        }
        return typed;
    }

    /**
     * Mutual TLS with the client's credentials, trusting the CAs of a PEM file. The key and certificates are handed to the
     * JDK's TLS as the JDK's own objects (re-read from their encodings), whichever provider parsed them.
     */
    static SSLContext sslContext(Credentials credentials, Path caPem) throws IOException, GeneralSecurityException {
        PrivateKey parsed = credentials.privateKey();
        PrivateKey privateKey = KeyFactory.getInstance(parsed instanceof ECKey ? "EC" : parsed.getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(parsed.getEncoded()));
        char[] password = "in-memory".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", privateKey, password, jdk(credentials.chain()).toArray(Certificate[]::new));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<Certificate> authorities = jdk(Credentials.readCertificates(caPem));
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static List<Certificate> jdk(List<X509Certificate> certificates) throws GeneralSecurityException {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<Certificate> converted = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            converted.add(x509.generateCertificate(new ByteArrayInputStream(certificate.getEncoded())));
        }
        return converted;
    }
}
