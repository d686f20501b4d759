//! Phone systems (Phonedesk's extension) through real HTTP: who is calling, in every written
//! form the search reads and within the caller's businesses; call events as JSON and as
//! Twilio's signed callbacks; and the events kept, bounded. The staff's streams of them are
//! `call_events`.

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Role, Store};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::customers::{WRITTEN_NUMBERS, put_found_customers, urlencoding};
use crate::server::{
    BUSINESS, PASSWORD, TestServer, authorised_client, browser, forbidden, read, token, validation,
};

/// The customers' other business (see `put_found_customers`).
pub const OTHER: &str = "4444444";

/// A client of `businesses` (read-only or not): its id and an HTTP client with its token.
pub async fn client_of(
    server: &TestServer,
    businesses: &[&str],
    read_only: bool,
) -> (String, Client) {
    let store = Store::open(&server.database()).unwrap();
    let access = ClientAccess { businesses: Businesses::only(businesses), read_only };
    let (id, secret) = accounts::add_client(&store, "phone system", &access).unwrap();
    let client = authorised_client(&token(&server.root, &id, &secret).await);
    (id, client)
}

/// A staff member of `businesses`, signed in.
pub async fn staff_of(server: &TestServer, name: &str, role: Role, businesses: &[&str]) -> Client {
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, name, role, &Businesses::only(businesses), PASSWORD).unwrap();
    browser(&server.root, name, true).await
}

async fn lookup(client: &Client, server: &TestServer, number: &str) -> (StatusCode, Value) {
    let url = format!("{}/callers?number={}", server.api, urlencoding(number));
    read(client.get(url).send().await.unwrap()).await
}

pub fn first_names(answer: &Value) -> Vec<&str> {
    answer["callers"]
        .as_array()
        .unwrap_or_else(|| panic!("callers, got {answer}"))
        .iter()
        .map(|caller| caller["firstName"].as_str().unwrap())
        .collect()
}

pub async fn report(client: &Client, server: &TestServer, event: &Value) -> (StatusCode, Value) {
    read(client.post(format!("{}/calls", server.api)).json(event).send().await.unwrap()).await
}

#[tokio::test]
async fn a_caller_is_found_by_every_written_form_of_their_number() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    for (text, name) in WRITTEN_NUMBERS {
        let (status, answer) = lookup(&server.client, &server, text).await;
        assert_eq!((status, first_names(&answer)), (StatusCode::OK, vec![name]), "{text:?}");
        let caller = &answer["callers"][0];
        assert_eq!(answer["number"], text);
        let customer = caller["customerId"].as_str().unwrap();
        let url = caller["url"].as_str().unwrap();
        assert!(url.ends_with(&format!("/customers/{customer}")), "{url}");
        let e164 = caller["e164"].as_str().unwrap();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        assert!(e164.starts_with('+') && e164.ends_with(&digits[digits.len() - 4..]), "{e164}");
        assert!(caller["phoneNumber"]["phoneNumberId"].is_string(), "{caller}");
    }
    // 3CX's contact: the matched number, in E.164 form, in its type's field.
    let url = format!("{}/callers?number=%2B64211234567&format=3cx", server.api);
    let (status, contacts) = read(server.client.get(url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let contact = &contacts[0];
    assert_eq!(
        (&contact["firstName"], &contact["phoneMobile"], &contact["phoneHome"]),
        (&json!("Aroha"), &json!("+64211234567"), &json!(""))
    );
    assert_eq!(contact["companyName"], "Debitsuccess 24/7 Fitness");
    assert!(contact["contactUrl"].as_str().unwrap().contains("/customers/"), "{contact}");
    // The template shipped for 3CX reads the fields this answer has, from this URL.
    let template = include_str!("../../../../docs/phone-systems/phonedesk-3cx.xml");
    let scenario = &template[template.find("/callers?number=[Number]&amp;format=3cx").unwrap()..];
    let paths: Vec<&str> =
        scenario.split("Path=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    assert_eq!(paths.len(), 10, "{paths:?}");
    for path in paths {
        assert!(contact[path].is_string(), "the template reads {path}, absent from {contact}");
    }
    // Nobody has it: an unknown caller.
    let (status, answer) = lookup(&server.client, &server, "+64 27 999 0000").await;
    assert_eq!((status, first_names(&answer)), (StatusCode::OK, vec![]));
}

#[tokio::test]
async fn callers_come_best_match_first_then_primary_then_oldest() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    // Hemi has Aroha's mobile too, not as his primary; Rawiri's landline ends the same way.
    let hemi = server.customer("Hemi").await;
    server.number(&hemi, "021", "123 4567", false).await;
    let rawiri = server.customer("Rawiri").await;
    server.number(&rawiri, "09", "123 4567", false).await;
    let (_, answer) = lookup(&server.client, &server, "+64 21 123 4567").await;
    assert_eq!(first_names(&answer), ["Aroha", "Hemi"]);
    // Seven digits: all of Rawiri's number but its area code, more of the mobiles.
    let (_, answer) = lookup(&server.client, &server, "123 4567").await;
    assert_eq!(first_names(&answer), ["Rawiri", "Aroha", "Hemi"]);
}

#[tokio::test]
async fn a_lookup_sees_only_the_callers_businesses_and_says_what_it_could_not_read() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    let (_, physio) = client_of(&server, &[OTHER], true).await;
    let (_, answer) = lookup(&physio, &server, "021 123 4567").await;
    assert_eq!(first_names(&answer), Vec::<&str>::new(), "another business's customer");
    let (_, answer) = lookup(&physio, &server, "04 555 1234").await;
    assert_eq!(first_names(&answer), ["John"]);
    let viewer = staff_of(&server, "viewer", Role::Viewer, &[BUSINESS]).await;
    let (_, answer) = lookup(&viewer, &server, "04 555 1234").await;
    assert_eq!(first_names(&answer), Vec::<&str>::new());
    for (query, field, message) in [
        ("", "number", "Number is required."),
        ("?number=%20", "number", "Number is required."),
        ("?number=Aroha", "number", "Number is invalid."),
        ("?number=12", "number", "Number is invalid."),
        ("?number=0211234567&format=xml", "format", "Format is invalid."),
    ] {
        let url = format!("{}/callers{query}", server.api);
        let answer = read(server.client.get(url).send().await.unwrap()).await;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, validation(&[(field, message)])), "{query}");
    }
}

#[tokio::test]
async fn a_call_event_is_checked_and_only_a_client_of_its_business_reports_it() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    let long = "1".repeat(65);
    for (event, errors) in [
        (
            json!({"from": "021 123 4567", "state": "ringing"}),
            vec![("businessId", "BusinessId is required.")],
        ),
        (
            json!({"state": "rang", "businessId": BUSINESS}),
            vec![("from", "From is required."), ("state", "State is invalid.")],
        ),
        (
            json!({"from": long, "to": 5, "extension": [], "businessId": BUSINESS}),
            vec![
                ("from", "From is invalid."),
                ("to", "To is invalid."),
                ("extension", "Extension is invalid."),
                ("state", "State is required."),
            ],
        ),
        (
            json!({"from": "021 123 4567", "state": "ended", "businessId": "9999999"}),
            vec![("businessId", "BusinessId is invalid.")],
        ),
        (
            json!({"from": "021 123 4567", "state": "ended", "businessId": "9".repeat(65)}),
            vec![("businessId", "BusinessId is invalid.")],
        ),
    ] {
        let answer = report(&server.client, &server, &event).await;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, validation(&errors)), "{event}");
    }
    let (_, phone_system) = client_of(&server, &[BUSINESS], true).await;
    let elsewhere = json!({"from": "021 123 4567", "state": "ringing", "businessId": OTHER});
    assert_eq!(
        report(&phone_system, &server, &elsewhere).await,
        (StatusCode::FORBIDDEN, forbidden())
    );
    // Staff hear of calls; they do not report them.
    let editor = staff_of(&server, "editor", Role::Editor, &[BUSINESS]).await;
    let ringing = json!({"from": "021 123 4567", "state": "ringing"});
    assert_eq!(report(&editor, &server, &ringing).await, (StatusCode::FORBIDDEN, forbidden()));
    let answer = server.client.post(format!("{}/calls", server.api)).body("{").send().await;
    assert_eq!(answer.unwrap().status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Members are read trimmed: 64 characters between spaces are 64.
    let spaced = json!({"from": format!("  {}  ", "1".repeat(64)), "state": " Answered ",
                        "businessId": BUSINESS});
    assert_eq!(report(&server.client, &server, &spaced).await.0, StatusCode::OK);
    // Only Twilio's form is taken with a signature in place of a token.
    let signed_json = Client::new()
        .post(format!("{}/calls?clientId=1234567", server.api))
        .header("x-twilio-signature", "c2lnbmVk")
        .json(&json!({"from": "021 123 4567", "state": "ringing", "businessId": BUSINESS}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_json.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn twilios_signed_callback_is_a_call_event_and_a_forged_one_is_refused() {
    let public = "https://phonedesk.example.com";
    let server = TestServer::start_with(&["--public-url", public]).await;
    put_found_customers(&server).await;
    let (id, _) = client_of(&server, &[BUSINESS], true).await;
    let (unset, _) = client_of(&server, &[BUSINESS], true).await;
    Store::open(&server.database()).unwrap().set_twilio_auth_token(&id, Some("12345")).unwrap();
    let form = |status: &str, from: &str| -> Vec<(String, String)> {
        [
            ("AccountSid", "AC0"),
            ("CallSid", "CA1"),
            ("CallStatus", status),
            ("Direction", "inbound"),
            ("From", from),
            ("To", "+6492645555"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
    };
    // Twilio signs the URL it was given, the server's public one, with the query.
    let post = |client_id: &str, signature: String, form: Vec<(String, String)>| {
        Client::new()
            .post(format!("{}/calls?clientId={client_id}", server.api))
            .header("x-twilio-signature", signature)
            .form(&form)
            .send()
    };
    let signed = |token: &str, client_id: &str, form: &[(String, String)]| {
        let url = format!("{public}/CustomerServices/v1.0/calls?clientId={client_id}");
        phone_http::auth::twilio::signature(token, &url, form)
    };
    let ringing = form("ringing", "+64211234567");
    let (status, event) =
        read(post(&id, signed("12345", &id, &ringing), ringing).await.unwrap()).await;
    assert_eq!((status, first_names(&event)), (StatusCode::OK, vec!["Aroha"]), "{event}");
    assert_eq!((&event["callId"], &event["state"]), (&json!("CA1"), &json!("ringing")));
    let completed = form("completed", "+64211234567");
    let (status, event) =
        read(post(&id, signed("12345", &id, &completed), completed).await.unwrap()).await;
    assert_eq!((status, &event["state"]), (StatusCode::OK, &json!("ended")));
    let unauthorized = json!({"message": "Authorization has been denied for this request."});
    let mut tampered = ringing_form();
    tampered[2].1 = "+64270000000".to_owned();
    let forged = [
        ("another token", id.clone(), signed("54321", &id, &ringing_form())),
        ("a signature of another caller", id.clone(), signed("12345", &id, &tampered)),
        ("a client without a token", unset.clone(), signed("12345", &unset, &ringing_form())),
        ("garbage", id.clone(), "not a signature".to_owned()),
    ];
    for (what, client_id, signature) in forged {
        let answer = read(post(&client_id, signature, ringing_form()).await.unwrap()).await;
        assert_eq!(answer, (StatusCode::UNAUTHORIZED, unauthorized.clone()), "{what}");
    }
}

/// Twilio's ringing callback for Aroha's number, as the forged cases send it.
fn ringing_form() -> Vec<(String, String)> {
    [("CallSid", "CA1"), ("CallStatus", "ringing"), ("From", "+64211234567")]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test]
async fn a_business_keeps_a_days_events_and_at_most_ten_thousand() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    // Made as one statement: ten thousand requests would take the test's whole time. (The
    // parameter is text, which PostgreSQL casts only from a text-typed one.)
    store
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
             INSERT INTO call_events (business_id, at, event)
             SELECT $1, CAST(CAST($2 AS TEXT) AS BIGINT), '{}' FROM n",
            &[BUSINESS, &now],
        )
        .unwrap();
    let ringing = json!({"from": "021 123 4567", "state": "ringing", "businessId": BUSINESS});
    assert_eq!(report(&server.client, &server, &ringing).await.0, StatusCode::OK);
    assert_eq!(store.call_event_count(BUSINESS).unwrap(), 10_000, "the newest ten thousand");
    // A day later, each new event takes a hundred of the oldest with it.
    store.execute("UPDATE call_events SET at = at - 86400001", &[]).unwrap();
    assert_eq!(report(&server.client, &server, &ringing).await.0, StatusCode::OK);
    assert_eq!(store.call_event_count(BUSINESS).unwrap(), 9_900);
    let (status, _) = read(server.get("/customers").await).await;
    assert_eq!(status, StatusCode::OK, "the server is as it was");
}
