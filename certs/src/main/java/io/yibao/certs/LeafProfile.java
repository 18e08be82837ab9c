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
            List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), List.of("localhost")),
    /**
     * A broker of the scale-out pair (docker/artemis): TLS server to the gateway nodes and, on the link that
     * replicates its journal, client and server to its peer; named as docker/compose.yaml's services are, and localhost.
     */
    TLS_BROKER(KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
            List.of("localhost", "artemis-primary", "artemis-backup")),
    /** A TLS client: an institution calling the gateway. */
    TLS_CLIENT(KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_clientAuth), List.of()),
    /**
     * Message and document signatures. nonRepudiation is RFC 5280's contentCommitment bit
     * (§4.2.1.3); id-kp-documentSigning is RFC 9336, chosen so the key cannot pass for a TLS key.
     */
    DOCUMENT_SIGNING(KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of(KeyPurposeId.id_kp_documentSigning), List.of());

    private final int keyUsage;
    private final List<KeyPurposeId> extendedKeyUsages;
    private final List<String> hostNames;

    LeafProfile(int keyUsage, List<KeyPurposeId> extendedKeyUsages, List<String> hostNames) {
        this.keyUsage = keyUsage;
        this.extendedKeyUsages = extendedKeyUsages;
        this.hostNames = hostNames;
    }

    KeyUsage keyUsage() {
        return new KeyUsage(keyUsage);
    }

    List<KeyPurposeId> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    /**
     * The DNS names of the certificate's subject alternative names; a TLS server's also name IP:127.0.0.1. Empty: no
     * subject alternative names.
     */
    List<String> hostNames() {
        return hostNames;
    }
}
