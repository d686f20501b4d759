-- The data-quality review (store::review): each number's problems, as the bits of the core's
-- phone_model::Problem, kept beside it; the server makes them from the core's rules as the
-- database opens (the setting review_version says by which rules and plans) and as numbers
-- are written.
ALTER TABLE phone_numbers ADD COLUMN review BIGINT NOT NULL DEFAULT 0;
-- The few numbers with a problem, in order: what a review page walks.
CREATE INDEX phone_numbers_to_review ON phone_numbers (seq) WHERE review <> 0;
-- Who else has a number: what keeps the shared bit.
CREATE INDEX phone_numbers_by_key ON phone_numbers (duplicate_key);
