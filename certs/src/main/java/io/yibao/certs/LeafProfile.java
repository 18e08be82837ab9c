package io.yibao.certs;

import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What an end-entity certificate may be used for: its key usage, extended key usages and SAN. */
enum LeafProfile {
    /**
     * A TLS endpoint that also connects out with mutual TLS: the gateway (server to institutions,
     * client to the platform) and the platform simulator.
     */
    TLS_SERVER_AND_CLIENT(KeyUsage.digitalSignature,
            List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), true),
    /** A TLS client: an institution calling the gateway. */
    TLS_CLIENT(KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_clientAuth), false),
    /**
     * Message and document signatures. nonRepudiation is RFC 5280's contentCommitment bit
     * (§4.2.1.3); id-kp-documentSigning is RFC 9336, chosen so the key cannot pass for a TLS key.
     */
    DOCUMENT_SIGNING(KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of(KeyPurposeId.id_kp_documentSigning), false);

    private final int keyUsage;
    private final List<KeyPurposeId> extendedKeyUsages;
    private final boolean localhostNames;

    LeafProfile(int keyUsage, List<KeyPurposeId> extendedKeyUsages, boolean localhostNames) {
        this.keyUsage = keyUsage;
        this.extendedKeyUsages = extendedKeyUsages;
        this.localhostNames = localhostNames;
    }

    KeyUsage keyUsage() {
        return new KeyUsage(keyUsage);
    }

    List<KeyPurposeId> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    /** Whether the certificate names DNS:localhost and IP:127.0.0.1 as subject alternative names. */
    boolean localhostNames() {
        return localhostNames;
    }
}
