package io.yibao.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Development SSH key pairs (Ed25519) for the institutions' SFTP accounts at the gateway's drop area: in
 * {@code DIR/ssh/}, {@code <code>} (the private key in OpenSSH's own format, mode 0600, usable as
 * {@code sftp -i DIR/ssh/<code>}) and {@code <code>.pub} (one {@code authorized_keys} line). The directory
 * is what {@code yibao.sftp.authorized-keys-dir} reads on the embedded defaults: the gateway reads only the
 * {@code .pub} files. For development and tests only, like the rest of the PKI.
 */
public final class DevSshKeys {

    /** The subdirectory of a PKI directory holding the SSH keys. */
    public static final String DIRECTORY = "ssh";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevSshKeys() {}

    /** The SSH key directory of a PKI directory: {@code DIR/ssh}. */
    public static Path directory(Path pkiDirectory) {
        return pkiDirectory.resolve(DIRECTORY);
    }

    /** Writes a key pair per institution into {@code directory} (created); returns the files written. */
    static List<Path> write(Path directory, List<Institution> institutions) throws IOException {
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        for (Institution institution : institutions) {
            Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
            generator.init(new Ed25519KeyGenerationParameters(RANDOM));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            // OpenSSH's "openssh-key-v1" container (PROTOCOL.key), unencrypted, which BC writes for Ed25519.
            StringWriter pem = new StringWriter();
            try (PemWriter writer = new PemWriter(pem)) {
                writer.writeObject(new PemObject("OPENSSH PRIVATE KEY", OpenSSHPrivateKeyUtil.encodePrivateKey(keyPair.getPrivate())));
            }
            Path privateKey = directory.resolve(institution.code());
            PkiFiles.writeSecret(privateKey, pem.toString().getBytes(StandardCharsets.US_ASCII));
            files.add(privateKey);

            // RFC 4253 §6.6 public key blob, base64, as one authorized_keys / .pub line.
            String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(keyPair.getPublic()))
                    + " " + institution.code() + "@yibao-dev\n";
            Path publicKey = directory.resolve(institution.code() + ".pub");
            Files.writeString(publicKey, line, StandardCharsets.US_ASCII);
            files.add(publicKey);
        }
        return files;
    }
}
