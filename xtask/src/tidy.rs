//! The repository's conventions, checked by ordinary tests so that `cargo test` enforces them.

use std::fs;

use crate::{root, tools::locked_version};

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every package manifest of the workspace, by path.
fn manifests() -> Vec<String> {
    let mut paths = vec!["Cargo.toml".to_owned(), "xtask/Cargo.toml".to_owned()];
    for entry in fs::read_dir(root().join("crates")).expect("crates/ exists") {
        let name = entry.expect("crates/ is readable").file_name();
        paths.push(format!("crates/{}/Cargo.toml", name.to_string_lossy()));
    }
    paths
}

#[test]
fn trunk_pins_the_wasm_bindgen_of_cargo_lock() {
    let version = locked_version("wasm-bindgen").expect("Cargo.lock names wasm-bindgen");
    let trunk = read("Trunk.toml");
    assert!(
        trunk.contains(&format!("wasm_bindgen = \"{version}\"")),
        "Trunk.toml must pin wasm_bindgen = \"{version}\", the version in Cargo.lock"
    );
}

#[test]
fn every_package_uses_the_workspace_lints_and_is_unpublished() {
    for path in manifests() {
        let manifest = read(&path);
        assert!(
            manifest.contains("[lints]\nworkspace = true"),
            "{path}: add [lints] workspace = true"
        );
        assert!(manifest.contains("publish = false"), "{path}: add publish = false");
        assert!(
            manifest.contains("version.workspace = true"),
            "{path}: take the workspace's version (version.workspace = true)"
        );
    }
}

#[test]
fn no_profile_strips_what_wasm_opt_needs() {
    // Stripping removes the target_features section, and wasm-opt then fails on bulk memory.
    assert!(!read("Cargo.toml").contains("strip = true"));
}

#[test]
fn the_readme_gives_the_two_commands_and_ci_runs_the_test_command() {
    let readme = read("README.md");
    for command in ["cargo xtask serve", "cargo xtask test"] {
        assert!(readme.contains(command), "README.md must give `{command}`");
    }
    assert!(read(".ci/run").contains("cargo xtask test"));
}

#[test]
fn the_integrator_readme_shows_the_demo_as_it_is() {
    let readme = read("crates/phone-wasm/module/README.md");
    for file in ["index.html", "demo.js"] {
        let demo = read(&format!("crates/phone-wasm/module/{file}"));
        assert!(
            readme.contains(&demo),
            "crates/phone-wasm/module/README.md must contain {file} verbatim"
        );
    }
}

#[test]
fn the_demo_runs_no_inline_script() {
    // The policy the integrators' README asks for blocks inline scripts, the demo's own too.
    let demo = read("crates/phone-wasm/module/index.html");
    for line in demo.lines().filter(|line| line.contains("<script")) {
        assert!(line.contains(" src="), "index.html: an inline script: {line}");
    }
}
