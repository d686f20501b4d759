//! A full disk: writes fail with the contract's 500 body, reads keep working, nothing is
//! corrupted, and writes work again once there is space. Needs root: it mounts a 4 MiB tmpfs
//! for the database (`cargo xtask faults` runs it). (A disk gone read-only is not tested: as
//! root, permissions stop nothing, and remounting read-only is refused while the database is
//! open.)

use std::{
    fs::File,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use phone_model::Businesses;
use phone_server::{accounts, demo};
use phone_store::{ClientAccess, Location, Store};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A tmpfs mounted for the test, unmounted however it ends.
struct TinyDisk(PathBuf);

impl TinyDisk {
    fn mount(folder: &Path) -> Self {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
            .arg(folder)
            .status();
        assert!(status.is_ok_and(|s| s.success()), "mounting a tmpfs needs root");
        Self(folder.to_owned())
    }
}

impl TinyDisk {
    /// The database on it.
    fn database(&self) -> Location {
        Location::Sqlite(self.0.join("db.sqlite3"))
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        // Lazily: should the test fail, the server may still hold the database open.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

const SERVER: &str = env!("CARGO_BIN_EXE_phone-server");

/// A server on a database in `disk`: the process, its API base, a bearer header and a demo
/// customer.
async fn serve(disk: &TinyDisk) -> (phone_launch::Server, String, String, String) {
    let store = Store::open(&disk.database()).unwrap();
    demo::seed_if_empty(&store).unwrap();
    let (id, secret) = accounts::add_client(
        &store,
        "faults",
        &ClientAccess { businesses: Businesses::All, read_only: false },
    )
    .unwrap();
    drop(store);
    let database = disk.database().to_string();
    let server =
        phone_launch::Server::start(Path::new(SERVER), &["--database", &database]).unwrap();
    let base = server.base_url();
    let token: Value = Client::new()
        .post(format!("{base}/identity/connect/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let client = Client::new();
    let api = format!("{base}/CustomerServices/v1.0");
    let customers: Value = client
        .get(format!("{api}/customers"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let customer = customers["customers"][0]["customerId"].as_str().unwrap().to_owned();
    (server, api, bearer, customer)
}

/// Sends creates until three are refused, checking each refusal's body; panics if a write on
/// the full disk answers anything else, or all succeed.
async fn assert_writes_refused(api: &str, bearer: &str, customer: &str) {
    let client = Client::new();
    let mut refused = 0;
    for n in 0..300 {
        let answer = create(api, bearer, customer, n).await;
        match answer.status() {
            StatusCode::CREATED => continue,
            StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE => {
                let body: Value = answer.json().await.unwrap();
                let message = body["message"].as_str().unwrap();
                assert!(
                    message.starts_with("Something went wrong") || message.contains("unavailable"),
                    "{body}"
                );
                assert!(
                    !body.to_string().contains("SQL") && !body.to_string().contains("/tmp"),
                    "no internals: {body}"
                );
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
            other => panic!("a write on a full disk answered {other}"),
        }
    }
    assert_eq!(refused, 3, "writes on a full disk must fail");
    let list = client
        .get(format!("{api}/customers/{customer}/phoneNumbers"))
        .header("authorization", bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK, "reads keep working");
}

async fn create(api: &str, bearer: &str, customer: &str, n: usize) -> reqwest::Response {
    Client::new()
        .post(format!("{api}/customers/{customer}/phoneNumbers"))
        .header("authorization", bearer)
        .json(&json!({"phoneName": "Full", "countryCode": "+44", "phoneNumber": format!("{n:010}"), "phoneType": "work", "isPrimary": false}))
        .send()
        .await
        .unwrap()
}

/// Writes work again and the file is sound.
async fn assert_recovered(disk: &TinyDisk, api: &str, bearer: &str, customer: &str) {
    assert_eq!(create(api, bearer, customer, 999_999).await.status(), StatusCode::CREATED);
    let check = Store::open(&disk.database()).unwrap();
    assert_eq!(check.integrity_check().unwrap().as_deref(), Some("ok"));
    assert_eq!(check.customers_without_one_primary().unwrap(), []);
}

#[tokio::test]
async fn a_full_disk_fails_writes_cleanly_keeps_reads_and_recovers() {
    let folder = tempfile::tempdir().unwrap();
    let disk = TinyDisk::mount(folder.path());
    let (_server, api, bearer, customer) = serve(&disk).await;

    let ballast = disk.0.join("ballast");
    let mut file = File::create(&ballast).unwrap();
    while file.write_all(&[0; 64 * 1024]).is_ok() {}
    drop(file);
    assert_writes_refused(&api, &bearer, &customer).await;

    std::fs::remove_file(&ballast).unwrap();
    assert_recovered(&disk, &api, &bearer, &customer).await;
}
