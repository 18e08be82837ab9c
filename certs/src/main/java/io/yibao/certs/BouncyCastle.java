package io.yibao.certs;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance of the process, registered once. */
public final class BouncyCastle {
    private static final Provider PROVIDER = register();

    private BouncyCastle() {}

    private static synchronized Provider register() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider provider = new BouncyCastleProvider();
        Security.addProvider(provider);
        return provider;
    }

    /** The registered provider; pass it explicitly to JCA factories rather than relying on its name. */
    public static Provider provider() {
        return PROVIDER;
    }
}
