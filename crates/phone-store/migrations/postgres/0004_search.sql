-- Finding customers from what staff type (phone_model::search): each customer's document of
-- folded words, indexed by trigrams (pg_trgm, a trusted extension: the database's owner may
-- add it), and each number's digits reversed, so that a number in any written form is the
-- start of them ("C" collation: ':' sorts just after '9', which the search relies on).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customer_search (
    customer_seq BIGINT PRIMARY KEY REFERENCES customers (seq),
    document     TEXT NOT NULL
);
CREATE INDEX customer_search_trigrams ON customer_search USING gin (document gin_trgm_ops);

ALTER TABLE phone_numbers ADD COLUMN digits_reversed TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX phone_numbers_by_digits ON phone_numbers (digits_reversed);

-- The folding rules are the core's: the server makes the documents and digits as it opens
-- the database, then removes this.
INSERT INTO settings (name, value) VALUES ('search_index_stale', '\x01')
    ON CONFLICT (name) DO NOTHING;
