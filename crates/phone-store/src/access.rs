//! The SQL of access: API clients, staff users and their sessions.

use super::sql::{Sql, params};
use super::{OperationError, Store, StoreError};
use phone_model::Businesses;
pub use phone_model::Role;

/// A row of the clients or users table, for listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The client id, or the user name.
    pub id: String,
    /// The client's name (with "read-only" if it is), or the user's role.
    pub detail: String,
    /// The businesses it may see.
    pub businesses: Businesses,
    /// Seconds since the epoch.
    pub created_at: i64,
}

/// What an API client may do: see `businesses`, and write unless `read_only`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAccess {
    pub businesses: Businesses,
    pub read_only: bool,
}

/// A live session's user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub name: String,
    pub role: Role,
    pub businesses: Businesses,
}

/// A session row: its user, and when (seconds since the epoch) it was last used and began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub user: SessionUser,
    pub last_seen: i64,
    pub started_at: i64,
}

/// Which table of business grants an account is in.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Client,
    User,
}

impl Kind {
    /// The account table, its key column, and its grants table.
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Client => ("clients", "client_id", "client_businesses"),
            Self::User => ("users", "username", "user_businesses"),
        }
    }
}

/// An account's businesses: all, or those granted.
fn businesses_of(
    db: &mut dyn Sql,
    kind: Kind,
    id: &str,
    all: bool,
) -> Result<Businesses, StoreError> {
    if all {
        return Ok(Businesses::All);
    }
    let (_, key, grants) = kind.tables();
    let ids = db
        .rows(&format!("SELECT business_id FROM {grants} WHERE {key} = $1"), params![id])?
        .iter()
        .map(|row| row.text(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Businesses::only(ids))
}

/// Replaces an account's businesses; whether the account exists.
fn set_businesses(
    db: &mut dyn Sql,
    kind: Kind,
    id: &str,
    businesses: &Businesses,
) -> Result<bool, StoreError> {
    let (table, key, grants) = kind.tables();
    let all = businesses.ids().is_none();
    let found = db.execute(
        &format!("UPDATE {table} SET all_businesses = $1 WHERE {key} = $2"),
        params![all, id],
    )? > 0;
    if !found {
        return Ok(false);
    }
    db.execute(&format!("DELETE FROM {grants} WHERE {key} = $1"), params![id])?;
    for business_id in businesses.ids().unwrap_or_default() {
        db.execute(
            &format!("INSERT INTO {grants} ({key}, business_id) VALUES ($1, $2)"),
            params![id, business_id],
        )?;
    }
    Ok(true)
}

impl Store {
    /// Adds an API client; the secret is stored only as its hash.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn add_client(
        &self,
        client_id: &str,
        name: &str,
        secret_hash: &str,
        access: &ClientAccess,
        now: i64,
    ) -> Result<(), OperationError> {
        self.write(|db| {
            db.execute(
                "INSERT INTO clients (client_id, name, secret_hash, created_at, read_only)
                 VALUES ($1, $2, $3, $4, $5)",
                params![client_id, name, secret_hash, now, access.read_only],
            )?;
            set_businesses(db, Kind::Client, client_id, &access.businesses)?;
            Ok(())
        })
    }

    /// Replaces a client's businesses; whether the client exists.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn set_client_businesses(
        &self,
        client_id: &str,
        businesses: &Businesses,
    ) -> Result<bool, OperationError> {
        self.write(|db| Ok(set_businesses(db, Kind::Client, client_id, businesses)?))
    }

    /// What a client may do; `None` for a client that does not exist (any more), whose tokens
    /// stop working at once.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn client_access(&self, client_id: &str) -> Result<Option<ClientAccess>, StoreError> {
        self.read(|db| {
            let row = db.optional_row(
                "SELECT all_businesses, read_only FROM clients WHERE client_id = $1",
                params![client_id],
            )?;
            let Some(row) = row else { return Ok(None) };
            let businesses = businesses_of(db, Kind::Client, client_id, row.bool(0)?)?;
            Ok(Some(ClientAccess { businesses, read_only: row.bool(1)? }))
        })
    }

    /// A client's secret hash, if the client exists.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn client_secret_hash(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        self.read(|db| {
            db.optional_row(
                "SELECT secret_hash FROM clients WHERE client_id = $1",
                params![client_id],
            )?
            .map(|row| row.text(0))
            .transpose()
        })
    }

    /// Every client, oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn clients(&self) -> Result<Vec<Account>, StoreError> {
        self.accounts(
            Kind::Client,
            "SELECT client_id, name || CASE WHEN read_only THEN ' (read-only)' ELSE '' END,
                    created_at, all_businesses
             FROM clients ORDER BY created_at, client_id",
        )
    }

    /// Removes a client; whether it existed. Its tokens stop working at once: every request
    /// looks the client up.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_client(&self, client_id: &str) -> Result<bool, OperationError> {
        self.write(|db| {
            Ok(db.execute("DELETE FROM clients WHERE client_id = $1", params![client_id])? > 0)
        })
    }

    /// Adds a staff user; `false` if the name is taken.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn add_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        businesses: &Businesses,
        now: i64,
    ) -> Result<bool, OperationError> {
        self.write(|db| {
            let added = db.execute(
                "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (username) DO NOTHING",
                params![username, password_hash, role.as_str(), now],
            )? > 0;
            if added {
                set_businesses(db, Kind::User, username, businesses)?;
            }
            Ok(added)
        })
    }

    /// Marks a user as a demo user (their password was printed on a terminal).
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mark_demo_user(&self, username: &str) -> Result<(), OperationError> {
        self.write(|db| {
            db.execute("UPDATE users SET demo = TRUE WHERE username = $1", params![username])?;
            Ok(())
        })
    }

    /// The names of the demo users.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn demo_users(&self) -> Result<Vec<String>, StoreError> {
        self.read(|db| {
            db.rows("SELECT username FROM users WHERE demo ORDER BY username", &[])?
                .iter()
                .map(|row| row.text(0))
                .collect()
        })
    }

    /// Replaces a user's businesses; whether the user exists.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn set_user_businesses(
        &self,
        username: &str,
        businesses: &Businesses,
    ) -> Result<bool, OperationError> {
        self.write(|db| Ok(set_businesses(db, Kind::User, username, businesses)?))
    }

    /// A user's password hash, and the user.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn user(&self, username: &str) -> Result<Option<(String, SessionUser)>, StoreError> {
        self.read(|db| {
            let row = db.optional_row(
                "SELECT password_hash, role, all_businesses FROM users WHERE username = $1",
                params![username],
            )?;
            let Some(row) = row else { return Ok(None) };
            let Some(role) = Role::parse(&row.text(1)?) else { return Ok(None) };
            let businesses = businesses_of(db, Kind::User, username, row.bool(2)?)?;
            Ok(Some((row.text(0)?, SessionUser { name: username.to_owned(), role, businesses })))
        })
    }

    /// Every user, oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn users(&self) -> Result<Vec<Account>, StoreError> {
        self.accounts(
            Kind::User,
            "SELECT username, role, created_at, all_businesses FROM users ORDER BY created_at, username",
        )
    }

    /// Removes a user and their sessions; whether they existed.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_user(&self, username: &str) -> Result<bool, OperationError> {
        self.write(|db| {
            Ok(db.execute("DELETE FROM users WHERE username = $1", params![username])? > 0)
        })
    }

    fn accounts(&self, kind: Kind, query: &str) -> Result<Vec<Account>, StoreError> {
        self.read(|db| {
            let rows = db.rows(query, &[])?;
            rows.iter()
                .map(|row| {
                    let id = row.text(0)?;
                    let businesses = businesses_of(db, kind, &id, row.bool(3)?)?;
                    Ok(Account { id, detail: row.text(1)?, businesses, created_at: row.int(2)? })
                })
                .collect()
        })
    }

    /// Starts a session for a user.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn start_session(
        &self,
        token_hash: &str,
        username: &str,
        now: i64,
    ) -> Result<(), OperationError> {
        self.write(|db| {
            db.execute(
                "INSERT INTO sessions (token_hash, username, last_seen, started_at)
                 VALUES ($1, $2, $3, $3)",
                params![token_hash, username, now],
            )?;
            Ok(())
        })
    }

    /// A session as stored, if its token hash is known and its user's role is one we know.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        self.read(|db| {
            let row = db.optional_row(
                "SELECT s.username, u.role, s.last_seen, s.started_at, u.all_businesses
                 FROM sessions s JOIN users u USING (username) WHERE s.token_hash = $1",
                params![token_hash],
            )?;
            let Some(row) = row else { return Ok(None) };
            let Some(role) = Role::parse(&row.text(1)?) else { return Ok(None) };
            let name = row.text(0)?;
            let businesses = businesses_of(db, Kind::User, &name, row.bool(4)?)?;
            Ok(Some(StoredSession {
                user: SessionUser { name, role, businesses },
                last_seen: row.int(2)?,
                started_at: row.int(3)?,
            }))
        })
    }

    /// Records that a session was used at `now`.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), OperationError> {
        self.write(|db| {
            db.execute(
                "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2",
                params![now, token_hash],
            )?;
            Ok(())
        })
    }

    /// Ends a session.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn end_session(&self, token_hash: &str) -> Result<(), OperationError> {
        self.write(|db| {
            db.execute("DELETE FROM sessions WHERE token_hash = $1", params![token_hash])?;
            Ok(())
        })
    }
}
