//! The SQL of calls that phone systems report (Phonedesk's extension, `phone_model::CallEvent`):
//! each event kept as the staff app reads it, a day and at most
//! [`CALL_EVENTS_PER_BUSINESS`] a business, and the events a stream catches up with; and the
//! Twilio auth token a client's callbacks are signed with.

use phone_model::{Businesses, CALL_EVENTS_KEPT_MS, CALL_EVENTS_PER_BUSINESS};

use super::sql::{Dialect, Sql, params};
use super::{Engine, Store, StoreError, within};

/// The advisory lock a PostgreSQL transaction keeping a call event holds ("calls").
const CALL_EVENTS_LOCK: i64 = 0x0063_616c_6c73;

/// The channel each kept call event's `seq` is told on, on PostgreSQL.
const CALL_EVENTS_CHANNEL: &str = "phonedesk_call_events";

/// A call's event as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCallEvent {
    /// Its id in the staff app's stream: later events have larger ones.
    pub seq: i64,
    /// The business called.
    pub business_id: String,
    /// When it was reported (milliseconds since the epoch).
    pub at: i64,
    /// `phone_model::CallEvent` as JSON.
    pub event: String,
}

impl Store {
    /// Keeps a call's event of `business_id` reported at `at` (milliseconds), and forgets the
    /// business's events older than a day or beyond its newest
    /// [`CALL_EVENTS_PER_BUSINESS`], so a phone system cannot fill the disk. Returns the
    /// event's `seq`.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn add_call_event(
        &self,
        business_id: &str,
        at: i64,
        event: &str,
    ) -> Result<i64, StoreError> {
        self.write(|db| {
            // On PostgreSQL, one event is kept at a time, so ids are committed (and told) in
            // their order, which a stream that resumes after an id relies on. (SQLite has one
            // writer.)
            if db.dialect() == Dialect::Postgres {
                db.rows("SELECT pg_advisory_xact_lock($1)", params![CALL_EVENTS_LOCK])?;
            }
            let seq = db
                .row(
                    "INSERT INTO call_events (business_id, at, event) VALUES ($1, $2, $3)
                     RETURNING seq",
                    params![business_id, at, event],
                )?
                .int(0)?;
            forget_old(db, business_id, at)?;
            // Every server on the database hears of it as the transaction commits.
            if db.dialect() == Dialect::Postgres {
                let seq = seq.to_string();
                db.rows("SELECT pg_notify($1, $2)", params![CALL_EVENTS_CHANNEL, seq.as_str()])?;
            }
            Ok(seq)
        })
    }

    /// The events of `businesses` after `after` (a `seq`) reported at `since` (milliseconds)
    /// or later, oldest first, at most `limit`.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn call_events(
        &self,
        businesses: &Businesses,
        after: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<StoredCallEvent>, StoreError> {
        let within = within(businesses);
        self.read(|db| {
            let statement = format!(
                "SELECT seq, business_id, at, event FROM call_events
                 WHERE seq > $1 AND at >= $2
                   AND (CAST($3 AS TEXT) IS NULL OR business_id IN ({}))
                 ORDER BY seq LIMIT $4",
                db.dialect().json_strings(3)
            );
            db.rows(&statement, params![after, since, within.as_ref(), limit])?
                .iter()
                .map(|row| {
                    Ok(StoredCallEvent {
                        seq: row.int(0)?,
                        business_id: row.text(1)?,
                        at: row.int(2)?,
                        event: row.text(3)?,
                    })
                })
                .collect()
        })
    }

    /// On PostgreSQL, where several servers may share the database: calls `rung` each time
    /// any of them keeps a call event (as it commits), and once each time the connection that
    /// listens is made (events kept meanwhile rang no one), for as long as `rung` returns
    /// `true`; returns `true`. On SQLite, which one server holds, `false`: that server tells
    /// its own streams of what it keeps.
    pub fn hear_call_events(&self, rung: impl Fn() -> bool + Send + Sync + 'static) -> bool {
        match &self.engine {
            Engine::Sqlite(_) => false,
            Engine::Postgres(engine) => {
                engine.listen(CALL_EVENTS_CHANNEL, move |_| rung());
                true
            }
        }
    }

    /// The id of the latest call event kept (0 when none is).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn latest_call_event(&self) -> Result<i64, StoreError> {
        self.read(|db| db.row("SELECT COALESCE(MAX(seq), 0) FROM call_events", params![])?.int(0))
    }

    /// How many events of `business_id` are kept.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn call_event_count(&self, business_id: &str) -> Result<i64, StoreError> {
        self.read(|db| {
            db.row("SELECT count(*) FROM call_events WHERE business_id = $1", params![business_id])?
                .int(0)
        })
    }

    /// The Twilio auth token a client's callbacks are signed with, when one is set.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn twilio_auth_token(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        self.read(|db| {
            let row = db.optional_row(
                "SELECT twilio_auth_token FROM clients WHERE client_id = $1",
                params![client_id],
            )?;
            row.map(|row| row.optional_text(0)).transpose().map(Option::flatten)
        })
    }

    /// Sets (or, with `None`, clears) a client's Twilio auth token. Returns whether the
    /// client exists.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn set_twilio_auth_token(
        &self,
        client_id: &str,
        token: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.write(|db| {
            Ok(db.execute(
                "UPDATE clients SET twilio_auth_token = $1 WHERE client_id = $2",
                params![token, client_id],
            )? > 0)
        })
    }
}

/// Forgets `business_id`'s events beyond its newest [`CALL_EVENTS_PER_BUSINESS`], and those of
/// its oldest [`AGED_PER_CALL`] reported over a day before `now`. Both are read through the
/// business's index in `seq` order, so keeping an event costs the same however many are kept;
/// since every event added looks at the oldest, the aged ones go as fast as new ones come.
fn forget_old(db: &mut dyn Sql, business_id: &str, now: i64) -> Result<(), StoreError> {
    let oldest_kept = db.optional_row(
        "SELECT seq FROM call_events WHERE business_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2",
        params![business_id, CALL_EVENTS_PER_BUSINESS - 1],
    )?;
    if let Some(row) = oldest_kept {
        db.execute(
            "DELETE FROM call_events WHERE business_id = $1 AND seq < $2",
            params![business_id, row.int(0)?],
        )?;
    }
    db.execute(
        "DELETE FROM call_events WHERE seq IN (
             SELECT seq FROM call_events WHERE business_id = $1 ORDER BY seq LIMIT $2)
           AND at < $3",
        params![business_id, AGED_PER_CALL, now - CALL_EVENTS_KEPT_MS],
    )?;
    Ok(())
}

/// How many of a business's oldest events each new one looks at for age.
const AGED_PER_CALL: i64 = 100;
