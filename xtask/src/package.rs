//! The npm package `phonedesk-phone-rules`: the entries written around the module's
//! hand-written JavaScript in each build's folder, and the tarball `npm pack` makes of
//! `target/embed/`, checked by publint and arethetypeswrong.
//!
//! Integrators found that a folder with wasm-bindgen's `--target web` output broke in most
//! bundlers (issue 32): the wasm and the stylesheet were separate files found through
//! `new URL(…, import.meta.url)`, which some bundlers do not copy, move away from the glue, or
//! turn into `data:` URLs a strict policy blocks. So the wasm travels inside the JavaScript
//! (`phone_wasm.wasm.js`) and the element's stylesheet as a string
//! (`phone-number-input.css.js`); `crates/phone-wasm/package/` holds the entries, the
//! functions (`phone_wasm_api.js`) and their types, and what depends on them is written here.

use std::{
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

use crate::{
    Result,
    builds::Build,
    process::{command, run},
    root,
};

/// The name integrators install, as the template package.json says it.
pub(crate) const NAME: &str = "phonedesk-phone-rules";

/// The declarations the ES entries add to the functions' (`phone_wasm_api.d.ts`): `init` with
/// its one optional source or options, the default export as before.
const INIT_ESM: &str = r#"
/** What `init` can load the wasm from; nothing means the wasm this package carries. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** `init`'s options. */
export interface InitOptions {
  /** Where the wasm is; nothing means the wasm this package carries. */
  wasm?: InitInput | Promise<InitInput>;
  /** The on-demand build: the regions whose plans to fetch now ("NZ", "AU"). */
  regions?: string[];
  /** The on-demand build: where its `plans/` folder is served (by default beside the module). */
  plans?: string | URL;
}

/**
 * Loads the wasm, once: later calls return the first call's promise (or, given `regions`, one
 * that also waits for those regions' plans). Every other function throws
 * `Error("call init() first")` until it has resolved.
 */
declare function init(source?: InitInput | InitOptions | Promise<InitInput>): Promise<void>;
export default init;
export { init };
"#;

/// The same for `require()`, where there is no default export.
const INIT_CJS: &str = r#"
/** What `init` can load the wasm from; nothing means the wasm this package carries. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** `init`'s options. */
export interface InitOptions {
  /** Where the wasm is; nothing means the wasm this package carries. */
  wasm?: InitInput | Promise<InitInput>;
  /** The on-demand build: the regions whose plans to fetch now ("NZ", "AU"). */
  regions?: string[];
  /** The on-demand build: where its `plans/` folder is served (by default beside the module). */
  plans?: string | URL;
}

/**
 * Loads the wasm, once: later calls return the first call's promise (or, given `regions`, one
 * that also waits for those regions' plans). Every other function throws
 * `Error("call init() first")` until it has resolved.
 */
export declare function init(source?: InitInput | InitOptions | Promise<InitInput>): Promise<void>;
"#;

/// Writes the package's entries into a build's folder, beside the optimised `phone_wasm.wasm`.
///
/// # Errors
/// When a file cannot be read or written, or `phone_wasm_api.js` exports no functions.
pub(crate) fn write_entries(out: &Path) -> Result {
    let templates = root().join("crates/phone-wasm/package");
    for file in ["phone_wasm.js", "phone_wasm.node.js", "phone_wasm_load.js", "phone_wasm_api.js"] {
        fs::copy(templates.join(file), out.join(file))?;
    }
    let names = exported_functions(&fs::read_to_string(templates.join("phone_wasm_api.js"))?);
    if names.is_empty() {
        return Err("phone_wasm_api.js exports no functions".into());
    }
    let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
    let cjs = fs::read_to_string(templates.join("phone_wasm.cjs"))?;
    let placeholder = "/* xtask: NAMES */";
    if !cjs.contains(placeholder) {
        return Err(format!("phone_wasm.cjs has no {placeholder}").into());
    }
    fs::write(
        out.join("phone_wasm.cjs"),
        cjs.replace(placeholder, &format!("[{}]", quoted.join(", "))),
    )?;

    let wasm = fs::read(out.join("phone_wasm.wasm"))?;
    fs::write(
        out.join("phone_wasm.wasm.js"),
        format!(
            "// phone_wasm.wasm in base64, written by `cargo xtask embed`: inside the JavaScript, \
             no bundler has to copy it.\nexport const wasm = \"{}\";\n",
            base64(&wasm)
        ),
    )?;

    let types = fs::read_to_string(templates.join("phone_wasm_api.d.ts"))?;
    let declarations = types.trim_end();
    fs::write(out.join("phone_wasm.d.ts"), format!("{declarations}\n{INIT_ESM}"))?;
    fs::write(out.join("phone_wasm.d.cts"), format!("{declarations}\n{INIT_CJS}"))?;

    let css = fs::read_to_string(out.join("phone-number-input.css"))?;
    fs::write(
        out.join("phone-number-input.css.js"),
        format!(
            "// phone-number-input.css as text, written by `cargo xtask embed`: for a constructed \
             stylesheet\n// in the element's shadow root, which no bundler has to copy and \
             `style-src 'self'` allows.\nexport const css = {};\nexport default css;\n",
            js_string(&css)
        ),
    )?;
    fs::write(
        out.join("phone-number-input.css.d.ts"),
        "/** The text of phone-number-input.css. */\nexport declare const css: string;\nexport default css;\n",
    )?;
    Ok(())
}

/// The names of the functions `phone_wasm_api.js` exports (`export function name(`).
fn exported_functions(api: &str) -> Vec<String> {
    api.lines()
        .filter_map(|line| line.strip_prefix("export function "))
        .filter_map(|rest| rest.split_once('(').map(|(name, _)| name.trim().to_owned()))
        .collect()
}

/// A JavaScript string literal of `text`.
fn js_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(literal, "\\u{:04x}", c as u32);
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

/// Standard base64 with padding, as `atob` reads it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// Where `npm pack` puts the tarball: outside `target/embed/`, which is copied under the app.
pub(crate) fn tarball() -> PathBuf {
    root().join(format!("target/npm/{NAME}-{}.tgz", env!("CARGO_PKG_VERSION")))
}

/// Writes the workspace's version into the package's package.json, packs `target/embed/`
/// with `npm pack`, and checks the package with publint and arethetypeswrong.
///
/// # Errors
/// When packing fails or either checker finds a problem.
pub(crate) fn pack() -> Result<PathBuf> {
    let folder = Build::All.out_dir();
    let manifest = folder.join("package.json");
    let template = fs::read_to_string(&manifest)?;
    let placeholder = "\"version\": \"0.0.0\"";
    if !template.contains(placeholder) {
        return Err(format!("{} has no {placeholder} to replace", manifest.display()).into());
    }
    // xtask's version is the workspace's: `version.workspace = true`.
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    fs::write(&manifest, template.replace(placeholder, &version))?;

    let tarball = tarball();
    let destination = tarball.parent().expect("the tarball is in a folder");
    fs::create_dir_all(destination)?;
    let mut npm = command("npm", &["pack", "--silent", "--pack-destination"]);
    npm.arg(destination).arg(&folder);
    run(npm)?;
    if !tarball.exists() {
        return Err(format!("npm pack made no {}", tarball.display()).into());
    }
    let mut publint = command("publint", &["--strict"]);
    publint.arg(&folder);
    run(publint)?;
    // The stylesheet, the wasm and the packs are files, not modules: they have no types to check. The
    // element and its styles are ES modules for browsers, which `require()` can only import
    // dynamically (the package's own entries have CommonJS builds: the fixtures require them);
    // TypeScript's `node10` resolution predates `exports` and cannot find `./element`.
    let mut attw = command(
        "attw",
        &[
            "--profile",
            "node16",
            "--ignore-rules",
            "cjs-resolves-to-esm",
            "--exclude-entrypoints",
            "./phone-number-input.css",
            "./phone_wasm.wasm",
            "./nz-au/phone-number-input.css",
            "./nz-au/phone_wasm.wasm",
            "./on-demand/phone-number-input.css",
            "./on-demand/phone_wasm.wasm",
            "./on-demand/plans/*",
            "./package.json",
            "--",
        ],
    );
    attw.arg(&tarball);
    run(attw)?;
    Ok(tarball)
}

/// Installs the packed package into `target/fixtures/` and builds and runs each fixture of
/// `crates/phone-wasm/fixtures/` there (`run.mjs` says how), with the bundlers and runtimes
/// of the root package.json.
///
/// # Errors
/// When the package is not packed yet, or a fixture fails.
pub(crate) fn run_fixtures() -> Result {
    let tarball = tarball();
    if !tarball.exists() {
        return Err(format!("no {}: run cargo xtask embed first", tarball.display()).into());
    }
    let mut node = command("node", &["crates/phone-wasm/fixtures/run.mjs"]);
    node.arg(&tarball).arg(root().join("target/fixtures"));
    run(node)
}

#[cfg(test)]
mod tests {
    use super::{base64, exported_functions, js_string};

    #[test]
    fn base64_pads_as_atob_expects() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\x00\xff\xfe", "AP/+"),
        ] {
            assert_eq!(base64(bytes), text, "{bytes:?}");
        }
    }

    #[test]
    fn css_text_becomes_one_js_string() {
        assert_eq!(js_string("a \"b\" \\ c\n\td"), r#""a \"b\" \\ c\n\u0009d""#);
    }

    #[test]
    fn the_apis_exported_functions_are_found() {
        let api = "export function checkNumber(a, b) {\n}\nfunction inner() {}\n\
                   export function isValidNumber(a, b) {\n}\n";
        assert_eq!(exported_functions(api), ["checkNumber", "isValidNumber"]);
    }
}
