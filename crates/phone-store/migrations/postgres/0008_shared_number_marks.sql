-- Shared numbers marked as expected (store::marks): a business's number that several of its
-- customers share, marked by staff as fine (a family's, an office's). One row per customer
-- the mark covers, as they were when it was made: while only they share the number, the
-- review leaves it out; a customer who gets it later is not covered, and brings it back.
CREATE TABLE shared_number_marks (
    business_id   TEXT NOT NULL REFERENCES businesses (business_id),
    duplicate_key TEXT NOT NULL,
    customer_seq  BIGINT NOT NULL REFERENCES customers (seq),
    marked_by     TEXT NOT NULL,
    marked_at     BIGINT NOT NULL,
    PRIMARY KEY (business_id, duplicate_key, customer_seq)
);

-- The history records marks too.
ALTER TABLE phone_number_changes DROP CONSTRAINT phone_number_changes_action_check;
ALTER TABLE phone_number_changes ADD CONSTRAINT phone_number_changes_action_check
    CHECK (action IN ('created', 'updated', 'deleted', 'markedSharedExpected',
                      'unmarkedSharedExpected'));
