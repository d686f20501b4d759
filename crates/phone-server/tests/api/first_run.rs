//! An operator's first day: a database made only when asked, businesses to put customers in,
//! and a server that knows which version it is and which schema it can serve.

use std::path::Path;

use phone_store::{Location, Store};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    commands::phone_server,
    server::{
        SERVER, authorised_client, new_database, phone, read, skip_in_gateway_mode, start_process,
        token,
    },
};

/// The names of the migrations this server embeds for `database`'s engine, from their files.
fn migration_names(database: &Location) -> Vec<String> {
    let engine = match database {
        Location::Sqlite(_) => "sqlite",
        Location::Postgres(_) => "postgres",
    };
    let folder =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../phone-store/migrations").join(engine);
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("the migrations folder")
        .map(|entry| entry.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_database_is_refused_naming_it_and_nothing_is_left_behind() {
    let folder = tempfile::tempdir().unwrap();
    let typo = Location::Sqlite(folder.path().join("dta/phonedesk.sqlite3"));

    for args in [&["--address", "127.0.0.1:0"][..], &["user", "list"], &["business", "list"]] {
        let (ok, _, err) = phone_server(&typo, args, "");
        assert!(!ok, "{args:?} must refuse");
        assert!(err.contains(&format!("there is no database at {typo}")), "{args:?}: {err}");
        assert!(err.contains("init"), "it says how to make one: {err}");
    }
    assert!(!folder.path().join("dta").exists(), "no folder, lock or database was made");

    // Told to, it makes one, saying so and naming each migration.
    let (ok, out, err) = phone_server(&typo, &["init"], "");
    assert!(ok, "{err}");
    assert!(out.contains(&format!("made a new database at {typo}")), "{out}");
    assert!(out.contains("creating a new Phonedesk database"), "{out}");
    for name in migration_names(&typo) {
        assert!(
            out.lines().any(|l| l.contains("applied a migration") && l.contains(&name)),
            "{name}: {out}"
        );
    }
    let (ok, again, _) = phone_server(&typo, &["init"], "");
    assert!(ok && again.contains("already holds a Phonedesk database"), "{again}");
    assert!(!again.contains("applied a migration"), "nothing to migrate: {again}");

    let other = Location::Sqlite(folder.path().join("other.sqlite3"));
    let mut server = start_process(&other, &["--create-database"]);
    server.stop().unwrap();
    assert!(folder.path().join("other.sqlite3").exists());
}

#[test]
fn a_database_without_phonedesks_schema_is_refused_until_it_is_made() {
    // On the PostgreSQL run a new database on the cluster: created, empty, no schema.
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    if let Location::Sqlite(path) = &database {
        // Some other program's database, or an empty file.
        std::fs::write(path, "").unwrap();
    }
    let (ok, _, err) = phone_server(&database, &["user", "list"], "");
    assert!(!ok && err.contains(&format!("{database} holds no Phonedesk database")), "{err}");
    let (ok, out, err) = phone_server(&database, &["--create-database", "user", "list"], "");
    assert!(ok, "{err}");
    for name in migration_names(&database) {
        assert!(out.contains(&name), "{name}: {out}");
    }
}

#[tokio::test]
async fn a_database_a_newer_server_migrated_is_refused_with_both_versions_unless_allowed() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    let known = migration_names(&database).len();
    let newer = known + 1;
    let store = Store::create(&database).unwrap();
    match &database {
        Location::Sqlite(_) => store.execute(&format!("PRAGMA user_version = {newer}"), &[]),
        Location::Postgres(_) => {
            store.execute(&format!("INSERT INTO schema_migrations (version) VALUES ({newer})"), &[])
        }
    }
    .unwrap();
    drop(store);

    let (ok, _, err) = phone_server(&database, &["--address", "127.0.0.1:0"], "");
    assert!(!ok, "a newer schema is refused");
    let versions = format!(
        "is at schema version {newer}, and this phone-server ({}) knows versions up to {known}",
        env!("CARGO_PKG_VERSION")
    );
    assert!(err.contains(&versions), "{err}");
    let (ok, _, err) = phone_server(&database, &["user", "list"], "");
    assert!(!ok && err.contains(&versions), "commands refuse it too: {err}");

    let mut server = start_process(&database, &["--allow-newer-schema"]);
    let ready = reqwest::get(format!("{}/readyz", server.base_url())).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK, "served, and ready");
    server.stop().unwrap();
}

#[test]
fn the_version_is_the_workspaces_and_the_commit_it_was_built_from() {
    let output = std::process::Command::new(SERVER).arg("--version").output().unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".to_owned(),
            |o| String::from_utf8(o.stdout).unwrap().trim().to_owned(),
        );
    assert_eq!(
        printed.trim(),
        format!("phone-server {} (commit {head})", env!("CARGO_PKG_VERSION"))
    );
    assert_ne!(env!("CARGO_PKG_VERSION"), "0.0.0");
}

#[tokio::test]
async fn a_business_is_added_listed_renamed_and_removed_only_once_it_has_no_customers() {
    if skip_in_gateway_mode("businesses are the provider's in gateway mode") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    assert!(phone_server(&database, &["init"], "").0);

    let (ok, out, err) =
        phone_server(&database, &["business", "add", " 1001 ", "Fitness First"], "");
    assert!(ok && out.trim() == "added business 1001 (Fitness First)", "{out}{err}");
    let (ok, _, err) = phone_server(&database, &["business", "add", "1001", "Other"], "");
    assert!(!ok && err.contains("there is already a business 1001 (Fitness First)"), "{err}");
    let long = "1".repeat(41);
    let (ok, _, err) = phone_server(&database, &["business", "add", &long, "Long"], "");
    assert!(!ok && err.contains("BusinessId is invalid."), "in the provider's words: {err}");
    let (ok, _, err) = phone_server(&database, &["business", "add", "1002", " "], "");
    assert!(!ok && err.contains("a business needs a name"), "{err}");
    assert!(phone_server(&database, &["business", "add", "1002", "Physio Plus"], "").0);
    assert!(phone_server(&database, &["business", "rename", "1001", "Fitness Second"], "").0);
    let (ok, _, err) = phone_server(&database, &["business", "rename", "9999", "Nobody"], "");
    assert!(!ok && err.contains("no business 9999"), "{err}");

    // A customer in the new business, through the API as a client would.
    let (ok, out, err) =
        phone_server(&database, &["client", "add", "front-desk", "--business", "1001"], "");
    assert!(ok, "{err}");
    let field =
        |name: &str| out.lines().find_map(|l| l.strip_prefix(name)).unwrap().trim().to_owned();
    let (id, secret) = (field("client_id:"), field("client_secret:"));
    let mut server = start_process(&database, &[]);
    let client = authorised_client(&token(&server.base_url(), &id, &secret).await);
    let body = json!({"businessId": "1001", "firstName": "Aroha", "phoneNumber": phone("021", "123 4567", "mobile", true)});
    let created = client
        .post(format!("{}/CustomerServices/v1.0/customers", server.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, customer) = read(created).await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    assert_eq!(customer["business"], json!({"businessId": "1001", "name": "Fitness Second"}));
    server.stop().unwrap();

    let (_, list, _) = phone_server(&database, &["business", "list"], "");
    assert_eq!(list, "1001\tFitness Second\t1 customer\n1002\tPhysio Plus\t0 customers\n");
    let (ok, _, err) = phone_server(&database, &["business", "remove", "1001"], "");
    assert!(!ok && err.contains("still has 1 customer(s)"), "{err}");
    let bob = ["user", "add", "bob", "--business", "1002", "--password-stdin"];
    assert!(phone_server(&database, &bob, "correct horse battery staple\n").0);
    let (ok, out, _) = phone_server(&database, &["business", "remove", "1002"], "");
    assert!(ok && out.trim() == "removed business 1002", "{out}");
    let (_, users, _) = phone_server(&database, &["user", "list"], "");
    assert_eq!(users, "bob\tviewer\tno business\n", "nobody keeps a removed business");
    let (ok, _, err) = phone_server(&database, &["business", "remove", "1002"], "");
    assert!(!ok && err.contains("no business 1002"), "{err}");
}

#[test]
fn a_gateways_businesses_are_the_providers_and_only_listed() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    assert!(phone_server(&database, &["init"], "").0);
    let upstream = ["--upstream", "https://provider.invalid/CustomerServices/v1.0"];

    let add = [&upstream[..], &["business", "add", "1001", "Fitness"]].concat();
    let (ok, _, err) = phone_server(&database, &add, "");
    assert!(!ok && err.contains("its businesses are the provider's"), "{err}");
    // A database a sync has filled is a gateway's, even when the flag is forgotten.
    Store::open(&database).unwrap().set_synced_at(1).unwrap();
    let (ok, _, err) = phone_server(&database, &["business", "remove", "1001"], "");
    assert!(!ok && err.contains("its businesses are the provider's"), "{err}");
    let (ok, _, err) = phone_server(&database, &["business", "list"], "");
    assert!(ok, "the copy can be listed: {err}");
}
