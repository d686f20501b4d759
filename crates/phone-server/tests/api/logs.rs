//! The log as an operator's tools read it: the real binary, its standard output a pipe (or,
//! for colours, a terminal), every line read back.

use std::{
    io::Read as _,
    process::{Command, Stdio},
    thread::JoinHandle,
};

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{Location, Role, Store};
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::server::{
    PASSWORD, SERVER, authorised_client, browser, every_business, new_database, sign_in, token,
};

/// A `phone-server` whose standard output is a pipe this test reads, as a service manager's
/// or a log collector's would be.
struct Logged {
    server: phone_launch::Server,
    output: JoinHandle<String>,
}

impl Logged {
    /// Starts the binary on `database` with `flags` and the environment variables `env` (and
    /// neither `RUST_LOG` nor `NO_COLOR` from the tests' own).
    fn start(database: &Location, flags: &[&str], env: &[(&str, &str)]) -> Self {
        let (mut reader, writer) = std::io::pipe().expect("a pipe");
        let mut command = Command::new(SERVER);
        command
            .arg("--database")
            .arg(database.to_string())
            .args(flags)
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .stdout(writer)
            .stderr(Stdio::null());
        let server = phone_launch::Server::start_command(command)
            .unwrap_or_else(|e| panic!("phone-server starts on {database}: {e}"));
        // Read as it comes, so a full pipe never holds the server up.
        let output = std::thread::spawn(move || {
            let mut text = String::new();
            reader.read_to_string(&mut text).expect("UTF-8");
            text
        });
        Self { server, output }
    }

    fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// Stops the server (SIGTERM) and returns every line it wrote.
    fn stop(mut self) -> Vec<String> {
        self.server.stop().expect("the server stops cleanly");
        let text = self.output.join().expect("the reader ends with the server");
        text.lines().map(str::to_owned).collect()
    }
}

/// A new database with an API client (its id and secret) and a staff member, `ana`.
fn database_with_callers(folder: &std::path::Path) -> (Location, String, String) {
    let database = new_database(folder);
    let store = Store::create(&database).expect("a new database");
    let (id, secret) = accounts::add_client(&store, "logs", &every_business()).expect("a client");
    accounts::add_user(&store, "ana", Role::Editor, &Businesses::All, PASSWORD).expect("a user");
    (database, id, secret)
}

/// The lines of sign-ins that the attempts per name held back.
fn held_back(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|line| line.contains("sign-in refused")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_at_once_for_a_name_that_never_failed_are_logged_as_that_not_as_failures() {
    let folder = tempfile::tempdir().unwrap();
    let (database, ..) = database_with_callers(folder.path());
    let server = Logged::start(&database, &[], &[]);
    let root = server.base_url();

    // Rounds of four at once with the right password, until one is held back while another is
    // checked: a success forgets the name, so each round starts with no failures.
    let mut refused = 0;
    for _ in 0..5 {
        let attempts: Vec<_> = (0..4)
            .map(|_| {
                let root = root.clone();
                tokio::spawn(async move { sign_in(&root, "ana", PASSWORD).await.status() })
            })
            .collect();
        for attempt in attempts {
            let status = attempt.await.unwrap();
            assert!([StatusCode::OK, StatusCode::TOO_MANY_REQUESTS].contains(&status), "{status}");
            refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
        }
        if refused > 0 {
            break;
        }
    }
    let lines = server.stop();

    assert!(refused > 0, "no sign-in was held back by another");
    let held = held_back(&lines);
    assert_eq!(held.len(), refused, "{held:#?}");
    for line in held {
        assert!(
            line.contains(
                "sign-in refused: another sign-in for this name is being checked right now user=ana"
            ),
            "{line}"
        );
    }
}

#[tokio::test]
async fn a_sign_in_during_the_wait_after_failures_is_logged_as_waiting_out_that_delay() {
    let folder = tempfile::tempdir().unwrap();
    let (database, ..) = database_with_callers(folder.path());
    let server = Logged::start(&database, &[], &[]);
    let root = server.base_url();

    // One after another, so none is held back by another in flight; each failure's wait is
    // longer (a quarter second after the second, doubling), so one soon outlasts a check.
    let mut statuses = Vec::new();
    while statuses.last() != Some(&StatusCode::TOO_MANY_REQUESTS) && statuses.len() < 8 {
        statuses.push(sign_in(&root, "ana", "a wrong password").await.status());
    }
    let lines = server.stop();

    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let held = held_back(&lines);
    assert_eq!(held.len(), 1, "{held:#?}");
    assert!(
        held[0].contains("sign-in refused: waiting out the delay after a failed sign-in user=ana"),
        "{}",
        held[0]
    );
}

#[tokio::test]
async fn text_logs_in_a_pipe_have_no_colour_and_a_newline_typed_in_a_name_cannot_forge_a_line() {
    let folder = tempfile::tempdir().unwrap();
    let (database, ..) = database_with_callers(folder.path());
    let server = Logged::start(&database, &[], &[]);

    // Within the 64 characters a name may have, or the log has it cut short.
    let forged = "eve\n2026-01-01T00:00:00.000000Z  INFO signed in user=admin";
    let answer = sign_in(&server.base_url(), forged, "a wrong password").await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    // The same through the identity service's client id.
    let token_request = reqwest::Client::new()
        .post(format!("{}/identity/connect/token", server.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", forged),
            ("client_secret", "a wrong secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token_request.status(), StatusCode::UNAUTHORIZED);
    let lines = server.stop();

    let text = lines.join("\n");
    assert!(!text.contains('\u{1b}'), "no ANSI code in a pipe:\n{text}");
    let levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
    for line in &lines {
        let level = line.split_whitespace().nth(1).unwrap_or_default();
        assert!(levels.contains(&level), "every line is an event of its own: {line:?}");
    }
    assert!(!lines.iter().any(|line| line.starts_with("2026-01-01")), "a forged line:\n{text}");
    let failed = lines.iter().find(|line| line.contains("sign-in failed"));
    let failed = failed.unwrap_or_else(|| panic!("the failure is logged:\n{text}"));
    assert!(failed.contains(&forged.replace('\n', "\\n")), "{failed}");
    let refused = lines.iter().find(|line| line.contains("token refused"));
    let refused = refused.unwrap_or_else(|| panic!("the token refusal is logged:\n{text}"));
    assert!(refused.contains(&forged.replace('\n', "\\n")), "{refused}");
}

/// What the server writes with its standard output a terminal (util-linux's `script` gives it
/// one) and `NO_COLOR` as given, before it stops on an address already taken: demo customers
/// seeded, at `info`. (`cargo xtask test` installs util-linux, which has `script`.)
fn on_a_terminal(no_color: Option<&str>) -> String {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap();
    let command_line =
        format!("'{SERVER}' --database '{database}' --create-database --demo --address {address}");
    let mut script = Command::new("script");
    script
        .args(["--quiet", "--command", &command_line, "/dev/null"])
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    if let Some(value) = no_color {
        script.env("NO_COLOR", value);
    }
    let output = script.output().expect("util-linux's `script`, to give the server a terminal");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn colours_reach_a_terminal_unless_no_color_is_set() {
    for (no_color, coloured) in [(None, true), (Some(""), true), (Some("1"), false)] {
        let text = on_a_terminal(no_color);
        assert!(text.contains("seeded demonstration customers"), "{no_color:?}: {text:?}");
        assert_eq!(text.contains("\u{1b}["), coloured, "NO_COLOR={no_color:?}: {text:?}");
    }
}

/// The access log's lines in the JSON format, each with its fields.
fn access_lines(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("JSON: {line}")))
        .filter(|event| event["target"] == "phonedesk::access")
        .map(|event| event["fields"].clone())
        .collect()
}

#[tokio::test]
async fn json_access_lines_carry_the_route_template_caller_and_request_id_in_typed_fields() {
    let folder = tempfile::tempdir().unwrap();
    let (database, id, secret) = database_with_callers(folder.path());
    let server = Logged::start(&database, &["--log-format", "json"], &[]);
    let root = server.base_url();

    let client = authorised_client(&token(&root, &id, &secret).await);
    let by_client =
        client.get(format!("{root}/CustomerServices/v1.0/customers/CUST-42")).send().await.unwrap();
    let no_such_method =
        client.delete(format!("{root}/CustomerServices/v1.0/customers")).send().await.unwrap();
    let staff = browser(&root, "ana", true).await;
    let by_staff =
        staff.get(format!("{root}/CustomerServices/v1.0/customers")).send().await.unwrap();
    let anonymous = Client::new().get(format!("{root}/no/such/page")).send().await.unwrap();
    let lines = server.stop();

    let access = access_lines(&lines);
    let answered = |response: &reqwest::Response| {
        let request_id = response.headers()["x-request-id"].to_str().unwrap();
        let found = access.iter().find(|fields| fields["request_id"] == request_id);
        found.unwrap_or_else(|| panic!("an access line for {request_id}: {access:#?}")).clone()
    };
    let line = answered(&by_client);
    assert_eq!(line["message"], "answered");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["route"], "/CustomerServices/v1.0/customers/{customerId}");
    assert_eq!(line["status"], by_client.status().as_u16(), "a number");
    assert!(line["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "a number: {line}");
    assert_eq!(line["address"], "127.0.0.1");
    assert_eq!(line["client"], id.as_str());
    assert!(line.get("user").is_none(), "{line}");
    assert!(!line.to_string().contains("CUST-42"), "never the raw path: {line}");

    let line = answered(&no_such_method);
    assert_eq!((&line["status"], &line["client"]), (&405.into(), &id.as_str().into()));

    let line = answered(&by_staff);
    assert_eq!(
        (&line["route"], &line["status"]),
        (&"/CustomerServices/v1.0/customers".into(), &200.into())
    );
    assert_eq!(line["user"], "ana");
    assert!(line.get("client").is_none(), "{line}");

    let line = answered(&anonymous);
    assert_eq!((&line["route"], &line["status"]), (&"unmatched".into(), &404.into()));
    assert!(line.get("client").is_none() && line.get("user").is_none(), "{line}");
}

#[tokio::test]
async fn the_access_log_is_left_out_by_its_flag_or_by_its_target_and_the_rest_is_kept() {
    let folder = tempfile::tempdir().unwrap();
    let (database, ..) = database_with_callers(folder.path());
    for (flags, env) in [
        (["--access-log", "off"].as_slice(), [].as_slice()),
        (&[], &[("PHONEDESK_ACCESS_LOG", "off")]),
        (&[], &[("RUST_LOG", "info,phonedesk::access=off")]),
    ] {
        let server = Logged::start(&database, flags, env);
        let answer = Client::new().get(format!("{}/healthz", server.base_url())).send().await;
        assert_eq!(answer.unwrap().status(), StatusCode::OK);
        let lines = server.stop();
        let text = lines.join("\n");
        assert!(!text.contains("phonedesk::access"), "{flags:?} {env:?}:\n{text}");
        assert!(text.contains("Phonedesk on http://"), "{flags:?} {env:?}:\n{text}");
    }
    let server = Logged::start(&database, &[], &[]);
    let answer = Client::new().get(format!("{}/healthz", server.base_url())).send().await;
    assert_eq!(answer.unwrap().status(), StatusCode::OK);
    let lines = server.stop();
    let answered = lines.iter().find(|line| line.contains("phonedesk::access: answered"));
    let answered = answered.unwrap_or_else(|| panic!("on by default: {lines:#?}"));
    assert!(answered.contains("method=GET route=/healthz status=200 latency_ms="), "{answered}");
}
