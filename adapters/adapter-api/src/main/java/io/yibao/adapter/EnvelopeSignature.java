package io.yibao.adapter;

/**
 * A signature that an adapter's native messages carry inside themselves and that the gateway verifies at
 * intake, with the key enrolled for the sending institution, before anything is recorded. The adapter only
 * says which kind; the keys are the gateway's enrollment configuration.
 */
public enum EnvelopeSignature {
    /**
     * The national interface envelope's {@code cainfo}: Base64 of the raw {@code r||s} SM3withSM2 signature
     * over the canonical JSON of the envelope without {@code cainfo}, {@code signtype} {@code SM2}, SM2 user ID
     * {@code 1234567812345678} (the {@code signatures} module's {@code EnvelopeProfile.NATIONAL}). Mapping
     * files say {@code adapter.envelope-signature: national}.
     */
    NATIONAL
}
