//! `cargo xtask embed`: the embeddable validator as folders a page can serve as they are —
//! `target/embed/` (every country's plan), `target/embed/nz-au/` (New Zealand and Australia
//! only) and `target/embed/on-demand/` (no plan; each calling code's fetched from its `plans/`
//! when first needed) — with their sizes, the differential test against libphonenumber-js,
//! and their speed.

use std::{fs, path::Path};

use crate::{
    Result,
    builds::{BUILDS, Build},
    compress, metadata, minify, package,
    process::{command, run},
    root, sizes,
    tools::{CHROMEDRIVER, use_driver},
};

/// Builds the three modules, prints their sizes, runs the differential test, and measures the
/// speed in headless Chromium.
///
/// # Errors
/// When a build step fails, or the module and libphonenumber-js disagree too often.
pub(crate) fn run_embed() -> Result {
    build()?;
    for which in BUILDS {
        sizes::print_sizes(
            &sizes::measure(&which.out_dir(), &module_files(which)?)?,
            which.label(),
        );
        // What carrying the wasm inside the JavaScript costs against serving it as a file.
        sizes::print_sizes(
            &sizes::measure(&which.out_dir(), &["phone_wasm.wasm", "phone_wasm.wasm.js"])?,
            "the wasm as a file, or inlined in base64 (the default entry)",
        );
    }
    eprintln!("\n{}\n", goals()?.join("\n"));
    differential(Build::All)?;
    differential(Build::OnDemand)?;
    measure()
}

/// The module's JavaScript a page downloads besides the wasm (not the element's).
const MODULE_SCRIPTS: [&str; 3] = ["phone_wasm.js", "phone_wasm_load.js", "phone_wasm_api.js"];

/// How a page gets a module's wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wasm {
    /// `phone_wasm.wasm`, served beside the module and passed to `init()`.
    AsFile,
    /// Inside the default entry's `phone_wasm.wasm.js`, in base64: what `init()` with no
    /// argument, and so the element, loads.
    InBase64,
}

impl Wasm {
    /// The file that carries the wasm.
    fn file(self) -> &'static str {
        match self {
            Self::AsFile => "phone_wasm.wasm",
            Self::InBase64 => "phone_wasm.wasm.js",
        }
    }
}

/// What a page downloads for a module alone: the wasm, as `wasm` says, and the module's
/// JavaScript.
fn module_download(wasm: Wasm) -> Vec<&'static str> {
    [&[wasm.file()][..], &MODULE_SCRIPTS[..]].concat()
}

/// A build's module as a page downloads it (`module_download`), gzip -9. The goals table and
/// the size budget both measure it here.
///
/// # Errors
/// When the build's files cannot be read.
pub(crate) fn module_gzip(build: Build, wasm: Wasm) -> Result<usize> {
    sizes::gzip_total(&build.out_dir(), &module_download(wasm))
}

/// `<phone-number-input>` and the NZ + AU module it imports, as a page downloads them: every
/// script of the build (`module_files`), the wasm as `wasm` says, gzip -9. The goals table
/// and the size budget both measure it here.
///
/// # Errors
/// When the build's files cannot be read.
pub(crate) fn element_gzip(wasm: Wasm) -> Result<usize> {
    let build = Build::NzAu;
    // `module_files` lists the default entry's base64; the wasm as a file takes its place.
    let files: Vec<String> = module_files(build)?
        .into_iter()
        .map(|file| if file == Wasm::InBase64.file() { wasm.file().to_owned() } else { file })
        .collect();
    sizes::gzip_total(&build.out_dir(), &files)
}

/// Issue 33's size goals against the builds, as Markdown rows: each module with the wasm as a
/// file and as the default entry carries it (base64 in `phone_wasm.wasm.js`), the on-demand
/// build with New Zealand's pack, and the element with the NZ + AU module.
///
/// # Errors
/// When a build's files cannot be read.
pub(crate) fn goals() -> Result<Vec<String>> {
    let row = |measure: &str, goal: &str, bytes: usize| {
        format!("| {measure} | {goal} | {} |", sizes::kb(bytes))
    };
    let (all, nz_au, on_demand) = (Build::All, Build::NzAu, Build::OnDemand);
    let (as_file, in_base64) = (Wasm::AsFile, Wasm::InBase64);
    let with_pack = [&module_download(as_file)[..], &["plans/64.bin"]].concat();
    Ok(vec![
        "| measure (gzip -9: the wasm and the module's JavaScript) | goal | measured |".to_owned(),
        "|---|---|---|".to_owned(),
        row("every region, the wasm as a file", "≤ 40 KB", module_gzip(all, as_file)?),
        row(
            "every region, as the default entry (wasm in base64)",
            "",
            module_gzip(all, in_base64)?,
        ),
        row("NZ + AU, the wasm as a file", "≤ 16 KB", module_gzip(nz_au, as_file)?),
        row("NZ + AU, as the default entry", "", module_gzip(nz_au, in_base64)?),
        row(
            "on demand, the code alone (wasm as a file)",
            "≤ 12 KB",
            module_gzip(on_demand, as_file)?,
        ),
        row(
            "on demand, the code and New Zealand's pack",
            "≤ 14 KB",
            sizes::gzip_total(&on_demand.out_dir(), &with_pack)?,
        ),
        row(
            "`<phone-number-input>` and the NZ + AU module, the wasm as a file",
            "≤ 24 KB",
            element_gzip(as_file)?,
        ),
        row(
            "`<phone-number-input>` and the NZ + AU module, as the default entry",
            "",
            element_gzip(in_base64)?,
        ),
    ])
}

/// The files of a build a page downloads: every script (the entry with the wasm inside, the
/// loader and the functions, the element and its styles), not the type declarations.
///
/// # Errors
/// When the build's folder cannot be read.
pub(crate) fn module_files(which: Build) -> Result<Vec<String>> {
    let dir = which.out_dir();
    let mut files = Vec::new();
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                // The other builds sit inside the full one's folder, and the packs are fetched
                // one at a time: not part of it.
                let other = BUILDS.iter().any(|build| build.out_dir() == path);
                if !other && path.file_name().is_none_or(|name| name != "plans") {
                    folders.push(path);
                }
            } else if downloaded(&path) {
                let relative = path.strip_prefix(&dir)?.to_string_lossy().into_owned();
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Whether a browser loads the file with the package's default entry and the element: every
/// script but Node's entry and the demo's own. Not `phone_wasm.wasm`, which that entry carries
/// inside `phone_wasm.wasm.js`, nor the stylesheet, which `phone-number-input.css.js` carries.
fn downloaded(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.ends_with(".js") && name != "phone_wasm.node.js" && name != "demo.js"
}

/// Builds the three modules: cargo, wasm-opt, and the files that travel with them.
///
/// # Errors
/// When a build step fails.
pub(crate) fn build() -> Result {
    let all = Build::All.out_dir();
    if all.exists() {
        fs::remove_dir_all(&all)?;
    }
    for which in BUILDS {
        build_one(which)?;
    }
    package::pack()?;
    copy_next_to_app(&all)
}

fn build_one(which: Build) -> Result {
    let mut cargo = command(
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
    );
    // `module`: the shipped build, without the standard library (see phone-wasm's Cargo.toml).
    cargo.args(["--features", which.features()]);
    run(cargo)?;
    let out = which.out_dir();
    fs::create_dir_all(&out)?;
    let built = root().join("target/wasm32-unknown-unknown/wasm-release/phone_wasm.wasm");
    // Without the custom sections no engine reads: the compiler's name (`producers`) and the
    // features it used (`target_features`), which wasm-opt has read by then (a build stripped
    // of them before wasm-opt fails on bulk memory). 0.2 KB of gzip.
    let mut opt =
        command("wasm-opt", &["-Oz", "--strip-producers", "--strip-target-features", "-o"]);
    opt.arg(out.join("phone_wasm.wasm")).arg(&built);
    run(opt)?;
    let module = root().join("crates/phone-wasm/module");
    // The demo in both builds; the package's manifest once, at the package's root.
    let files: &[&str] = match which {
        Build::All => &["package.json", "README.md", "index.html", "demo.js"],
        Build::NzAu | Build::OnDemand => &["index.html", "demo.js"],
    };
    if which == Build::OnDemand {
        let plans = out.join("plans");
        fs::create_dir_all(&plans)?;
        for (code, pack) in metadata::packs()? {
            fs::write(plans.join(format!("{code}.bin")), pack)?;
        }
    }
    for file in files {
        fs::copy(module.join(file), out.join(file))?;
    }
    // The drop-in element beside the module it imports, in both builds.
    let element = root().join("crates/phone-wasm/element");
    for file in ["phone-number-input.js", "phone-number-input.css", "phone-number-input.d.ts"] {
        fs::copy(element.join(file), out.join(file))?;
    }
    // What a page downloads, minified: half the JavaScript's gzip size (see minify.rs).
    minify::stylesheet(&out)?;
    package::write_entries(&out)?;
    minify::scripts(&out)
}

/// Puts the modules under the built app's `embed/`, so `phone-server` serves the demo at
/// `/embed/` beside the app.
fn copy_next_to_app(out: &Path) -> Result {
    let dist = root().join("dist");
    if !dist.exists() {
        return Ok(());
    }
    copy_tree(out, &dist.join("embed"))?;
    compress::precompress(&dist.join("embed"))
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The differential test: a module with every region (`All`, or `OnDemand` with every pack)
/// against libphonenumber-js (with the same metadata release) on over 10,000 generated numbers
/// of every region, in Node.js.
fn differential(which: Build) -> Result {
    let script = root().join("crates/phone-wasm/differential/compare.mjs");
    let mut node = command("node", &[]);
    node.arg(script).arg(which.out_dir());
    run(node)
}

/// Runs the browser benchmarks in headless Chromium and lets them print their figures: the
/// throughput, and the first number of each calling code (its automata built then).
fn measure() -> Result {
    for test in ["throughput", "first_use"] {
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
                test,
                "--",
                "--nocapture",
            ],
        );
        use_driver(&mut bench, "CHROMEDRIVER", CHROMEDRIVER);
        run(bench)?;
    }
    Ok(())
}
