//! `cargo xtask embed`: the embeddable validator as a folder a page can serve as it is
//! (`target/embed/`), with its size and speed printed.

use std::{fs, path::Path};

use crate::{
    Result,
    process::{command, run},
    root, sizes,
};

/// The module's files a page downloads.
pub(crate) const MODULE_FILES: [&str; 2] = ["phone_wasm_bg.wasm", "phone_wasm.js"];

/// Where the module is built.
pub(crate) fn out_dir() -> std::path::PathBuf {
    root().join("target/embed")
}

/// Builds the module, prints its sizes, and measures it in headless Chromium.
///
/// # Errors
/// When a build step fails.
pub(crate) fn run_embed() -> Result {
    build()?;
    let out = out_dir();
    sizes::print_sizes(&sizes::measure(&out, &MODULE_FILES)?, "wasm + js");
    measure()
}

/// Builds the module into [`out_dir`]: cargo, wasm-bindgen (`--target web`), wasm-opt, and
/// the files that travel with it.
///
/// # Errors
/// When a build step fails.
pub(crate) fn build() -> Result {
    run(command(
        "cargo",
        &[
            "build",
            "--package",
            "phone-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
    ))?;
    let out = out_dir();
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    let built = root().join("target/wasm32-unknown-unknown/wasm-release/phone_wasm.wasm");
    let mut bindgen = command("wasm-bindgen", &["--target", "web", "--out-dir"]);
    bindgen.arg(&out).arg(&built);
    run(bindgen)?;
    let wasm = out.join("phone_wasm_bg.wasm");
    let mut opt = command("wasm-opt", &["-Oz", "-o"]);
    opt.arg(&wasm).arg(&wasm);
    run(opt)?;
    let module = root().join("crates/phone-wasm/module");
    for file in ["package.json", "README.md", "index.html"] {
        fs::copy(module.join(file), out.join(file))?;
    }
    copy_next_to_app(&out)
}

/// Puts the module under the built app's `embed/`, so `phone-server` serves the demo at
/// `/embed/` beside the app.
fn copy_next_to_app(out: &Path) -> Result {
    let dist = root().join("dist");
    if !dist.exists() {
        return Ok(());
    }
    let target = dist.join("embed");
    fs::create_dir_all(&target)?;
    for entry in fs::read_dir(out)? {
        let entry = entry?;
        fs::copy(entry.path(), target.join(entry.file_name()))?;
    }
    Ok(())
}

/// Runs the throughput benchmark in headless Chromium and lets it print its figure.
fn measure() -> Result {
    let mut bench = command(
        "cargo",
        &[
            "test",
            "--package",
            "phone-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
            "--test",
            "throughput",
            "--",
            "--nocapture",
        ],
    );
    bench.env("CHROMEDRIVER", "/usr/bin/chromedriver");
    run(bench)
}
