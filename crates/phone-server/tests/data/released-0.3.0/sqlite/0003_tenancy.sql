-- Tenancy: each API client and staff user sees a set of businesses, or all of them.
-- Clients and users from before tenancy keep what they had: every business. An operator
-- narrows them with `phone-server client businesses …` / `user businesses …`.

ALTER TABLE clients ADD COLUMN all_businesses INTEGER NOT NULL DEFAULT 1
    CHECK (all_businesses IN (0, 1));
-- A read-only client may read and never write.
ALTER TABLE clients ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1));
ALTER TABLE users ADD COLUMN all_businesses INTEGER NOT NULL DEFAULT 1
    CHECK (all_businesses IN (0, 1));
-- Demo users, whose passwords were printed on a terminal: the server refuses to listen beyond
-- loopback while any exist.
ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));

CREATE TABLE client_businesses (
    client_id   TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL,
    PRIMARY KEY (client_id, business_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE user_businesses (
    username    TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    business_id TEXT NOT NULL,
    PRIMARY KEY (username, business_id)
) STRICT, WITHOUT ROWID;

-- A session ends 12 hours after it began, however busy: sessions from before this migration
-- began at 0, so they end at once.
ALTER TABLE sessions ADD COLUMN started_at INTEGER NOT NULL DEFAULT 0;

-- Customers are listed and searched within a caller's businesses.
CREATE INDEX customers_by_business ON customers (business_id, seq);
