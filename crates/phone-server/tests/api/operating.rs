//! What an operator's tools rely on: readiness that follows the database, and a stop that
//! finishes the requests in flight.

use std::time::{Duration, Instant};

use phone_store::{Location, Store};
use reqwest::StatusCode;
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::server::{TestServer, phone, read, readiness};

/// Takes back the database's migrations but the first (as a server of a newer schema would
/// find a database it must not serve), or gives them back. On a store opened before, since
/// opening one migrates.
fn set_schema_behind(store: &Store, database: &Location, behind: bool) {
    let (_, known) = store.migrations().unwrap();
    let statement = match (database, behind) {
        (Location::Sqlite(_), true) => "PRAGMA user_version = 1".to_owned(),
        (Location::Sqlite(_), false) => format!("PRAGMA user_version = {known}"),
        (Location::Postgres(_), true) => {
            "DELETE FROM schema_migrations WHERE version > 1".to_owned()
        }
        (Location::Postgres(_), false) => format!(
            "INSERT INTO schema_migrations SELECT generate_series(2, {known}) ON CONFLICT DO NOTHING"
        ),
    };
    store.execute(&statement, &[]).expect("the schema's version changed");
}

#[tokio::test]
async fn readiness_follows_the_database_and_its_schema_while_liveness_does_not() {
    let server = TestServer::start().await;
    let probe = |path: &'static str| server.client.get(format!("{}{path}", server.root)).send();
    let ok = (StatusCode::OK, json!({"status": "ok"}));
    assert_eq!(readiness(&server.client, &server.root, StatusCode::OK).await, ok);
    assert_eq!(read(probe("/healthz").await.unwrap()).await, ok);

    let store = Store::open(&server.database()).expect("the database");
    set_schema_behind(&store, &server.database(), true);
    let unavailable = json!({"message": "The service is unavailable right now. Please try your request again in a moment."});
    assert_eq!(
        readiness(&server.client, &server.root, StatusCode::SERVICE_UNAVAILABLE).await,
        (StatusCode::SERVICE_UNAVAILABLE, unavailable)
    );
    assert_eq!(read(probe("/healthz").await.unwrap()).await, ok, "alive all the same");

    set_schema_behind(&store, &server.database(), false);
    assert_eq!(readiness(&server.client, &server.root, StatusCode::OK).await, ok);
    // Another method is refused in the contract's shape, as on the API.
    let posted = server.client.post(format!("{}/readyz", server.root)).send().await.unwrap();
    assert_eq!(posted.headers()["allow"], "GET,HEAD");
    let (status, body) = read(posted).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body["message"].is_string(), "{body}");
}

/// How the server's process ended, waited for 10 seconds at most.
async fn exit_code(mut server: TestServer) -> Option<i32> {
    let exited = tokio::task::spawn_blocking(move || server.process().wait().map(|s| s.code()));
    let waited = tokio::time::timeout(Duration::from_secs(10), exited).await;
    waited.expect("the server exits within 10 s of SIGTERM").unwrap().unwrap()
}

/// Starts a create and waits until its handler reads the body (the server answers
/// `Expect: 100-continue` then): a request in flight, held open, its body not yet sent.
async fn create_in_flight(server: &TestServer, customer: &str) -> (TcpStream, &'static [u8]) {
    let body: &'static [u8] = br#"{"phoneName":"Ann","countryCode":"+64","areaCode":"09","phoneNumber":"555 1234","phoneType":"home","isPrimary":false}"#;
    let token = server.token();
    let address = server.root.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("the server listens");
    let head = format!(
        "POST /CustomerServices/v1.0/customers/{customer}/phoneNumbers HTTP/1.1\r\nHost: \
         {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let continued = b"HTTP/1.1 100 Continue\r\n\r\n";
    let mut interim = vec![0; continued.len()];
    stream.read_exact(&mut interim).await.expect("a 100 Continue");
    assert_eq!(interim, continued);
    (stream, body)
}

/// Whether connecting to `address` is refused within two seconds.
async fn refuses_connections(address: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if TcpStream::connect(address).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_request_in_flight_at_sigterm_is_answered_then_the_server_exits_0() {
    let mut server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let (mut stream, body) = create_in_flight(&server, &customer).await;
    server.process().terminate().unwrap();
    // No new connection is taken meanwhile.
    let address = server.root.trim_start_matches("http://").to_owned();
    assert!(refuses_connections(&address).await, "still accepting after SIGTERM");
    stream.write_all(body).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201 Created\r\n"), "{answer}");
    assert!(answer.contains(r#""phoneName":"Ann""#), "{answer}");
    let status = exit_code(server).await;
    assert_eq!(status, Some(0));
}

#[tokio::test]
async fn a_request_that_never_finishes_holds_the_stop_no_longer_than_the_shutdown_timeout() {
    let mut server = TestServer::start_with(&["--shutdown-timeout", "1"]).await;
    let customer = server.customer("Ana").await;
    let (_stream, _never_sent) = create_in_flight(&server, &customer).await;
    let signalled = Instant::now();
    server.process().terminate().unwrap();
    let status = exit_code(server).await;
    let took = signalled.elapsed();
    assert_eq!(status, Some(0));
    assert!(took >= Duration::from_millis(900), "it did not wait for the request: {took:?}");
    assert!(took < Duration::from_secs(3), "it waited past the timeout: {took:?}");
}

#[tokio::test]
async fn readiness_fails_while_the_database_cannot_be_reached() {
    if crate::server::skip_in_gateway_mode("stops the server's own database") {
        return;
    }
    // A cluster of this test's own, to stop under the server.
    let cluster = phone_launch::Postgres::start().expect("a PostgreSQL cluster");
    let database = Location::Postgres(cluster.create_database("readiness").unwrap());
    let folder = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(folder, database, &[]).await;
    let customer = server.customer("Ana").await;
    let probe = |path: &'static str| server.client.get(format!("{}{path}", server.root)).send();
    let ok = (StatusCode::OK, json!({"status": "ok"}));
    assert_eq!(readiness(&server.client, &server.root, StatusCode::OK).await, ok);
    cluster.stop().unwrap();
    let (status, _) =
        readiness(&server.client, &server.root, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(read(probe("/healthz").await.unwrap()).await, ok, "alive all the same");
    // The API says so too, in the contract's shape, and when to try again.
    let numbers = format!("/customers/{customer}/phoneNumbers");
    let read_answer = server.get(&numbers).await;
    let write_answer = server.post(&numbers, &phone("04", "801 2345", "work", false)).await;
    for answer in [read_answer, write_answer] {
        assert_eq!(answer.headers().get("retry-after").map(|v| v.to_str().unwrap()), Some("5"));
        assert_eq!(read(answer).await, unavailable());
    }
}

/// The 503 of a database that cannot be reached.
fn unavailable() -> (StatusCode, serde_json::Value) {
    let message =
        "The service is unavailable right now. Please try your request again in a moment.";
    (StatusCode::SERVICE_UNAVAILABLE, json!({ "message": message }))
}

#[tokio::test]
async fn a_write_the_database_is_locked_against_answers_503_then_succeeds_once_it_is_free() {
    if crate::server::skip_in_gateway_mode("locks the server's own database") {
        return;
    }
    let server = TestServer::start().await;
    if !matches!(server.database(), Location::Sqlite(_)) {
        // PostgreSQL has no database-wide write lock; its outage is the test above.
        return;
    }
    let customer = server.customer("Ana").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");
    // Another process takes the write lock for longer than the server waits for it (5 s).
    let store = Store::open(&server.database()).unwrap();
    let (locked, taken) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let taken = || locked.send(()).unwrap();
        store.hold_write_lock(Duration::from_secs(7), taken).unwrap();
    });
    taken.recv().unwrap();
    let during = server.post(&numbers, &phone("04", "801 2345", "work", false)).await;
    assert_eq!(during.headers().get("retry-after").map(|v| v.to_str().unwrap()), Some("5"));
    assert_eq!(read(during).await, unavailable(), "refused, not a 500");
    let (status, _) = read(server.get(&numbers).await).await;
    assert_eq!(status, StatusCode::OK, "reads never wait for the lock");
    holder.join().unwrap();
    let after = server.post(&numbers, &phone("04", "801 2345", "work", false)).await;
    assert_eq!(after.status(), StatusCode::CREATED, "the retry the 503 asked for succeeds");
}
