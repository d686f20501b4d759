//! Past the rate limit the answer is the contract's 429, with the headers; after the window
//! the caller is served again.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use phone_server::accounts;
use phone_store::Store;

use crate::server::{
    TestServer, authorised_client, every_business, read, skip_in_gateway_mode, token,
};

#[tokio::test]
async fn the_limit_answers_429_with_its_headers_and_recovers_after_the_window() {
    if skip_in_gateway_mode("a gateway's answers carry the provider's limit, not its own") {
        return;
    }
    let server = TestServer::start_with(&["--rate-limit", "3", "--rate-window", "2"]).await;
    // Start at the beginning of a window, so that all four requests fall in it.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    tokio::time::sleep(Duration::from_millis(2000 - (now.as_millis() % 2000) as u64 + 20)).await;

    let mut remaining = Vec::new();
    for _ in 0..3 {
        let answer = server.get("/customers").await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.headers()["x-ratelimit-limit"], "3");
        remaining.push(answer.headers()["x-ratelimit-remaining"].to_str().unwrap().to_owned());
    }
    assert_eq!(remaining, ["2", "1", "0"]);

    let refused = server.get("/customers").await;
    let reset: u64 = refused.headers()["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    assert!(reset > now.as_secs(), "the reset is in the future: {reset}");
    assert_eq!(
        read(refused).await,
        (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"message": "You have exceeded the maximum limit of request allowed. Please try your request again in a moment."})
        )
    );

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(server.get("/customers").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_caller_has_an_allowance_of_its_own() {
    let server = TestServer::start_with(&["--rate-limit", "3", "--rate-window", "60"]).await;
    let store = Store::open(&server.database()).unwrap();
    let (id, secret) = accounts::add_client(&store, "second", &every_business()).unwrap();
    let second = authorised_client(&token(&server.root, &id, &secret).await);
    // The first caller spends its allowance (and more)…
    let statuses: Vec<StatusCode> = {
        let mut statuses = Vec::new();
        for _ in 0..4 {
            statuses.push(server.get("/customers").await.status());
        }
        statuses
    };
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // …and the second still has all of its own.
    for _ in 0..3 {
        let answer = second.get(format!("{}/customers", server.api)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
}

/// A sign-in as the app sends it, from the loopback address `from`, to the server on `port`.
async fn sign_in_from(from: [u8; 4], port: u16, name: &str) -> StatusCode {
    let client = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(from))
        .build()
        .expect("a client bound to its address");
    client
        .post(format!("http://127.0.0.1:{port}/auth/session"))
        .header("x-phonedesk-request", "1")
        .json(&json!({"username": name, "password": "not the password"}))
        .send()
        .await
        .expect("an answer")
        .status()
}

#[tokio::test]
async fn ipv4_callers_of_a_dual_stack_server_keep_allowances_of_their_own() {
    // On `[::]` an IPv4 caller arrives as `::ffff:a.b.c.d`: counted by a /64, every one of them
    // was `::`, so one caller's failures refused everyone's sign-ins.
    let folder = tempfile::tempdir().unwrap();
    let database = crate::server::new_database(folder.path());
    // Beyond loopback the server wants someone to sign in.
    let store = Store::create(&database).unwrap();
    let password = crate::server::PASSWORD;
    let everyone = phone_model::Businesses::All;
    accounts::add_user(&store, "ana", phone_store::Role::Editor, &everyone, password).unwrap();
    drop(store);
    let location = database.to_string();
    // A window of a billion seconds does not end during the test (a minute's might).
    let limit = ["--sign-in-limit", "3", "--rate-window", "1000000000"];
    let args = [&["--database", &location, "--address", "[::]:0"][..], &limit[..]].concat();
    let server = phone_launch::Server::start(std::path::Path::new(crate::server::SERVER), &args)
        .expect("a dual-stack server");
    let port: u16 = server.address().rsplit(':').next().unwrap().parse().unwrap();

    for n in 0..3 {
        let status = sign_in_from([127, 0, 0, 2], port, &format!("guess{n}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(sign_in_from([127, 0, 0, 2], port, "guess3").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        sign_in_from([127, 0, 0, 3], port, "ana").await,
        StatusCode::UNAUTHORIZED,
        "another address keeps its allowance"
    );
}
