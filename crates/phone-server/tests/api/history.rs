//! The audit trail: every change to a phone number, with who, when, and before and after.

use reqwest::StatusCode;
use serde_json::json;

use crate::server::{TestServer, not_found, phone, read};

#[tokio::test]
async fn every_change_is_recorded_with_who_when_before_and_after() {
    let server = TestServer::start().await;
    let started = phone_operations::now();
    let customer = server.customer("Ana").await;
    let first =
        server.all_numbers(&customer).await[0]["phoneNumberId"].as_str().unwrap().to_owned();
    let second = server.number(&customer, "021", "123 4567", false).await;
    let path = format!("/customers/{customer}/phoneNumbers/{second}");
    let promoted = read(server.put(&path, &phone("021", "765 4321", "mobile", true)).await).await;
    assert_eq!(promoted.0, StatusCode::OK, "{}", promoted.1);
    // The same values again (the first, demoted by the promotion): nothing to record.
    let again = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{first}"),
                &phone("09", "264 5555", "home", false),
            )
            .await,
    )
    .await;
    assert_eq!(again.0, StatusCode::OK, "{}", again.1);
    let third = server.number(&customer, "09", "300 0000", false).await;
    let deleted =
        read(server.delete(&format!("/customers/{customer}/phoneNumbers/{third}")).await).await;
    assert_eq!(deleted.0, StatusCode::OK, "{}", deleted.1);

    let (status, history) =
        read(server.get(&format!("/customers/{customer}/phoneNumberHistory")).await).await;
    assert_eq!(status, StatusCode::OK);
    let changes = history["changes"].as_array().unwrap();
    let summary: Vec<(String, String, Option<bool>, Option<bool>)> = changes
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap().to_owned(),
                c["phoneNumberId"].as_str().unwrap().to_owned(),
                c["before"]["isPrimary"].as_bool(),
                c["after"]["isPrimary"].as_bool(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("deleted".to_owned(), third.clone(), Some(false), None),
            ("created".to_owned(), third.clone(), None, Some(false)),
            ("updated".to_owned(), second.clone(), Some(false), Some(true)),
            ("updated".to_owned(), first.clone(), Some(true), Some(false)),
            ("created".to_owned(), second.clone(), None, Some(false)),
            ("created".to_owned(), first.clone(), None, Some(true)),
        ]
    );
    let promoted = &changes[2];
    assert_eq!(promoted["before"]["phoneNumber"], json!("123 4567"));
    assert_eq!(promoted["after"]["phoneNumber"], json!("765 4321"));
    for change in changes {
        assert!(change["actor"].as_str().unwrap().starts_with("client pd-"), "{change}");
        let at = change["at"].as_i64().unwrap();
        assert!(at >= started && at <= phone_operations::now(), "{change}");
    }
    assert_eq!(
        read(server.get("/customers/1/phoneNumberHistory").await).await,
        (StatusCode::NOT_FOUND, not_found())
    );
}
