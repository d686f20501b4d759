//! The server against the table of cases the embeddable module is run against too
//! (`crates/phone-model/tests/data/validation-cases.json`): both must give these errors, and
//! for a valid case these warnings (here its `Warning` headers; a refused request warns of
//! nothing, as it writes nothing).

use reqwest::StatusCode;
use serde_json::Value;

use crate::server::{TestServer, read, validation};

#[tokio::test]
async fn the_server_gives_the_shared_tables_errors() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../../phone-model/tests/data/validation-cases.json"))
            .unwrap();
    let server = TestServer::start().await;
    for case in cases {
        // A customer of its own, so no case's number is another's duplicate.
        let customer = server.customer("Case").await;
        let answer =
            server.post(&format!("/customers/{customer}/phoneNumbers"), &case["body"]).await;
        let told: Vec<String> = answer
            .headers()
            .get_all("warning")
            .iter()
            .map(|value| value.to_str().expect("ASCII warnings").to_owned())
            .collect();
        let (status, body) = read(answer).await;
        let expected: Vec<(String, String)> = case["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (e["field"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned())
            })
            .collect();
        if expected.is_empty() {
            assert_eq!(status, StatusCode::CREATED, "{}: {body}", case["name"]);
            let warnings: Vec<String> = case["warnings"]
                .as_array()
                .expect("a valid case lists its warnings")
                .iter()
                .map(|w| format!("299 phonedesk \"{}\"", w["message"].as_str().unwrap()))
                .collect();
            assert_eq!(told, warnings, "{}", case["name"]);
        } else {
            let pairs: Vec<(&str, &str)> =
                expected.iter().map(|(f, m)| (f.as_str(), m.as_str())).collect();
            assert_eq!(
                (status, body),
                (StatusCode::BAD_REQUEST, validation(&pairs)),
                "{}",
                case["name"]
            );
        }
    }
}
