//! Running the tools: one place that prints what runs and turns a failure into a sentence.

use std::{env, ffi::OsString, path::PathBuf, process::Command, time::Instant};

use crate::{Result, root};

/// A command run from the workspace root, with the project's tool folders first on `PATH`:
/// `node_modules/.bin` (wasm-opt from npm, never Debian's) and cargo's bin folder (Trunk,
/// wasm-bindgen), wherever the caller's `PATH` puts them.
pub(crate) fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(root()).env("PATH", tool_path());
    command
}

/// `PATH` with the project's tool folders in front.
pub(crate) fn tool_path() -> OsString {
    let mut folders = vec![root().join("node_modules/.bin"), cargo_bin()];
    folders.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    env::join_paths(folders).expect("tool folders hold no path separator")
}

/// Where `cargo install` puts programs.
pub(crate) fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// Runs a command to completion, its output going to the terminal.
///
/// # Errors
/// When it cannot start or exits unsuccessfully.
pub(crate) fn run(mut command: Command) -> Result {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})").into()) }
}

/// Runs a command and returns its standard output, or `None` if it cannot run or fails.
pub(crate) fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Numbered steps that each print a line when they start and when they end.
pub(crate) struct Steps {
    total: usize,
    done: usize,
    started: Instant,
}

impl Steps {
    pub(crate) fn new(total: usize) -> Self {
        Self { total, done: 0, started: Instant::now() }
    }

    /// Runs one step, printing its name, then how long it took.
    ///
    /// # Errors
    /// The step's own error, prefixed with its name.
    pub(crate) fn step(&mut self, name: &str, body: impl FnOnce() -> Result) -> Result {
        self.done += 1;
        eprintln!("\n==> [{}/{}] {name}", self.done, self.total);
        let started = Instant::now();
        body().map_err(|e| format!("{name}: {e}"))?;
        eprintln!("==> [{}/{}] {name}: ok in {:.1?}", self.done, self.total, started.elapsed());
        Ok(())
    }

    /// Prints the closing line.
    pub(crate) fn finish(&self) {
        eprintln!("\n==> all {} steps passed in {:.1?}", self.total, self.started.elapsed());
    }
}
