//! The tools the checks need, installed when they are missing.
//!
//! Versions and the pitfalls behind them are in DEVELOPERS.md. Each check looks first and
//! installs only what is missing or at the wrong version, so a warm run costs seconds.

use std::{fs, path::Path, process::Command};

use crate::{
    Result,
    process::{command, output, run},
    root,
};

/// Trunk 0.21.14: 0.22 needs a newer rustc than this project's.
const TRUNK_VERSION: &str = "0.21.14";

/// geckodriver 0.37.1, from crates.io (its release downloads are out of reach here).
/// Where Debian's chromium-driver puts ChromeDriver.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const GECKODRIVER_VERSION: &str = "0.37.1";

/// Installs every tool the browser tests and the release build need.
///
/// # Errors
/// When a tool is missing and cannot be installed here; the message says how to get it.
pub(crate) fn ensure_web_tools() -> Result {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()?;
    ensure_browser()
}

fn ensure_wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"])
        .ok_or("rustup is missing: the wasm32 target is added with rustup (https://rustup.rs)")?;
    if installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        eprintln!("found the wasm32-unknown-unknown target");
        return Ok(());
    }
    run(command("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

/// What checks the embeddable validator's npm package (publint, attw), what minifies its
/// scripts (esbuild, `minify.rs`), and what its fixtures build and run it with
/// (`crates/phone-wasm/fixtures/run.mjs`), from package.json.
const PACKAGE_TOOLS: [&str; 8] =
    ["publint", "attw", "vite", "webpack", "esbuild", "rollup", "deno", "bun"];

/// The npm registry's packages, pinned in package.json: wasm-opt from binaryen (Debian's
/// binaryen 108 silently corrupts wasm-bindgen's output), axe-core for the accessibility
/// checks of the end-to-end tests, libphonenumber-js for the benchmark and (in the release
/// with our plans' metadata) the differential test, and `PACKAGE_TOOLS`.
fn ensure_npm_packages() -> Result {
    let wanted = "version_132";
    if output("wasm-opt", &["--version"]).is_some_and(|v| v.contains(wanted))
        && root().join("node_modules/.bin/wasm-opt").exists()
        && root().join("node_modules/axe-core/axe.min.js").exists()
        && root().join("node_modules/libphonenumber-js/bundle/libphonenumber-min.js").exists()
        && root().join("node_modules/libphonenumber-js-9.0.35/max/index.js").exists()
        && PACKAGE_TOOLS.iter().all(|tool| root().join("node_modules/.bin").join(tool).exists())
    {
        eprintln!(
            "found wasm-opt {wanted}, axe-core, both libphonenumber-js and {} in node_modules",
            PACKAGE_TOOLS.join(", ")
        );
        return Ok(());
    }
    if output("npm", &["--version"]).is_none() {
        install_debian_packages(&["nodejs", "npm"], "Node.js and npm (https://nodejs.org)")?;
    }
    run(command("npm", &["ci", "--no-audit", "--no-fund"]))
}

/// wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
/// Installed without `--locked`: its own lockfile names a crate the registry no longer has.
fn ensure_wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let found = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(version.as_str()) && runner.contains(&version) {
        eprintln!("found wasm-bindgen-cli {version}");
        return Ok(());
    }
    run(command("cargo", &["install", "wasm-bindgen-cli", "--version", &version, "--force"]))
}

fn ensure_trunk() -> Result {
    let found = output("trunk", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        eprintln!("found trunk {TRUNK_VERSION}");
        return Ok(());
    }
    eprintln!("installing trunk {TRUNK_VERSION}: about 15 minutes on 2 cores, once");
    run(command("cargo", &["install", "--locked", "trunk", "--version", TRUNK_VERSION, "--force"]))
}

/// Chromium and chromedriver from Debian: a browser download by any test tool fails here.
fn ensure_browser() -> Result {
    let found = ["/usr/bin/chromium", CHROMEDRIVER].iter().all(|p| Path::new(p).exists());
    if found {
        eprintln!("found chromium and chromedriver in /usr/bin");
        return Ok(());
    }
    install_debian_packages(
        &["chromium", "chromium-driver"],
        "Chromium and ChromeDriver at /usr/bin/chromium and /usr/bin/chromedriver",
    )
}

/// Points `wasm-bindgen-test-runner` at a browser's driver: `env` is `CHROMEDRIVER` or
/// `GECKODRIVER`. The runner gives a driver 5 s to open its port by default; on a machine that
/// has just installed the browser, with nothing of it in the page cache and two builds running,
/// ChromeDriver took longer and a CI run failed on "driver failed to bind port during startup".
pub(crate) fn use_driver(wasm_test: &mut Command, env: &str, path: &str) {
    wasm_test.env(env, path).env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "120");
}

/// The second browser: Firefox ESR from Debian, and geckodriver built from crates.io. Returns
/// geckodriver's path, for `GECKODRIVER`.
///
/// # Errors
/// When either is missing and cannot be installed here; the message says how to get it.
pub(crate) fn ensure_firefox() -> Result<String> {
    if ["/usr/bin/firefox-esr", "/usr/bin/firefox"].iter().any(|p| Path::new(p).exists()) {
        eprintln!("found Firefox in /usr/bin");
    } else {
        install_debian_packages(&["firefox-esr"], "Firefox ESR (/usr/bin/firefox-esr)")?;
    }
    let found = output("geckodriver", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(GECKODRIVER_VERSION) {
        eprintln!("found geckodriver {GECKODRIVER_VERSION}");
    } else {
        eprintln!("installing geckodriver {GECKODRIVER_VERSION}: about 3 minutes on 2 cores, once");
        let version = ["--version", GECKODRIVER_VERSION];
        let mut install = command("cargo", &["install", "--locked", "geckodriver", "--force"]);
        install.args(version);
        run(install)?;
    }
    let path = output("sh", &["-c", "command -v geckodriver"])
        .map(|path| path.trim().to_owned())
        .filter(|path| !path.is_empty())
        .ok_or("geckodriver is installed but not on PATH: add Cargo's bin folder to PATH")?;
    Ok(path)
}

/// PostgreSQL from Debian (postgresql-contrib brings `pg_trgm`) for the server's tests on
/// PostgreSQL. Only its binaries are used: `phone_launch::Postgres` makes a throwaway cluster
/// for each run, so no service needs to be running. `PG_BIN` points elsewhere, as it does there.
pub(crate) fn ensure_postgres() -> Result {
    if let Some(bin) = std::env::var_os("PG_BIN") {
        let initdb = Path::new(&bin).join("initdb");
        if initdb.exists() {
            eprintln!("found PostgreSQL's {} (PG_BIN)", initdb.display());
            return Ok(());
        }
        return Err(format!("PG_BIN is {}, which holds no initdb", initdb.display()).into());
    }
    let versions = fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten();
    let initdb =
        versions.map(|version| version.path().join("bin/initdb")).find(|initdb| initdb.exists());
    if let Some(initdb) = initdb {
        eprintln!("found PostgreSQL's {}", initdb.display());
        return Ok(());
    }
    install_debian_packages(
        &["postgresql", "postgresql-contrib"],
        "PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin/initdb)",
    )
}

/// What the README's operator commands use beside `phone-server` (curl, jq; nginx and openssl
/// for its TLS proxy), and what runs them in namespaces of their own (unshare, ip): see
/// `readme.rs`.
pub(crate) fn ensure_operator_tools() -> Result {
    let wanted = [
        "/usr/bin/curl",
        "/usr/bin/jq",
        "/usr/bin/unshare",
        "/usr/sbin/ip",
        "/usr/sbin/nginx",
        "/usr/bin/openssl",
    ];
    if wanted.iter().all(|p| Path::new(p).exists()) {
        eprintln!("found curl, jq, unshare, ip, nginx and openssl");
        return Ok(());
    }
    install_debian_packages(
        &["curl", "jq", "util-linux", "iproute2", "nginx", "openssl"],
        "curl, jq, unshare, ip, nginx and openssl (the README's operator commands, its proxy, \
         and their namespace)",
    )
}

/// promtool, which phone-server's API tests run on real scrapes of `/metrics`, from Debian's
/// `prometheus` package: no other package ships it. Only promtool is used; what the package
/// does with its Prometheus server (a service, where services may start) is in DEVELOPERS.md.
/// Looked for on `PATH`, where the tests look.
pub(crate) fn ensure_promtool() -> Result {
    if let Some(version) = output("promtool", &["--version"]) {
        eprintln!("found {}", version.lines().next().unwrap_or("promtool"));
        return Ok(());
    }
    install_debian_packages(&["prometheus"], "Prometheus's tools (promtool)")
}

/// Installs Debian packages when running as root on Debian; otherwise says what is missing.
fn install_debian_packages(packages: &[&str], what: &str) -> Result {
    let is_root = output("id", &["-u"]).is_some_and(|id| id.trim() == "0");
    let is_debian = Path::new("/etc/debian_version").exists();
    if !(is_root && is_debian) {
        return Err(format!(
            "{what} are missing: install them (on Debian, as root: apt-get install -y {})",
            packages.join(" ")
        )
        .into());
    }
    run(command("apt-get", &["update", "-q"]))?;
    let mut install = command("apt-get", &["install", "-y", "-q"]);
    install.args(packages).env("DEBIAN_FRONTEND", "noninteractive");
    run(install)
}

/// The version of a package as Cargo.lock pins it.
///
/// # Errors
/// When Cargo.lock cannot be read or does not name the package.
pub(crate) fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            let version = lines.next().and_then(|l| l.strip_prefix("version = \""));
            if let Some(version) = version {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(format!("Cargo.lock does not name {package}").into())
}
