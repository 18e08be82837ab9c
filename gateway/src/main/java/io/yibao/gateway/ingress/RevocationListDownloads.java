package io.yibao.gateway.ingress;

import io.yibao.certs.BouncyCastle;
import io.yibao.certs.CertificateRevocation;
import io.yibao.gateway.config.GatewayProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Keeps CRL files current from their CAs' distribution points ({@code yibao.ingress.revocation-list-downloads}: a URL
 * and the file, one of {@code revocation-lists}, it is saved to), every {@code revocation-download-interval} and once
 * before the revocation check first reads the files. A download replaces its file atomically and only with a CRL
 * (X.509 v2, PEM or DER); whether that CRL is signed by the gateway's PKI, and newer than the one in use, is
 * {@link CertificateRevocation}'s to judge when it reads the file, so a bad or old CRL never un-revokes anything. A
 * download that fails (unreachable, an HTTP error, not a CRL) leaves the file as it was and is logged at WARN; the
 * health component shows the CRL in use going stale. Asks with {@code If-Modified-Since} the {@code Last-Modified}
 * of the last download, so an unchanged CRL costs a 304; one the same as the file's (a server that sends no
 * {@code Last-Modified}) is not written again.
 */
public class RevocationListDownloads implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(RevocationListDownloads.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final List<GatewayProperties.RevocationListDownload> downloads;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    /** URL → the Last-Modified of its last download. */
    private final Map<URI, String> lastModified = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException if a download's file is not one of {@code revocationLists}: it would be
     *     downloaded and never read
     */
    public RevocationListDownloads(List<GatewayProperties.RevocationListDownload> downloads, List<Path> revocationLists, Duration interval) {
        for (GatewayProperties.RevocationListDownload download : downloads) {
            if (!revocationLists.contains(download.getFile())) {
                throw new IllegalArgumentException("yibao.ingress.revocation-list-downloads: " + download.getFile() + " (from " + download.getUrl()
                        + ") is not one of yibao.ingress.revocation-lists " + revocationLists + ", so the gateway would never read it");
            }
        }
        this.downloads = List.copyOf(downloads);
        this.interval = interval;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (!downloads.isEmpty()) {
            tasks.addFixedDelayTask(new FixedDelayTask(this::downloadAll, interval, interval));
        }
    }

    /** Downloads every CRL once; returns how many files were replaced. */
    public int downloadAll() {
        int replaced = 0;
        for (GatewayProperties.RevocationListDownload download : downloads) {
            try {
                if (download(download.getUrl(), download.getFile())) {
                    replaced++;
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                log.warn("CRL download from {} failed, {} left as it is: {}", download.getUrl(), download.getFile(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return replaced;
            }
        }
        return replaced;
    }

    private boolean download(URI url, Path file) throws IOException, InterruptedException, GeneralSecurityException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET();
        String since = lastModified.get(url);
        if (since != null && Files.exists(file)) {
            request.header("If-Modified-Since", since);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 304) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                .generateCRL(new ByteArrayInputStream(response.body()));
        if (crl == null) {
            throw new GeneralSecurityException("the answer is not a CRL");
        }
        response.headers().firstValue("Last-Modified").ifPresentOrElse(value -> lastModified.put(url, value), () -> lastModified.remove(url));
        if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), response.body())) {
            return false; // a distribution point that sends no Last-Modified: the same CRL again
        }
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path part = Files.createTempFile(directory, file.getFileName().toString(), ".part");
        try {
            Files.write(part, response.body());
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        log.info("CRL of {} (thisUpdate {}) downloaded from {} to {}", crl.getIssuerX500Principal().getName(), crl.getThisUpdate().toInstant(),
                url, file);
        return true;
    }
}
