//! Conditional updates and deletes (`ETag`, `If-Match`, 412): a change based on a version that
//! is no longer current is refused, and one without `If-Match` behaves as the contract says.

use phone_model::PhoneNumberResource;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::server::{TestServer, not_found, phone, read, validation};

/// The contract-shaped 412.
fn precondition_failed() -> Value {
    json!({
        "errorCode": "precondition_failed",
        "message": "Unable to process this request as the phone number was changed after it was read. Please get it again and retry your request."
    })
}

fn if_match_invalid() -> Value {
    validation(&[("If-Match", "If-Match is invalid.")])
}

/// The `ETag` of an answer.
fn etag(response: &Response) -> String {
    response.headers()["etag"].to_str().expect("ASCII").to_owned()
}

impl TestServer {
    pub(crate) async fn put_if(&self, path: &str, body: &Value, if_match: &str) -> Response {
        let url = format!("{}{path}", self.api);
        self.client
            .put(url)
            .header("if-match", if_match)
            .json(body)
            .send()
            .await
            .expect("an answer")
    }

    async fn delete_if(&self, path: &str, if_match: &str) -> Response {
        let url = format!("{}{path}", self.api);
        self.client.delete(url).header("if-match", if_match).send().await.expect("an answer")
    }

    /// A number's current `ETag`, from `GET`.
    pub(crate) async fn version(&self, path: &str) -> String {
        let answer = self.get(path).await;
        assert_eq!(answer.status(), StatusCode::OK);
        etag(&answer)
    }
}

#[tokio::test]
async fn get_create_and_update_send_a_strong_etag_that_each_list_item_computes_alike() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let created = server
        .post(
            &format!("/customers/{customer}/phoneNumbers"),
            &phone("09", "300 1000", "work", false),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created_tag = etag(&created);
    let (_, body) = read(created).await;
    let path =
        format!("/customers/{customer}/phoneNumbers/{}", body["phoneNumberId"].as_str().unwrap());

    let fetched = server.version(&path).await;
    assert_eq!(fetched, created_tag);
    assert!(
        fetched.starts_with('"') && fetched.ends_with('"') && !fetched.starts_with("W/"),
        "{fetched}"
    );
    // What the app does with a list item: the same version, from the item's members.
    let (_, list) = read(server.get(&format!("/customers/{customer}/phoneNumbers")).await).await;
    let item: PhoneNumberResource =
        serde_json::from_value(list["phoneNumbers"][1].clone()).unwrap();
    assert_eq!(item.version().to_string(), fetched);

    let updated = server.put_if(&path, &phone("09", "300 1001", "work", false), &fetched).await;
    assert_eq!(updated.status(), StatusCode::OK);
    let updated_tag = etag(&updated);
    assert_ne!(updated_tag, fetched);
    assert_eq!(server.version(&path).await, updated_tag);

    // A GET honours If-Match too: the current version, or 412.
    let get_if = |tag: &str| {
        server.client.get(format!("{}{path}", server.api)).header("if-match", tag).send()
    };
    assert_eq!(get_if(&updated_tag).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        read(get_if(&fetched).await.unwrap()).await,
        (StatusCode::PRECONDITION_FAILED, precondition_failed())
    );
    assert_eq!(
        read(get_if("nonsense").await.unwrap()).await,
        (StatusCode::BAD_REQUEST, if_match_invalid())
    );
}

#[tokio::test]
async fn a_put_based_on_an_old_version_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "09", "300 1000", false).await;
    let path = format!("/customers/{customer}/phoneNumbers/{id}");
    let read_by_both = server.version(&path).await;

    // The first person saves; the second, who read the same version, is refused.
    let first = server.put_if(&path, &phone("09", "300 1001", "work", false), &read_by_both).await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = server.put_if(&path, &phone("09", "300 2002", "home", false), &read_by_both).await;
    assert_eq!(read(second).await, (StatusCode::PRECONDITION_FAILED, precondition_failed()));
    let (_, now) = read(server.get(&path).await).await;
    assert_eq!(
        (now["phoneNumber"].as_str(), now["phoneType"].as_str()),
        (Some("300 1001"), Some("work"))
    );

    // A weak tag never matches (strong comparison), even of the current version.
    let current = server.version(&path).await;
    let weak = server
        .put_if(&path, &phone("09", "300 3003", "work", false), &format!("W/{current}"))
        .await;
    assert_eq!(weak.status(), StatusCode::PRECONDITION_FAILED);
    // A list with the current version among others matches; so does `*`.
    let listed = format!("\"0000000000000000\", {current}");
    let ok = server.put_if(&path, &phone("09", "300 3003", "work", false), &listed).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let any = server.put_if(&path, &phone("09", "300 4004", "work", false), "*").await;
    assert_eq!(any.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_delete_based_on_an_old_version_is_refused_and_a_current_one_deletes() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "09", "300 1000", false).await;
    let path = format!("/customers/{customer}/phoneNumbers/{id}");
    let old = server.version(&path).await;
    assert_eq!(
        server.put(&path, &phone("09", "300 1001", "work", false)).await.status(),
        StatusCode::OK
    );

    let stale = server.delete_if(&path, &old).await;
    assert_eq!(read(stale).await, (StatusCode::PRECONDITION_FAILED, precondition_failed()));
    assert_eq!(server.get(&path).await.status(), StatusCode::OK);

    let current = server.version(&path).await;
    let deleted = server.delete_if(&path, &current).await;
    assert_eq!(
        read(deleted).await,
        (StatusCode::OK, json!({"message": "Phone number successfully deleted"}))
    );
    // Gone: 404 before any condition is weighed (RFC 9110 § 13.2.1), with or without one.
    assert_eq!(
        read(server.delete_if(&path, &current).await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
    assert_eq!(
        read(server.put_if(&path, &phone("09", "300 1", "work", false), "*").await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
}

#[tokio::test]
async fn making_another_number_primary_changes_the_old_primarys_version() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let (_, list) = read(server.get(&format!("/customers/{customer}/phoneNumbers")).await).await;
    let primary = format!(
        "/customers/{customer}/phoneNumbers/{}",
        list["phoneNumbers"][0]["phoneNumberId"].as_str().unwrap()
    );
    let before = server.version(&primary).await;

    server.number(&customer, "09", "300 1000", true).await;

    let after = server.version(&primary).await;
    assert_ne!(after, before);
    let stale = server.put_if(&primary, &phone("09", "264 5555", "home", true), &before).await;
    assert_eq!(read(stale).await, (StatusCode::PRECONDITION_FAILED, precondition_failed()));
}

#[tokio::test]
async fn a_malformed_if_match_is_a_validation_error_and_a_stale_one_comes_before_the_bodys() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "09", "300 1000", false).await;
    let path = format!("/customers/{customer}/phoneNumbers/{id}");
    for malformed in ["abc", "\"unterminated", "", "W/abc"] {
        let put = server.put_if(&path, &phone("09", "300 1001", "work", false), malformed).await;
        assert_eq!(read(put).await, (StatusCode::BAD_REQUEST, if_match_invalid()), "{malformed:?}");
        let delete = server.delete_if(&path, malformed).await;
        assert_eq!(
            read(delete).await,
            (StatusCode::BAD_REQUEST, if_match_invalid()),
            "{malformed:?}"
        );
    }
    // What does not exist is a 404 whatever its headers; a malformed header and a bad body are
    // one 400 with both.
    let nowhere = "/customers/1/phoneNumbers/1";
    let body = phone("09", "300 1001", "work", false);
    assert_eq!(
        read(server.put_if(nowhere, &body, "abc").await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
    assert_eq!(
        read(server.delete_if(nowhere, "abc").await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
    let unknown_number = format!("/customers/{customer}/phoneNumbers/1");
    assert_eq!(
        read(server.delete_if(&unknown_number, "abc").await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
    let both = server.put_if(&path, &phone("09", "300 1001", "sometimes", false), "abc").await;
    assert_eq!(
        read(both).await,
        (
            StatusCode::BAD_REQUEST,
            validation(&[
                ("If-Match", "If-Match is invalid."),
                ("phoneType", "PhoneType is invalid.")
            ])
        )
    );
    // The body's rules are not weighed for a change that is refused anyway: 412, not 400.
    let stale = server.put_if(&path, &json!({"phoneName": ""}), "\"0000000000000000\"").await;
    assert_eq!(read(stale).await, (StatusCode::PRECONDITION_FAILED, precondition_failed()));
    // A current version with a bad body gets the body's errors.
    let current = server.version(&path).await;
    let invalid =
        server.put_if(&path, &phone("09", "300 1001", "sometimes", false), &current).await;
    assert_eq!(
        read(invalid).await,
        (StatusCode::BAD_REQUEST, validation(&[("phoneType", "PhoneType is invalid.")]))
    );
    // The rules still hold under a current version: the primary cannot be deleted.
    let (_, list) = read(server.get(&format!("/customers/{customer}/phoneNumbers")).await).await;
    let primary = format!(
        "/customers/{customer}/phoneNumbers/{}",
        list["phoneNumbers"][0]["phoneNumberId"].as_str().unwrap()
    );
    let refused = server.delete_if(&primary, &server.version(&primary).await).await;
    assert_eq!(
        read(refused).await,
        (
            StatusCode::BAD_REQUEST,
            validation(&[("phoneNumberId", "Deletion of Primary phone number is not allowed.")])
        )
    );
}
