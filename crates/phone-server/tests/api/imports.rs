//! Importing a spreadsheet and exporting a business (Phonedesk's extension, issue 37) through
//! real HTTP: the hostile fixtures of `phone-sheets` read or refused in words, the dry run's
//! report asserted row by row, applying twice adding nothing, a cancel and a kill -9 leaving
//! nothing half made, and an export that imports back as "already stored".

// Over 400 lines: the import's scenarios, over the fixtures and helpers they share.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use phone_store::Role;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::calls::staff_of;
use crate::server::{BUSINESS, TestServer, forbidden, read, skip_in_gateway_mode};

/// `phone-sheets`' committed fixtures.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../phone-sheets/tests/fixtures")
}

/// The generated fixtures (`make.py DIR`): made once per target directory.
fn generated(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-fixtures");
    let path = dir.join(name);
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let made = std::process::Command::new("python3")
            .arg(fixtures().join("make.py"))
            .arg(&dir)
            .status()
            .expect("python3 runs make.py");
        assert!(made.success());
    }
    path
}

/// The fixtures' heading row as a person maps it: their old system's ids left out, which the
/// guess does too (they are not Phonedesk's ids).
const WITHOUT_THEIR_IDS: &str = ",externalReference,firstName,lastName,mobile,home";

/// A dry run of `bytes` as `name`, with the query's other parameters.
async fn dry_run(
    staff: &Client,
    server: &TestServer,
    name: &str,
    bytes: Vec<u8>,
    extra: &str,
) -> (StatusCode, Value) {
    let url = format!("{}/imports?businessId={BUSINESS}&fileName={name}{extra}", server.api);
    read(staff.post(url).body(bytes).send().await.unwrap()).await
}

async fn dry_run_fixture(staff: &Client, server: &TestServer, name: &str) -> (StatusCode, Value) {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    dry_run(staff, server, name, bytes, &format!("&mapping={WITHOUT_THEIR_IDS}")).await
}

/// Applies the report's import with `decisions` and waits until it is no longer running.
async fn apply(staff: &Client, server: &TestServer, report: &Value, decisions: Value) -> Value {
    let id = report["importId"].as_str().unwrap();
    let url = format!("{}/imports/{id}/apply", server.api);
    let (status, started) = read(staff.post(&url).json(&decisions).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    finished(staff, server, id).await
}

/// The import's progress once it is no longer running.
async fn finished(staff: &Client, server: &TestServer, id: &str) -> Value {
    // Five minutes: a slow machine applies a few hundred rows a second.
    for _ in 0..3000 {
        let (status, progress) =
            read(staff.get(format!("{}/imports/{id}", server.api)).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{progress}");
        if progress["state"] != "running" {
            return progress;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import {id} never finished");
}

/// The first `count` customers of the generated 10,000-row file.
fn first_rows(count: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(generated("rows-10000.csv")).unwrap();
    let lines: Vec<&str> = text.lines().take(count + 1).collect();
    (lines.join("\n") + "\n").into_bytes()
}

/// Waits until the apply of `id` has done `rows` rows.
async fn until_done(staff: &Client, server: &TestServer, id: &str, rows: u64) {
    loop {
        let url = format!("{}/imports/{id}", server.api);
        let (_, progress) = read(staff.get(url).send().await.unwrap()).await;
        assert_eq!(progress["state"], "running", "{progress}");
        if progress["done"].as_u64().unwrap() >= rows {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every repair accepted, nothing left out.
fn accept_all(report: &Value) -> Value {
    let rows = report["file"]["rows"].as_u64().unwrap() + 1;
    json!({"acceptRepairs": format!("2-{rows}"), "skip": ""})
}

/// The kinds of a reported row's findings, and their repaired numbers.
fn findings(report: &Value, row: u64) -> Vec<(String, String)> {
    let row = report["rows"].as_array().unwrap().iter().find(|r| r["row"] == row);
    let row = row.unwrap_or_else(|| panic!("row {row:?} is not in {report}"));
    row["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["repaired"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pair(kind: &str, repaired: &str) -> (String, String) {
    (kind.to_owned(), repaired.to_owned())
}

async fn editor(server: &TestServer) -> Client {
    staff_of(server, "ana", Role::Editor, &[BUSINESS]).await
}

#[tokio::test]
async fn every_number_excel_mangled_in_the_fixture_is_repaired_and_each_row_is_reported() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let (status, report) = dry_run_fixture(&ana, &server, "excel-mangled.csv").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["file"]["encoding"], "Windows-1252");
    assert_eq!(report["file"]["rows"], 6);
    // Row by row: each mangled NZ or AU number, and the number it was.
    let repaired = |number: &str| pair("repaired", number);
    assert_eq!(findings(&report, 2), [repaired("021 123 4567"), repaired("09 264 5555")]);
    assert_eq!(findings(&report, 3), [repaired("021 123 4567"), pair("sharedNumber", "")]);
    // Scientific notation that kept every digit is repaired; one that lost some is an error.
    // (A mobile number in the home column: a warning, as the API's would be.)
    let warned = [
        pair("error", ""),
        repaired("021 123 4567"),
        pair("warning", ""),
        pair("sharedNumber", ""),
    ];
    assert_eq!(findings(&report, 4), warned);
    assert_eq!(findings(&report, 5), [repaired("+61 412 345 678"), repaired("+61 2 9876 5432")]);
    assert_eq!(findings(&report, 6), [repaired("021 123 4567"), pair("sharedNumber", "")]);
    assert_eq!(findings(&report, 7), [repaired("+61 412 345 678"), pair("sharedNumber", "")]);
    let counts = &report["counts"];
    assert_eq!(
        (&counts["newCustomers"], &counts["refused"], &counts["newNumbers"]),
        (&json!(5), &json!(1), &json!(7))
    );
    // Eight numbers repaired, and the ninth said lost: every mangled number of the fixture.
    assert_eq!(
        counts["findings"],
        json!([
            {"kind": "error", "count": 1},
            {"kind": "repaired", "count": 8},
            {"kind": "warning", "count": 1},
            {"kind": "sharedNumber", "count": 4},
        ])
    );
    let lost = &report["rows"][2]["findings"][0];
    assert_eq!(
        lost["message"],
        "Excel wrote this number as 6.42112E+10 and its last digits are lost: type the number again."
    );
    assert_eq!(
        report["rows"][0]["findings"][0]["message"],
        "Excel dropped its leading 0. It was 021 123 4567."
    );
}

#[tokio::test]
async fn every_encoding_and_separator_reads_the_same_customers() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let files = [
        ("utf8.csv", "UTF-8", Some(",")),
        ("utf8-bom.csv", "UTF-8", Some(",")),
        ("windows-1252.csv", "Windows-1252", Some(",")),
        ("semicolon.csv", "UTF-8", Some(";")),
        ("tab.tsv", "UTF-8", Some("\t")),
        // Excel's "Unicode text": UTF-16, tab-separated.
        ("utf16le.csv", "UTF-16LE", Some("\t")),
        ("quoted-newlines.csv", "UTF-8", Some(",")),
    ];
    for (name, encoding, separator) in files {
        let (status, report) = dry_run_fixture(&ana, &server, name).await;
        assert_eq!(status, StatusCode::OK, "{name}: {report}");
        assert_eq!(report["file"]["encoding"], encoding, "{name}");
        assert_eq!(report["file"]["separator"].as_str(), separator, "{name}");
        assert_eq!(report["counts"]["newCustomers"], 4, "{name}: {report}");
        assert_eq!(report["headings"][2]["column"], "firstName", "{name}");
    }
    // The workbook, its numbers stored as Excel's numbers, guessed without a mapping.
    let bytes = std::fs::read(fixtures().join("workbook.xlsx")).unwrap();
    let (status, report) = dry_run(&ana, &server, "workbook.xlsx", bytes, "").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["file"]["encoding"], "xlsx");
    let repairs = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter(|f| f["kind"] == "repaired")
        .count();
    assert!(repairs >= 1, "a number stored as a number lost its 0: {report}");
}

#[tokio::test]
async fn hostile_files_are_refused_in_words_and_nothing_is_held() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let refused = |message: &str| {
        json!({
            "errorCode": "validation",
            "message": "Unable to process request due to validation errors.",
            "errors": [{"field": "file", "message": message}],
        })
    };
    for name in ["garbage.bin", "not-a-sheet.xls", "zip-bomb.xlsx"] {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        let started = std::time::Instant::now();
        let (status, body) = dry_run(&ana, &server, name, bytes, "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert_eq!(body["errors"][0]["field"], "file", "{name}: {body}");
        assert!(started.elapsed() < Duration::from_secs(10), "{name} took {:?}", started.elapsed());
        if name == "not-a-sheet.xls" {
            assert_eq!(body, refused(body["errors"][0]["message"].as_str().unwrap()));
            assert!(
                body["errors"][0]["message"].as_str().unwrap().contains("CSV or .xlsx"),
                "{body}"
            );
        }
    }
    let garbage = std::fs::read(generated("garbage-20mb.bin")).unwrap();
    let (status, body) = dry_run(&ana, &server, "garbage.bin", garbage, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A mapping that does not fit the headings.
    let bytes = std::fs::read(fixtures().join("utf8.csv")).unwrap();
    let (status, body) = dry_run(&ana, &server, "utf8.csv", bytes, "&mapping=mobile").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["field"], "mapping");
    // A file over 32 MB is refused from its declared length, before a byte of it is read.
    assert!(oversized(&server).await.starts_with("HTTP/1.1 413"));
}

/// The status line of a dry run whose request declares a 33 MB body and sends none of it: a
/// client that sent the bytes could meet the closed connection before the answer, a race of
/// HTTP itself, not of the server's.
async fn oversized(server: &TestServer) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let answer = crate::server::sign_in(&server.root, "ana", crate::server::PASSWORD).await;
    let cookie =
        answer.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let address = server.root.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /CustomerServices/v1.0/imports?businessId={BUSINESS}&fileName=big.csv HTTP/1.1\r\n\
         Host: {address}\r\nCookie: {cookie}\r\nX-Phonedesk-Request: 1\r\n\
         Content-Length: {}\r\n\r\n",
        33 << 20
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0; 64];
    let read = stream.read(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

#[tokio::test]
async fn only_an_editor_who_sees_the_business_may_import_and_only_they_see_its_progress() {
    let server = TestServer::start().await;
    server.put_business("elsewhere", "Elsewhere");
    let bytes = || std::fs::read(fixtures().join("utf8.csv")).unwrap();
    let viewer = staff_of(&server, "val", Role::Viewer, &[BUSINESS]).await;
    let other = staff_of(&server, "oti", Role::Editor, &["elsewhere"]).await;
    for (who, client) in [
        ("a viewer", &viewer),
        ("another business's editor", &other),
        ("an API client", &server.client),
    ] {
        let (status, body) = dry_run(client, &server, "utf8.csv", bytes(), "").await;
        assert_eq!((status, body), (StatusCode::FORBIDDEN, forbidden()), "{who}");
    }
    let ana = editor(&server).await;
    let (status, report) =
        dry_run(&ana, &server, "utf8.csv", bytes(), &format!("&mapping={WITHOUT_THEIR_IDS}")).await;
    assert_eq!(status, StatusCode::OK);
    let id = report["importId"].as_str().unwrap();
    let sam = staff_of(&server, "sam", Role::Editor, &[BUSINESS]).await;
    let (status, _) = read(
        sam.post(format!("{}/imports/{id}/apply", server.api))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another person's dry run");
    let (status, _) = read(
        sam.get(format!("{}/exports?businessId=elsewhere&format=csv", server.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn applying_twice_adds_nothing_and_history_names_the_person_and_the_import() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let (_, report) = dry_run_fixture(&ana, &server, "excel-mangled.csv").await;
    let done = apply(&ana, &server, &report, accept_all(&report)).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        (&done["customersCreated"], &done["numbersAdded"], &done["unchanged"]),
        (&json!(5), &json!(7), &json!(1))
    );
    // The same file again: every number is stored, nothing is written.
    let (_, again) = dry_run_fixture(&ana, &server, "excel-mangled.csv").await;
    assert_eq!(again["importId"], report["importId"], "the same file is the same import");
    assert_eq!(
        (&again["counts"]["newCustomers"], &again["counts"]["newNumbers"]),
        (&json!(0), &json!(0)),
        "{again}"
    );
    let twice = apply(&ana, &server, &again, accept_all(&again)).await;
    assert_eq!((&twice["customersCreated"], &twice["numbersAdded"]), (&json!(0), &json!(0)));
    // Aroha, found by her reference, with both repaired numbers and the import in her history.
    let (_, found) = read(
        server
            .client
            .get(format!("{}/customers?externalReference=REF-1001", server.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let customer = found["customers"][0]["customerId"].as_str().unwrap().to_owned();
    let numbers: Vec<String> = server
        .all_numbers(&customer)
        .await
        .iter()
        .map(|n| n["phoneNumber"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(
        numbers.contains(&"021 123 4567".to_owned()) && numbers.contains(&"09 264 5555".to_owned()),
        "{numbers:?}"
    );
    let (_, history) = read(
        server
            .client
            .get(format!("{}/customers/{customer}/phoneNumberHistory", server.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let short = &report["importId"].as_str().unwrap()[..8];
    let actor = format!("ana (import {short})");
    assert!(history.to_string().contains(&actor), "{actor} in {history}");
}

#[tokio::test]
async fn a_declined_repair_and_a_skipped_row_are_not_written() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let (_, report) = dry_run_fixture(&ana, &server, "excel-mangled.csv").await;
    // Repairs accepted on rows 2 to 5 only, and row 3 left out.
    let done = apply(&ana, &server, &report, json!({"acceptRepairs": "2-5", "skip": "3"})).await;
    // Rows 2, 5 made; 4 refused (a lost number); 6 and 7 made nothing without their repairs.
    assert_eq!(
        (&done["rows"], &done["customersCreated"], &done["numbersAdded"]),
        (&json!(5), &json!(2), &json!(4)),
        "{done}"
    );
}

#[tokio::test]
async fn a_cancel_leaves_every_finished_row_finished_and_applying_again_goes_on() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let bytes = first_rows(3000);
    let (status, report) = dry_run(&ana, &server, "rows-10000.csv", bytes.clone(), "").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let id = report["importId"].as_str().unwrap().to_owned();
    let (status, _) = read(
        ana.post(format!("{}/imports/{id}/apply", server.api))
            .json(&accept_all(&report))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    until_done(&ana, &server, &id, 300).await;
    let (status, cancelled) =
        read(ana.delete(format!("{}/imports/{id}/apply", server.api)).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["state"], "cancelled", "{cancelled}");
    let done = cancelled["done"].as_u64().unwrap();
    assert!((300..3000).contains(&done), "{cancelled}");
    // Every customer made so far has one primary number: no row half made.
    let store = phone_store::Store::open(&server.database()).unwrap();
    assert_eq!(store.customers_without_one_primary().unwrap(), []);
    drop(store);
    let (_, resumed) = dry_run(&ana, &server, "rows-10000.csv", bytes, "").await;
    let finished = apply(&ana, &server, &resumed, accept_all(&resumed)).await;
    assert_eq!(finished["state"], "done");
    let made = cancelled["customersCreated"].as_u64().unwrap()
        + finished["customersCreated"].as_u64().unwrap();
    assert_eq!(
        made,
        report["counts"]["newCustomers"].as_u64().unwrap(),
        "{cancelled} then {finished}"
    );
}

/// The rows of a business's CSV export, without Phonedesk's random ids, sorted.
async fn exported(client: &Client, server: &TestServer) -> Vec<Vec<String>> {
    let url = format!("{}/exports?businessId={BUSINESS}&format=csv", server.api);
    let answer = client.get(url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = answer.bytes().await.unwrap();
    let sheet = phone_sheets::read(&bytes, Some("export.csv")).unwrap();
    assert_eq!(sheet.headings, phone_model::import::EXPORT_HEADINGS);
    let mut rows: Vec<Vec<String>> = sheet
        .rows
        .into_iter()
        .map(|row| {
            row.cells
                .into_iter()
                .enumerate()
                .filter(|(at, _)| ![0, 4].contains(at))
                .map(|(_, cell)| cell)
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn after_kill_9_during_apply_applying_again_gives_the_database_of_one_clean_run() {
    if skip_in_gateway_mode("the provider keeps the record, not the killed gateway") {
        return;
    }
    let bytes = first_rows(2000);
    // One clean run.
    let clean = TestServer::start().await;
    let ana = editor(&clean).await;
    let (_, report) = dry_run(&ana, &clean, "rows.csv", bytes.clone(), "").await;
    let done = apply(&ana, &clean, &report, accept_all(&report)).await;
    assert_eq!(done["state"], "done", "{done}");
    let expected = exported(&ana, &clean).await;
    drop(clean);
    // A run killed mid-apply, then the same file checked and applied again.
    let mut server = TestServer::start().await;
    let ana = editor(&server).await;
    let (_, report) = dry_run(&ana, &server, "rows.csv", bytes.clone(), "").await;
    let id = report["importId"].as_str().unwrap().to_owned();
    let (status, _) = read(
        ana.post(format!("{}/imports/{id}/apply", server.api))
            .json(&accept_all(&report))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    until_done(&ana, &server, &id, 500).await;
    server.process().kill().unwrap();
    let server = server.restart_after_kill().await;
    let ana = browser_again(&server).await;
    let (_, resumed) = dry_run(&ana, &server, "rows.csv", bytes, "").await;
    let (before, after) = (&report["counts"]["newCustomers"], &resumed["counts"]["newCustomers"]);
    assert!(
        after.as_u64() < before.as_u64(),
        "some were made before the kill: {before} then {after}"
    );
    let done = apply(&ana, &server, &resumed, accept_all(&resumed)).await;
    assert_eq!(done["state"], "done", "{done}");
    let got = exported(&ana, &server).await;
    assert_eq!(got.len(), expected.len(), "rows lost or doubled");
    assert!(got == expected, "the database differs from one clean run's");
}

async fn browser_again(server: &TestServer) -> Client {
    crate::server::browser(&server.root, "ana", true).await
}

#[tokio::test]
async fn an_export_streams_every_number_and_its_workbook_keeps_numbers_as_text() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let (_, report) = dry_run_fixture(&ana, &server, "excel-mangled.csv").await;
    apply(&ana, &server, &report, accept_all(&report)).await;
    let rows = exported(&ana, &server).await;
    assert_eq!(rows.len(), 7);
    let aroha: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "REF-1001").collect();
    assert_eq!(aroha.len(), 2);
    // Reference, names, name, code, area, as saved, E.164, national, type, primary, review.
    assert!(
        aroha.iter().any(|r| r[7] == "+64211234567" && r[8] == "021 123 4567" && r[10] == "Yes"),
        "{aroha:?}"
    );
    let url = format!("{}/exports?businessId={BUSINESS}&format=xlsx", server.api);
    let answer = ana.get(url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let workbook = phone_sheets::read(&answer.bytes().await.unwrap(), Some("export.xlsx")).unwrap();
    assert_eq!(workbook.rows.len(), 7);
    assert!(workbook.rows.iter().any(|r| r.cells[9] == "+64211234567"), "E.164 kept as text");
    // Importing the export again finds every number stored.
    let bytes = phone_sheets_bytes(&ana, &server).await;
    let (_, again) = dry_run(&ana, &server, "export.xlsx", bytes, "").await;
    assert_eq!(
        (&again["counts"]["newNumbers"], &again["counts"]["refused"]),
        (&json!(0), &json!(0)),
        "{again}"
    );
    let (status, _) = read(
        ana.get(format!("{}/exports?businessId={BUSINESS}&format=pdf", server.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn phone_sheets_bytes(client: &Client, server: &TestServer) -> Vec<u8> {
    let url = format!("{}/exports?businessId={BUSINESS}&format=xlsx", server.api);
    client.get(url).send().await.unwrap().bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_row_per_problem_fixture_reports_each_rows_problem() {
    let server = TestServer::start().await;
    let stored = json!({
        "businessId": BUSINESS,
        "firstName": "Stored",
        "lastName": "Row",
        "externalReference": "P-6",
        "phoneNumber": crate::server::phone("", "021 123 4567", "mobile", true),
    });
    let (status, made) = read(server.post("/customers", &stored).await).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let ana = editor(&server).await;
    let bytes = std::fs::read(fixtures().join("row-per-problem.csv")).unwrap();
    let (status, report) = dry_run(&ana, &server, "row-per-problem.csv", bytes, "").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let kinds = |row: u64| -> Vec<String> {
        findings(&report, row).into_iter().map(|(kind, _)| kind).collect()
    };
    let expected: [(u64, &[&str]); 9] = [
        (3, &["error"]),
        (4, &["warning"]),
        (5, &["repaired"]),
        (6, &["warning", "duplicateInFile"]),
        (7, &["alreadyStored"]),
        (8, &["sharedNumber"]),
        (9, &["error"]),
        (10, &["noPrimary"]),
        (12, &["twoPrimaries"]),
    ];
    for (row, found) in expected {
        assert_eq!(kinds(row), found, "row {row}");
    }
    let listed: Vec<u64> =
        report["rows"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(listed, [3, 4, 5, 6, 7, 8, 9, 10, 12], "rows 2 and 11 are ready as they are");
    let actions: Vec<&str> =
        report["rows"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    let expected = [
        "refused", "create", "create", "create", "nothing", "create", "refused", "refused",
        "refused",
    ];
    assert_eq!(actions, expected);
}

#[tokio::test]
async fn a_repair_declined_once_and_accepted_later_is_written_then() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let file =
        "Reference,First name,Surname,Mobile,Home phone\nR-77,Aroha,Ngata,211234567,09 264 5555\n";
    let (_, report) = dry_run(&ana, &server, "r.csv", file.into(), "").await;
    let first = apply(&ana, &server, &report, json!({"acceptRepairs": "", "skip": ""})).await;
    assert_eq!(
        (&first["customersCreated"], &first["numbersAdded"]),
        (&json!(1), &json!(1)),
        "{first}"
    );
    // The same file, its repair accepted now: the mobile is written with a key of its own.
    let (_, again) = dry_run(&ana, &server, "r.csv", file.into(), "").await;
    let second = apply(&ana, &server, &again, json!({"acceptRepairs": "2", "skip": ""})).await;
    assert_eq!(second["numbersAdded"], 1, "{second}");
}

#[tokio::test]
async fn a_csv_export_never_hands_excel_a_formula_and_reads_back_as_it_was() {
    let server = TestServer::start().await;
    let ana = editor(&server).await;
    let file = "Reference,First name,Surname,Mobile\n=1+2,@SUM(A1),-Ngata,021 123 4567\n";
    let (_, report) = dry_run(&ana, &server, "f.csv", file.into(), "").await;
    apply(&ana, &server, &report, accept_all(&report)).await;
    let url = format!("{}/exports?businessId={BUSINESS}&format=csv", server.api);
    let text = ana.get(url).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("\"'=1+2\",\"'@SUM(A1)\",\"'-Ngata\""), "{text}");
    let (_, again) = dry_run(&ana, &server, "export.csv", text.into_bytes(), "").await;
    assert_eq!(again["counts"]["newNumbers"], 0, "the same customer, found by reference: {again}");
    // A file of more number columns than a customer has numbers is refused.
    let wide = format!(
        "First name,{}\nAroha,{}\n",
        (1..=11).map(|n| format!("Phone {n}")).collect::<Vec<_>>().join(","),
        ["1"; 11].join(",")
    );
    let (status, body) = dry_run(&ana, &server, "wide.csv", wide.into_bytes(), "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["field"], "mapping");
}
