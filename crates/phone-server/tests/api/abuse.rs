//! A hostile caller cannot wear the server down through the endpoints that check passwords,
//! nor mint rate-limit allowances by varying what it sends.

use std::time::{Duration, Instant};

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Role, Store};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::server::{
    PASSWORD, TestServer, authorised_client, every_business, read, token, too_many,
};

async fn sign_in(server: &TestServer, name: &str, password: &str) -> (StatusCode, Value) {
    read(crate::server::sign_in(&server.root, name, password).await).await
}

#[tokio::test]
async fn a_sign_in_body_over_four_kilobytes_is_refused_before_it_is_read() {
    let server = TestServer::start().await;
    let answer = Client::new()
        .post(format!("{}/auth/session", server.root))
        .header("x-phonedesk-request", "1")
        .json(&json!({"username": "x".repeat(1024 * 1024), "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let answer = Client::new()
        .post(format!("{}/identity/connect/token", server.root))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &"x".repeat(8 * 1024)),
            ("client_secret", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn names_too_long_to_exist_cost_no_password_work() {
    let server = TestServer::start().await;
    // One attempt with a name that could exist costs a password check.
    let started = Instant::now();
    assert_eq!(sign_in(&server, "nobody", "guess").await.0, StatusCode::UNAUTHORIZED);
    let one_check = started.elapsed();
    let started = Instant::now();
    for n in 0..20 {
        let (status, _) = sign_in(&server, &format!("{n}{}", "x".repeat(200)), "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Twenty checks would take twenty times as long; without them it is a fraction.
    let twenty = started.elapsed();
    assert!(twenty < one_check * 10, "20 long names took {twenty:?}, one check {one_check:?}");
}

#[tokio::test]
async fn parallel_guesses_for_one_name_get_one_check_and_the_rest_a_429_at_once() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
    // A first failure makes the next attempt wait.
    assert_eq!(sign_in(&server, "sam", "wrong").await.0, StatusCode::UNAUTHORIZED);
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let root = server.root.clone();
        guesses.spawn(async move {
            let answer = Client::new()
                .post(format!("{root}/auth/session"))
                .header("x-phonedesk-request", "1")
                .json(&json!({"username": "sam", "password": "wrong"}))
                .send()
                .await
                .unwrap();
            read(answer).await
        });
    }
    let answers = guesses.join_all().await;
    let checked = answers.iter().filter(|(status, _)| *status == StatusCode::UNAUTHORIZED).count();
    let refused = answers
        .iter()
        .filter(|answer| **answer == (StatusCode::TOO_MANY_REQUESTS, too_many()))
        .count();
    assert!(checked <= 1 && checked + refused == 20, "{checked} checked, {refused} refused");
    // Even the right password waits its turn, then works.
    assert_eq!(sign_in(&server, "sam", PASSWORD).await.0, StatusCode::TOO_MANY_REQUESTS);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sign_in(&server, "sam", PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test]
async fn each_address_gets_few_sign_ins_and_token_requests() {
    let server = TestServer::start_with(&["--sign-in-limit", "3", "--rate-window", "60"]).await;
    // Getting the tests' own token was the first of the three.
    for n in 0..2 {
        let (status, _) = sign_in(&server, &format!("user{n}"), "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let (status, body) = sign_in(&server, "user9", "guess").await;
    assert_eq!((status, body), (StatusCode::TOO_MANY_REQUESTS, too_many()));
    // The API itself is not held back by the sign-in limit.
    assert_eq!(server.get("/customers").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_client_id_costs_as_much_as_a_wrong_secret() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    let (known, _) = accounts::add_client(&store, "timing", &every_business()).unwrap();
    let time = |id: String| {
        let root = server.root.clone();
        async move {
            let started = Instant::now();
            let answer = Client::new()
                .post(format!("{root}/identity/connect/token"))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", id.as_str()),
                    ("client_secret", "wrong"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
            started.elapsed()
        }
    };
    let mut known_times = Vec::new();
    let mut unknown_times = Vec::new();
    for n in 0..5 {
        known_times.push(time(known.clone()).await);
        unknown_times.push(time(format!("pd-unknown{n}")).await);
    }
    known_times.sort();
    unknown_times.sort();
    let (known, unknown) = (known_times[2], unknown_times[2]);
    assert!(unknown * 2 > known, "unknown {unknown:?} against known {known:?}: a timing oracle");
}

#[tokio::test]
async fn variations_of_one_credential_share_one_allowance_and_another_has_its_own() {
    let server = TestServer::start_with(&["--rate-limit", "3", "--rate-window", "60"]).await;
    let store = Store::open(&server.database()).unwrap();
    let (id, secret) = accounts::add_client(&store, "one", &every_business()).unwrap();
    let bearer = token(&server.root, &id, &secret).await;
    let variations =
        [format!("Bearer {bearer}"), format!("Bearer   {bearer}"), format!("Bearer {bearer} ")];
    let mut statuses = Vec::new();
    for (n, value) in variations.iter().cycle().take(4).enumerate() {
        let answer = Client::new()
            .get(format!("{}/customers", server.api))
            .header(header::AUTHORIZATION, value)
            .header(header::COOKIE, format!("junk={n}"))
            .send()
            .await
            .unwrap();
        statuses.push(answer.status());
    }
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS]
    );
    // Another client is counted apart.
    let (other, other_secret) = accounts::add_client(
        &store,
        "two",
        &ClientAccess { businesses: Businesses::All, read_only: false },
    )
    .unwrap();
    let second = authorised_client(&token(&server.root, &other, &other_secret).await);
    assert_eq!(
        second.get(format!("{}/customers", server.api)).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn fake_tokens_count_against_the_address_not_a_fresh_allowance_each() {
    let server = TestServer::start_with(&["--rate-limit", "3", "--rate-window", "60"]).await;
    let mut statuses = Vec::new();
    let mut last = Duration::ZERO;
    for n in 0..4 {
        let started = Instant::now();
        let answer = authorised_client(&format!("fake.token.{n}"))
            .get(format!("{}/customers", server.api))
            .send()
            .await
            .unwrap();
        statuses.push(answer.status());
        last = started.elapsed();
    }
    // Refusing a caller without valid credentials takes a while: a flood arrives at a trickle.
    assert!(last >= phone_http::rate_limit::TARPIT, "{last:?}");
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn a_callers_request_id_is_kept_only_when_it_is_plain() {
    let server = TestServer::start().await;
    let echoed = |sent: &'static str| {
        let client = server.client.clone();
        let url = format!("{}/customers", server.api);
        async move {
            let answer = client.get(url).header("x-request-id", sent).send().await.unwrap();
            answer.headers()["x-request-id"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(echoed("trace-42-ABC").await, "trace-42-ABC");
    for hostile in ["a b", "id\"}{\"admin\":true", "../../etc", "x;drop table"] {
        let id = echoed(hostile).await;
        assert_ne!(id, hostile);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{id}");
    }
    let long = "a".repeat(65);
    let answer = server
        .client
        .get(format!("{}/customers", server.api))
        .header("x-request-id", &long)
        .send()
        .await
        .unwrap();
    assert_ne!(answer.headers()["x-request-id"], long.as_str());
}

#[tokio::test]
async fn the_identity_service_names_itself_by_the_configured_url_not_the_callers_host() {
    let server = TestServer::start_with(&["--public-url", "https://phonedesk.example.com/"]).await;
    let discovery = Client::new()
        .get(format!("{}/identity/.well-known/openid-configuration", server.root))
        .header(header::HOST, "evil.example")
        .send()
        .await
        .unwrap();
    let (_, discovery) = read(discovery).await;
    assert_eq!(discovery["issuer"], "https://phonedesk.example.com/identity");
    assert_eq!(discovery["token_endpoint"], "https://phonedesk.example.com/identity/connect/token");
}

#[tokio::test]
async fn the_session_cookie_is_secure_and_host_only_unless_served_over_loopback_and_refreshed_as_used()
 {
    for (public_url, name, secure) in [
        ("https://phonedesk.example.com", "__Host-phonedesk_session=", true),
        ("", "phonedesk_session=", false),
    ] {
        let flags: &[&str] =
            if public_url.is_empty() { &[] } else { &["--public-url", public_url] };
        let server = TestServer::start_with(flags).await;
        let store = Store::open(&server.database()).unwrap();
        accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
        let answer = Client::new()
            .post(format!("{}/auth/session", server.root))
            .header("x-phonedesk-request", "1")
            .json(&json!({"username": "sam", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        let cookie = answer.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.starts_with(name), "{cookie}");
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        assert!(cookie.contains("Max-Age=1800") && cookie.contains("HttpOnly"), "{cookie}");
        // Using the session sends the cookie again, with the time it has left.
        let pair = cookie.split(';').next().unwrap().to_owned();
        let used = Client::new()
            .get(format!("{}/customers", server.api))
            .header(header::COOKIE, &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(used.status(), StatusCode::OK);
        let refreshed = used.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(refreshed.starts_with(&pair) && refreshed.contains("Max-Age=1800"), "{refreshed}");
        // The other name is not read.
        let other = if secure { pair.replace("__Host-", "") } else { format!("__Host-{pair}") };
        let refused = Client::new()
            .get(format!("{}/customers", server.api))
            .header(header::COOKIE, other)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn an_unknown_name_costs_as_much_as_a_wrong_password() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    // A user of its own for each timed attempt: a name's failures make its next wait longer.
    for n in 0..5 {
        accounts::add_user(&store, &format!("real{n}"), Role::Viewer, &Businesses::All, PASSWORD)
            .unwrap();
    }
    let wrong = json!({"message": "The user name or password is incorrect."});
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for n in 0..5 {
        for (name, times) in [(format!("real{n}"), &mut known), (format!("ghost{n}"), &mut unknown)]
        {
            let started = Instant::now();
            assert_eq!(
                sign_in(&server, &name, "not the password").await,
                (StatusCode::UNAUTHORIZED, wrong.clone())
            );
            times.push(started.elapsed());
        }
    }
    // The fastest of each: what the work costs, without the waits a busy machine adds (the
    // medians failed here with the other core building, 42 against 99 ms).
    let (known, unknown) = (*known.iter().min().unwrap(), *unknown.iter().min().unwrap());
    assert!(unknown * 2 > known, "unknown {unknown:?} against known {known:?}: a timing oracle");
}

#[tokio::test]
async fn sign_outs_probes_and_discovery_count_against_the_address_and_liveness_never_does() {
    // Each sign-out with a junk cookie was a write transaction, without limit.
    // Windows start at multiples of their length since the epoch: one of a billion seconds
    // does not end during the test (an hour's did, at 07:00, on one run).
    let window = ["--rate-limit", "5", "--rate-window", "1000000000"];
    let server = TestServer::start_with(&window).await;
    let client = Client::new();
    let sign_out = || {
        client
            .delete(format!("{}/auth/session", server.root))
            .header(header::COOKIE, "phonedesk_session=junk")
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(sign_out().await.unwrap().status());
    }
    // The server's own token request (at start) counted too: five in all, then 429s.
    let refused = statuses.iter().position(|s| *s == StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused, Some(4), "{statuses:?}");
    for path in ["/readyz", "/identity/.well-known/openid-configuration", "/auth/session"] {
        let answer = client.get(format!("{}{path}", server.root)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(answer.headers().contains_key(header::RETRY_AFTER), "{path}: when to come back");
    }
    let alive = client.get(format!("{}/healthz", server.root)).send().await.unwrap();
    assert_eq!(alive.status(), StatusCode::OK, "a liveness probe is never refused");
}
