//! `phone-server keys rotate` while servers run: what the old key signed stays good until it
//! retires, the new key is published before it signs, and what a retired key signed is refused
//! in the contract's words (401 for a token, 400 on `nextCursor` for a cursor).

use std::time::{Duration, Instant};

use phone_server::accounts;
use phone_store::{Location, Store};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::{
    commands::phone_server,
    server::{
        TestServer, authorised_client, every_business, read, skip_in_gateway_mode, start_process,
        token, validation,
    },
};

/// Runs `phone-server keys rotate ARGS…` on the server's database; returns the new token key's
/// kid, as the command prints it.
fn rotate(server: &TestServer, args: &[&str]) -> String {
    let mut command = vec!["keys", "rotate"];
    command.extend(args);
    let (rotated, out, err) = phone_server(&server.database(), &command, "");
    assert!(rotated, "{out}{err}");
    let kid =
        out.lines().find_map(|line| line.strip_prefix("new keys made: the token key's kid is "));
    kid.unwrap_or_else(|| panic!("the new kid: {out}")).to_owned()
}

/// The `kid` in a token's header.
fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token).expect("a JWT").kid.expect("a kid")
}

/// The kids of the JSON Web Key Set at `root`, in its order.
async fn published(root: &str) -> Vec<String> {
    let jwks = Client::new().get(format!("{root}/identity/.well-known/openid-configuration/jwks"));
    let (status, body) = read(jwks.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys = body["keys"].as_array().expect("keys");
    keys.iter().map(|key| key["kid"].as_str().expect("a kid").to_owned()).collect()
}

/// A token from the server at `root` for a new client of its database.
struct NewClient {
    id: String,
    secret: String,
}

impl NewClient {
    fn add(server: &TestServer) -> Self {
        let store = Store::open(&server.database()).unwrap();
        let (id, secret) = accounts::add_client(&store, "rotation", &every_business()).unwrap();
        Self { id, secret }
    }

    async fn token(&self, root: &str) -> String {
        token(root, &self.id, &self.secret).await
    }
}

/// `check` again every `every` until it gives `Some`, for up to `within`.
async fn eventually<T>(
    within: Duration,
    every: Duration,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = check().await {
            return Some(found);
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(every).await;
    }
}

/// How often a test asks again for what a server reads every 2 s.
const OFTEN: Duration = Duration::from_millis(100);
/// How often it asks for a token: each checks a secret, and an address gets 30 a minute.
const TOKEN_EVERY: Duration = Duration::from_secs(1);

/// Longer than a server takes to read a rotation and its new keys to sign (6 s), with room.
const NEW_KEYS_SIGN: Duration = Duration::from_secs(15);

fn unauthorized() -> Value {
    json!({"message": "Authorization has been denied for this request."})
}

#[tokio::test]
async fn after_a_rotation_old_tokens_work_the_jwks_lists_both_keys_and_new_tokens_have_the_new_kid()
{
    let server = TestServer::start().await;
    // A second server on the same database: the rotation reaches every server.
    let other = start_process(&server.database(), &[]);
    let old_kid = kid_of(server.token());
    assert_eq!(published(&server.root).await, std::slice::from_ref(&old_kid));
    let client = NewClient::add(&server);

    let new_kid = rotate(&server, &[]);

    assert_ne!(new_kid, old_kid);
    assert_eq!(server.get("/customers").await.status(), StatusCode::OK, "the old token works");
    for root in [server.root.clone(), other.base_url()] {
        let both = eventually(NEW_KEYS_SIGN, OFTEN, async || {
            Some(published(&root).await).filter(|kids| kids.len() == 2)
        });
        assert_eq!(both.await, Some(vec![new_kid.clone(), old_kid.clone()]), "{root}");
    }
    let fresh = eventually(NEW_KEYS_SIGN, TOKEN_EVERY, async || {
        Some(client.token(&server.root).await).filter(|token| kid_of(token) == new_kid)
    });
    let fresh = fresh.await.expect("a token signed with the new key");
    let api = format!("{}/CustomerServices/v1.0/customers", other.base_url());
    let answer = authorised_client(&fresh).get(api).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "another server takes the new key's token");
    assert_eq!(server.get("/customers").await.status(), StatusCode::OK, "the old one still");
}

#[tokio::test]
async fn a_token_of_a_retired_key_is_refused_with_the_contracts_401() {
    let server = TestServer::start().await;
    // Verified once before, so a cache of verified tokens cannot keep it alive.
    assert_eq!(server.get("/customers").await.status(), StatusCode::OK);

    // For servers whose tokens last a second, the old key retires a second after the new one
    // signs.
    rotate(&server, &["--token-lifetime", "1"]);

    assert_eq!(server.get("/customers").await.status(), StatusCode::OK, "not retired yet");
    let refused = eventually(NEW_KEYS_SIGN, OFTEN, async || {
        let answer = server.get("/customers").await;
        (answer.status() != StatusCode::OK).then_some(answer)
    });
    let refused = refused.await.expect("the old key retires");
    assert_eq!(refused.headers()[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(read(refused).await, (StatusCode::UNAUTHORIZED, unauthorized()));
}

#[tokio::test]
async fn a_cursor_works_through_a_rotation_and_once_its_key_retires_is_the_contracts_400() {
    if skip_in_gateway_mode("a gateway passes on the provider's cursors, not its own") {
        return;
    }
    let server = TestServer::start().await;
    let (numbers, cursor) = a_first_page(&server).await;
    let next = format!("{numbers}&nextCursor={cursor}");
    let client = NewClient::add(&server);

    rotate(&server, &[]);
    let (status, page) = read(server.get(&next).await).await;
    assert_eq!(status, StatusCode::OK, "the old key is still accepted: {page}");
    // After a leak: the old keys are refused at once.
    let new_kid = rotate(&server, &["--at-once"]);

    let fresh = eventually(NEW_KEYS_SIGN, TOKEN_EVERY, async || {
        Some(client.token(&server.root).await).filter(|token| kid_of(token) == new_kid)
    });
    let fresh = authorised_client(&fresh.await.expect("a token of the newest key"));
    let (status, body) =
        read(fresh.get(format!("{}{next}", server.api)).send().await.unwrap()).await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, validation(&[("nextCursor", "NextCursor is invalid.")]))
    );
    let old_token = server.get("/customers").await;
    assert_eq!(read(old_token).await, (StatusCode::UNAUTHORIZED, unauthorized()));
}

#[tokio::test]
async fn tokens_and_cursors_from_before_the_keys_had_a_table_of_their_own_still_work_after_it() {
    if skip_in_gateway_mode("a gateway passes on the provider's cursors, not its own") {
        return;
    }
    let server = TestServer::start().await;
    let (numbers, cursor) = a_first_page(&server).await;
    // As a database from before `signing_keys` had it: its keys in settings, and without
    // that migration or the ones after it (of which only `shared_number_marks` and
    // `call_events` made anything that running them again would find).
    let database = server.database();
    let store = Store::open(&database).unwrap();
    for (setting, purpose) in [("token_signing_seed", "token"), ("cursor_key", "cursor")] {
        let statement = "INSERT INTO settings (name, value)
                         SELECT $1, secret FROM signing_keys WHERE purpose = $2";
        assert_eq!(store.execute(statement, &[setting, purpose]).unwrap(), 1);
    }
    store.execute("DROP TABLE signing_keys", &[]).unwrap();
    store.execute("DROP TABLE shared_number_marks", &[]).unwrap();
    store.execute("DROP TABLE call_events", &[]).unwrap();
    store.execute("ALTER TABLE clients DROP COLUMN twilio_auth_token", &[]).unwrap();
    let before = match database {
        Location::Sqlite(_) => "PRAGMA user_version = 6",
        Location::Postgres(_) => "DELETE FROM schema_migrations WHERE version >= 7",
    };
    store.execute(before, &[]).unwrap();
    drop(store);

    let server = server.restart().await;

    let (status, page) = read(server.get(&format!("{numbers}&nextCursor={cursor}")).await).await;
    assert_eq!(status, StatusCode::OK, "the token and the cursor from before: {page}");
    let store = Store::open(&database).unwrap();
    let left = "DELETE FROM settings WHERE name IN ('token_signing_seed', 'cursor_key')";
    assert_eq!(store.execute(left, &[]).unwrap(), 0, "the keys moved out of settings");
}

/// A customer with two numbers, the path of their list a number a page, and the first page's
/// cursor.
async fn a_first_page(server: &TestServer) -> (String, String) {
    let customer = server.customer("Aroha").await;
    server.number(&customer, "021", "123 4567", false).await;
    let numbers = format!("/customers/{customer}/phoneNumbers?limit=1");
    let (_, first) = read(server.get(&numbers).await).await;
    let cursor = first["responseMetadata"]["nextCursor"].as_str().expect("a cursor").to_owned();
    (numbers, cursor)
}
