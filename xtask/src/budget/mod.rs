//! `cargo xtask budget`: each thing a user downloads, measured against its budget in
//! `xtask/sizes.toml` (a step of `cargo xtask test`, after the builds it measures).
//!
//! The check fails when an artifact is over its budget, and also when it is more than 1% under
//! it: a change that shrinks an artifact lowers its budget in the same commit, so the budgets
//! follow the artifacts down and a later change cannot spend what an earlier one saved without
//! raising a budget, which takes a line in the entry's `why`.
//!
//! Measuring (`Artifact::measure`, the same functions as `cargo xtask embed`'s goals and the
//! release build's sizes) is kept apart from judging (`verdict.rs`), which takes only figures
//! and so is tested without a build.

mod verdict;

use std::fs;

use serde::Deserialize;

use crate::{
    Result,
    builds::Build,
    embed::{self, Wasm},
    root, sizes,
};
use verdict::{failure, signed, thousands};

/// The budgets, from the workspace root.
const BUDGET_FILE: &str = "xtask/sizes.toml";

/// Each thing a user downloads that has a budget. `xtask/sizes.toml` names every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
enum Artifact {
    /// The staff app's html, js, wasm and css (`sizes::app_files`).
    FirstLoad,
    /// The staff app's numbering plans, `dist/plans-<hash>.bin`, fetched after the first load.
    Plans,
    /// The module with every region, as the default entry carries its wasm.
    EveryRegion,
    /// The module with New Zealand and Australia only, the same way.
    NzAu,
    /// `<phone-number-input>` with the NZ + AU module it imports.
    Element,
}

impl Artifact {
    const ALL: [Self; 5] =
        [Self::FirstLoad, Self::Plans, Self::EveryRegion, Self::NzAu, Self::Element];

    /// Its name in `xtask/sizes.toml` and in what the check prints.
    fn name(self) -> &'static str {
        match self {
            Self::FirstLoad => "the staff app's first load",
            Self::Plans => "the staff app's numbering plans",
            Self::EveryRegion => "the every-region module",
            Self::NzAu => "the NZ + AU module",
            Self::Element => "the element",
        }
    }

    /// How it is measured: the app as `phone-server` sends it to a browser that takes brotli;
    /// the module and the element at gzip -9, as issue 33's goals measure them (a page's own
    /// server may offer no brotli).
    fn compression(self) -> Compression {
        match self {
            Self::FirstLoad | Self::Plans => Compression::Brotli,
            Self::EveryRegion | Self::NzAu | Self::Element => Compression::Gzip,
        }
    }

    /// Its compressed bytes as built now. The modules and the
    /// element are measured as the package's default entry carries the wasm (base64 inside
    /// `phone_wasm.wasm.js`): what the element, and `init()` with no argument, load.
    ///
    /// # Errors
    /// When a file of the build cannot be read.
    fn measure(self) -> Result<usize> {
        match self {
            Self::FirstLoad => sizes::first_load_brotli(),
            Self::Plans => sizes::plans_brotli(),
            Self::EveryRegion => embed::module_gzip(Build::All, Wasm::InBase64),
            Self::NzAu => embed::module_gzip(Build::NzAu, Wasm::InBase64),
            Self::Element => embed::element_gzip(Wasm::InBase64),
        }
    }
}

impl TryFrom<String> for Artifact {
    type Error = String;

    fn try_from(name: String) -> std::result::Result<Self, String> {
        Self::ALL.into_iter().find(|artifact| artifact.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|artifact| artifact.name()).collect();
            format!("no artifact is named {name:?}; the names are {names:?}")
        })
    }
}

/// How an artifact's bytes are counted, as `xtask/sizes.toml` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum Compression {
    #[serde(rename = "brotli 11")]
    Brotli,
    #[serde(rename = "gzip -9")]
    Gzip,
}

impl Compression {
    /// As the file writes it.
    fn setting(self) -> &'static str {
        match self {
            Self::Brotli => "brotli 11",
            Self::Gzip => "gzip -9",
        }
    }

    /// As a sentence says it: "201,234 bytes brotli".
    fn word(self) -> &'static str {
        match self {
            Self::Brotli => "brotli",
            Self::Gzip => "gzip",
        }
    }
}

/// One entry of `xtask/sizes.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Budget {
    name: Artifact,
    compression: Compression,
    /// The most compressed bytes the artifact may take.
    budget: usize,
    /// Why the budget is what it is: a line for the first figure and one for every raise.
    why: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetFile {
    artifact: Vec<Budget>,
}

/// Checks every artifact against its budget and prints the table; the error names each
/// artifact over its budget or more than 1% under it.
///
/// # Errors
/// When the file cannot be read, a build is missing, or an artifact fails its budget.
pub(crate) fn run_budget() -> Result {
    let budgets = parse(&fs::read_to_string(root().join(BUDGET_FILE))?)?;
    ensure_built()?;
    let mut failures = Vec::new();
    eprintln!("{:<46} {:>10} {:>10} {:>10}", "artifact", "measured", "budget", "headroom");
    for budget in &budgets {
        let artifact = budget.name;
        let measured =
            artifact.measure().map_err(|e| format!("measuring {}: {e}", artifact.name()))?;
        let label = format!("{} ({})", artifact.name(), budget.compression.setting());
        let (shown, headroom) = (thousands(measured), signed(budget.budget, measured));
        eprintln!("{label:<46} {shown:>10} {:>10} {headroom:>10}", thousands(budget.budget));
        failures.extend(failure(budget, measured));
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n").into()) }
}

/// The check measures the builds as they are and builds nothing (in `cargo xtask test` the
/// steps before it have): it names a missing build rather than a file it cannot read.
fn ensure_built() -> Result {
    let app = "build the staff app for release first (`cargo xtask serve` does, as does `cargo \
               xtask test`)";
    let module = "build the modules first (`cargo xtask embed`)";
    let needed = [
        (root().join("dist/index.html"), app),
        (Build::All.out_dir().join("phone_wasm.wasm.js"), module),
        (Build::NzAu.out_dir().join("phone_wasm.wasm.js"), module),
    ];
    match needed.into_iter().find(|(file, _)| !file.exists()) {
        None => Ok(()),
        Some((file, fix)) => Err(format!(
            "cargo xtask budget measures dist/ and the module's builds as they are, and {} does \
             not exist: {fix}",
            file.display()
        )
        .into()),
    }
}

/// The budgets in `text`, one for each artifact, with the compression it is measured in.
///
/// # Errors
/// When `text` is not TOML of the file's shape, or an artifact has no budget, two, one in
/// another compression, or one with no `why`.
fn parse(text: &str) -> Result<Vec<Budget>> {
    let file: BudgetFile = toml::from_str(text)?;
    for budget in &file.artifact {
        let (name, wanted) = (budget.name.name(), budget.name.compression());
        if budget.compression != wanted {
            return Err(format!("{BUDGET_FILE}: {name} is measured {}", wanted.setting()).into());
        }
        if budget.why.is_empty() {
            return Err(format!("{BUDGET_FILE}: {name} has no `why`").into());
        }
    }
    for artifact in Artifact::ALL {
        match file.artifact.iter().filter(|budget| budget.name == artifact).count() {
            1 => {}
            0 => return Err(format!("{BUDGET_FILE} has no budget for {}", artifact.name()).into()),
            _ => {
                return Err(format!("{BUDGET_FILE} has two budgets for {}", artifact.name()).into());
            }
        }
    }
    Ok(file.artifact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_budgets_parse_and_name_every_artifact_once() {
        let text = fs::read_to_string(root().join(BUDGET_FILE)).expect("xtask/sizes.toml exists");
        let budgets = parse(&text).unwrap_or_else(|e| panic!("{BUDGET_FILE}: {e}"));
        let names: Vec<Artifact> = budgets.iter().map(|budget| budget.name).collect();
        for artifact in Artifact::ALL {
            assert!(names.contains(&artifact), "{BUDGET_FILE} has no {}", artifact.name());
        }
        assert_eq!(names.len(), Artifact::ALL.len());
    }

    #[test]
    fn a_file_that_forgets_an_artifact_or_misnames_one_is_refused() {
        let entry = |name: &str, compression: &str| {
            format!(
                "[[artifact]]\nname = \"{name}\"\ncompression = \"{compression}\"\nbudget = 1\n\
                 why = [\"a test\"]\n"
            )
        };
        let mut entries: Vec<String> = Artifact::ALL
            .iter()
            .map(|artifact| entry(artifact.name(), artifact.compression().setting()))
            .collect();
        assert!(parse(&entries.concat()).is_ok());
        let forgotten = parse(&entries[1..].concat()).expect_err("the first load is missing");
        assert_eq!(
            forgotten.to_string(),
            "xtask/sizes.toml has no budget for the staff app's first load"
        );
        entries[0] = entry("the staff app", "brotli 11");
        let misnamed = parse(&entries.concat()).expect_err("no artifact has that name");
        assert!(
            misnamed.to_string().contains("no artifact is named \"the staff app\""),
            "{misnamed}"
        );
        entries[0] = entry(Artifact::FirstLoad.name(), "gzip -9");
        let recompressed = parse(&entries.concat()).expect_err("the app is measured in brotli");
        assert_eq!(
            recompressed.to_string(),
            "xtask/sizes.toml: the staff app's first load is measured brotli 11"
        );
    }
}
