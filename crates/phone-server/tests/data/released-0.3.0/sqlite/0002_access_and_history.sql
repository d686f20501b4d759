-- Who may use the API, and what they did.

-- API clients (OAuth 2.0 client credentials); the secret is kept only as an Argon2id hash.
CREATE TABLE clients (
    client_id   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

-- Staff who sign in to the app; a viewer reads, an editor also writes.
CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    created_at    INTEGER NOT NULL
) STRICT;

-- Signed-in sessions, by a hash of the cookie's token (the token itself is never stored).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    last_seen  INTEGER NOT NULL
) STRICT;

-- Every change to a phone number: who, when, and the values before and after (JSON).
CREATE TABLE phone_number_changes (
    seq             INTEGER PRIMARY KEY,
    customer_seq    INTEGER NOT NULL REFERENCES customers (seq),
    phone_number_id TEXT NOT NULL,
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
    before          TEXT,
    after           TEXT
) STRICT;

CREATE INDEX phone_number_changes_by_customer ON phone_number_changes (customer_seq, seq);
