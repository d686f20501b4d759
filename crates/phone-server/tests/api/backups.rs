//! Backups that restore: taken while eight writers add numbers, put in place of a new
//! database, and served again with every write that was acknowledged before the backup began.
//! SQLite with `phone-server backup` and `restore`; PostgreSQL with `pg_dump` and
//! `pg_restore`, as the README's "Operating it" says.

use std::{
    path::Path,
    process::{Command, Output},
    time::{Duration, Instant},
};

use phone_store::{Location, Store};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::{
    server::{
        BUSINESS, SERVER, TestServer, phone, postgres_database, skip_in_gateway_mode, start_process,
    },
    writers::{Answered, Writers},
};

/// Runs a program to its end, off the async threads (the writers keep going meanwhile).
async fn run(program: impl AsRef<std::ffi::OsStr>, args: Vec<String>) -> Output {
    let mut command = Command::new(program);
    command.args(args);
    tokio::task::spawn_blocking(move || command.output().expect("the program runs")).await.unwrap()
}

fn succeeded(output: &Output) -> bool {
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    output.status.success()
}

/// Eight customers, each with a writer adding numbers; `back_up` runs once they have been
/// answered for a second. Returns the writes answered before the backup began, after
/// checking that writes were still being answered while it ran.
async fn back_up_under_writers(server: &TestServer, back_up: impl AsyncFnOnce()) -> Vec<Answered> {
    let mut customers = Vec::new();
    for n in 0..8 {
        customers.push(server.customer(&format!("Writer{n}")).await);
    }
    let writers = Writers::start(&server.client, &server.api, &customers, 8, "7");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let begun = Instant::now();
    back_up().await;
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answered = writers.stop().await;
    assert!(
        answered.iter().any(|a| a.at > begun && a.at < ended + Duration::from_millis(200)),
        "no write was answered while the backup ran"
    );
    let before: Vec<Answered> = answered.into_iter().filter(|a| a.at < begun).collect();
    assert!(before.len() >= 16, "only {} writes before the backup", before.len());
    before
}

/// Starts a server on the restored database and finds every write in `answered` there, with
/// one primary number per customer and (SQLite) a sound file.
async fn every_write_is_there(restored: &Location, client: &Client, answered: &[Answered]) {
    let store = Store::open(restored).expect("the restored database opens");
    if let Some(check) = store.integrity_check().unwrap() {
        assert_eq!(check, "ok");
    }
    assert_eq!(store.customers_without_one_primary().unwrap(), []);
    drop(store);
    let server = start_process(restored, &["--rate-limit", "1000000"]);
    // The token still works: the key that signed it came back with the data.
    let api = format!("{}/CustomerServices/v1.0", server.base_url());
    for Answered { customer, id, number, .. } in answered {
        let answer = client
            .get(format!("{api}/customers/{customer}/phoneNumbers/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "the acknowledged write {id} is missing");
        let saved: Value = answer.json().await.unwrap();
        assert_eq!(saved["phoneNumber"].as_str(), Some(number.as_str()));
    }
}

fn path_arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_backup_under_eight_writers_restores_every_acknowledged_write() {
    if skip_in_gateway_mode("backs up the server's own database") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let (live, copy, restored) = (
        folder.path().join("live.sqlite3"),
        folder.path().join("backup.sqlite3"),
        folder.path().join("restored.sqlite3"),
    );
    let files = tempfile::tempdir().unwrap();
    let server =
        TestServer::start_on(files, Location::Sqlite(live.clone()), &["--rate-limit", "1000000"])
            .await;
    let answered = back_up_under_writers(&server, async || {
        let args = ["--database", &path_arg(&live), "backup", "--to", &path_arg(&copy)];
        assert!(succeeded(&run(SERVER, args.map(str::to_owned).to_vec()).await));
    })
    .await;

    // Not over a database a server holds, not from a file that is not a backup, and a backup
    // never overwrites.
    let restore = |database: &Path, from: &Path| {
        ["--database", &path_arg(database), "restore", "--from", &path_arg(from)]
            .map(str::to_owned)
            .to_vec()
    };
    let refused = run(SERVER, restore(&live, &copy)).await;
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("a running server holds"), "{said}");
    let not_a_backup = folder.path().join("notes.txt");
    std::fs::write(&not_a_backup, "not a database").unwrap();
    let refused = run(SERVER, restore(&restored, &not_a_backup)).await;
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("is not a Phonedesk database"), "{said}");
    let again = ["--database", &path_arg(&live), "backup", "--to", &path_arg(&copy)];
    let refused = run(SERVER, again.map(str::to_owned).to_vec()).await;
    assert!(!refused.status.success());

    // Nor through another path to the same file.
    let link = folder.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&live, &link).unwrap();
    let refused = run(SERVER, restore(&link, &copy)).await;
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("a running server holds"), "{said}");
    // A backup holds the keys that sign tokens: its owner alone may read it.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&copy).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    // A mistyped database is not backed up, nor made.
    let typo = folder.path().join("typo/live.sqlite3");
    let args =
        ["--database", &path_arg(&typo), "backup", "--to", &path_arg(&folder.path().join("t"))];
    let refused = run(SERVER, args.map(str::to_owned).to_vec()).await;
    assert!(!refused.status.success() && !folder.path().join("typo").exists());

    assert!(succeeded(&run(SERVER, restore(&restored, &copy)).await));
    let restored = Location::Sqlite(restored);
    every_write_is_there(&restored, &server.client, &answered).await;

    // Restored again over a database that crashed with writes in its log: the log is not
    // replayed into the backup.
    let mut crashed = start_process(&restored, &["--rate-limit", "1000000"]);
    let api = format!("{}/CustomerServices/v1.0", crashed.base_url());
    let late = server.client.post(format!("{api}/customers")).json(&json!({
        "businessId": BUSINESS, "firstName": "Late", "phoneNumber": phone("09", "264 5555", "home", true)
    })).send().await.unwrap();
    assert_eq!(late.status(), StatusCode::CREATED);
    let late: Value = late.json().await.unwrap();
    crashed.kill().unwrap();
    let Location::Sqlite(file) = &restored else { unreachable!() };
    assert!(succeeded(&run(SERVER, restore(file, &copy)).await));
    every_write_is_there(&restored, &server.client, &answered).await;
    let server_again = start_process(&restored, &["--rate-limit", "1000000"]);
    let gone = server
        .client
        .get(format!(
            "{}/CustomerServices/v1.0/customers/{}",
            server_again.base_url(),
            late["customerId"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "the crashed database's log came back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pg_dump_under_eight_writers_restores_every_acknowledged_write_with_pg_restore() {
    if skip_in_gateway_mode("backs up the server's own database") {
        return;
    }
    let (_cluster, database) = postgres_database();
    let Location::Postgres(url) = &database else { unreachable!("a PostgreSQL database") };
    let folder = tempfile::tempdir().unwrap();
    let dump = folder.path().join("phonedesk.dump");
    let files = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(files, database.clone(), &["--rate-limit", "1000000"]).await;
    let pg_dump = phone_launch::postgres_tool("pg_dump").unwrap();
    let answered = back_up_under_writers(&server, async || {
        let args = vec![
            "--format=custom".into(),
            format!("--dbname={url}"),
            "--file".into(),
            path_arg(&dump),
        ];
        assert!(succeeded(&run(&pg_dump, args).await));
    })
    .await;

    let name = format!("restored_{}", std::process::id());
    let restored = phone_launch::create_database(url, &name).unwrap();
    let pg_restore = phone_launch::postgres_tool("pg_restore").unwrap();
    let args = vec![
        "--no-owner".into(),
        "--exit-on-error".into(),
        format!("--dbname={restored}"),
        path_arg(&dump),
    ];
    assert!(succeeded(&run(&pg_restore, args).await));
    every_write_is_there(&Location::Postgres(restored), &server.client, &answered).await;
}
