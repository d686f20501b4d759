-- Shared numbers marked as expected (store::marks): a business's number that several of its
-- customers share, marked by staff as fine (a family's, an office's). One row per customer
-- the mark covers, as they were when it was made: while only they share the number, the
-- review leaves it out; a customer who gets it later is not covered, and brings it back.
CREATE TABLE shared_number_marks (
    business_id   TEXT NOT NULL REFERENCES businesses (business_id),
    duplicate_key TEXT NOT NULL,
    customer_seq  INTEGER NOT NULL REFERENCES customers (seq),
    marked_by     TEXT NOT NULL,
    marked_at     INTEGER NOT NULL,
    PRIMARY KEY (business_id, duplicate_key, customer_seq)
) STRICT;

-- The history records marks too: its CHECK of actions grows, which SQLite can change only by
-- making the table again (its rows, numbering and index as they were).
CREATE TABLE phone_number_changes_new (
    seq             INTEGER PRIMARY KEY,
    customer_seq    INTEGER NOT NULL REFERENCES customers (seq),
    phone_number_id TEXT NOT NULL,
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted',
                                                    'markedSharedExpected',
                                                    'unmarkedSharedExpected')),
    before          TEXT,
    after           TEXT
) STRICT;
INSERT INTO phone_number_changes_new (seq, customer_seq, phone_number_id, at, actor, action,
                                      before, after)
SELECT seq, customer_seq, phone_number_id, at, actor, action, before, after
FROM phone_number_changes;
DROP TABLE phone_number_changes;
ALTER TABLE phone_number_changes_new RENAME TO phone_number_changes;
CREATE INDEX phone_number_changes_by_customer ON phone_number_changes (customer_seq, seq);
