//! `phone-server copy`: a deployment moves from the embedded SQLite file to PostgreSQL, and
//! everything it had (rows, keys, and so the tokens, cursors and sessions it issued) is there.

use std::process::Command;

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{Location, Role, Store};
use reqwest::StatusCode;
use serde_json::json;

use crate::server::{
    PASSWORD, SERVER, TestServer, browser, phone, postgres_database, read, skip_in_gateway_mode,
    start_process,
};

fn copy(from: &Location, to: &Location) -> (bool, String, String) {
    let output = Command::new(SERVER)
        .args(["copy", "--from", &from.to_string(), "--to", &to.to_string()])
        .output()
        .expect("phone-server runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_deployment_copied_from_sqlite_to_postgresql_has_everything_and_keeps_working() {
    if skip_in_gateway_mode("it copies a server's own customers") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let sqlite = Location::Sqlite(folder.path().join("phonedesk.sqlite3"));
    let server = TestServer::start_on(folder, sqlite.clone(), &[]).await;
    let customer = server.customer("Aroha").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");
    let work = server.number(&customer, "021", "123 4567", false).await;
    server.number(&customer, "04", "801 2345", true).await;
    let renamed = phone("021", "123 4567", "mobile", false);
    assert_eq!(server.put(&format!("{numbers}/{work}"), &renamed).await.status(), StatusCode::OK);
    let spare = server.client.post(format!("{}{numbers}", server.api));
    let spare =
        spare.header("idempotency-key", "spare").json(&phone("03", "366 0000", "work", false));
    let (_, spare) = read(spare.send().await.unwrap()).await;
    let spare = spare["phoneNumberId"].as_str().unwrap();
    assert_eq!(server.delete(&format!("{numbers}/{spare}")).await.status(), StatusCode::OK);
    server.customer("Ben").await;
    let store = Store::open(&sqlite).unwrap();
    accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
    let staff = browser(&server.root, "sam", true).await;
    let (_, first_page) = read(server.get(&format!("{numbers}?limit=1")).await).await;
    let cursor = first_page["responseMetadata"]["nextCursor"].as_str().unwrap().to_owned();

    let (_cluster, postgres) = postgres_database();
    let (ok, out, err) = copy(&sqlite, &postgres);
    assert!(ok, "{err}");
    assert!(out.lines().any(|l| l == "phone_numbers\t4"), "{out}");

    // Both sides alike, table by table; and not alike because both are empty.
    let copied = Store::open(&postgres).unwrap().dump().unwrap();
    let original = store.dump().unwrap();
    assert_eq!(copied, original);
    let rows = |table: &str| original.iter().find(|(t, _)| *t == table).unwrap().1.len();
    assert_eq!(
        ["customers", "phone_numbers", "phone_number_changes", "clients", "users", "sessions"]
            .map(rows),
        [2, 4, 8, 1, 1, 1]
    );
    assert_eq!(rows("idempotency_keys"), 1);

    // A server on the copy takes the old token, cursor and session.
    let moved = start_process(&postgres, &[]);
    let api = format!("{}/CustomerServices/v1.0", moved.base_url());
    let next = server.client.get(format!("{api}{numbers}?limit=1&nextCursor={cursor}"));
    let (status, page) = read(next.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["phoneNumbers"][0]["phoneNumber"], json!("123 4567"));
    let session = staff.get(format!("{}/auth/session", moved.base_url())).send().await.unwrap();
    assert_eq!(session.status(), StatusCode::OK);
    // New rows come after the copied ones.
    let added = server.client.post(format!("{api}{numbers}"));
    let (status, body) =
        read(added.json(&phone("09", "300 0000", "home", false)).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let listed = server.client.get(format!("{api}{numbers}")).send().await.unwrap();
    let (_, listed) = read(listed).await;
    assert_eq!(listed["phoneNumbers"][3]["phoneNumberId"], body["phoneNumberId"]);

    // Never into a database that holds data.
    let (ok, _, err) = copy(&sqlite, &postgres);
    assert!(!ok && err.contains("already holds data"), "{err}");
}
