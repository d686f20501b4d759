//! Creates with an `Idempotency-Key`: a retry answers the first answer again without a second
//! write, whether the first answer was lost, the retry races it, or it comes much later.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use phone_server::accounts;
use phone_store::Store;

use crate::races::futures_join_all;
use crate::server::{
    BUSINESS, TestServer, authorised_client, every_business, phone, read, token, validation,
};

fn key_reused() -> Value {
    json!({
        "errorCode": "idempotency_key_reused",
        "message": "Unable to process this request as its Idempotency-Key was already used for a different request. Please send a new key with a new request."
    })
}

async fn post_with_key(client: &Client, url: &str, key: &str, body: &Value) -> Response {
    client.post(url).header("idempotency-key", key).json(body).send().await.expect("an answer")
}

/// A token of a new client of the server's, with every business.
async fn new_client_token(server: &TestServer, name: &str) -> String {
    let store = Store::open(&server.database()).expect("the database");
    let (id, secret) = accounts::add_client(&store, name, &every_business()).expect("a client");
    token(&server.root, &id, &secret).await
}

fn replayed(response: &Response) -> &str {
    response.headers()["idempotent-replayed"].to_str().expect("ASCII")
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_answer_without_writing_again() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let body = phone("021", "123 4567", "mobile", false);

    let first = post_with_key(&server.client, &url, "add-1", &body).await;
    assert_eq!(replayed(&first), "false");
    let first_tag = first.headers()["etag"].clone();
    let (status, first) = read(first).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Quoted, as the draft's structured-field form sends it: the same key.
    let again = post_with_key(&server.client, &url, "\"add-1\"", &body).await;
    assert_eq!(replayed(&again), "true");
    assert_eq!(again.headers()["etag"], first_tag);
    assert_eq!(read(again).await, (StatusCode::CREATED, first));
    assert_eq!(server.all_numbers(&customer).await.len(), 2);

    // Without a key the same body is a second attempt, and the contract's duplicate rule.
    let (status, _) =
        read(server.post(&format!("/customers/{customer}/phoneNumbers"), &body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_key_used_for_another_body_or_path_is_refused_with_422() {
    let server = TestServer::start().await;
    let ana = server.customer("Ana").await;
    let ben = server.customer("Ben").await;
    let url = |customer: &str| format!("{}/customers/{customer}/phoneNumbers", server.api);
    let body = phone("021", "123 4567", "mobile", false);
    assert_eq!(
        post_with_key(&server.client, &url(&ana), "k", &body).await.status(),
        StatusCode::CREATED
    );

    let other_body =
        post_with_key(&server.client, &url(&ana), "k", &phone("021", "765 4321", "mobile", false))
            .await;
    assert_eq!(read(other_body).await, (StatusCode::UNPROCESSABLE_ENTITY, key_reused()));
    let other_path = post_with_key(&server.client, &url(&ben), "k", &body).await;
    assert_eq!(read(other_path).await, (StatusCode::UNPROCESSABLE_ENTITY, key_reused()));
    assert_eq!(server.all_numbers(&ana).await.len(), 2);
    assert_eq!(server.all_numbers(&ben).await.len(), 1);
}

#[tokio::test]
async fn a_malformed_key_is_a_validation_error_and_writes_nothing() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let too_long = "k".repeat(256);
    for key in ["", "two words", "\"\"", too_long.as_str()] {
        let answer =
            post_with_key(&server.client, &url, key, &phone("021", "123 4567", "mobile", false))
                .await;
        assert_eq!(
            read(answer).await,
            (
                StatusCode::BAD_REQUEST,
                validation(&[("Idempotency-Key", "Idempotency-Key is invalid.")])
            ),
            "{key:?}"
        );
    }
    assert_eq!(server.all_numbers(&customer).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_racing_requests_with_one_key_make_exactly_one_write_and_one_answer() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let body = phone("021", "123 4567", "mobile", false);

    let requests = (0..20).map(|_| {
        let (client, url, body) = (server.client.clone(), url.clone(), body.clone());
        async move { read(post_with_key(&client, &url, "race", &body).await).await }
    });
    let answers = futures_join_all(requests).await;

    let first = &answers[0];
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert!(answers.iter().all(|answer| answer == first), "{answers:?}");
    assert_eq!(server.all_numbers(&customer).await.len(), 2);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_answered_on_retry_not_repeated() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let path = format!("/CustomerServices/v1.0/customers/{customer}/phoneNumbers");
    let body = phone("021", "123 4567", "mobile", true).to_string();

    // The first attempt is sent whole and its answer never read: the connection is dropped once
    // the write has landed, as when a network blip loses the answer on its way back.
    let token = new_client_token(&server, "raw").await;
    let address = server.root.trim_start_matches("http://").to_owned();
    let mut connection = tokio::net::TcpStream::connect(&address).await.expect("a connection");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Idempotency-Key: lost-1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    connection.write_all(request.as_bytes()).await.expect("the request is sent");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while server.all_numbers(&customer).await.len() < 2 {
        assert!(std::time::Instant::now() < deadline, "the first attempt's write lands");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    drop(connection);

    let retry = post_with_key(
        &authorised_client(&token),
        &format!("{}{}", server.root, path),
        "lost-1",
        &serde_json::from_str(&body).unwrap(),
    )
    .await;
    assert_eq!(replayed(&retry), "true");
    let (status, answer) = read(retry).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let numbers = server.all_numbers(&customer).await;
    assert_eq!(numbers.len(), 2);
    assert_eq!(numbers[1], answer);
    assert_eq!(numbers[1]["isPrimary"], json!(true));
}

#[tokio::test]
async fn keys_are_each_callers_own_and_creating_a_customer_honours_them() {
    let server = TestServer::start().await;
    let other = new_client_token(&server, "second").await;
    let url = format!("{}/customers", server.api);
    let body = json!({
        "businessId": BUSINESS, "firstName": "Cara", "phoneNumber": phone("09", "264 5555", "home", true)
    });

    let first = read(post_with_key(&server.client, &url, "new-cara", &body).await).await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    let again = read(post_with_key(&server.client, &url, "new-cara", &body).await).await;
    assert_eq!(again, first);
    // The same key from another client is that client's first attempt: a customer of its own.
    let others =
        read(post_with_key(&authorised_client(&other), &url, "new-cara", &body).await).await;
    assert_eq!(others.0, StatusCode::CREATED, "{}", others.1);
    assert_ne!(others.1["customerId"], first.1["customerId"]);
    let (_, list) = read(server.get("/customers?search=Cara").await).await;
    assert_eq!(list["customers"].as_array().map(Vec::len), Some(2), "{list}");
}

#[tokio::test]
async fn a_key_is_kept_for_a_day_then_is_a_new_attempt() {
    let server = TestServer::start().await;
    let url = format!("{}/customers", server.api);
    let body = json!({
        "businessId": BUSINESS, "firstName": "Dana", "phoneNumber": phone("09", "264 5555", "home", true)
    });
    let first = read(post_with_key(&server.client, &url, "daily", &body).await).await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    let store = Store::open(&server.database()).expect("the database");

    // Just under a day old: still the first answer.
    store.execute("UPDATE idempotency_keys SET created_at = created_at - 86390", &[]).unwrap();
    assert_eq!(read(post_with_key(&server.client, &url, "daily", &body).await).await, first);
    // Over a day: forgotten, and this is a new create.
    store.execute("UPDATE idempotency_keys SET created_at = created_at - 20", &[]).unwrap();
    let later = post_with_key(&server.client, &url, "daily", &body).await;
    assert_eq!(replayed(&later), "false");
    let later = read(later).await;
    assert_eq!(later.0, StatusCode::CREATED, "{}", later.1);
    assert_ne!(later.1["customerId"], first.1["customerId"]);
}
