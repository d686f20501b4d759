//! The staff session's cookie: its name, how it is sent, and how a request's is read.

use axum::http::{HeaderMap, header};

/// The session cookie's name over plain HTTP (loopback only).
pub const SESSION_COOKIE: &str = "phonedesk_session";
/// Its name when `Secure`: the `__Host-` prefix makes browsers refuse it unless it is Secure,
/// host-only and for the whole site, so another subdomain cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-phonedesk_session";
/// How the session cookie is sent: `Secure` (and `__Host-` named) unless the server is reached
/// over plain HTTP on loopback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// The policy for a server whose public URL is `public_url`: plain only for `http://` on
    /// `localhost` or a loopback address.
    pub fn for_url(public_url: &str) -> Self {
        let plain_loopback = public_url.strip_prefix("http://").is_some_and(|rest| {
            let authority = rest.split('/').next().unwrap_or_default();
            // `[::1]:8080`, `[::1]`, `127.0.0.1:8080`, `localhost:8080`.
            let host = match authority.strip_prefix('[') {
                Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
                None => authority.split(':').next().unwrap_or_default(),
            };
            host.eq_ignore_ascii_case("localhost")
                || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        });
        Self { secure: !plain_loopback }
    }

    pub fn name(self) -> &'static str {
        if self.secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
    }

    /// The `Set-Cookie` value for `token`, lasting `max_age` seconds (0 clears it).
    pub fn set(self, token: &str, max_age: i64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
            self.name()
        )
    }
}

/// The value of a cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
