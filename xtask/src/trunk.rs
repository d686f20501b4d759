//! Trunk, run so that it never reaches for the network: offline, without its version check,
//! with the tool versions Trunk.toml pins.

use std::process::Command;

use crate::{
    Result,
    process::{command, run},
};

/// A `trunk` command with the settings every run needs.
pub(crate) fn trunk(args: &[&str]) -> Command {
    let mut trunk = command("trunk", args);
    trunk
        .arg("--offline")
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    trunk
}

/// Builds the staff app into `dist/` with the size profile.
///
/// # Errors
/// When the build fails.
pub(crate) fn build() -> Result {
    run(trunk(&["build", "--release"]))
}
