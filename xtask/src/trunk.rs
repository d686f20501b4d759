//! Trunk, run so that it never reaches for the network: offline, without its version check,
//! with the tool versions Trunk.toml pins.

use crate::{
    Result, compress,
    process::{command, run},
    root,
};

/// Builds the staff app into `dist/` with the size profile, each file with its compressed
/// copies beside it. (Never `trunk serve`: it adds a live-reload script to what it serves;
/// `phone-server` serves `dist/` instead.)
///
/// # Errors
/// When the build fails.
pub(crate) fn build() -> Result {
    let mut trunk = command("trunk", &["build", "--release", "--offline"]);
    trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
    run(trunk)?;
    compress::precompress(&root().join("dist"))
}
