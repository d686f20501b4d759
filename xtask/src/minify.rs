//! The package's JavaScript and stylesheet as a page downloads them: minified by esbuild in each
//! build's folder, in place. The readable sources stay in `crates/phone-wasm/package/` and
//! `crates/phone-wasm/element/`; what is written from them (the CommonJS entry's names, the
//! stylesheet as a string) is written from the sources first, then minified with the rest.
//!
//! esbuild transforms each file on its own, without bundling: imports, exports and
//! `import.meta.url` stay as written, and a string stays the same string (the base64 wasm,
//! the plans' folder, which is not folded into its `new URL`). No `--format`, which for the
//! CommonJS entry would turn its `import()` of the ES module into a `require()`.

use std::{fs, path::Path};

use crate::{
    Result,
    process::{command, run},
};

/// esbuild's options for every file: minified, written over the file, only problems printed.
const OPTIONS: [&str; 3] = ["--minify", "--allow-overwrite", "--log-level=warning"];

/// Minifies the element's stylesheet (`phone-number-input.css`), before it is written into
/// `phone-number-input.css.js`.
///
/// # Errors
/// When esbuild fails.
pub(crate) fn stylesheet(out: &Path) -> Result {
    in_place(&out.join("phone-number-input.css"))
}

/// Minifies every script the build ships: the ES modules in one run of esbuild, and the
/// CommonJS entry, whose name esbuild would write as `.js`, in another. Not the demo's script,
/// which is read as an example.
///
/// # Errors
/// When the folder cannot be read or esbuild fails.
pub(crate) fn scripts(out: &Path) -> Result {
    let mut modules = Vec::new();
    for entry in fs::read_dir(out)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".js") && name != "demo.js" {
            modules.push(path);
        }
    }
    modules.sort();
    let mut esbuild = command("esbuild", &OPTIONS);
    esbuild.args(&modules).arg(format!("--outdir={}", out.display()));
    esbuild.arg(format!("--outbase={}", out.display()));
    run(esbuild)?;

    in_place(&out.join("phone_wasm.cjs"))
}

/// Minifies one file, written over itself under its own name.
fn in_place(file: &Path) -> Result {
    let mut esbuild = command("esbuild", &OPTIONS);
    esbuild.arg(file).arg(format!("--outfile={}", file.display()));
    run(esbuild)
}
