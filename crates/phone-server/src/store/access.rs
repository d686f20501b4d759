//! The SQL of access: API clients, staff users and their sessions.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, WriteError};

/// A staff member's role: a viewer reads; an editor also writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Viewer,
    Editor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "viewer" => Some(Self::Viewer),
            "editor" => Some(Self::Editor),
            _ => None,
        }
    }
}

/// A row of the clients or users table, for listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The client id, or the user name.
    pub id: String,
    /// The client's name, or the user's role.
    pub detail: String,
    /// Seconds since the epoch.
    pub created_at: i64,
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
        now: i64,
    ) -> Result<(), WriteError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO clients (client_id, name, secret_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![client_id, name, secret_hash, now],
            )?;
            Ok(())
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
            "SELECT client_id, name, created_at FROM clients ORDER BY created_at, client_id",
        )
    }

    /// Removes a client; whether it existed. Its tokens stop working when they expire.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_client(&self, client_id: &str) -> Result<bool, WriteError> {
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
        now: i64,
    ) -> Result<bool, WriteError> {
        self.write(|tx| {
            let added = tx.execute(
                "INSERT INTO users (username, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (username) DO NOTHING",
                params![username, password_hash, role.as_str(), now],
            )?;
            Ok(added > 0)
        })
    }

    /// A user's password hash and role.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn user(&self, username: &str) -> Result<Option<(String, Role)>, StoreError> {
        let row: Option<(String, String)> = self.read(|c| {
            c.query_row(
                "SELECT password_hash, role FROM users WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })?;
        Ok(row.and_then(|(hash, role)| Role::parse(&role).map(|role| (hash, role))))
    }

    /// Every user, oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn users(&self) -> Result<Vec<Account>, StoreError> {
        self.accounts("SELECT username, role, created_at FROM users ORDER BY created_at, username")
    }

    /// Removes a user and their sessions; whether they existed.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_user(&self, username: &str) -> Result<bool, WriteError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM users WHERE username = ?1", [username])? > 0))
    }

    fn accounts(&self, query: &str) -> Result<Vec<Account>, StoreError> {
        self.read(|c| {
            c.prepare(query)?
                .query_map([], |r| {
                    Ok(Account { id: r.get(0)?, detail: r.get(1)?, created_at: r.get(2)? })
                })?
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
    ) -> Result<(), WriteError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, username, last_seen) VALUES (?1, ?2, ?3)",
                params![token_hash, username, now],
            )?;
            Ok(())
        })
    }

    /// The user and role of a session not idle for longer than `idle` seconds; it counts as
    /// used now. An expired session is removed.
    ///
    /// # Errors
    /// When the database cannot be read or written.
    pub fn session(
        &self,
        token_hash: &str,
        now: i64,
        idle: i64,
    ) -> Result<Option<(String, Role)>, WriteError> {
        let found: Option<(String, String, i64)> = self.read(|c| {
            c.query_row(
                "SELECT s.username, u.role, s.last_seen FROM sessions s JOIN users u USING (username)
                 WHERE s.token_hash = ?1",
                [token_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })?;
        let Some((username, role, last_seen)) = found else { return Ok(None) };
        if now - last_seen > idle {
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
        Ok(Role::parse(&role).map(|role| (username, role)))
    }

    /// Ends a session.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn end_session(&self, token_hash: &str) -> Result<(), WriteError> {
        self.write(|tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
            Ok(())
        })
    }
}
