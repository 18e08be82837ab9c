package io.yibao.certs;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Creates the development PKI: for each {@link KeyAlgorithm} a root CA, an intermediate CA and the
 * leaves the gateway, the platform simulator and the institutions use, written as PEM and PKCS#12
 * files. For development and tests only; production certificates come from the operator's CA.
 *
 * <p>Layout of a PKI directory {@code DIR}: {@code DIR/store-password} and, per hierarchy
 * ({@code DIR/ec/}, {@code DIR/sm2/}): {@code root.pem}, {@code root.key.pem}, {@code intermediate.pem},
 * {@code intermediate.key.pem}, {@code truststore.p12}, the CRLs {@code root.crl.pem} (the root's: it can revoke the
 * intermediate) and {@code intermediate.crl.pem} (the intermediate's: it can revoke the leaves), empty until
 * {@link #revoke}, and for every leaf NAME {@code NAME.pem},
 * {@code NAME.key.pem}, {@code NAME.chain.pem} (leaf + intermediate) and {@code NAME.p12}. The SM2
 * hierarchy alone also holds, for each hospital and pharmacy, an envelope-signing leaf
 * ({@link #envelopeSigningLeafName}): the key that signs the national interface envelope's {@code cainfo},
 * which is SM2 only. Every PKCS#12 store of a directory is protected by the one password in
 * {@code DIR/store-password}. {@code DIR/ssh/} holds each institution's SFTP key pair ({@link DevSshKeys}).
 */
public final class DevPki {

    /** The gateway's TLS certificate: server to institutions, mutual-TLS client to the platform (serverAuth + clientAuth; DNS:localhost, IP:127.0.0.1). */
    public static final String GATEWAY_TLS = "gateway-tls";
    /** The gateway's signing certificate (digitalSignature + nonRepudiation, no TLS use). */
    public static final String GATEWAY_SIGNING = "gateway-signing";
    /** The platform simulator's TLS certificate (serverAuth + clientAuth; DNS:localhost, IP:127.0.0.1). */
    public static final String PLATFORM_TLS = "platform-tls";
    /**
     * The TLS certificate of the scale-out broker pair (docker/artemis): server to the gateway nodes, client and server
     * on the pair's replication link (serverAuth + clientAuth; DNS:localhost, artemis-primary, artemis-backup, IP:127.0.0.1).
     */
    public static final String BROKER_TLS = "broker-tls";
    /** Name of the file holding the password of every PKCS#12 store of a PKI directory. */
    public static final String STORE_PASSWORD_FILE = "store-password";
    /** Alias of the root certificate in {@code truststore.p12}. */
    public static final String TRUSTSTORE_ALIAS = "root";
    /** The name {@link #revoke} takes for a hierarchy's intermediate CA (revoked on the root's CRL). */
    public static final String INTERMEDIATE = "intermediate";
    /** File name of the root CA's CRL in a hierarchy directory. */
    public static final String ROOT_CRL = "root.crl.pem";
    /** File name of the intermediate CA's CRL (the one that lists revoked leaves) in a hierarchy directory. */
    public static final String INTERMEDIATE_CRL = "intermediate.crl.pem";

    private static final String ORGANIZATION = "Yibao Gateway Development";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevPki() {}

    /** Creates the PKI in {@code directory} with the default options; refuses to replace an existing one. */
    public static Summary init(Path directory) throws IOException, GeneralSecurityException {
        return init(directory, Options.defaults());
    }

    /**
     * Creates the PKI in {@code directory}.
     *
     * @throws FileAlreadyExistsException if {@code directory} already holds a PKI and
     *     {@link Options#force()} is false
     */
    public static Summary init(Path directory, Options options) throws IOException, GeneralSecurityException {
        Objects.requireNonNull(options, "options");
        List<Path> existing = Stream.concat(Stream.of(directory.resolve(STORE_PASSWORD_FILE), DevSshKeys.directory(directory)),
                        Stream.of(KeyAlgorithm.values()).map(algorithm -> hierarchyDirectory(directory, algorithm)))
                .filter(Files::exists)
                .toList();
        if (!existing.isEmpty()) {
            if (!options.force()) {
                throw new FileAlreadyExistsException(directory.toString(), null,
                        "a development PKI already exists here; use force to replace it");
            }
            for (Path path : existing) {
                deleteRecursively(path);
            }
        }
        Files.createDirectories(directory);

        char[] password = newPassword();
        Path passwordFile = directory.resolve(STORE_PASSWORD_FILE);
        PkiFiles.writeSecret(passwordFile, (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));

        List<Path> files = new ArrayList<>(List.of(passwordFile));
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            new HierarchyWriter(algorithm, hierarchyDirectory(directory, algorithm), options, password, files).write();
        }
        files.addAll(DevSshKeys.write(DevSshKeys.directory(directory), options.institutions()));
        List<String> leafNames = new ArrayList<>(List.of(GATEWAY_TLS, GATEWAY_SIGNING, PLATFORM_TLS, BROKER_TLS));
        options.institutions().forEach(institution -> leafNames.add(clientLeafName(institution.code())));
        List<String> envelopeLeafNames = options.institutions().stream().filter(DevPki::signsNationalEnvelopes)
                .map(institution -> envelopeSigningLeafName(institution.code())).toList();
        return new Summary(directory, passwordFile, List.copyOf(leafNames), envelopeLeafNames, List.copyOf(files));
    }

    /**
     * Hospitals and pharmacies are the designated institutions (定点医疗机构, 定点零售药店) that speak the
     * national interface and sign its envelopes; banks and tax bureaus do not.
     */
    private static boolean signsNationalEnvelopes(Institution institution) {
        return institution.kind() == Institution.Kind.HOSPITAL || institution.kind() == Institution.Kind.PHARMACY;
    }

    /** The directory of one hierarchy: {@code DIR/ec} or {@code DIR/sm2}. */
    public static Path hierarchyDirectory(Path directory, KeyAlgorithm algorithm) {
        return directory.resolve(switch (algorithm) {
            case EC_P256 -> "ec";
            case SM2 -> "sm2";
        });
    }

    /** The leaf name of an institution's client certificate: {@code client-<code>}. */
    public static String clientLeafName(String institutionCode) {
        return "client-" + institutionCode;
    }

    /**
     * The leaf name of an institution's national-envelope signing certificate (SM2 hierarchy only):
     * {@code envelope-signing-<code>}. Its {@code .chain.pem} (leaf + intermediate) is what the gateway's enrollment names as
     * {@code envelope-signing-certificate}.
     */
    public static String envelopeSigningLeafName(String institutionCode) {
        return "envelope-signing-" + institutionCode;
    }

    /** Reads the password of the PKCS#12 stores of a PKI directory. */
    public static char[] readStorePassword(Path directory) throws IOException {
        return Files.readString(directory.resolve(STORE_PASSWORD_FILE), StandardCharsets.US_ASCII).strip().toCharArray();
    }

    /** Loads a leaf's key and chain (leaf + intermediate) from its {@code NAME.p12}. */
    public static Credentials credentials(Path directory, KeyAlgorithm algorithm, String leafName)
            throws IOException, GeneralSecurityException {
        return Credentials.fromPkcs12(hierarchyDirectory(directory, algorithm).resolve(leafName + ".p12"),
                readStorePassword(directory));
    }

    /** The root CA certificate of a hierarchy, the trust anchor for its chains. */
    public static X509Certificate rootCertificate(Path directory, KeyAlgorithm algorithm)
            throws IOException, GeneralSecurityException {
        return Credentials.readCertificates(hierarchyDirectory(directory, algorithm).resolve("root.pem")).get(0);
    }

    /** The CRL files of a PKI directory, both hierarchies: root's and intermediate's, whether they exist or not. */
    public static List<Path> revocationListFiles(Path directory) {
        return Stream.of(KeyAlgorithm.values())
                .flatMap(algorithm -> Stream.of(INTERMEDIATE_CRL, ROOT_CRL).map(hierarchyDirectory(directory, algorithm)::resolve))
                .toList();
    }

    /** {@link #revoke(Path, KeyAlgorithm, String, CRLReason, Clock, Period)} now, the CRL valid for 7 days. */
    public static Revocation revoke(Path directory, KeyAlgorithm algorithm, String name, CRLReason reason)
            throws IOException, GeneralSecurityException {
        return revoke(directory, algorithm, name, reason, Clock.systemUTC(), Options.DEFAULT_CRL_VALIDITY);
    }

    /**
     * Revokes the certificate {@code NAME.pem} of a hierarchy as of {@code clock}'s now: rewrites the intermediate's CRL
     * ({@value #INTERMEDIATE_CRL}) with one more entry, or the root's ({@value #ROOT_CRL}) when {@code name} is
     * {@value #INTERMEDIATE}. The new CRL keeps the earlier entries, has the next CRL number, thisUpdate now and
     * nextUpdate {@code crlValidity} later; it replaces the file atomically. A PKI made before CRLs existed gets its
     * first CRL here. Revoking a certificate already listed changes nothing.
     */
    public static Revocation revoke(Path directory, KeyAlgorithm algorithm, String name, CRLReason reason, Clock clock,
            Period crlValidity) throws IOException, GeneralSecurityException {
        Objects.requireNonNull(reason, "reason");
        Path hierarchy = hierarchyDirectory(directory, algorithm);
        boolean intermediate = INTERMEDIATE.equals(name);
        Path certificateFile = hierarchy.resolve(name + ".pem");
        if (!Files.isRegularFile(certificateFile)) {
            throw new NoSuchFileException(certificateFile.toString(), null, "no certificate " + name + " in " + hierarchy);
        }
        X509Certificate certificate = Credentials.readCertificates(certificateFile).get(0);
        CertificateAuthority issuer = readAuthority(algorithm, hierarchy, intermediate ? "root" : INTERMEDIATE);
        Path crlFile = hierarchy.resolve(intermediate ? ROOT_CRL : INTERMEDIATE_CRL);
        X509CRL previous = Files.exists(crlFile) ? readRevocationList(crlFile) : null;
        if (previous != null) {
            X509CRLEntry listed = previous.getRevokedCertificate(certificate);
            if (listed != null) {
                return new Revocation(crlFile, certificate.getSerialNumber(), listed.getRevocationDate().toInstant(),
                        previous.getRevokedCertificates().size());
            }
        }
        BigInteger number = previous == null ? BigInteger.ONE : crlNumber(previous).add(BigInteger.ONE);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509CRL crl = issuer.revocationList(now, HierarchyWriter.plus(now, crlValidity), number, previous, certificate, reason);
        PkiFiles.writeRevocationList(crlFile, crl);
        return new Revocation(crlFile, certificate.getSerialNumber(), now, crl.getRevokedCertificates().size());
    }

    /**
     * Issues one more TLS client certificate for {@code institution} in a hierarchy of an existing PKI, under the leaf name
     * {@code leafName} (files as for every leaf), valid for 397 days from now: a second key of the same institution, e.g.
     * the one that replaces a compromised key, or a test's own certificate that it may revoke without touching the others.
     */
    public static void issueClientCertificate(Path directory, KeyAlgorithm algorithm, Institution institution, String leafName)
            throws IOException, GeneralSecurityException {
        Path hierarchy = hierarchyDirectory(directory, algorithm);
        if (Files.exists(hierarchy.resolve(leafName + ".pem"))) {
            throw new FileAlreadyExistsException(hierarchy.resolve(leafName + ".pem").toString());
        }
        HierarchyWriter writer = new HierarchyWriter(algorithm, hierarchy, Options.defaults(), readStorePassword(directory),
                new ArrayList<>());
        writer.writeLeaf(readAuthority(algorithm, hierarchy, INTERMEDIATE), leafName, HierarchyWriter.name(institution.name(),
                institution.kind().organizationalUnit(), institution.code()), LeafProfile.TLS_CLIENT);
    }

    /**
     * Adds an institution to an existing PKI, as {@link #init} writes the synthetic ones: in each hierarchy its TLS
     * client certificate ({@code client-CODE}) issued by the intermediate CA, in the SM2 hierarchy for a hospital or a
     * pharmacy its envelope-signing certificate ({@code envelope-signing-CODE}), and its SSH key pair
     * ({@code ssh/CODE}, {@code ssh/CODE.pub}). Leaves valid for 397 days from now, as {@code init} makes them.
     *
     * @return the files written
     * @throws FileAlreadyExistsException if the PKI already has a certificate or a key for the institution
     */
    public static List<Path> addInstitution(Path directory, Institution institution) throws IOException, GeneralSecurityException {
        List<Path> taken = new ArrayList<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            Path hierarchy = hierarchyDirectory(directory, algorithm);
            taken.add(hierarchy.resolve(clientLeafName(institution.code()) + ".pem"));
            taken.add(hierarchy.resolve(envelopeSigningLeafName(institution.code()) + ".pem"));
        }
        taken.add(DevSshKeys.directory(directory).resolve(institution.code()));
        for (Path file : taken) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "institution " + institution.code() + " is already in this PKI");
            }
        }
        char[] password = readStorePassword(directory);
        List<Path> written = new ArrayList<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            Path hierarchy = hierarchyDirectory(directory, algorithm);
            new HierarchyWriter(algorithm, hierarchy, Options.defaults(), password, written)
                    .writeInstitution(readAuthority(algorithm, hierarchy, INTERMEDIATE), institution);
        }
        written.addAll(DevSshKeys.write(DevSshKeys.directory(directory), List.of(institution)));
        return written;
    }

    private static CertificateAuthority readAuthority(KeyAlgorithm algorithm, Path hierarchy, String name)
            throws IOException, GeneralSecurityException {
        return new CertificateAuthority(algorithm, Credentials.readPrivateKey(hierarchy.resolve(name + ".key.pem")),
                Credentials.readCertificates(hierarchy.resolve(name + ".pem")).get(0));
    }

    /** Reads a CRL file, PEM or DER. */
    public static X509CRL readRevocationList(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.provider()).generateCRL(in);
        }
    }

    private static BigInteger crlNumber(X509CRL crl) throws IOException {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        return extension == null ? BigInteger.ZERO
                : CRLNumber.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getCRLNumber();
    }

    /**
     * What {@link #revoke} did.
     *
     * @param revocationList the CRL file that lists the certificate now
     * @param serialNumber the revoked certificate's serial number
     * @param revocationDate when it was revoked (an earlier date if it was already listed)
     * @param entries how many certificates the CRL lists now
     */
    public record Revocation(Path revocationList, BigInteger serialNumber, Instant revocationDate, int entries) {}

    /** 18 random bytes as 24 base64url characters: 144 bits, safe in shells and URLs. */
    private static char[] newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Writes one hierarchy (root, intermediate, leaves, trust store) into its directory. */
    private static final class HierarchyWriter {
        private final KeyAlgorithm algorithm;
        private final Path directory;
        private final Options options;
        private final char[] password;
        private final List<Path> written;
        private final Instant notBefore;

        HierarchyWriter(KeyAlgorithm algorithm, Path directory, Options options, char[] password, List<Path> written) {
            this.algorithm = algorithm;
            this.directory = directory;
            this.options = options;
            this.password = password;
            this.written = written;
            // X.509 times have a resolution of one second (RFC 5280 §4.1.2.5).
            this.notBefore = options.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        }

        void write() throws IOException, GeneralSecurityException {
            Files.createDirectories(directory);
            String label = algorithm.displayName();
            CertificateAuthority root = CertificateAuthority.root(algorithm,
                    name(ORGANIZATION, null, "Yibao Dev " + label + " Root CA"),
                    notBefore, plus(notBefore, options.rootValidity()));
            CertificateAuthority intermediate = root.intermediate(
                    name(ORGANIZATION, null, "Yibao Dev " + label + " Intermediate CA"),
                    notBefore, plus(notBefore, options.intermediateValidity()));

            writeCertificates("root.pem", List.of(root.certificate()));
            writePrivateKey("root.key.pem", root);
            writeCertificates("intermediate.pem", List.of(intermediate.certificate()));
            writePrivateKey("intermediate.key.pem", intermediate);
            Instant crlNextUpdate = plus(notBefore, options.crlValidity());
            writeRevocationList(ROOT_CRL, root.revocationList(notBefore, crlNextUpdate, BigInteger.ONE, null, null, null));
            writeRevocationList(INTERMEDIATE_CRL, intermediate.revocationList(notBefore, crlNextUpdate, BigInteger.ONE, null, null, null));
            Path trustStore = directory.resolve("truststore.p12");
            PkiFiles.writeSecret(trustStore, Pkcs12Encoding.trustStore(TRUSTSTORE_ALIAS, root.certificate(), password));
            written.add(trustStore);

            writeLeaf(intermediate, GATEWAY_TLS, name(ORGANIZATION, null, GATEWAY_TLS), LeafProfile.TLS_SERVER_AND_CLIENT);
            writeLeaf(intermediate, GATEWAY_SIGNING, name(ORGANIZATION, null, GATEWAY_SIGNING),
                    LeafProfile.DOCUMENT_SIGNING);
            writeLeaf(intermediate, PLATFORM_TLS, name("Medical Insurance Platform Simulator", null, PLATFORM_TLS),
                    LeafProfile.TLS_SERVER_AND_CLIENT);
            writeLeaf(intermediate, BROKER_TLS, name(ORGANIZATION, null, BROKER_TLS), LeafProfile.TLS_BROKER);
            for (Institution institution : options.institutions()) {
                writeInstitution(intermediate, institution);
            }
        }

        /** An institution's leaves: its TLS client certificate and, in the SM2 hierarchy, its envelope-signing one. */
        void writeInstitution(CertificateAuthority intermediate, Institution institution) throws IOException, GeneralSecurityException {
            X500Name subject = name(institution.name(), institution.kind().organizationalUnit(), institution.code());
            writeLeaf(intermediate, clientLeafName(institution.code()), subject, LeafProfile.TLS_CLIENT);
            if (algorithm == KeyAlgorithm.SM2 && signsNationalEnvelopes(institution)) {
                writeLeaf(intermediate, envelopeSigningLeafName(institution.code()), subject, LeafProfile.DOCUMENT_SIGNING);
            }
        }

        void writeLeaf(CertificateAuthority issuer, String leafName, X500Name subject, LeafProfile profile)
                throws IOException, GeneralSecurityException {
            KeyPair keyPair = CertificateAuthority.generateKeyPair(algorithm);
            X509Certificate certificate = issuer.issue(subject, keyPair.getPublic(), profile,
                    notBefore, plus(notBefore, options.leafValidity()));
            List<X509Certificate> chain = List.of(certificate, issuer.certificate());
            writeCertificates(leafName + ".pem", List.of(certificate));
            Path keyFile = directory.resolve(leafName + ".key.pem");
            PkiFiles.writePrivateKey(keyFile, keyPair.getPrivate());
            written.add(keyFile);
            writeCertificates(leafName + ".chain.pem", chain);
            Path store = directory.resolve(leafName + ".p12");
            PkiFiles.writeSecret(store, Pkcs12Encoding.keyStore(leafName, keyPair.getPrivate(), chain, password));
            written.add(store);
        }

        private void writeRevocationList(String fileName, X509CRL crl) throws IOException {
            Path file = directory.resolve(fileName);
            PkiFiles.writeRevocationList(file, crl);
            written.add(file);
        }

        private void writeCertificates(String fileName, List<X509Certificate> certificates) throws IOException {
            Path file = directory.resolve(fileName);
            PkiFiles.writeCertificates(file, certificates);
            written.add(file);
        }

        private void writePrivateKey(String fileName, CertificateAuthority authority) throws IOException {
            Path file = directory.resolve(fileName);
            PkiFiles.writePrivateKey(file, authority.privateKey());
            written.add(file);
        }

        static Instant plus(Instant instant, Period period) {
            return instant.atOffset(ZoneOffset.UTC).plus(period).toInstant();
        }

        /** {@code C=CN, O=organization[, OU=unit], CN=commonName}, in that (encoding) order. */
        static X500Name name(String organization, String unit, String commonName) {
            X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "CN")
                    .addRDN(BCStyle.O, organization);
            if (unit != null) {
                builder.addRDN(BCStyle.OU, unit);
            }
            return builder.addRDN(BCStyle.CN, commonName).build();
        }
    }

    /**
     * How to create the PKI. Validities are calendar periods from {@code clock}'s current instant;
     * a clock in the past makes certificates that have already expired.
     *
     * @param clock when the certificates start being valid (notBefore)
     * @param rootValidity validity of the root CAs (default 10 years)
     * @param intermediateValidity validity of the intermediate CAs (default 5 years)
     * @param leafValidity validity of the end-entity certificates (default 397 days)
     * @param crlValidity time from a CRL's thisUpdate to its nextUpdate (default 7 days)
     * @param institutions institutions that get a client certificate (default {@link Institution#SYNTHETIC})
     * @param force whether to replace an existing PKI in the directory
     */
    public record Options(Clock clock, Period rootValidity, Period intermediateValidity, Period leafValidity,
            Period crlValidity, List<Institution> institutions, boolean force) {

        /** The default time from a CRL's thisUpdate to its nextUpdate. */
        public static final Period DEFAULT_CRL_VALIDITY = Period.ofDays(7);

        public Options {
            Objects.requireNonNull(clock, "clock");
            requirePositive(rootValidity, "rootValidity");
            requirePositive(intermediateValidity, "intermediateValidity");
            requirePositive(leafValidity, "leafValidity");
            requirePositive(crlValidity, "crlValidity");
            institutions = List.copyOf(institutions);
            if (institutions.stream().map(Institution::code).distinct().count() != institutions.size()) {
                throw new IllegalArgumentException("institution codes must be unique: " + institutions);
            }
        }

        /**
         * System clock, 10 / 5 years for root / intermediate, 397 days for leaves, CRLs valid 7 days, the synthetic
         * institutions.
         */
        public static Options defaults() {
            return new Options(Clock.systemUTC(), Period.ofYears(10), Period.ofYears(5), Period.ofDays(397),
                    DEFAULT_CRL_VALIDITY, Institution.SYNTHETIC, false);
        }

        public Options withCrlValidity(Period crlValidity) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withClock(Clock clock) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withRootValidity(Period rootValidity) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withIntermediateValidity(Period intermediateValidity) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withLeafValidity(Period leafValidity) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withInstitutions(List<Institution> institutions) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        public Options withForce(boolean force) {
            return new Options(clock, rootValidity, intermediateValidity, leafValidity, crlValidity, institutions, force);
        }

        private static void requirePositive(Period period, String name) {
            Objects.requireNonNull(period, name);
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + period);
            }
        }
    }

    /**
     * What {@link #init} wrote.
     *
     * @param directory the PKI directory
     * @param storePasswordFile the file holding the PKCS#12 password
     * @param leafNames the leaf names, present in every hierarchy
     * @param envelopeSigningLeafNames the national-envelope signing leaves, in the SM2 hierarchy only
     * @param files every file written, in writing order
     */
    public record Summary(Path directory, Path storePasswordFile, List<String> leafNames, List<String> envelopeSigningLeafNames,
            List<Path> files) {

        /** Human-readable lines: where the PKI is, its leaves, and the files relative to the directory. */
        public String format() {
            StringBuilder text = new StringBuilder()
                    .append("Development PKI in ").append(directory).append('\n')
                    .append("Hierarchies: ec (EC P-256, SHA256withECDSA), sm2 (SM2, SM3withSM2)\n")
                    .append("Leaves: ").append(String.join(", ", leafNames)).append('\n')
                    .append("Envelope-signing leaves (sm2 only): ").append(String.join(", ", envelopeSigningLeafNames)).append('\n')
                    .append("PKCS#12 password: ").append(directory.relativize(storePasswordFile)).append('\n')
                    .append(files.size()).append(" files:\n");
            for (Path file : files) {
                text.append("  ").append(directory.relativize(file)).append('\n');
            }
            return text.toString();
        }
    }
}
