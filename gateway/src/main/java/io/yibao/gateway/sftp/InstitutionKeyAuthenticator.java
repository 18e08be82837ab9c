package io.yibao.gateway.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH key is the identity: user {@code <institution code>} logs in only with a key listed in that
 * institution's file under {@code yibao.sftp.authorized-keys-dir} ({@code <code>.pub} or
 * {@code <code>/authorized_keys}), so a key listed for one institution does not open another's account.
 * The files are read at every attempt: a key added or removed takes effect without a restart.
 *
 * <p>OpenSSH {@code authorized_keys} options ({@code from=}, {@code expiry-time=}, …) are restrictions this
 * server does not implement; a key line carrying any is refused (and logged) rather than accepted without
 * the restriction its author meant.
 */
public class InstitutionKeyAuthenticator implements PublickeyAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(InstitutionKeyAuthenticator.class);

    /** An institution code as a file name: letters and digits (no dots or slashes: the name is a path element). */
    private static final Pattern INSTITUTION_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Path authorizedKeysDir;

    public InstitutionKeyAuthenticator(Path authorizedKeysDir) {
        this.authorizedKeysDir = authorizedKeysDir;
    }

    /** Whether {@code user} is a well-formed institution code (and so may name a drop directory). */
    static boolean isInstitutionCode(String user) {
        return user != null && INSTITUTION_CODE.matcher(user).matches();
    }

    @Override
    public boolean authenticate(String user, PublicKey key, ServerSession session) {
        if (!isInstitutionCode(user)) {
            log.info("SFTP log-in refused from {}: user name is not an institution code", session.getClientAddress());
            return false;
        }
        for (PublicKey listed : listedKeys(user)) {
            if (KeyUtils.compareKeys(listed, key)) {
                // DEBUG: SSH asks twice per log-in (may I use this key? then the signed request); SSHD logs the success at INFO.
                log.debug("SFTP key {} of {} accepted from {}", KeyUtils.getFingerPrint(key), user, session.getClientAddress());
                return true;
            }
        }
        log.info("SFTP log-in refused for {} from {}: key {} is not listed for that institution", user, session.getClientAddress(),
                KeyUtils.getFingerPrint(key));
        return false;
    }

    private List<PublicKey> listedKeys(String institution) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : List.of(authorizedKeysDir.resolve(institution + ".pub"), authorizedKeysDir.resolve(institution).resolve("authorized_keys"))) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(file)) {
                    if (!entry.getLoginOptions().isEmpty()) {
                        log.warn("SFTP key of {} in {} ignored: options {} are not supported", institution, file, entry.getLoginOptions().keySet());
                        continue;
                    }
                    keys.add(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                log.warn("SFTP keys of {} in {} could not be read: {}", institution, file, e.toString());
            }
        }
        return keys;
    }
}
