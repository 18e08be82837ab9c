-- The dedupe constraint's index leads with dedupe_key, so that a chunk's look-up of many keys at once
-- (BatchLedger.existingKeys: institution = ? AND dedupe_key IN (...)) is index look-ups per key. With
-- institution first, H2 can use an index for an IN list only on an index's first column, so it read every
-- row of the institution and compared each with the list: a cost per chunk that grew with the ledger
-- (6.5 % of the gateway's CPU samples over a 20,000-record batch, docs/benchmarks.md), and without end over
-- a million-record file. Single look-ups (institution = ? AND dedupe_key = ?) use either order.
-- Portable SQL: H2 and PostgreSQL.
ALTER TABLE message DROP CONSTRAINT message_dedupe;
ALTER TABLE message ADD CONSTRAINT message_dedupe UNIQUE (dedupe_key, institution);
