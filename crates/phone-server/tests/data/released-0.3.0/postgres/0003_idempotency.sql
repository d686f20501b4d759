-- Creates made with an Idempotency-Key (store::idempotency): the first answer, kept beside the
-- write it answers for a day, so that a retry gets it again instead of a second write.
CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,   -- the caller: "client <id>" or "user <name>"
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,   -- SHA-256 of the method, path and body
    created_at  BIGINT NOT NULL, -- seconds since the epoch
    response    TEXT,            -- the 201 body; set in the transaction that claims the key
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (scope, created_at);
