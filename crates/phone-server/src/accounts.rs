//! Adding API clients and staff users: what `phone-server client …` and `user …` do, and
//! what tests and the demo use.

use crate::{
    auth::{now, passwords},
    store::{Role, Store, WriteError},
};

/// Adds an API client; returns its id and secret. The secret is shown only now: the database
/// keeps only its hash.
///
/// # Errors
/// When the database cannot be written.
pub fn add_client(store: &Store, name: &str) -> Result<(String, String), WriteError> {
    let id = format!("pd-{}", &blake3::hash(passwords::random_secret().as_bytes()).to_hex()[..16]);
    let secret = passwords::random_secret();
    store.add_client(&id, name, &passwords::hash(&secret), now())?;
    Ok((id, secret))
}

/// Adds a staff user; `false` when the name is taken.
///
/// # Errors
/// When the database cannot be written.
pub fn add_user(store: &Store, name: &str, role: Role, password: &str) -> Result<bool, WriteError> {
    store.add_user(name, &passwords::hash(password), role, now())
}

/// On a new installation with `--demo`: a demo editor and viewer with random passwords, which
/// are returned to be shown once. Nothing when any user exists.
///
/// # Errors
/// When the database cannot be read or written.
pub fn add_demo_users(store: &Store) -> Result<Vec<(String, Role, String)>, WriteError> {
    if !store.users()?.is_empty() {
        return Ok(Vec::new());
    }
    let mut added = Vec::new();
    for (name, role) in [("demo-editor", Role::Editor), ("demo-viewer", Role::Viewer)] {
        let password = passwords::random_secret();
        add_user(store, name, role, &password)?;
        added.push((name.to_owned(), role, password));
    }
    Ok(added)
}
