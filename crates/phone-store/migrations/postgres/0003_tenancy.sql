-- Tenancy, SQLite's 0003: each API client and staff user sees a set of businesses, or all of
-- them; an operator narrows them with `phone-server client businesses …` / `user businesses …`.
-- Up to 0.3.0 part of `0001_schema`, so it runs only in a new database, right after 0002.

ALTER TABLE clients ADD COLUMN all_businesses BOOLEAN NOT NULL DEFAULT TRUE;
-- A read-only client may read and never write.
ALTER TABLE clients ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN all_businesses BOOLEAN NOT NULL DEFAULT TRUE;
-- Demo users, whose passwords were printed on a terminal: the server refuses to listen beyond
-- loopback while any exist.
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE client_businesses (
    client_id   TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL,
    PRIMARY KEY (client_id, business_id)
);

CREATE TABLE user_businesses (
    username    TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    business_id TEXT NOT NULL,
    PRIMARY KEY (username, business_id)
);

-- A session ends 12 hours after it began, however busy.
ALTER TABLE sessions ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;

-- Customers are listed and searched within a caller's businesses.
CREATE INDEX customers_by_business ON customers (business_id, seq);
