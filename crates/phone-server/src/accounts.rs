//! Adding API clients and staff users: what `phone-server client …` and `user …` do, and
//! what tests and the demo use.

use phone_model::Businesses;

use phone_http::auth::passwords;
use phone_operations::now;
use phone_store::{ClientAccess, OperationError, Role, Store};

/// Adds an API client; returns its id and secret. The secret is shown only now: the database
/// keeps only its hash.
///
/// # Errors
/// When the database cannot be written.
pub fn add_client(
    store: &Store,
    name: &str,
    access: &ClientAccess,
) -> Result<(String, String), OperationError> {
    let id = format!("pd-{}", &blake3::hash(passwords::random_secret().as_bytes()).to_hex()[..16]);
    let secret = passwords::random_secret();
    store.add_client(&id, name, &passwords::hash(&secret), access, now())?;
    Ok((id, secret))
}

/// The fewest characters a staff member's password may have.
pub const PASSWORD_CHARACTERS: usize = 12;

/// The password policy for a staff member's password chosen by a person (the demo users'
/// are random, and longer).
///
/// # Errors
/// What the password lacks, as the command says it.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < PASSWORD_CHARACTERS {
        return Err(format!("the password must have at least {PASSWORD_CHARACTERS} characters"));
    }
    Ok(())
}

/// Adds a staff user; `false` when the name is taken.
///
/// # Errors
/// When the database cannot be written.
pub fn add_user(
    store: &Store,
    name: &str,
    role: Role,
    businesses: &Businesses,
    password: &str,
) -> Result<bool, OperationError> {
    store.add_user(name, &passwords::hash(password), role, businesses, now())
}

/// On a new installation with `--demo`: demo users with random passwords, which are returned
/// to be shown once — an editor and a viewer of every business (the provider's own staff), and
/// an editor of each demo business alone. Nothing when any user exists.
///
/// # Errors
/// When the database cannot be read or written.
pub fn add_demo_users(store: &Store) -> Result<Vec<(String, Role, String)>, OperationError> {
    if !store.users()?.is_empty() {
        return Ok(Vec::new());
    }
    let [(fitness, _), (physio, _)] = crate::demo::BUSINESSES;
    let users = [
        ("demo-editor", Role::Editor, Businesses::All),
        ("demo-viewer", Role::Viewer, Businesses::All),
        ("fitness-editor", Role::Editor, Businesses::only([fitness])),
        ("physio-editor", Role::Editor, Businesses::only([physio])),
    ];
    let mut added = Vec::new();
    for (name, role, businesses) in users {
        let password = passwords::random_secret();
        add_user(store, name, role, &businesses, &password)?;
        store.mark_demo_user(name)?;
        added.push((name.to_owned(), role, password));
    }
    Ok(added)
}
