//! Trunk, run so that it never reaches for the network: offline, without its version check,
//! with the tool versions Trunk.toml pins.

use std::fs;

use crate::{
    Result, compress,
    process::{command, run},
    root,
};

/// Builds the staff app into `dist/` with the size profile, adds every region's numbering plans
/// as the file the app fetches after its first paint (`phone_model::plans::FILE_NAME`), and
/// writes each file's compressed copies beside it. (Never `trunk serve`: it adds a live-reload script to what it serves;
/// `phone-server` serves `dist/` instead.)
///
/// # Errors
/// When the build fails.
pub(crate) fn build() -> Result {
    let mut trunk = command("trunk", &["build", "--release", "--offline"]);
    trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
    run(trunk)?;
    let dist = root().join("dist");
    fs::copy(
        root().join("crates/phone-model/data/plans.bin"),
        dist.join(phone_model::plans::FILE_NAME),
    )?;
    compress::precompress(&dist)
}
