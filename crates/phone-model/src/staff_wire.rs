//! The JSON shapes the staff app and the server share beyond the contract: who is signed in,
//! a sign-in, and a gateway's state.

use alloc::{string::String, vec::Vec};
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::{BusinessResource, Role};

/// Who is signed in to the staff app, as `GET /auth/session` and a sign-in answer: their name
/// and role, the businesses whose customers they see, and whether this server is a gateway.
///
/// ```
/// # fn main() -> Result<(), serde_json::Error> {
/// use phone_model::{Role, StaffSession};
/// let json = r#"{"username":"sam","role":"editor","allBusinesses":true,"businesses":[],"gateway":false}"#;
/// let session: StaffSession = serde_json::from_str(json)?;
/// assert!(session.role.can_edit());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StaffSession {
    /// The name they signed in with.
    pub username: String,
    /// What they may do.
    pub role: Role,
    /// Whether they see every business: the provider's own staff.
    #[serde(default)]
    pub all_businesses: bool,
    /// The businesses they see (every one, listed, for the provider's staff).
    #[serde(default)]
    pub businesses: Vec<BusinessResource>,
    /// Whether this server is a gateway to the provider's API, which alone has
    /// `/gatewayStatus`.
    #[serde(default)]
    pub gateway: bool,
}

/// A staff member's sign-in, the body of `POST /auth/session`. A member left out reads as
/// empty, which no user has: the answer is the wrong name or password's, as for any other.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// The user name.
    #[serde(default)]
    pub username: String,
    /// The password, as typed.
    #[serde(default)]
    pub password: String,
}

/// Never the password, so that no log line can carry it.
impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn").field("username", &self.username).field("password", &"…").finish()
    }
}

/// A gateway's state, `GET /gatewayStatus`: which provider it passes requests on to, and when
/// its copy of the provider's data (which its search reads) was last synced in full. A server of
/// its own data answers `null` for both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GatewayStatus {
    /// The provider's API, as the gateway was given it; `null` on a server of its own data.
    pub upstream: Option<String>,
    /// Seconds since 1970-01-01 UTC; `null` until the first full sync has ended (and on a
    /// server of its own data).
    pub synced_at: Option<i64>,
}
