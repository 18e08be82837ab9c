-- The message ledger: every message the gateway accepted, its state and what happened to it.
-- Portable SQL: runs on H2 (single node) and PostgreSQL (scale-out).
CREATE TABLE message (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    institution        VARCHAR(32)  NOT NULL,
    adapter            VARCHAR(64)  NOT NULL,
    dedupe_key         VARCHAR(200) NOT NULL,
    source_message_id  VARCHAR(200),
    status             VARCHAR(20)  NOT NULL,
    event              VARCHAR(32),
    payload            BYTEA        NOT NULL,
    content_type       VARCHAR(100),
    canonical          TEXT,
    outcome            TEXT,
    receipt            TEXT,
    attempts           INTEGER      DEFAULT 0 NOT NULL,
    received_at        TIMESTAMP    NOT NULL,
    updated_at         TIMESTAMP    NOT NULL,
    CONSTRAINT message_dedupe UNIQUE (institution, dedupe_key)
);

CREATE INDEX message_status ON message (status, updated_at);
