-- The keys that sign access tokens ('token': an Ed25519 seed) and list cursors ('cursor': a
-- blake3 key), several of each while a rotation is under way (store::keys, the server's
-- keys.rs): each signs from `signs_from` until a newer one does, and is accepted until
-- `retires_at`, which the newest of each has not (seconds since the epoch).
CREATE TABLE signing_keys (
    purpose    TEXT NOT NULL CHECK (purpose IN ('token', 'cursor')),
    secret     BYTEA NOT NULL CHECK (length(secret) = 32),
    signs_from BIGINT NOT NULL,
    retires_at BIGINT,
    PRIMARY KEY (purpose, secret)
);
-- One newest key of each purpose: two rotations at once cannot both add one.
CREATE UNIQUE INDEX signing_keys_newest ON signing_keys (purpose) WHERE retires_at IS NULL;

-- The keys the database had in settings go on signing, as the newest.
INSERT INTO signing_keys (purpose, secret, signs_from)
SELECT 'token', value, 0 FROM settings WHERE name = 'token_signing_seed';
INSERT INTO signing_keys (purpose, secret, signs_from)
SELECT 'cursor', value, 0 FROM settings WHERE name = 'cursor_key';
DELETE FROM settings WHERE name IN ('token_signing_seed', 'cursor_key');
