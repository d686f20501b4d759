-- Phonedesk's first schema. Migrations are numbered and never edited once landed.

-- Server-held settings, such as the key that signs list cursors.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE businesses (
    business_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL
) STRICT;

-- `seq` orders lists (oldest first) and is what a cursor remembers; ids are random.
CREATE TABLE customers (
    seq                INTEGER PRIMARY KEY,
    customer_id        TEXT NOT NULL UNIQUE,
    business_id        TEXT NOT NULL REFERENCES businesses (business_id),
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    external_reference TEXT NOT NULL
) STRICT;

-- A business knows each of its customers by one external reference.
CREATE UNIQUE INDEX customers_external_reference
    ON customers (business_id, external_reference) WHERE external_reference <> '';

CREATE TABLE phone_numbers (
    seq             INTEGER PRIMARY KEY,
    phone_number_id TEXT NOT NULL UNIQUE,
    customer_seq    INTEGER NOT NULL REFERENCES customers (seq),
    phone_name      TEXT NOT NULL,
    country_code    TEXT NOT NULL,
    area_code       TEXT NOT NULL,
    phone_number    TEXT NOT NULL,
    phone_type      TEXT NOT NULL
        CHECK (phone_type IN ('emergency', 'fax', 'home', 'mobile', 'work')),
    is_primary      INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    -- The E.164 form where the number can be read, else its digits: two numbers of one
    -- customer never share it.
    duplicate_key   TEXT NOT NULL
) STRICT;

-- At most one primary per customer, whatever races; the server keeps it at exactly one.
CREATE UNIQUE INDEX phone_numbers_one_primary
    ON phone_numbers (customer_seq) WHERE is_primary = 1;

-- No customer has the same number twice.
CREATE UNIQUE INDEX phone_numbers_no_duplicates
    ON phone_numbers (customer_seq, duplicate_key);

CREATE INDEX phone_numbers_by_customer ON phone_numbers (customer_seq, seq);
