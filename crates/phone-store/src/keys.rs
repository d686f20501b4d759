//! The keys that sign access tokens and list cursors (`signing_keys`): one of each made with
//! the database, more while a rotation is under way. Which key signs and which are accepted at
//! a moment is the server's to decide from these rows; the store keeps them and applies a
//! rotation as the server plans it.

use rand::Rng;

use super::{DataError, Store, StoreError, sql::Sql, sql::params};

/// When a rotation's new keys sign, and when the keys before them are refused (seconds since
/// the epoch); rows retired by `now` are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub now: i64,
    pub signs_from: i64,
    pub retires_at: i64,
}

/// What a key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Access tokens: the key is an Ed25519 seed.
    Token,
    /// List cursors: the key is a blake3 key.
    Cursor,
}

impl Purpose {
    const ALL: [Self; 2] = [Self::Token, Self::Cursor];

    fn as_str(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Cursor => "cursor",
        }
    }
}

/// A key as the database keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub secret: [u8; 32],
    /// From when it signs (seconds since the epoch), until a newer key does.
    pub signs_from: i64,
    /// From when it is refused; `None` for the newest key, which has no successor yet.
    pub retires_at: Option<i64>,
}

/// Never the secret, which could otherwise reach a log.
impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("signs_from", &self.signs_from)
            .field("retires_at", &self.retires_at)
            .finish_non_exhaustive()
    }
}

/// Every key of the database, of each purpose, in the order they began to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeys {
    pub tokens: Vec<StoredKey>,
    pub cursors: Vec<StoredKey>,
}

impl Store {
    /// The database's keys as they stand.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn signing_keys(&self) -> Result<SigningKeys, StoreError> {
        self.read(read)
    }

    /// Adds a new key of each purpose and retires the ones before as `rotation` says, then
    /// drops every key retired by its time; returns the keys that remain.
    ///
    /// # Errors
    /// When the database cannot be written, or another rotation added its keys meanwhile (the
    /// newest key of each purpose is unique).
    pub fn rotate_keys(&self, rotation: &Rotation) -> Result<SigningKeys, StoreError> {
        self.write(|db| {
            // Keys retiring later than the old newest one now does (after a rotation at once)
            // retire with it.
            db.execute(
                "UPDATE signing_keys SET retires_at = $1 WHERE retires_at IS NULL OR retires_at > $1",
                params![rotation.retires_at],
            )?;
            for purpose in Purpose::ALL {
                add(db, purpose, rotation.signs_from)?;
            }
            db.execute("DELETE FROM signing_keys WHERE retires_at <= $1", params![rotation.now])?;
            read(db)
        })
    }
}

/// Makes a key of each purpose that has none (a new database), signing from the start: run
/// as the database opens, after its migrations.
pub(super) fn make_missing(db: &mut dyn Sql) -> Result<(), StoreError> {
    for purpose in Purpose::ALL {
        let newest = "SELECT 1 FROM signing_keys WHERE purpose = $1 AND retires_at IS NULL";
        if db.optional_row(newest, params![purpose.as_str()])?.is_none() {
            add(db, purpose, 0)?;
        }
    }
    Ok(())
}

/// Adds a new, random key, the newest of its purpose.
fn add(db: &mut dyn Sql, purpose: Purpose, signs_from: i64) -> Result<(), StoreError> {
    let secret: [u8; 32] = rand::rng().random();
    db.execute(
        "INSERT INTO signing_keys (purpose, secret, signs_from) VALUES ($1, $2, $3)",
        params![purpose.as_str(), secret.as_slice(), signs_from],
    )
    .map(drop)
}

fn read(db: &mut dyn Sql) -> Result<SigningKeys, StoreError> {
    let mut keys = SigningKeys { tokens: Vec::new(), cursors: Vec::new() };
    let rows = db.rows(
        "SELECT purpose, secret, signs_from, retires_at FROM signing_keys
         ORDER BY signs_from, retires_at IS NULL, retires_at",
        &[],
    )?;
    for row in rows {
        let secret = <[u8; 32]>::try_from(row.bytes(1)?).map_err(|_| DataError::KeyLength)?;
        let key = StoredKey { secret, signs_from: row.int(2)?, retires_at: row.optional_int(3)? };
        match row.text(0)?.as_str() {
            "token" => keys.tokens.push(key),
            "cursor" => keys.cursors.push(key),
            other => return Err(DataError::KeyPurpose(other.to_owned()).into()),
        }
    }
    if keys.tokens.is_empty() || keys.cursors.is_empty() {
        return Err(DataError::NoKey.into());
    }
    Ok(keys)
}
