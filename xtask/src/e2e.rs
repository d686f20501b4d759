//! The end-to-end scenarios (`crates/phone-e2e`), and `cargo xtask screenshots`, which runs
//! them to refresh the README's pictures.

use std::fs;

use crate::{
    Result, embed,
    process::{command, run},
    root, tools, trunk,
};

/// The browsers the scenarios run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    /// As `PHONEDESK_E2E_BROWSER` names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
        }
    }
}

/// Runs the scenarios in `browser` against what is in `dist/` (the release app, with the
/// validator's demo); `geckodriver` is its path, for Firefox.
///
/// # Errors
/// When a scenario fails.
pub(crate) fn run_e2e(browser: Browser, geckodriver: &str) -> Result {
    // The scenarios start the server binary, as a deployment would.
    run(command("cargo", &["build", "--package", "phone-server"]))?;
    // Two at a time: each scenario runs a browser, and the machine has two cores.
    let mut e2e = command("cargo", &["test", "--package", "phone-e2e", "--", "--test-threads=2"]);
    e2e.env("PHONEDESK_E2E_BROWSER", browser.name());
    e2e.env("GECKODRIVER", geckodriver);
    e2e.env("PHONEDESK_SERVER", root().join("target/debug/phone-server"));
    run(e2e)
}

/// Builds everything, runs the scenarios, and copies the pictures they took into
/// `docs/screenshots/`.
///
/// # Errors
/// When a build or a scenario fails, or the pictures cannot be copied.
pub(crate) fn screenshots() -> Result {
    tools::ensure_web_tools()?;
    trunk::build()?;
    embed::build()?;
    let taken = root().join("target/screenshots");
    if taken.exists() {
        fs::remove_dir_all(&taken)?;
    }
    // The README's pictures are Chromium's.
    run_e2e(Browser::Chromium, "")?;
    let docs = root().join("docs/screenshots");
    fs::create_dir_all(&docs)?;
    for entry in fs::read_dir(&taken)? {
        let entry = entry?;
        fs::copy(entry.path(), docs.join(entry.file_name()))?;
        eprintln!("docs/screenshots/{}", entry.file_name().to_string_lossy());
    }
    Ok(())
}
