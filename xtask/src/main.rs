//! Phonedesk's automation, run as `cargo xtask <command>` (the alias is in
//! `.cargo/config.toml`).
//!
//! - `test`: every check CI runs, installing the tools it needs first.
//! - `serve`: builds the staff app and serves it, with the API, on 127.0.0.1.
//! - `embed`: builds the embeddable validator and prints its size and speed.
//! - `package`: builds and packs it, and runs the packed package in bundlers and runtimes.
//! - `budget`: what a user downloads, against its size budget in `xtask/sizes.toml`.
//! - `screenshots`: runs the end-to-end scenarios and refreshes `docs/screenshots/`.
//! - `bench`: the benchmarks, printed and written to `BENCHMARKS.md`.
//! - `mutants`: mutation testing of the core and the server's rules, against the explained list.
//! - `faults`: schemathesis, the fuzzer and mutation testing, too slow for every CI run.
//! - `sizes`: what the staff app's wasm is made of, by item and by crate (twiggy).
//! - `structure`: circles of modules importing each other, and long files without a reason.

mod attribution;
mod bench;
mod budget;
mod builds;
mod compress;
mod e2e;
mod embed;
mod faults;
mod metadata;
mod minify;
mod mutants;
mod package;
mod process;
mod readme;
mod serve;
mod sizes;
mod structure;
mod test;
#[cfg(test)]
mod tidy;
mod tools;
mod trunk;

use std::{path::PathBuf, process::ExitCode};

/// What a failed step reports: a sentence for the person at the terminal.
type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: cargo xtask <test | serve | readme | embed | package | budget | screenshots | bench | mutants | faults | sizes | structure>

  test    format, lint, native tests, browser tests, release build (what CI runs)
  serve   build the staff app and run phone-server with demo data on http://127.0.0.1:8080 (PORT to change)
  readme  run the README's First run and Upgrading as written, on SQLite and PostgreSQL (a step of test)
  embed   build the embeddable validator into target/embed/ and print its size and speed
  package build and pack it (target/npm/), then build and run it in each bundler and runtime of
          crates/phone-wasm/fixtures/ (a step of test)
  budget  measure what a user downloads against xtask/sizes.toml; fails over a budget or more
          than 1% under it (a step of test; builds nothing: needs dist/ and embed's builds)
  screenshots  run the end-to-end scenarios and copy their pictures into docs/screenshots/
  bench   run the benchmarks (minutes; not part of test) and write BENCHMARKS.md
  mutants mutation testing (cargo-mutants) of phone-model and the server's rules; fails on a new miss
          (--judge: only weigh the last run's outcomes against xtask/mutants-explained.txt)
  faults  schemathesis, a minute of cargo fuzz, a full disk, the attack scenario, and mutants
  sizes   what the staff app's wasm is made of: largest items, each crate's share, generics
          compiled most often (a names-kept release build read by twiggy)
  structure  report circles of modules importing each other and files over 400 lines without a
          reason at their top (--check: fail unless there are none)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    let result = match command.as_deref() {
        Some("test") => test::run_all(),
        Some("serve") => serve::run_server(),
        Some("readme") => tools::ensure_postgres()
            .and_then(|()| tools::ensure_operator_tools())
            .and_then(|()| readme::build_and_run_readme_sections()),
        Some("embed") => tools::ensure_web_tools().and_then(|()| embed::run_embed()),
        Some("package") => tools::ensure_web_tools()
            .and_then(|()| embed::build())
            .and_then(|()| package::run_fixtures()),
        Some("budget") => budget::run_budget(),
        Some("screenshots") => e2e::screenshots(),
        Some("bench") => bench::run_bench(),
        Some("mutants") => {
            mutants::run_mutants(std::env::args().nth(2).as_deref() == Some("--judge"))
        }
        Some("faults") => faults::run_faults(),
        Some("sizes") => attribution::run_sizes(),
        Some("structure") => {
            structure::run_structure(std::env::args().nth(2).as_deref() == Some("--check"))
        }
        Some("metadata") => metadata::run_metadata(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask's manifest lives one folder below it.
fn root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().expect("xtask sits inside the workspace").to_path_buf()
}
