//! Creates made with an `Idempotency-Key`: the key is claimed, the write made and its answer
//! kept, all in the write's own transaction, so a retry finds either nothing (the first attempt
//! never committed, and this one writes) or the committed answer (and this one writes nothing).
//!
//! Two attempts racing with one key meet at the claim: SQLite runs one write transaction at a
//! time; PostgreSQL makes the second `INSERT … ON CONFLICT DO NOTHING` wait for the first
//! transaction, then read its answer.

use phone_model::{EarlierAttempt, IdempotencyKey, KeyUse, key_use};
use serde::{Serialize, de::DeserializeOwned};

use super::sql::{Sql, params, unexpected};
use super::{OperationError, Store, StoreError};

/// How long a key's answer is kept: a day, as the draft suggests.
pub const KEPT_FOR_SECONDS: i64 = 24 * 60 * 60;

/// A create sent with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Whose key it is: keys are the caller's own.
    pub scope: String,
    /// The key as sent.
    pub key: IdempotencyKey,
    /// What was asked: a hash of the method, path and body.
    pub fingerprint: String,
}

/// A create's answer: made now, or the one made by an earlier attempt with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    First(T),
    Replayed(T),
}

impl<T> Answer<T> {
    /// The same kind of answer, of `f`'s value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        match self {
            Self::First(answer) => Answer::First(f(answer)),
            Self::Replayed(answer) => Answer::Replayed(f(answer)),
        }
    }

    /// The answer, however it came.
    pub fn into_inner(self) -> T {
        match self {
            Self::First(answer) | Self::Replayed(answer) => answer,
        }
    }
}

/// Runs `create` unless `attempt`'s key already has an answer: then answers that again, or
/// refuses a key reused for a different request (the core's [`key_use`]). Called inside the
/// write's transaction, at `at` (seconds since the epoch).
pub(super) fn once<T: Serialize + DeserializeOwned>(
    db: &mut dyn Sql,
    attempt: Option<&Attempt>,
    at: i64,
    create: impl FnOnce(&mut dyn Sql) -> Result<T, OperationError>,
) -> Result<Answer<T>, OperationError> {
    let Some(attempt) = attempt else {
        return create(db).map(Answer::First);
    };
    match key_use(claim(db, attempt, at)?, &attempt.fingerprint) {
        Err(refusal) => return Err(OperationError::Refused(refusal)),
        Ok(KeyUse::Replay(response)) => {
            let answer = serde_json::from_str(&response).map_err(|e| unexpected(1, e))?;
            return Ok(Answer::Replayed(answer));
        }
        // Here a key is claimed and answered in one transaction: never one without the other.
        Ok(KeyUse::Unanswered) => return Err(unexpected(1, "no response").into()),
        Ok(KeyUse::First) => {}
    }
    let answer = create(db)?;
    let response = serde_json::to_string(&answer)
        .map_err(|e| StoreError::Data(super::DataError::Answer(e)))?;
    keep(db, attempt, &response)?;
    Ok(Answer::First(answer))
}

/// Keeps the answer to a claimed key's create.
fn keep(db: &mut dyn Sql, attempt: &Attempt, response: &str) -> Result<(), StoreError> {
    db.execute(
        "UPDATE idempotency_keys SET response = $1 WHERE scope = $2 AND key = $3",
        params![response, &attempt.scope, attempt.key.as_str()],
    )?;
    Ok(())
}

/// Claims `attempt`'s key at `at`: `None` when it is claimed now, else the earlier attempt's
/// fingerprint and response (none yet, or none ever). The caller's expired keys go first, as
/// their new ones arrive (a probe of the key's index when there are none): only theirs, so
/// callers never wait on each other's clean-up.
fn claim(
    db: &mut dyn Sql,
    attempt: &Attempt,
    at: i64,
) -> Result<Option<EarlierAttempt<String>>, StoreError> {
    db.execute(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND created_at < $2",
        params![&attempt.scope, at - KEPT_FOR_SECONDS],
    )?;
    let claimed = db.execute(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (scope, key) DO NOTHING",
        params![&attempt.scope, attempt.key.as_str(), &attempt.fingerprint, at],
    )? == 1;
    if claimed {
        return Ok(None);
    }
    let earlier = db.row(
        "SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND key = $2",
        params![&attempt.scope, attempt.key.as_str()],
    )?;
    Ok(Some(EarlierAttempt { fingerprint: earlier.text(0)?, answer: earlier.optional_text(1)? }))
}

/// What a gateway's claim of a key found (see [`Store::claim_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: it is now claimed, and the create is to be sent.
    Fresh,
    /// An earlier attempt was answered: this body again.
    Answered(String),
    /// An earlier attempt got no answer from the provider: it may have been made.
    InDoubt,
    /// The key was used for another request.
    Reused,
}

impl Store {
    /// Claims `attempt`'s key for a create the gateway sends to the provider, in a
    /// transaction of its own (the provider's write cannot be in ours): the claim stays, with
    /// no answer, until [`Store::keep_answer`] or [`Store::release_key`].
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn claim_key(&self, attempt: &Attempt, at: i64) -> Result<Claim, StoreError> {
        self.write(|db| {
            Ok(match key_use(claim(db, attempt, at)?, &attempt.fingerprint) {
                Ok(KeyUse::First) => Claim::Fresh,
                Ok(KeyUse::Replay(response)) => Claim::Answered(response),
                Ok(KeyUse::Unanswered) => Claim::InDoubt,
                Err(_) => Claim::Reused,
            })
        })
    }

    /// Keeps the provider's answer to a claimed key's create.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn keep_answer(&self, attempt: &Attempt, response: &str) -> Result<(), StoreError> {
        self.write(|db| keep(db, attempt, response))
    }

    /// Frees a claimed key whose create the provider refused (nothing was made), so that the
    /// caller may correct the request and send it with the same key.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn release_key(&self, attempt: &Attempt) -> Result<(), StoreError> {
        self.write(|db| {
            db.execute(
                "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND response IS NULL",
                params![&attempt.scope, attempt.key.as_str()],
            )?;
            Ok(())
        })
    }
}
