package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DevSshKeys} through {@link DevPki#init}: an Ed25519 key pair per institution, the private half owner-only. */
class DevSshKeysTest {

    @TempDir
    Path pki;

    @Test
    void eachInstitutionGetsAnOpenSshKeyPairWhosePublicLineMatchesThePrivateKey() throws Exception {
        DevPki.init(pki);

        for (Institution institution : Institution.SYNTHETIC) {
            Path privateKey = pki.resolve("ssh").resolve(institution.code());
            Path publicKey = pki.resolve("ssh").resolve(institution.code() + ".pub");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");

            PemObject pem;
            try (PemReader reader = new PemReader(Files.newBufferedReader(privateKey, StandardCharsets.US_ASCII))) {
                pem = reader.readPemObject();
            }
            assertThat(pem.getType()).isEqualTo("OPENSSH PRIVATE KEY");
            Ed25519PrivateKeyParameters key = (Ed25519PrivateKeyParameters) OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(pem.getContent());

            String[] line = Files.readString(publicKey, StandardCharsets.US_ASCII).strip().split(" ");
            assertThat(line[0]).isEqualTo("ssh-ed25519");
            assertThat(line[2]).isEqualTo(institution.code() + "@yibao-dev");
            byte[] blob = Base64.getDecoder().decode(line[1]);
            // The blob ends with the 32-byte public key (RFC 8709 §4: string "ssh-ed25519", string key).
            byte[] encodedPublic = Arrays.copyOfRange(blob, blob.length - 32, blob.length);
            assertThat(encodedPublic).isEqualTo(key.generatePublicKey().getEncoded());
        }
    }

    @Test
    void forceReplacesTheKeysOfInstitutionsNoLongerListed() throws Exception {
        DevPki.init(pki);
        String old = Files.readString(pki.resolve("ssh/H11010500001.pub"));

        DevPki.init(pki, DevPki.Options.defaults().withForce(true).withInstitutions(List.of(Institution.SYNTHETIC.get(0))));

        assertThat(Files.readString(pki.resolve("ssh/H11010500001.pub"))).isNotEqualTo(old);
        assertThat(pki.resolve("ssh/B11010500003.pub")).doesNotExist();
    }
}
