package io.yibao.certs;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a certificate of a chain has been revoked, by the CRLs (X.509 v2, RFC 5280 §5) of the CAs of a PKI: the
 * gateway's ingress asks it about the certificates institutions present (TLS client chains, enrolled envelope-signing
 * chains), and {@code SignatureVerifier} about the chain that signed a message.
 *
 * <p>A CRL is used only once its signature verifies with the key of its issuer, a CA of the PKI: a root
 * ({@code <pki>/{ec,sm2}/root.pem}) or an intermediate ({@code <pki>/{ec,sm2}/intermediate.pem}) signed by that root
 * (Bouncy Castle, so SM3withSM2 too). A CRL file that is missing, unreadable, does not verify, or is older than the one
 * in use is not used and is logged at ERROR; the CRL read from that file before (if any) stays in use, so a broken
 * replacement never un-revokes anything. A CRL past its nextUpdate stays in use (its entries stay revoked), logged at WARN
 * once. The files are looked at again (modification time, size, file key) at most once per {@code refreshInterval},
 * by the first check after it, so a revocation takes effect without a restart. The gateway's
 * {@code RevocationListDownloads} keeps files current from their CAs' distribution points when configured.
 *
 * <p>A certificate is matched by issuer name and serial number (RFC 5280 §5.3: CRLs of this issuer list it); indirect
 * CRLs (certificateIssuer entries), delta CRLs and OCSP are not supported. Thread-safe.
 */
public class CertificateRevocation {
    private static final Logger log = LoggerFactory.getLogger(CertificateRevocation.class);
    /** The {@link ListStatus#problem} of a file that does not exist. */
    public static final String MISSING = "missing";

    /** A revoked certificate of a presented chain: its position (0 = the leaf) and its CRL entry. */
    public record Revoked(int position, X509Certificate certificate, Instant revocationDate, CRLReason reason) {

        /** The serial number in hexadecimal, as OpenSSL and {@code yibao certs inspect} show it. */
        public String serial() {
            return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        }

        /**
         * Which certificate was revoked, when and why, in English: by serial number and issuer (a CA's name, never
         * personal data); {@code leaf} says what the chain's leaf is (e.g. "client certificate").
         */
        public String describe(String leaf) {
            String what = position == 0 ? "The " + leaf : "A CA certificate in the chain of the " + leaf;
            String why = reason == null || reason == CRLReason.UNSPECIFIED ? "" : " (" + reason + ")";
            return what + " (serial " + serial() + ", issuer " + certificate.getIssuerX500Principal().getName() + ") was revoked on "
                    + revocationDate + why;
        }

        /** The same in Chinese; {@code leafZh} says what the chain's leaf is (e.g. "客户端证书"). */
        public String describeZh(String leafZh) {
            String what = position == 0 ? leafZh : leafZh + "链中的 CA 证书";
            String why = reason == null || reason == CRLReason.UNSPECIFIED ? "" : "（" + reason + "）";
            return what + "（序列号 " + serial() + "，签发者 " + certificate.getIssuerX500Principal().getName() + "）已于 " + revocationDate
                    + " 被吊销" + why;
        }
    }

    /**
     * What is known of one configured CRL file, for the health endpoint.
     *
     * @param file the configured path
     * @param issuer the issuer of the CRL in use, null if none
     * @param thisUpdate its thisUpdate, null if none
     * @param nextUpdate its nextUpdate, null if none or absent
     * @param entries how many certificates it lists
     * @param problem why the file's current content is not used (missing, does not verify, ...), null if it is
     * @param configured named by {@code yibao.ingress.revocation-lists}, not one of the PKI's own files by default
     */
    public record ListStatus(Path file, String issuer, Instant thisUpdate, Instant nextUpdate, int entries, String problem,
                             boolean configured) {
        /** Whether a verified CRL from this file is in use. */
        public boolean inUse() {
            return issuer != null;
        }

        /** Whether the CRL in use is past its nextUpdate at {@code now}. */
        public boolean staleAt(Instant now) {
            return nextUpdate != null && nextUpdate.isBefore(now);
        }
    }

    /** A file's identity and version: a replaced or rewritten file differs in one of them. */
    private record FileVersion(FileTime modified, long size, Object key) {}

    /** One configured file: the version last looked at, the verified CRL in use from it and why its content is not. */
    private static final class ListFile {
        final Path path;
        final boolean configured;
        FileVersion version;
        boolean looked;
        X509CRL crl;
        String problem;
        boolean staleLogged;

        ListFile(Path path, boolean configured) {
            this.path = path;
            this.configured = configured;
        }
    }

    private final List<ListFile> files;
    private final Map<X500Principal, List<X509Certificate>> issuers;
    private final Clock clock;
    private final Duration refreshInterval;
    private volatile Instant nextRefresh = Instant.MIN;
    /** Issuer → serial number → entry, of every CRL in use; replaced whole on a change. */
    private volatile Map<X500Principal, Map<BigInteger, X509CRLEntry>> revoked = Map.of();

    /**
     * @param revocationLists the CRL files; empty means the PKI's own ({@link DevPki#revocationListFiles}), of which
     *     missing ones are only warned about (a PKI made before CRLs existed)
     * @param pki the PKI directory, whose roots and intermediates may sign CRLs
     * @param refreshInterval how often at most the files are looked at again
     */
    public CertificateRevocation(List<Path> revocationLists, Path pki, Duration refreshInterval, Clock clock) {
        this.clock = clock;
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        boolean configured = !revocationLists.isEmpty();
        this.files = (configured ? revocationLists : DevPki.revocationListFiles(pki)).stream()
                .map(path -> new ListFile(path, configured)).toList();
        this.issuers = crlIssuers(pki);
        refreshIfDue();
    }

    /**
     * The first certificate of {@code chain} (leaf first, as presented) that a CRL in use lists, if any. Looks at the
     * files again first when {@code refreshInterval} has passed since the last look.
     */
    public Optional<Revoked> check(List<X509Certificate> chain) {
        refreshIfDue();
        Map<X500Principal, Map<BigInteger, X509CRLEntry>> index = revoked;
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            Map<BigInteger, X509CRLEntry> byIssuer = index.get(certificate.getIssuerX500Principal());
            X509CRLEntry entry = byIssuer == null ? null : byIssuer.get(certificate.getSerialNumber());
            if (entry != null) {
                return Optional.of(new Revoked(i, certificate, entry.getRevocationDate().toInstant(), entry.getRevocationReason()));
            }
        }
        return Optional.empty();
    }

    /** The state of every configured CRL file, as of the last look. */
    public synchronized List<ListStatus> status() {
        List<ListStatus> statuses = new ArrayList<>();
        for (ListFile file : files) {
            X509CRL crl = file.crl;
            statuses.add(crl == null ? new ListStatus(file.path, null, null, null, 0, file.problem, file.configured)
                    : new ListStatus(file.path, crl.getIssuerX500Principal().getName(), crl.getThisUpdate().toInstant(),
                            crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(),
                            crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size(), file.problem,
                            file.configured));
        }
        return statuses;
    }

    /** The clock the checks use (for the health endpoint's staleness). */
    public Instant now() {
        return clock.instant();
    }

    private void refreshIfDue() {
        if (clock.instant().isBefore(nextRefresh)) {
            return;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isBefore(nextRefresh)) {
                return;
            }
            nextRefresh = now.plus(refreshInterval);
            boolean changed = false;
            for (ListFile file : files) {
                changed |= look(file, now);
            }
            if (changed) {
                revoked = index();
            }
        }
    }

    /** Reads {@code file} again if it changed since the last look; true if the CRL in use from it changed. */
    private boolean look(ListFile file, Instant now) {
        FileVersion version;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file.path, BasicFileAttributes.class);
            version = new FileVersion(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException e) { // NoSuchFileException above all: reported as missing
            version = null;
        }
        if (file.looked && Objects.equals(version, file.version)) {
            warnIfStale(file, now);
            return false;
        }
        file.looked = true;
        file.version = version;
        if (version == null) {
            file.problem = MISSING;
            String kept = file.crl == null ? "" : "; the CRL read from it before stays in use";
            if (file.configured || file.crl != null) {
                log.error("revocation list {} is missing{}", file.path, kept);
            } else {
                log.warn("revocation list {} is missing: no revocation is checked for its CA (a development PKI made before CRLs"
                        + " existed: recreate it with `bin/yibao certs init --force`)", file.path);
            }
            return false;
        }
        X509CRL crl;
        try {
            crl = read(file.path);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return rejected(file, "unreadable: " + e.getMessage());
        }
        List<X509Certificate> candidates = issuers.getOrDefault(crl.getIssuerX500Principal(), List.of());
        if (candidates.stream().noneMatch(issuer -> verifies(crl, issuer))) {
            return rejected(file, (candidates.isEmpty() ? "its issuer is no CA of the PKI"
                    : "its signature does not verify with the key of its issuer") + " (" + crl.getIssuerX500Principal().getName() + ")");
        }
        if (file.crl != null && crl.getThisUpdate().before(file.crl.getThisUpdate())) {
            return rejected(file, "its thisUpdate " + crl.getThisUpdate().toInstant() + " is older than that of the CRL in use ("
                    + file.crl.getThisUpdate().toInstant() + ")");
        }
        file.crl = crl;
        file.problem = null;
        file.staleLogged = false;
        int entries = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        log.info("revocation list {} of {} in use: {} revoked certificate(s), thisUpdate {}, nextUpdate {}", file.path,
                crl.getIssuerX500Principal().getName(), entries, crl.getThisUpdate().toInstant(),
                crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant());
        warnIfStale(file, now);
        return true;
    }

    private static boolean rejected(ListFile file, String problem) {
        file.problem = problem;
        log.error("revocation list {} is not used: {}{}", file.path, problem,
                file.crl == null ? "" : "; the CRL read from it before stays in use");
        return false;
    }

    private static void warnIfStale(ListFile file, Instant now) {
        if (file.crl != null && !file.staleLogged && file.crl.getNextUpdate() != null && file.crl.getNextUpdate().toInstant().isBefore(now)) {
            file.staleLogged = true;
            log.warn("revocation list {} is past its nextUpdate {}: its entries still apply, but a newer CRL is due from {}", file.path,
                    file.crl.getNextUpdate().toInstant(), file.crl.getIssuerX500Principal().getName());
        }
    }

    private Map<X500Principal, Map<BigInteger, X509CRLEntry>> index() {
        Map<X500Principal, Map<BigInteger, X509CRLEntry>> index = new HashMap<>();
        for (ListFile file : files) {
            if (file.crl != null && file.crl.getRevokedCertificates() != null) {
                Map<BigInteger, X509CRLEntry> byIssuer = index.computeIfAbsent(file.crl.getIssuerX500Principal(), k -> new HashMap<>());
                for (X509CRLEntry entry : file.crl.getRevokedCertificates()) {
                    byIssuer.putIfAbsent(entry.getSerialNumber(), entry);
                }
            }
        }
        return index;
    }

    /** A CRL file, PEM or DER; a PEM file with several CRLs is refused (one file, one CRL, so its state is clear). */
    private static X509CRL read(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<? extends CRL> crls = new ArrayList<>(CertificateFactory.getInstance("X.509", BouncyCastle.provider()).generateCRLs(in));
            if (crls.size() != 1 || !(crls.get(0) instanceof X509CRL crl)) {
                throw new GeneralSecurityException("it holds " + crls.size() + " CRLs, not one");
            }
            return crl;
        }
    }

    private static boolean verifies(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey(), BouncyCastle.provider());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The CAs that may sign CRLs: each hierarchy's root, and its intermediate if the root signed it. */
    private static Map<X500Principal, List<X509Certificate>> crlIssuers(Path pki) {
        Map<X500Principal, List<X509Certificate>> issuers = new LinkedHashMap<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            Path hierarchy = DevPki.hierarchyDirectory(pki, algorithm);
            if (!Files.isRegularFile(hierarchy.resolve("root.pem"))) {
                continue;
            }
            try {
                X509Certificate root = DevPki.rootCertificate(pki, algorithm);
                issuers.computeIfAbsent(root.getSubjectX500Principal(), k -> new ArrayList<>()).add(root);
                Path intermediateFile = hierarchy.resolve(DevPki.INTERMEDIATE + ".pem");
                if (Files.isRegularFile(intermediateFile)) {
                    X509Certificate intermediate = Credentials.readCertificates(intermediateFile).get(0);
                    intermediate.verify(root.getPublicKey(), BouncyCastle.provider());
                    issuers.computeIfAbsent(intermediate.getSubjectX500Principal(), k -> new ArrayList<>()).add(intermediate);
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("the CA certificates of " + hierarchy + " cannot be read or do not verify with its root: "
                        + e.getMessage(), e);
            }
        }
        return issuers;
    }
}
