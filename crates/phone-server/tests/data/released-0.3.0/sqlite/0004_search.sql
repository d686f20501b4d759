-- Finding customers from what staff type (phone_model::search): each customer's document of
-- folded words in an FTS5 table of trigrams (its rowid is the customer's seq), and each
-- number's digits reversed, so that a number in any written form is the start of them.
CREATE VIRTUAL TABLE customer_search USING fts5 (document, tokenize = 'trigram');

ALTER TABLE phone_numbers ADD COLUMN digits_reversed TEXT NOT NULL DEFAULT '';
CREATE INDEX phone_numbers_by_digits ON phone_numbers (digits_reversed);

-- The folding rules are the core's: the server makes the documents and digits as it opens
-- the database, then removes this.
INSERT INTO settings (name, value) VALUES ('search_index_stale', X'01')
    ON CONFLICT (name) DO NOTHING;
