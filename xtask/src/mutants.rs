//! `cargo xtask mutants`: mutation testing of the core and of the server's rules and storage
//! (cargo-mutants), compared against the committed list of explained misses.
//!
//! A mutant is a small change to the code (`>` into `>=`, a body into `Ok(())`); the tests
//! should fail on it. Each campaign prints caught / missed / timeout / unviable and the missed
//! mutants. A miss that `xtask/mutants-explained.txt` does not explain fails the command, so a
//! new blind spot is found here before a user finds it; an explained one that is now caught is
//! pointed out, so the list only shrinks.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
    time::Instant,
};

use crate::{
    Result,
    process::{command, output, run},
    root,
};

/// cargo-mutants 27.1.0 (crates.io); its output folder's layout is what this reads.
const CARGO_MUTANTS_VERSION: &str = "27.1.0";

/// The explained misses: `<file>: <mutation>  # why it is harmless`, without line numbers so
/// that an edit elsewhere in the file does not invalidate the list.
const EXPLAINED: &str = "xtask/mutants-explained.txt";

/// What is mutated, and which tests must notice.
struct Campaign {
    name: &'static str,
    package: &'static str,
    /// Other packages whose files are mutated too (the layers under the package's tests).
    beneath: &'static [&'static str],
    /// Files to mutate (all of the packages' when empty).
    files: &'static [&'static str],
    /// Which of the package's tests run against each mutant (`cargo test` arguments).
    tests: &'static [&'static str],
    /// Arguments for the test binaries (`--skip` of the suites that test something else).
    harness: &'static [&'static str],
    /// Seconds a mutant's tests may take before it counts as a timeout (cargo-mutants sets
    /// five times the unmutated run's when `None`).
    timeout: Option<&'static str>,
}

const CAMPAIGNS: [Campaign; 2] = [
    // The core: every rule of the contract, judged by the crate's own tests.
    Campaign {
        name: "phone-model",
        package: "phone-model",
        beneath: &[],
        files: &[],
        tests: &[],
        harness: &[],
        timeout: None,
    },
    // The server's own rules (one primary per customer and its history, idempotent creates,
    // the page cursor, the per-caller rate limit) and how they are stored, judged by its unit
    // tests and the API suite against a real server on SQLite.
    Campaign {
        name: "phone-server rules and storage",
        package: "phone-server",
        beneath: &["phone-store", "phone-operations", "phone-http"],
        files: &[
            "crates/phone-store/src/phone_numbers.rs",
            "crates/phone-store/src/rows.rs",
            "crates/phone-store/src/idempotency.rs",
            "crates/phone-store/src/history.rs",
            "crates/phone-operations/src/cursor.rs",
            "crates/phone-http/src/rate_limit.rs",
        ],
        tests: &["--test", "api"],
        // The API suite in eight threads (its tests mostly wait on servers), without the
        // suites that exercise other modules (copies, PostgreSQL, backups, metrics, shutdown): a
        // mutant costs a build and about fifteen seconds of tests. The gateway's suite stays:
        // the idempotency keys' claim, keep and release are its.
        harness: &[
            "--test-threads=8",
            "--skip",
            "copy::",
            "--skip",
            "several_servers::",
            "--skip",
            "backups::",
            "--skip",
            "metrics::",
            "--skip",
            "operating::",
        ],
        // Unmutated, the tests take about ten seconds; a loop must not cost five minutes.
        timeout: Some("90"),
    },
];

/// Runs both campaigns, then judges their outcomes; with `--judge`, only judges the outcomes
/// the last run left in `target/mutants/` (after editing the explained list, say).
pub(crate) fn run_mutants(judge_only: bool) -> Result {
    if !judge_only {
        ensure_cargo_mutants()?;
        for campaign in &CAMPAIGNS {
            let started = Instant::now();
            campaign.run()?;
            println!("{}: {:.0} s", campaign.name, started.elapsed().as_secs_f64());
        }
    }
    judge()
}

/// Prints each campaign's figures and misses; fails on a miss the explained list lacks.
fn judge() -> Result {
    let explained = explained()?;
    let mut unexplained = Vec::new();
    for campaign in &CAMPAIGNS {
        let outcomes = Outcomes::read(&campaign.folder().join("mutants.out"))?;
        println!(
            "\n{}: {} caught, {} missed, {} timeout, {} unviable: {:.1}% caught of caught + \
             missed",
            campaign.name,
            outcomes.caught.len(),
            outcomes.missed.len(),
            outcomes.timeout.len(),
            outcomes.unviable.len(),
            outcomes.score(),
        );
        for mutant in outcomes.missed.iter().chain(&outcomes.timeout) {
            match explained.get(&key(mutant)) {
                Some(why) => println!("  missed, explained: {mutant}  ({why})"),
                None => {
                    println!("  MISSED, UNEXPLAINED: {mutant}");
                    unexplained.push(mutant.clone());
                }
            }
        }
        // An entry whose every mutant is now caught (an entry names all mutants of its text in
        // its function, so some may be caught while another survives).
        let surviving: BTreeSet<String> =
            outcomes.missed.iter().chain(&outcomes.timeout).map(|m| key(m)).collect();
        let caught: BTreeSet<String> = outcomes.caught.iter().map(|m| key(m)).collect();
        for entry in caught.difference(&surviving).filter(|k| explained.contains_key(*k)) {
            println!("  now caught, remove from {EXPLAINED}: {entry}");
        }
    }
    if unexplained.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} mutants survived that {EXPLAINED} does not explain: kill each with a test, or \
             add it there with why it is harmless",
            unexplained.len()
        )
        .into())
    }
}

fn ensure_cargo_mutants() -> Result {
    if output("cargo", &["mutants", "--version"]).is_some_and(|v| v.contains(CARGO_MUTANTS_VERSION))
    {
        return Ok(());
    }
    run(command(
        "cargo",
        &["install", "--locked", "cargo-mutants", "--version", CARGO_MUTANTS_VERSION],
    ))
}

/// What cargo-mutants found, one mutant name per entry.
struct Outcomes {
    caught: Vec<String>,
    missed: Vec<String>,
    timeout: Vec<String>,
    unviable: Vec<String>,
}

impl Outcomes {
    fn read(folder: &Path) -> Result<Self> {
        let list = |name: &str| -> Result<Vec<String>> {
            let text = fs::read_to_string(folder.join(name))
                .map_err(|e| format!("{}: {e}", folder.join(name).display()))?;
            Ok(text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect())
        };
        Ok(Self {
            caught: list("caught.txt")?,
            missed: list("missed.txt")?,
            timeout: list("timeout.txt")?,
            unviable: list("unviable.txt")?,
        })
    }

    /// Caught ÷ (caught + missed), in percent: the measure.
    fn score(&self) -> f64 {
        let judged = self.caught.len() + self.missed.len();
        if judged == 0 { 100.0 } else { 100.0 * self.caught.len() as f64 / judged as f64 }
    }
}

impl Campaign {
    /// Runs cargo-mutants; its exit status says only whether something was missed, which
    /// [`judge`] weighs against the explained list, so the outcome files are what counts.
    /// Where its outcomes are kept.
    fn folder(&self) -> std::path::PathBuf {
        root().join("target/mutants").join(self.package)
    }

    fn run(&self) -> Result {
        let folder = self.folder();
        fs::create_dir_all(&folder)?;
        let mut mutants = command("cargo", &["mutants", "--package", self.package]);
        for package in self.beneath {
            mutants.args(["--package", package]);
        }
        if !self.beneath.is_empty() {
            mutants.args(["--test-package", self.package]);
        }
        mutants.arg("--output").arg(&folder).args(["--profile", "mutants", "--no-shuffle"]);
        if let Some(seconds) = self.timeout {
            mutants.args(["--timeout", seconds]);
        }
        for file in self.files {
            mutants.args(["--file", file]);
        }
        for arg in self.tests {
            mutants.arg(format!("--cargo-test-arg={arg}"));
        }
        // After `--`: cargo test's own arguments; after a second `--`: the test binaries'.
        if !self.harness.is_empty() {
            mutants.args(["--", "--"]).args(self.harness);
        }
        let status = mutants.status()?;
        // 0: all caught; 2: some missed; 3: some timed out. Anything else is a failure to run.
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            return Err(format!("cargo mutants on {} failed ({status})", self.name).into());
        }
        Ok(())
    }
}

/// A mutant's name without its line and column (`file:line:col: mutation` → `file: mutation`).
fn key(mutant: &str) -> String {
    let mut parts = mutant.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(file), Some(_line), Some(_column), Some(mutation)) => {
            format!("{file}:{mutation}")
        }
        _ => mutant.to_owned(),
    }
}

/// The committed list: each explained mutant's key and why it is harmless.
fn explained() -> Result<BTreeMap<String, String>> {
    let text = fs::read_to_string(root().join(EXPLAINED))?;
    let mut list = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (mutant, why) = line
            .split_once("  # ")
            .ok_or(format!("{EXPLAINED}:{}: no \"  # why\" after the mutant", number + 1))?;
        list.insert(mutant.trim().to_owned(), why.trim().to_owned());
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn a_key_drops_the_line_and_column_only() {
        assert_eq!(
            key("crates/phone-model/src/page.rs:21:9: replace || with && in PageSize::from_limit"),
            "crates/phone-model/src/page.rs: replace || with && in PageSize::from_limit"
        );
    }
}
