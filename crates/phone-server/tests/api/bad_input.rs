//! Bad input gets a clear answer in the contract's shape: never a panic, a 500 or plain text.

use reqwest::{StatusCode, header};
use serde_json::json;

use crate::server::{TestServer, not_found, read, validation, write_file};

#[tokio::test]
async fn bodies_that_are_too_large_not_json_or_malformed_are_refused_in_the_contracts_shape() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let send = |content_type: &'static str, body: String| {
        server.client.post(&url).header(header::CONTENT_TYPE, content_type).body(body).send()
    };

    let huge = json!({"phoneName": "x".repeat(70 * 1024)}).to_string();
    let cases = [
        (
            send("application/json", huge).await.unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"message": "The request body is too large. Please send at most 64 KiB."}),
        ),
        (
            // No body and no content type: an empty object, so the required fields' messages.
            server.client.post(&url).send().await.unwrap(),
            StatusCode::BAD_REQUEST,
            validation(&[
                ("phoneName", "PhoneName is required."),
                ("countryCode", "CountryCode is required."),
                ("phoneNumber", "PhoneNumber is required."),
                ("phoneType", "PhoneType is required."),
                ("isPrimary", "IsPrimary is required."),
            ]),
        ),
        (
            // A body with no content type is not taken for JSON.
            server.client.post(&url).body("{}").send().await.unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!({"message": "The request body must be JSON, sent with Content-Type: application/json."}),
        ),
        (
            send("text/plain", "{}".to_owned()).await.unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!({"message": "The request body must be JSON, sent with Content-Type: application/json."}),
        ),
        (
            send("application/json", "{\"phoneName\": ".to_owned()).await.unwrap(),
            StatusCode::BAD_REQUEST,
            validation(&[("body", "Body is not valid JSON.")]),
        ),
        (
            send("application/json", "[1, 2]".to_owned()).await.unwrap(),
            StatusCode::BAD_REQUEST,
            validation(&[("body", "Body must be a JSON object.")]),
        ),
        (
            send("application/json; charset=utf-8", "\"text\"".to_owned()).await.unwrap(),
            StatusCode::BAD_REQUEST,
            validation(&[("body", "Body must be a JSON object.")]),
        ),
    ];
    for (n, (answer, status, body)) in cases.into_iter().enumerate() {
        assert_eq!(read(answer).await, (status, body), "case {n}");
    }
    assert_eq!(server.all_numbers(&customer).await.len(), 1, "nothing was saved");
}

#[tokio::test]
async fn an_unknown_method_is_405_with_allow_and_an_unknown_api_path_is_404() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;

    let answer = server
        .client
        .patch(format!("{}/customers/{customer}/phoneNumbers", server.api))
        .send()
        .await
        .unwrap();
    let allow = answer.headers().get(header::ALLOW).unwrap().to_str().unwrap().to_owned();
    assert_eq!(allow, "GET,HEAD,POST");
    assert_eq!(
        read(answer).await,
        (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"message": "The requested method is not supported for this resource."})
        )
    );
    for path in ["/nothing", "/customers/1/phoneNumbers/2/extra", ""] {
        assert_eq!(
            read(server.get(path).await).await,
            (StatusCode::NOT_FOUND, not_found()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_app_is_served_for_its_routes_but_never_for_the_api() {
    let dist = tempfile::tempdir().unwrap();
    write_file(
        dist.path(),
        "index.html",
        "<!doctype html><title>Phonedesk</title><script type=\"module\">start()</script>",
    );
    write_file(dist.path(), "app.js", "export {}");
    let app_dir = dist.path().to_str().expect("a UTF-8 path");
    let server = TestServer::start_with(&["--app-dir", app_dir]).await;

    for path in ["/", "/customers/123", "/customers/123/phone-numbers/new"] {
        let answer = server.client.get(format!("{}{path}", server.root)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert!(answer.text().await.unwrap().contains("<title>Phonedesk</title>"), "{path}");
    }
    let script = server.client.get(format!("{}/app.js", server.root)).send().await.unwrap();
    assert_eq!(script.text().await.unwrap(), "export {}");
    // The app's pages allow no inline script but their own loader, by its SHA-256
    // (printf 'start()' | openssl dgst -sha256 -binary | base64).
    let page = server.client.get(format!("{}/customers/1", server.root)).send().await.unwrap();
    let policy =
        page.headers().get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_owned();
    let loader = "'sha256-DIm7WJS6ZKDYe5qFLPy+h4JFI9Bol5QmYC57mt3Fb00='";
    assert!(
        policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {loader};")),
        "{policy}"
    );
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(page.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(page.headers().get(header::REFERRER_POLICY).unwrap(), "no-referrer");
    let api = server.get("/customers").await;
    assert_eq!(api.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert_eq!(api.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(read(server.get("/unknown").await).await, (StatusCode::NOT_FOUND, not_found()));
}

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let server = TestServer::start().await;
    let answer = server.client.get(format!("{}/healthz", server.root)).send().await.unwrap();
    assert_eq!(read(answer).await, (StatusCode::OK, json!({"status": "ok"})));
}

#[tokio::test]
async fn only_configured_origins_may_call_the_api_from_a_browser_and_every_answer_has_a_request_id()
{
    let allowed = "http://localhost:5173";
    let server = TestServer::start_with(&["--cors-origins", allowed]).await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, format!("{}/customers", server.api))
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .send()
    };

    let answer = preflight(allowed).await.unwrap();
    assert_eq!(answer.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), allowed);
    let answer = preflight("https://evil.example").await.unwrap();
    assert!(answer.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let answer = server.get("/customers").await;
    let id = answer.headers().get("x-request-id").expect("a request id").to_str().unwrap();
    assert!(!id.is_empty());
}

#[tokio::test]
async fn a_member_sent_twice_with_different_values_is_a_conflict_not_the_last_one() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let body = r#"{"phoneName":"Ann","phoneName":"Bob","countryCode":"+64","areaCode":"09","phoneNumber":"555 1234","phoneType":"home","isPrimary":false}"#;
    let answer = server
        .client
        .post(format!("{}/customers/{customer}/phoneNumbers", server.api))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        read(answer).await,
        (
            StatusCode::BAD_REQUEST,
            validation(&[("phoneName", "PhoneName must not be sent twice with different values.")])
        )
    );
    // The same value twice is no disagreement.
    let same = body.replace(r#""phoneName":"Bob""#, r#""phoneName":"Ann""#);
    let answer = server
        .client
        .post(format!("{}/customers/{customer}/phoneNumbers", server.api))
        .header("content-type", "application/json")
        .body(same)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_search_longer_than_a_hundred_characters_is_refused() {
    let server = TestServer::start().await;
    let long = "a".repeat(101);
    assert_eq!(
        read(server.get(&format!("/customers?search={long}")).await).await,
        (
            StatusCode::BAD_REQUEST,
            validation(&[("search", "Search must not exceed 100 characters.")])
        )
    );
    let (status, _) =
        read(server.get(&format!("/customers?search={}", "a".repeat(100))).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_cursor_edited_to_another_spelling_of_the_same_bytes_is_refused() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    for n in 0..3 {
        server.number(&customer, "09", &format!("555 000{n}"), false).await;
    }
    let (_, page) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=1")).await).await;
    let cursor = page["responseMetadata"]["nextCursor"].as_str().unwrap().to_owned();
    for edited in [cursor.to_ascii_uppercase(), format!("+{}", &cursor[1..])] {
        let path = format!(
            "/customers/{customer}/phoneNumbers?limit=1&nextCursor={}",
            edited.replace('+', "%2B")
        );
        assert_eq!(
            read(server.get(&path).await).await,
            (StatusCode::BAD_REQUEST, validation(&[("nextCursor", "NextCursor is invalid.")])),
            "{edited}"
        );
    }
}

#[tokio::test]
async fn a_database_that_fails_a_write_is_the_contracts_500_and_the_write_is_undone() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    // The audit trail's table gone from under the server: the write's last step fails.
    let store = phone_store::Store::open(&server.data()).unwrap();
    store.execute("DROP TABLE phone_number_changes", &[]).unwrap();
    let path = format!("/customers/{customer}/phoneNumbers");
    let answer =
        server.post(&path, &crate::server::phone("021", "123 4567", "mobile", false)).await;
    assert_eq!(
        read(answer).await,
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"message": "Something went wrong while processing your request. We’re sorry for the trouble. We’ve been notified of the error and will correct it as soon as possible. Please try your request again in a moment."})
        )
    );
    // Nothing of it stayed: the customer still has its one number.
    let (status, page) = read(server.get(&path).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["phoneNumbers"].as_array().unwrap().len(), 1, "{page}");
}
