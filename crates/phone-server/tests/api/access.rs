//! Who may do what: the authorisation matrix, the token endpoint, and writes by cookie.

use phone_http::AppState;
use phone_model::Businesses;
use phone_operations::tokens::{SCOPE, TokenKeys};
use phone_server::accounts;
use phone_store::{Role, SessionUser, Store};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::server::{
    PASSWORD, TestServer, authorised_client, browser, every_business, forbidden, not_found, phone,
    read, too_many,
};

fn unauthorized() -> Value {
    json!({"message": "Authorization has been denied for this request."})
}

/// Adds `name` with `role` and signs them in as the app does (see [`browser`]).
async fn signed_in(server: &TestServer, name: &str, role: Role, as_app: bool) -> Client {
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, name, role, &Businesses::All, PASSWORD).unwrap();
    browser(&server.root, name, as_app).await
}

#[tokio::test]
async fn every_operation_refuses_callers_without_valid_credentials() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let number = server.number(&customer, "021", "123 4567", false).await;
    let other_key = TokenKeys::from_seed(&[9; 32]);
    let store = Store::open(&server.database()).unwrap();
    let own_key = TokenKeys::from_seed(&store.signing_keys().unwrap().tokens[0].secret);
    let credentials: Vec<(&str, Client)> = vec![
        ("no credentials", Client::new()),
        ("a malformed token", authorised_client("not-a-jwt")),
        (
            "a token of another key",
            authorised_client(&other_key.issue("pd-x", SCOPE, "http://x/identity", now(), 3600)),
        ),
        (
            "an expired token",
            authorised_client(&own_key.issue(
                "pd-x",
                SCOPE,
                "http://x/identity",
                now() - 7200,
                3600,
            )),
        ),
    ];
    let body = phone("09", "555 0001", "work", false);
    for (what, client) in credentials {
        let base = &server.api;
        let requests = [
            client.get(format!("{base}/customers")),
            client.get(format!("{base}/customers/{customer}")),
            client.post(format!("{base}/customers")).json(&json!({})),
            client.get(format!("{base}/customers/{customer}/phoneNumbers")),
            client.post(format!("{base}/customers/{customer}/phoneNumbers")).json(&body),
            client.get(format!("{base}/customers/{customer}/phoneNumbers/{number}")),
            client.put(format!("{base}/customers/{customer}/phoneNumbers/{number}")).json(&body),
            client.delete(format!("{base}/customers/{customer}/phoneNumbers/{number}")),
        ];
        for request in requests {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.headers()[header::WWW_AUTHENTICATE], "Bearer", "{what}");
            assert_eq!(read(answer).await, (StatusCode::UNAUTHORIZED, unauthorized()), "{what}");
        }
    }
    // Nothing changed.
    assert_eq!(server.all_numbers(&customer).await.len(), 2);
}

fn now() -> i64 {
    phone_operations::now()
}

#[tokio::test]
async fn a_viewer_reads_an_editor_writes_and_a_foreign_customer_is_not_found() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let viewer = signed_in(&server, "vera", Role::Viewer, true).await;
    let editor = signed_in(&server, "eddie", Role::Editor, true).await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);

    let (status, _) = read(viewer.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let answer =
        viewer.post(&url).json(&phone("09", "555 0002", "work", false)).send().await.unwrap();
    assert_eq!(read(answer).await, (StatusCode::FORBIDDEN, forbidden()));

    let (status, created) =
        read(editor.post(&url).json(&phone("09", "555 0003", "work", false)).send().await.unwrap())
            .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["phoneNumberId"].as_str().unwrap();
    // Nor may a viewer change or delete it; it stays as it was.
    let one = format!("{url}/{id}");
    let answer =
        viewer.put(&one).json(&phone("09", "555 0009", "work", false)).send().await.unwrap();
    assert_eq!(read(answer).await, (StatusCode::FORBIDDEN, forbidden()));
    assert_eq!(
        read(viewer.delete(&one).send().await.unwrap()).await,
        (StatusCode::FORBIDDEN, forbidden())
    );
    let (_, unchanged) = read(viewer.get(&one).send().await.unwrap()).await;
    assert_eq!(unchanged, created);

    let stranger = server.customer("Ben").await;
    let foreign = format!("{}/customers/{stranger}/phoneNumbers/{id}", server.api);
    assert_eq!(
        read(editor.get(&foreign).send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, not_found())
    );
    assert_eq!(
        read(editor.delete(&foreign).send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, not_found())
    );
}

/// The 403 of a staff write that did not come from the app's own pages: its own code, not the
/// tenancy's.
fn foreign_origin() -> serde_json::Value {
    serde_json::json!({
        "errorCode": "origin_refused",
        "message": "Unable to process this request as it did not come from this server's own pages."
    })
}

#[tokio::test]
async fn a_write_by_cookie_must_prove_it_comes_from_the_app_and_a_bearer_write_need_not() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let forged = signed_in(&server, "eve", Role::Editor, false).await;

    let answer =
        forged.post(&url).json(&phone("09", "555 0004", "work", false)).send().await.unwrap();
    assert_eq!(read(answer).await, (StatusCode::FORBIDDEN, foreign_origin()));
    // Reading needs no proof; and a page of another origin is refused even with the header.
    assert_eq!(forged.get(&url).send().await.unwrap().status(), StatusCode::OK);
    let cross_site = forged
        .post(&url)
        .header("x-phonedesk-request", "1")
        .header(header::ORIGIN, "https://evil.example")
        .json(&phone("09", "555 0005", "work", false))
        .send()
        .await
        .unwrap();
    assert_eq!(read(cross_site).await, (StatusCode::FORBIDDEN, foreign_origin()));
    // The bearer-token client of every other test writes without any such header.
    let (status, _) = read(
        server
            .post(
                &format!("/customers/{customer}/phoneNumbers"),
                &phone("09", "555 0006", "work", false),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_token_endpoint_answers_as_rfc_6749_says() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    let (id, secret) = accounts::add_client(&store, "matrix", &every_business()).unwrap();
    let url = format!("{}/identity/connect/token", server.root);
    let token = |form: Vec<(&'static str, String)>| Client::new().post(&url).form(&form).send();

    let good = read(
        token(vec![
            ("grant_type", "client_credentials".into()),
            ("client_id", id.clone()),
            ("client_secret", secret.clone()),
            ("scope", "customerservices".into()),
        ])
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(good.0, StatusCode::OK);
    assert_eq!(
        (good.1["token_type"].as_str(), good.1["expires_in"].as_i64()),
        (Some("Bearer"), Some(3600))
    );
    let cases = [
        (
            vec![
                ("grant_type", "client_credentials".into()),
                ("client_id", id.clone()),
                ("client_secret", "wrong".into()),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "password".into()),
                ("client_id", id.clone()),
                ("client_secret", secret.clone()),
            ],
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        ),
        (
            vec![
                ("grant_type", "client_credentials".into()),
                ("client_id", id.clone()),
                ("client_secret", secret.clone()),
                ("scope", "admin".into()),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_scope",
        ),
        (vec![("client_id", id.clone())], StatusCode::BAD_REQUEST, "invalid_request"),
    ];
    for (form, status, error) in cases {
        let (got, body) = read(token(form).await.unwrap()).await;
        assert_eq!((got, body["error"].as_str()), (status, Some(error)));
    }
    // HTTP Basic client authentication works too, and the key set verifies the token.
    let basic = Client::new()
        .post(&url)
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    let (_, discovery) = read(
        Client::new()
            .get(format!("{}/identity/.well-known/openid-configuration", server.root))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let jwks_uri = discovery["jwks_uri"].as_str().unwrap();
    let (_, jwks) = read(Client::new().get(jwks_uri).send().await.unwrap()).await;
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    let answer = authorised_client(good.1["access_token"].as_str().unwrap())
        .get(format!("{}/customers", server.api))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn repeated_failed_sign_ins_wait_longer_each_time_and_idle_sessions_end() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
    let attempt = |password: &'static str| {
        Client::new()
            .post(format!("{}/auth/session", server.root))
            .header("x-phonedesk-request", "1")
            .json(&json!({"username": "sam", "password": password}))
            .send()
    };
    let wrong = || {
        (StatusCode::UNAUTHORIZED, json!({"message": "The user name or password is incorrect."}))
    };
    let refused = || (StatusCode::TOO_MANY_REQUESTS, too_many());
    // Each failure makes the next attempt wait longer; trying before then is refused at once.
    assert_eq!(read(attempt("wrong password").await.unwrap()).await, wrong());
    assert_eq!(read(attempt("wrong password").await.unwrap()).await, wrong());
    let early = attempt("wrong password").await.unwrap();
    assert_eq!(early.headers()["retry-after"], "1");
    assert_eq!(read(early).await, refused());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(read(attempt("wrong password").await.unwrap()).await, wrong());
    assert_eq!(read(attempt(PASSWORD).await.unwrap()).await, refused(), "even the right one waits");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(attempt(PASSWORD).await.unwrap().status(), StatusCode::OK);

    // A session unused for longer than the idle limit is over, and so is one older than the
    // absolute limit however busy; a live one says how long it has left.
    use phone_http::auth::{ABSOLUTE_LIMIT, IDLE_LIMIT, staff_session, token_hash};
    let state = AppState::new(Store::open(&server.database()).unwrap()).unwrap();
    let session = async |token: &str, at: i64| staff_session(&state, token, at).await.unwrap();
    let last_seen = |token: &str| store.session(&token_hash(token)).unwrap().map(|s| s.last_seen);
    store.start_session(&token_hash("an old token"), "sam", now() - IDLE_LIMIT - 1).unwrap();
    assert_eq!(session("an old token", now()).await, None);
    assert_eq!(last_seen("an old token"), None, "an ended session is removed");
    let today = now();
    let started = today - ABSOLUTE_LIMIT + 100;
    store.start_session(&token_hash("a long day"), "sam", started).unwrap();
    // Used every few minutes all day long (each use written, as it is over a minute since the
    // last)…
    let mut at = started;
    while at + 600 < today {
        at += 600;
        assert!(session("a long day", at).await.is_some());
        assert_eq!(last_seen("a long day"), Some(at));
    }
    let left = session("a long day", today).await.map(|(_, left)| left);
    assert_eq!(left, Some(100), "…it has its last 100 s");
    assert_eq!(session("a long day", today + 101).await, None, "…and then it is over");
    // A use within a minute of the last is not written: reads stay reads.
    let fresh = "a fresh token";
    store.start_session(&token_hash(fresh), "sam", today).unwrap();
    assert!(session(fresh, today + 60).await.is_some());
    assert_eq!(last_seen(fresh), Some(today));
    assert!(session(fresh, today + 61).await.is_some());
    assert_eq!(last_seen(fresh), Some(today + 61));
    let sam =
        SessionUser { name: "sam".to_owned(), role: Role::Editor, businesses: Businesses::All };
    assert_eq!(session(fresh, today + 61).await, Some((sam, IDLE_LIMIT)));
}

#[tokio::test]
async fn a_session_is_known_kept_fresh_and_ended_over_http() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
    let answer = crate::server::sign_in(&server.root, "sam", PASSWORD).await;
    let cookie = answer.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    let session = cookie.split(';').next().unwrap().to_owned();
    let token = session.split_once('=').unwrap().1.to_owned();
    let app = |request: reqwest::RequestBuilder| {
        request.header(header::COOKIE, &session).header("x-phonedesk-request", "1").send()
    };
    let me = format!("{}/auth/session", server.root);
    let (status, who) = read(app(Client::new().get(&me)).await.unwrap()).await;
    assert_eq!(
        (status, &who["username"], &who["role"]),
        (StatusCode::OK, &json!("sam"), &json!("editor"))
    );

    // Used after two idle minutes: the session counts as used now.
    let hash = phone_http::auth::token_hash(&token);
    store
        .execute("UPDATE sessions SET last_seen = last_seen - 120 WHERE token_hash = $1", &[&hash])
        .unwrap();
    let before = store.session(&hash).unwrap().unwrap().last_seen;
    let listed = app(Client::new().get(format!("{}/customers", server.api))).await.unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    let after = store.session(&hash).unwrap().unwrap().last_seen;
    assert!(after >= before + 120, "last used {before}, now {after}");

    // Signed out: the cookie opens nothing any more.
    assert_eq!(app(Client::new().delete(&me)).await.unwrap().status(), StatusCode::OK);
    assert_eq!(store.session(&hash).unwrap(), None);
    let refused = app(Client::new().get(format!("{}/customers", server.api))).await.unwrap();
    assert_eq!(read(refused).await, (StatusCode::UNAUTHORIZED, unauthorized()));
    assert_eq!(app(Client::new().get(&me)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
