-- When LedgerRetention removed a delivered message's content (its native payload and signed canonical message);
-- null while the ledger holds it. The row itself stays: status, times, dedupe key, outcome and the platform's receipt.
-- Portable SQL: H2 and PostgreSQL.
ALTER TABLE message ADD COLUMN content_removed_at TIMESTAMP;
