-- Calls that phone systems report (POST /calls, store::calls): each event as the staff app is
-- told of it (phone_model::CallEvent's JSON, its callers found when it was reported), kept a
-- day and at most 10,000 a business. `seq` is the event's id in the staff app's stream, which
-- a reconnecting stream resumes after.
CREATE TABLE call_events (
    seq         INTEGER PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (business_id),
    at          INTEGER NOT NULL,
    event       TEXT NOT NULL
) STRICT;
CREATE INDEX call_events_by_business ON call_events (business_id, seq);

-- A client's Twilio auth token, set by `phone-server client twilio`: Twilio signs its status
-- callbacks with it (HMAC-SHA1), and the server checks them with it, so it is kept as given.
ALTER TABLE clients ADD COLUMN twilio_auth_token TEXT;
