//! The `phone-server` command itself: managing clients and users, and refusing to serve
//! personal data beyond this machine without anyone to sign in.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const SERVER: &str = env!("CARGO_BIN_EXE_phone-server");

use phone_store::Location;

use crate::server::new_database;

/// Runs `phone-server --database DATABASE ARGS…` with `input` on its standard input: whether it
/// succeeded, and what it wrote to standard output and error.
pub fn phone_server(database: &Location, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(SERVER)
        .arg("--database")
        .arg(database.to_string())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("phone-server runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn clients_are_added_listed_and_removed_and_their_secret_is_shown_once() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    assert!(phone_server(&database, &["init"], "").0);

    let (ok, _, err) = phone_server(&database, &["client", "add", "billing"], "");
    assert!(!ok && err.contains("--business"), "a client needs businesses: {err}");
    let (ok, out, _) = phone_server(
        &database,
        &["client", "add", "billing", "--business", "1002", "--business", "1001"],
        "",
    );
    assert!(ok, "{out}");
    let id = out.lines().find_map(|l| l.strip_prefix("client_id:")).unwrap().trim().to_owned();
    let secret =
        out.lines().find_map(|l| l.strip_prefix("client_secret:")).unwrap().trim().to_owned();
    assert!(id.starts_with("pd-") && secret.len() >= 32);

    let (_, list, _) = phone_server(&database, &["client", "list"], "");
    assert_eq!(list.trim(), format!("{id}\tbilling\t1001,1002"));
    assert!(!list.contains(&secret), "the secret is never shown again");
    let (ok, _, _) = phone_server(
        &database,
        &["client", "add", "reports", "--all-businesses", "--read-only"],
        "",
    );
    assert!(ok);
    assert!(phone_server(&database, &["client", "businesses", &id, "--business", "1003"], "").0);
    let (_, list, _) = phone_server(&database, &["client", "list"], "");
    assert!(list.lines().any(|l| l == format!("{id}\tbilling\t1003")), "{list}");
    assert!(list.lines().any(|l| l.ends_with("\treports (read-only)\tall businesses")), "{list}");
    if let Location::Sqlite(file) = &database {
        let stored = std::fs::read(file).unwrap();
        let found = stored.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "only a hash is stored");
    }

    assert!(phone_server(&database, &["client", "remove", &id], "").0);
    let (ok, _, err) = phone_server(&database, &["client", "remove", &id], "");
    assert!(!ok && err.contains("no client"), "{err}");
}

#[test]
fn users_are_added_with_a_role_and_a_long_enough_password() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    assert!(phone_server(&database, &["init"], "").0);

    let (ok, _, err) = phone_server(
        &database,
        &["user", "add", "ana", "--role", "editor", "--business", "1001", "--password-stdin"],
        "short\n",
    );
    assert!(!ok && err.contains("at least 12 characters"), "{err}");
    let (ok, _, err) = phone_server(
        &database,
        &["user", "add", "ana", "--role", "editor", "--business", "1001", "--password-stdin"],
        "correct horse battery staple\n",
    );
    assert!(ok, "{err}");
    let (_, list, _) = phone_server(&database, &["user", "list"], "");
    assert_eq!(list.trim(), "ana\teditor\t1001");
    assert!(phone_server(&database, &["user", "businesses", "ana", "--all-businesses"], "").0);
    let (_, list, _) = phone_server(&database, &["user", "list"], "");
    assert_eq!(list.trim(), "ana\teditor\tall businesses");
    assert!(phone_server(&database, &["user", "remove", "ana"], "").0);
}

#[test]
fn serving_beyond_loopback_needs_a_user_and_demo_on_loopback_makes_users_of_each_business() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    assert!(phone_server(&database, &["init"], "").0);

    let (ok, _, err) = phone_server(&database, &["--address", "0.0.0.0:0"], "");
    assert!(!ok, "it must refuse");
    assert!(err.contains("user add NAME --role editor --all-businesses"), "{err}");

    let mut server = Command::new(SERVER)
        .arg("--database")
        .arg(database.to_string())
        .args(["--address", "127.0.0.1:0", "--demo", "--log-format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut demo_users = Vec::new();
    while Instant::now() < deadline && demo_users.len() < 4 {
        let Some(Ok(line)) = lines.next() else { break };
        if line.contains("demo user") {
            demo_users.push(line);
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(demo_users.len(), 4, "{demo_users:?}");
    assert!(demo_users.iter().all(|l| l.contains("password") && !l.starts_with('{')));
    // Their passwords were printed on a terminal: this database is never served beyond it.
    let (ok, _, err) = phone_server(&database, &["--address", "0.0.0.0:0"], "");
    assert!(!ok && err.contains("demo users"), "{err}");
    let (_, list, _) = phone_server(&database, &["user", "list"], "");
    assert_eq!(
        list.trim(),
        "demo-editor\teditor\tall businesses\ndemo-viewer\tviewer\tall businesses\n\
         fitness-editor\teditor\t3333333\nphysio-editor\teditor\t4444444"
    );
}
