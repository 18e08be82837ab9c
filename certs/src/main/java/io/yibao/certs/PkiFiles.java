package io.yibao.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Writes the PEM and secret files of the development PKI; secrets are readable by the owner only. */
final class PkiFiles {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private PkiFiles() {}

    static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        }
        Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    }

    /**
     * Writes a PEM CRL ("X509 CRL") in place of {@code file} atomically: the CRL is written beside it and moved over
     * it, so that a reader (the gateway re-reads CRLs while it runs) sees the old CRL or the new one, never half.
     */
    static void writeRevocationList(Path file, X509CRL crl) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(crl);
        }
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, pem.toString(), StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes an unencrypted PKCS#8 ("PRIVATE KEY") PEM file with mode 0600. */
    static void writePrivateKey(Path file, PrivateKey privateKey) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(privateKey, null));
        }
        writeSecret(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a new file that only its owner can read and write (mode 0600 where POSIX permissions exist). */
    static void writeSecret(Path file, byte[] content) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Created with its final mode, so the secret is never readable by others, not even briefly.
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)), content);
        } else {
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }
}
