//! Which `phone-server` this is: the workspace's version and the commit it was built from.

/// The workspace's version (`[workspace.package]` in the root `Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit it was built from (12 hex digits), or `unknown` (see `build.rs`).
pub const COMMIT: &str = env!("PHONEDESK_COMMIT");

/// As `--version` prints it: `0.3.0 (commit 1a2b3c4d5e6f)`.
pub const LONG: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("PHONEDESK_COMMIT"), ")");
