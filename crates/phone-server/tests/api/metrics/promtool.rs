//! promtool, Prometheus's own checker, on real scrapes. `cargo xtask test` installs it (Debian's
//! `prometheus` package ships it as `/usr/bin/promtool`).

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

/// The exit status of `promtool check metrics` that means "read it, but found problems" (a
/// text it cannot read at all exits 1).
const PROBLEMS_FOUND: i32 = 3;

/// `promtool check metrics` on the text format: not one problem.
#[track_caller]
pub fn check_text(text: &str) {
    let checked = promtool(&["check", "metrics"], Some(text));
    let report = said(&checked);
    assert!(
        checked.status.success() && report.trim().is_empty(),
        "promtool check metrics, on the text format: {}\n{report}\n{text}",
        checked.status
    );
}

/// promtool on OpenMetrics. `check metrics` reads only the text format, where a counter's
/// HELP names its series (`x_total`); OpenMetrics' names its family (`x`), so the one thing
/// it may say of OpenMetrics is that a counter's series has no help, and only of a counter
/// whose family has. Prometheus's own OpenMetrics parser, which `tsdb create-blocks-from
/// openmetrics` reads with, must then take the whole scrape.
#[track_caller]
pub fn check_openmetrics(text: &str) {
    let checked = promtool(&["check", "metrics"], Some(text));
    let report = said(&checked);
    let read = checked.status.success() || checked.status.code() == Some(PROBLEMS_FOUND);
    assert!(read, "promtool check metrics could not read OpenMetrics: {report}\n{text}");
    for problem in report.lines() {
        let family = problem.strip_suffix("_total no help text");
        let described = family.is_some_and(|family| {
            let help = format!("# HELP {family} ");
            let counter = format!("# TYPE {family} counter");
            text.lines().any(|line| line.starts_with(&help))
                && text.lines().any(|line| line == counter)
        });
        assert!(described, "promtool check metrics, on OpenMetrics: {problem}\n{text}");
    }

    let folder = tempfile::tempdir().expect("a temporary folder");
    let scrape = folder.path().join("scrape.txt");
    std::fs::write(&scrape, stamped(text)).expect("a writable folder");
    let scrape = scrape.to_str().expect("a UTF-8 path");
    let blocks = folder.path().join("blocks");
    let blocks = blocks.to_str().expect("a UTF-8 path");
    let imported = promtool(&["tsdb", "create-blocks-from", "openmetrics", scrape, blocks], None);
    assert!(
        imported.status.success(),
        "Prometheus's OpenMetrics parser (promtool tsdb create-blocks-from openmetrics): {}\n{text}",
        said(&imported)
    );
}

/// `text` with a timestamp on every sample: what promtool imports must say when each sample
/// was taken, and a scrape's do not.
fn stamped(text: &str) -> String {
    let stamp = |line: &str| {
        if line.starts_with('#') { format!("{line}\n") } else { format!("{line} 1700000000\n") }
    };
    text.lines().map(stamp).collect()
}

/// Runs `promtool args`, with `input` on its standard input.
fn promtool(args: &[&str], input: Option<&str>) -> Output {
    let mut child = Command::new("promtool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "promtool cannot be run ({error}): `cargo xtask test` installs it (on Debian, as \
                 root: apt-get install -y prometheus)"
            )
        });
    let mut stdin = child.stdin.take().expect("a pipe to promtool");
    // promtool reads all its input before it writes, so this cannot fill both pipes at once.
    stdin.write_all(input.unwrap_or_default().as_bytes()).expect("promtool reads its input");
    drop(stdin);
    child.wait_with_output().expect("promtool ends")
}

/// What promtool wrote, on either stream.
fn said(output: &Output) -> String {
    let said = [&output.stdout, &output.stderr].map(|bytes| String::from_utf8_lossy(bytes));
    said.join("")
}
