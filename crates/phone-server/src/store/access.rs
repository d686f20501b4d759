//! The SQL of access: API clients, staff users and their sessions.

use phone_model::{BusinessResource, Businesses};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{OperationError, Store, StoreError, within};
pub use crate::role::Role;

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
fn businesses_of(c: &Connection, kind: Kind, id: &str, all: bool) -> rusqlite::Result<Businesses> {
    if all {
        return Ok(Businesses::All);
    }
    let (_, key, grants) = kind.tables();
    let ids = c
        .prepare_cached(&format!("SELECT business_id FROM {grants} WHERE {key} = ?1"))?
        .query_map([id], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Businesses::only(ids))
}

/// Replaces an account's businesses; whether the account exists.
fn set_businesses(
    tx: &Transaction<'_>,
    kind: Kind,
    id: &str,
    businesses: &Businesses,
) -> rusqlite::Result<bool> {
    let (table, key, grants) = kind.tables();
    let all = businesses.ids().is_none();
    let found = tx.execute(
        &format!("UPDATE {table} SET all_businesses = ?2 WHERE {key} = ?1"),
        params![id, all],
    )? > 0;
    if !found {
        return Ok(false);
    }
    tx.execute(&format!("DELETE FROM {grants} WHERE {key} = ?1"), [id])?;
    for business_id in businesses.ids().unwrap_or_default() {
        tx.execute(
            &format!("INSERT INTO {grants} ({key}, business_id) VALUES (?1, ?2)"),
            [id, business_id],
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
        self.write(|tx| {
            tx.execute(
                "INSERT INTO clients (client_id, name, secret_hash, created_at, read_only)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![client_id, name, secret_hash, now, access.read_only],
            )?;
            set_businesses(tx, Kind::Client, client_id, &access.businesses)?;
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
        self.write(|tx| Ok(set_businesses(tx, Kind::Client, client_id, businesses)?))
    }

    /// What a client may do; `None` for a client that does not exist (any more), whose tokens
    /// stop working at once.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn client_access(&self, client_id: &str) -> Result<Option<ClientAccess>, StoreError> {
        self.read(|c| {
            let row: Option<(bool, bool)> = c
                .prepare_cached(
                    "SELECT all_businesses, read_only FROM clients WHERE client_id = ?1",
                )?
                .query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((all, read_only)) = row else { return Ok(None) };
            let businesses = businesses_of(c, Kind::Client, client_id, all)?;
            Ok(Some(ClientAccess { businesses, read_only }))
        })
    }

    /// A client's secret hash, if the client exists.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn client_secret_hash(&self, client_id: &str) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            c.query_row("SELECT secret_hash FROM clients WHERE client_id = ?1", [client_id], |r| {
                r.get(0)
            })
            .optional()
        })
    }

    /// Every client, oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn clients(&self) -> Result<Vec<Account>, StoreError> {
        self.accounts(
            Kind::Client,
            "SELECT client_id, name || iif(read_only, ' (read-only)', ''), created_at, all_businesses
             FROM clients ORDER BY created_at, client_id",
        )
    }

    /// Removes a client; whether it existed. Its tokens stop working at once: every request
    /// looks the client up.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_client(&self, client_id: &str) -> Result<bool, OperationError> {
        self.write(
            |tx| Ok(tx.execute("DELETE FROM clients WHERE client_id = ?1", [client_id])? > 0),
        )
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
        self.write(|tx| {
            let added = tx.execute(
                "INSERT INTO users (username, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (username) DO NOTHING",
                params![username, password_hash, role.as_str(), now],
            )?;
            if added > 0 {
                set_businesses(tx, Kind::User, username, businesses)?;
            }
            Ok(added > 0)
        })
    }

    /// Marks a user as a demo user (their password was printed on a terminal).
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mark_demo_user(&self, username: &str) -> Result<(), OperationError> {
        self.write(|tx| {
            tx.execute("UPDATE users SET demo = 1 WHERE username = ?1", [username])?;
            Ok(())
        })
    }

    /// The names of the demo users.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn demo_users(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            c.prepare("SELECT username FROM users WHERE demo = 1 ORDER BY username")?
                .query_map([], |r| r.get(0))?
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
        self.write(|tx| Ok(set_businesses(tx, Kind::User, username, businesses)?))
    }

    /// A user's password hash, and the user.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn user(&self, username: &str) -> Result<Option<(String, SessionUser)>, StoreError> {
        self.read(|c| {
            let row: Option<(String, String, bool)> = c
                .query_row(
                    "SELECT password_hash, role, all_businesses FROM users WHERE username = ?1",
                    [username],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((hash, role, all)) = row else { return Ok(None) };
            let Some(role) = Role::parse(&role) else { return Ok(None) };
            let businesses = businesses_of(c, Kind::User, username, all)?;
            Ok(Some((hash, SessionUser { name: username.to_owned(), role, businesses })))
        })
    }

    /// The businesses of a set, with their names, by id.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn businesses(&self, businesses: &Businesses) -> Result<Vec<BusinessResource>, StoreError> {
        let within = within(businesses);
        self.read(|c| {
            c.prepare_cached(
                "SELECT business_id, name FROM businesses
                 WHERE ?1 IS NULL OR business_id IN (SELECT value FROM json_each(?1))
                 ORDER BY business_id",
            )?
            .query_map([within], |r| {
                Ok(BusinessResource { business_id: r.get(0)?, name: r.get(1)? })
            })?
            .collect()
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
        self.write(|tx| Ok(tx.execute("DELETE FROM users WHERE username = ?1", [username])? > 0))
    }

    fn accounts(&self, kind: Kind, query: &str) -> Result<Vec<Account>, StoreError> {
        self.read(|c| {
            let rows = c
                .prepare(query)?
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, bool>(3)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(id, detail, created_at, all)| {
                    let businesses = businesses_of(c, kind, &id, all)?;
                    Ok(Account { id, detail, businesses, created_at })
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
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, username, last_seen, started_at)
                 VALUES (?1, ?2, ?3, ?3)",
                params![token_hash, username, now],
            )?;
            Ok(())
        })
    }

    /// The user of a session not idle for longer than `idle` seconds nor older than `absolute`,
    /// with the seconds it has left (the lesser of the two); it counts as used now. An ended
    /// session is removed.
    ///
    /// # Errors
    /// When the database cannot be read or written.
    pub fn session(
        &self,
        token_hash: &str,
        now: i64,
        idle: i64,
        absolute: i64,
    ) -> Result<Option<(SessionUser, i64)>, OperationError> {
        type Found = (String, String, i64, i64, Businesses);
        let found: Option<Found> = self.read(|c| {
            let row: Option<(String, String, i64, i64, bool)> = c
                .prepare_cached(
                    "SELECT s.username, u.role, s.last_seen, s.started_at, u.all_businesses
                     FROM sessions s JOIN users u USING (username) WHERE s.token_hash = ?1",
                )?
                .query_row([token_hash], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            row.map(|(name, role, last_seen, started_at, all)| {
                let businesses = businesses_of(c, Kind::User, &name, all)?;
                Ok((name, role, last_seen, started_at, businesses))
            })
            .transpose()
        })?;
        let Some((username, role, last_seen, started_at, businesses)) = found else {
            return Ok(None);
        };
        if now - last_seen > idle || now - started_at > absolute {
            self.end_session(token_hash)?;
            return Ok(None);
        }
        // Writing on every request would make reads into writes; a minute's precision will do.
        if now - last_seen > 60 {
            self.write(|tx| {
                tx.execute(
                    "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
                    params![token_hash, now],
                )?;
                Ok(())
            })?;
        }
        let left = idle.min(started_at + absolute - now);
        Ok(Role::parse(&role).map(|role| (SessionUser { name: username, role, businesses }, left)))
    }

    /// Ends a session.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn end_session(&self, token_hash: &str) -> Result<(), OperationError> {
        self.write(|tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
            Ok(())
        })
    }
}
