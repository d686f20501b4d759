//! `cargo xtask faults`: the fault tests that take too long for every CI run. (The crash test
//! — kill -9 under write load — is quick and runs in `cargo xtask test`.)
//!
//! - Schemathesis (PyPI) against `phone-server`'s own OpenAPI document, every check, with the
//!   stateful phase (configuration in `schemathesis.toml`);
//! - a full disk under the database (root: a 4 MiB tmpfs);
//! - libFuzzer (`cargo fuzz`, nightly) on the phone-model rules for a minute, growing the corpus
//!   kept in `crates/phone-model/fuzz/corpus/`;
//! - the server under attack (`phone-bench --abuse`): a legitimate client's latency and the
//!   server's memory while 200 callers flood the sign-in and the API with junk, then its
//!   latency and the server's file descriptors while 2,200 slow and silent connections hold
//!   on; the figures go into BENCHMARKS.md's "Under attack" section;
//! - mutation testing (`cargo xtask mutants`, see `mutants.rs`).

use std::{
    io::{Read, Write},
    net::TcpStream,
    process::Stdio,
};

use crate::{
    Result,
    process::{command, output, run},
    root,
};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";

pub(crate) fn run_faults() -> Result {
    run(command(
        "cargo",
        &["build", "--release", "--package", "phone-server", "--package", "phone-bench"],
    ))?;
    under_attack()?;
    schemathesis()?;
    // A full disk (needs root: it mounts a small tmpfs for the database).
    run(command(
        "cargo",
        &["test", "--package", "phone-server", "--features", "fault-tests", "--test", "disk_full"],
    ))?;
    fuzz()?;
    crate::mutants::run_mutants(false)
}

fn schemathesis() -> Result {
    if output("schemathesis", &["--version"]).is_none_or(|v| !v.contains("4.32.5")) {
        run(command("python3", &["-m", "pip", "install", "--quiet", SCHEMATHESIS]))?;
    }
    let folder = std::env::temp_dir().join(format!("phonedesk-faults-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let database = folder.join("faults.sqlite3");
    let server = root().join("target/release/phone-server");
    let server = server.to_str().ok_or("a UTF-8 path")?;
    let database_arg = database.to_str().ok_or("a UTF-8 path")?;
    let added = command(
        server,
        &[
            "--database",
            database_arg,
            "--create-database",
            "client",
            "add",
            "schemathesis",
            "--all-businesses",
        ],
    )
    .output()?;
    let added = String::from_utf8_lossy(&added.stdout).into_owned();
    let field = |name: &str| {
        added
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .ok_or("no client")
    };
    let (id, secret) = (field("client_id:")?, field("client_secret:")?);
    let launched = phone_launch::Server::start(
        std::path::Path::new(server),
        &["--database", database_arg, "--demo", "--rate-limit", "100000000"],
    )?;
    let result = (|| {
        let address = launched.address();
        let token = token(address, &id, &secret)?;
        let base = format!("http://{address}/CustomerServices/v1.0");
        let config = root().join("schemathesis.toml");
        let mut st = command("schemathesis", &["--config-file"]);
        st.arg(&config).args(["run", &format!("{base}/openapi.json"), "--url", &base]).args([
            "-H",
            &format!("Authorization: Bearer {token}"),
            "--checks",
            "all",
            "--max-examples",
            "100",
        ]);
        run(st)
    })();
    drop(launched);
    let _ = std::fs::remove_dir_all(&folder);
    result
}

/// A token from the server's token endpoint, over a plain HTTP/1.1 request.
fn token(address: &str, id: &str, secret: &str) -> Result<String> {
    let body = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "POST /identity/connect/token HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let start = answer.find("\"access_token\":\"").ok_or("no token in the answer")? + 16;
    let end = answer[start..].find('"').ok_or("a malformed answer")?;
    Ok(answer[start..start + end].to_owned())
}

/// Runs the attack scenario and puts its section into BENCHMARKS.md (replacing an older one).
fn under_attack() -> Result {
    let bench = root().join("target/release/phone-bench");
    let server = root().join("target/release/phone-server");
    // The slow clients' part holds 2,200 connections open, more than the usual soft open-file
    // limit of 1,024 allows: the shell sets 4,096 (or the hard limit, if lower), then becomes
    // phone-bench, whose server inherits it; phone-bench says so if that is still too few.
    let raised = r#"ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@""#;
    let mut scenario = command("sh", &["-c", raised]);
    scenario.arg(&bench).arg("--abuse").arg(&server).stderr(Stdio::inherit());
    let output = scenario.output()?;
    if !output.status.success() {
        return Err("the attack scenario failed".into());
    }
    let section = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    println!("{section}");
    let path = root().join("BENCHMARKS.md");
    let benchmarks = std::fs::read_to_string(&path).unwrap_or_default();
    let kept = match benchmarks.find("## Under attack") {
        Some(start) => {
            let end =
                benchmarks[start + 1..].find("\n## ").map_or(benchmarks.len(), |e| start + 1 + e);
            format!("{}{}", &benchmarks[..start], &benchmarks[end..].trim_start())
        }
        None => benchmarks,
    };
    std::fs::write(&path, format!("{}\n\n{section}\n", kept.trim_end()))?;
    Ok(())
}

fn fuzz() -> Result {
    if output("cargo", &["+nightly", "fuzz", "--version"]).is_none() {
        run(command("cargo", &["install", "--locked", "cargo-fuzz", "--version", "0.13.2"]))?;
    }
    let mut fuzz =
        command("cargo", &["+nightly", "fuzz", "run", "rules", "--", "-max_total_time=60"]);
    fuzz.current_dir(root().join("crates/phone-model"));
    run(fuzz)
}
