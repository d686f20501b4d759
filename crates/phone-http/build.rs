//! Records the commit the server is built from as `PHONEDESK_COMMIT`, for `--version`, the
//! start-up log and `phonedesk_build_info`. Outside a git checkout (a source tarball) it is
//! `unknown`, unless `PHONEDESK_COMMIT` is set for the build.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PHONEDESK_COMMIT");
    let commit = std::env::var("PHONEDESK_COMMIT")
        .ok()
        .filter(|commit| !commit.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PHONEDESK_COMMIT={commit}");
    // A new commit changes HEAD (a detached one) or the branch's ref, loose or packed.
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
    }
    if let (Some(common), Some(branch)) = (
        git(&["rev-parse", "--git-common-dir"]),
        git(&["rev-parse", "--symbolic-full-name", "HEAD"]).filter(|r| r.starts_with("refs/")),
    ) {
        println!("cargo:rerun-if-changed={common}/{branch}");
        println!("cargo:rerun-if-changed={common}/packed-refs");
    }
}

/// What `git args` prints, trimmed; `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}
