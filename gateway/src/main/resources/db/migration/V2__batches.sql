-- Batch files: one row per file received (HTTP upload or file drop), its check result and splitting
-- checkpoint; each record becomes a message row of its own, linked by batch_id and record_no.
-- Portable SQL: runs on H2 (single node) and PostgreSQL (scale-out).
CREATE TABLE batch (
    id                 VARCHAR(36)   NOT NULL PRIMARY KEY,
    institution        VARCHAR(32)   NOT NULL,
    adapter            VARCHAR(64)   NOT NULL,
    file_name          VARCHAR(255),
    content_type       VARCHAR(100),
    sha256             VARCHAR(64)   NOT NULL,
    size_bytes         BIGINT        NOT NULL,
    spool_path         VARCHAR(1000) NOT NULL,
    drop_dir           VARCHAR(1000),
    status             VARCHAR(20)   NOT NULL,
    batch_reference    VARCHAR(200),
    total_records      BIGINT,
    next_record        BIGINT        DEFAULT 1 NOT NULL,
    reason             TEXT,
    received_at        TIMESTAMP     NOT NULL,
    updated_at         TIMESTAMP     NOT NULL,
    CONSTRAINT batch_file_once UNIQUE (institution, sha256)
);

CREATE INDEX batch_status ON batch (status, updated_at);

-- A record the ledger already held under another message (same sender key): reported, not sent again.
CREATE TABLE batch_duplicate (
    batch_id           VARCHAR(36)   NOT NULL,
    record_no          BIGINT        NOT NULL,
    record_location    VARCHAR(200),
    message_id         VARCHAR(36)   NOT NULL,
    PRIMARY KEY (batch_id, record_no)
);

ALTER TABLE message ADD COLUMN batch_id VARCHAR(36);
ALTER TABLE message ADD COLUMN record_no BIGINT;
ALTER TABLE message ADD COLUMN record_location VARCHAR(200);

CREATE INDEX message_batch ON message (batch_id, record_no);
