//! The rules' warnings, told to API callers: one `Warning` header per warning on the writes that
//! carry a number, beside the contract's status and body. (In gateway mode the gateway tells
//! them: its provider's own are not passed on.)

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::server::{BUSINESS, TestServer, phone, read};

const OTHER_COUNTRY: &str =
    r#"299 phonedesk "PhoneNumber starts with a country code other than CountryCode.""#;

/// The answer's `Warning` headers, in order.
fn warnings(answer: &Response) -> Vec<String> {
    answer
        .headers()
        .get_all("warning")
        .iter()
        .map(|value| value.to_str().expect("ASCII warnings").to_owned())
        .collect()
}

/// The warnings, status and body of an answer.
async fn answered(answer: Response) -> (Vec<String>, StatusCode, Value) {
    let warnings = warnings(&answer);
    let (status, body) = read(answer).await;
    (warnings, status, body)
}

#[tokio::test]
async fn a_number_written_with_another_countrys_code_is_saved_and_the_caller_warned() {
    let server = TestServer::start().await;
    let customer = server.customer("Ann").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");
    let uk = phone("", "+44 20 7946 0958", "work", false);

    let (told, status, created) = answered(server.post(&numbers, &uk).await).await;
    assert_eq!((told, status), (vec![OTHER_COUNTRY.to_owned()], StatusCode::CREATED));
    // Saved as sent: the contract's object, with the country it was sent under.
    assert_eq!(
        (&created["countryCode"], &created["phoneNumber"]),
        (&json!("+64"), &json!("+44 20 7946 0958"))
    );

    // New Zealand's international prefix before the United Kingdom's code says the same.
    let path = format!("{numbers}/{}", created["phoneNumberId"].as_str().unwrap());
    let dialled = phone("", "0044 20 7946 0958", "work", false);
    let (told, status, _) = answered(server.put(&path, &dialled).await).await;
    assert_eq!((told, status), (vec![OTHER_COUNTRY.to_owned()], StatusCode::OK));

    // Under its own country it is a clean number: nothing to tell.
    let mut fixed = dialled;
    fixed["countryCode"] = json!("+44");
    let (told, status, updated) = answered(server.put(&path, &fixed).await).await;
    assert_eq!((told, status), (Vec::<String>::new(), StatusCode::OK), "{updated}");
}

#[tokio::test]
async fn each_warning_is_a_header_of_its_own_and_a_clean_number_has_none() {
    let server = TestServer::start().await;
    let customer = server.customer("Ann").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");

    let noted = phone("09", "264 6666 after 5pm", "mobile", false);
    let (told, status, _) = answered(server.post(&numbers, &noted).await).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        told,
        [
            r#"299 phonedesk "PhoneNumber has text after the number, which is kept but not dialled.""#,
            r#"299 phonedesk "PhoneType mobile does not match a landline.""#,
        ]
    );

    let clean = phone("021", "123 4567", "mobile", false);
    let (told, status, _) = answered(server.post(&numbers, &clean).await).await;
    assert_eq!((told, status), (Vec::<String>::new(), StatusCode::CREATED));
    let dialled = phone("", "0064 22 123 4567", "mobile", false);
    let (told, status, body) = answered(server.post(&numbers, &dialled).await).await;
    assert_eq!((told, status), (Vec::<String>::new(), StatusCode::CREATED), "{body}");
}

#[tokio::test]
async fn a_new_customers_number_is_warned_of_too() {
    let server = TestServer::start().await;
    let customer = |first_name: &str, number: Value| json!({"businessId": BUSINESS, "firstName": first_name, "phoneNumber": number});
    let uk = customer("Ann", phone("", "+44 20 7946 0958", "work", true));
    let (told, status, body) = answered(server.post("/customers", &uk).await).await;
    assert_eq!((told, status), (vec![OTHER_COUNTRY.to_owned()], StatusCode::CREATED));
    assert_eq!(body["phoneNumber"]["phoneNumber"], json!("+44 20 7946 0958"));

    let clean = customer("Ben", phone("09", "264 5555", "home", true));
    let (told, status, _) = answered(server.post("/customers", &clean).await).await;
    assert_eq!((told, status), (Vec::<String>::new(), StatusCode::CREATED));

    // A request the rules refuse writes nothing, and so warns of nothing.
    let refused =
        json!({"businessId": BUSINESS, "phoneNumber": phone("", "+44 20 7946 0958", "work", true)});
    let (told, status, _) = answered(server.post("/customers", &refused).await).await;
    assert_eq!((told, status), (Vec::<String>::new(), StatusCode::BAD_REQUEST));
}
