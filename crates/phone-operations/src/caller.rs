//! Who asks: a request's caller, as authentication found them, and the clock their changes
//! are recorded by.

use std::{
    net::IpAddr,
    time::{SystemTime, UNIX_EPOCH},
};

use phone_model::Businesses;
use phone_store::Role;

/// Who made a request, and the businesses whose customers they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An API client, by its id (from a bearer token).
    Client { id: String, businesses: Businesses, read_only: bool },
    /// A staff member, by name, with their role (from a session).
    User { name: String, role: Role, businesses: Businesses },
}

impl Principal {
    /// Whether it may change data.
    pub fn can_write(&self) -> bool {
        match self {
            Self::Client { read_only, .. } => !read_only,
            Self::User { role, .. } => role.can_edit(),
        }
    }

    /// The businesses whose customers it may see and change.
    pub fn businesses(&self) -> &Businesses {
        match self {
            Self::Client { businesses, .. } | Self::User { businesses, .. } => businesses,
        }
    }

    /// How the audit trail names it.
    pub fn actor(&self) -> String {
        match self {
            Self::Client { id, .. } => format!("client {id}"),
            Self::User { name, .. } => name.clone(),
        }
    }

    /// Whom its requests count against: the API's rate limit, the gateway's budget.
    pub fn caller(&self) -> Caller {
        match self {
            Self::Client { id, .. } => Caller::Client(id.clone()),
            Self::User { name, .. } => Caller::User(name.clone()),
        }
    }

    /// Whose `Idempotency-Key`s it uses: a client's and a user's of one name are different.
    pub fn scope(&self) -> String {
        match self {
            Self::Client { id, .. } => format!("client {id}"),
            Self::User { name, .. } => format!("user {name}"),
        }
    }
}

/// Who is counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// An API client, by its id, after its token verified.
    Client(String),
    /// A staff member, by name, after their session was found.
    User(String),
    /// Anyone else, by address.
    Address(IpAddr),
    /// Newcomers once a rate limit's window holds as many callers as it keeps: one shared
    /// allowance.
    Overflow,
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Caller {
    /// Whether it is counted by its address, not by who it is.
    pub fn is_address(&self) -> bool {
        matches!(self, Self::Address(_) | Self::Overflow)
    }
}

/// As the log names a caller.
impl std::fmt::Display for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Client(id) => write!(f, "client {id}"),
            Self::User(name) => write!(f, "user {name}"),
            Self::Address(address) => write!(f, "address {address}"),
            Self::Overflow => f.write_str("the addresses past the limiter's capacity"),
        }
    }
}
