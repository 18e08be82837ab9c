package io.yibao.gateway.ledger;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;

/**
 * Ids of the ledger's rows (messages, batch records, batches): UUIDs of version 7 (RFC 9562), a millisecond timestamp
 * followed by 74 random bits from a {@code SecureRandom}, written in the usual lower-case form, so an id made later
 * sorts after one made a millisecond earlier. The ledger's indexes on the id (the primary key, and the
 * {@code (batch_id, record_no)} index, whose entries for single messages differ only by id) are B-trees: with random
 * (version 4) ids each new row landed on a leaf of its own, and each commit rewrote one leaf and its path to the root
 * per row; with time-ordered ids a commit's rows sit together on the newest leaves (docs/benchmarks.md, round 8).
 * Nothing else reads meaning into an id: status and replay check the caller's institution, not the id's secrecy.
 */
public final class LedgerIds {
    private static final NoArgGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private LedgerIds() {}

    /** A new id, e.g. {@code 019ab2c4-5e1f-7a3b-9c2d-4e5f6a7b8c9d}. */
    public static String next() {
        return GENERATOR.generate().toString();
    }
}
