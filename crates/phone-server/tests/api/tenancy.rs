//! Tenancy: two businesses, a client, a viewer and an editor of each, every operation on an own
//! and a foreign customer — through real HTTP, as the contract's "Tenancy" section reads.

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Role, Store};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::server::{
    BUSINESS, PASSWORD, TestServer, authorised_client, browser, forbidden, gateway_mode, not_found,
    phone, read, token,
};

const OTHER: &str = "4444444";

/// A caller of one business: its HTTP client and whether it may write.
struct Caller {
    name: String,
    business: &'static str,
    client: Client,
    writes: bool,
}

/// A client, a viewer and an editor of `business`.
async fn callers_of(server: &TestServer, business: &'static str) -> Vec<Caller> {
    let store = Store::open(&server.database()).unwrap();
    let only = Businesses::only([business]);
    let access = ClientAccess { businesses: only.clone(), read_only: false };
    let (id, secret) = accounts::add_client(&store, "tenant", &access).unwrap();
    let api = authorised_client(&token(&server.root, &id, &secret).await);
    let mut callers =
        vec![Caller { name: format!("client of {business}"), business, client: api, writes: true }];
    for (role, writes) in [(Role::Viewer, false), (Role::Editor, true)] {
        let name = format!("{}-{business}", role.as_str());
        accounts::add_user(&store, &name, role, &only, PASSWORD).unwrap();
        let client = browser(&server.root, &name, true).await;
        callers.push(Caller { name, business, client, writes });
    }
    callers
}

/// A customer of `business` with a primary and a second number: (customer, second number).
async fn customer_of(server: &TestServer, business: &str, name: &str) -> (String, String) {
    let body = json!({
        "businessId": business, "firstName": name, "lastName": "Tenant",
        "phoneNumber": phone("09", "264 5555", "home", true)
    });
    let (status, created) = read(server.post("/customers", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let customer = created["customerId"].as_str().unwrap().to_owned();
    let number = server.number(&customer, "021", "123 4567", false).await;
    (customer, number)
}

async fn call(
    client: &Client,
    server: &TestServer,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, format!("{}{path}", server.api));
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

#[tokio::test]
async fn every_caller_reaches_its_own_businesses_customers_and_no_others() {
    let server = TestServer::start().await;
    server.put_business(OTHER, "Harbourside Physio");
    let mut customers = std::collections::HashMap::new();
    for business in [BUSINESS, OTHER] {
        customers.insert(business, customer_of(&server, business, business).await);
    }
    for business in [BUSINESS, OTHER] {
        for caller in callers_of(&server, business).await {
            for (target, (customer, number)) in &customers {
                let own = *target == caller.business;
                let who = format!("{} on {}'s customer", caller.name, target);
                // Each write is undone or made harmless, so the next caller finds the same data.
                let operations: Vec<(Method, String, Option<Value>, bool)> = vec![
                    (Method::GET, format!("/customers/{customer}"), None, false),
                    (Method::GET, format!("/customers/{customer}/phoneNumbers"), None, false),
                    (
                        Method::GET,
                        format!("/customers/{customer}/phoneNumbers/{number}"),
                        None,
                        false,
                    ),
                    (Method::GET, format!("/customers/{customer}/phoneNumberHistory"), None, false),
                    (
                        Method::PUT,
                        format!("/customers/{customer}/phoneNumbers/{number}"),
                        Some(phone("021", "123 4567", "mobile", false)),
                        true,
                    ),
                    (
                        Method::POST,
                        format!("/customers/{customer}/phoneNumbers"),
                        Some(phone("04", "470 1234", "work", false)),
                        true,
                    ),
                ];
                for (method, path, body, is_write) in operations {
                    let (status, answer) =
                        call(&caller.client, &server, method.clone(), &path, body).await;
                    let allowed = own && (!is_write || caller.writes);
                    if allowed {
                        assert!(status.is_success(), "{who}: {method} {path} → {status} {answer}");
                    } else {
                        assert_eq!(
                            (status, &answer),
                            (StatusCode::FORBIDDEN, &forbidden()),
                            "{who}: {method} {path}"
                        );
                    }
                    // The number just added is deleted again (by the same caller), so the
                    // delete is tried on every customer too.
                    if method == Method::POST && allowed {
                        let added = answer["phoneNumberId"].as_str().unwrap().to_owned();
                        let (status, _) = call(
                            &caller.client,
                            &server,
                            Method::DELETE,
                            &format!("{path}/{added}"),
                            None,
                        )
                        .await;
                        assert_eq!(status, StatusCode::OK, "{who}: delete");
                    }
                }
                if !own || !caller.writes {
                    let (status, answer) = call(
                        &caller.client,
                        &server,
                        Method::DELETE,
                        &format!("/customers/{customer}/phoneNumbers/{number}"),
                        None,
                    )
                    .await;
                    assert_eq!(
                        (status, answer),
                        (StatusCode::FORBIDDEN, forbidden()),
                        "{who}: DELETE"
                    );
                }
            }
            // A customer that exists nowhere is 404 for everyone; a number of another customer
            // under one's own customer stays 404.
            let (own_customer, _) = &customers[caller.business];
            let foreign_number =
                &customers[if caller.business == BUSINESS { OTHER } else { BUSINESS }].1;
            for path in [
                "/customers/1234567".to_owned(),
                format!("/customers/{own_customer}/phoneNumbers/{foreign_number}"),
            ] {
                let (status, answer) =
                    call(&caller.client, &server, Method::GET, &path, None).await;
                assert_eq!(
                    (status, answer),
                    (StatusCode::NOT_FOUND, not_found()),
                    "{}: {path}",
                    caller.name
                );
            }
            // The list and search hold only the caller's business.
            let (status, list) =
                call(&caller.client, &server, Method::GET, "/customers?search=Tenant", None).await;
            assert_eq!(status, StatusCode::OK);
            let businesses: Vec<&str> = list["customers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["business"]["businessId"].as_str().unwrap())
                .collect();
            assert_eq!(businesses, [caller.business], "{}: {list}", caller.name);
            let other = if caller.business == BUSINESS { OTHER } else { BUSINESS };
            let (status, answer) = call(
                &caller.client,
                &server,
                Method::GET,
                &format!("/customers?businessId={other}"),
                None,
            )
            .await;
            assert_eq!(
                (status, answer),
                (StatusCode::FORBIDDEN, forbidden()),
                "{}: list another business",
                caller.name
            );
            // Creating a customer: in another business never; in one's own when one writes.
            let new = |business: &str| json!({"businessId": business, "firstName": "New", "lastName": "Tenant", "phoneNumber": phone("09", "555 0000", "home", true)});
            let (status, answer) =
                call(&caller.client, &server, Method::POST, "/customers", Some(new(other))).await;
            assert_eq!(
                (status, answer),
                (StatusCode::FORBIDDEN, forbidden()),
                "{}: create elsewhere",
                caller.name
            );
            let (status, _) =
                call(&caller.client, &server, Method::POST, "/customers", Some(new("9999999")))
                    .await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{}: a business that does not exist is not told apart",
                caller.name
            );
        }
    }
}

#[tokio::test]
async fn read_only_clients_and_read_scoped_tokens_read_and_never_write() {
    let server = TestServer::start().await;
    let (customer, number) = customer_of(&server, BUSINESS, "Reader").await;
    let store = Store::open(&server.database()).unwrap();
    let read_only = ClientAccess { businesses: Businesses::All, read_only: true };
    let (reader, reader_secret) = accounts::add_client(&store, "reports", &read_only).unwrap();
    let writable = ClientAccess { businesses: Businesses::All, read_only: false };
    let (writer, writer_secret) = accounts::add_client(&store, "billing", &writable).unwrap();
    let scoped = Client::new()
        .post(format!("{}/identity/connect/token", server.root))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", writer.as_str()),
            ("client_secret", writer_secret.as_str()),
            ("scope", "customerservices.read"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = read(scoped).await;
    assert_eq!((status, body["scope"].as_str()), (StatusCode::OK, Some("customerservices.read")));
    let clients = [
        (
            "a read-only client",
            authorised_client(&token(&server.root, &reader, &reader_secret).await),
        ),
        ("a token of the read scope", authorised_client(body["access_token"].as_str().unwrap())),
    ];
    for (what, client) in clients {
        let (status, _) = call(
            &client,
            &server,
            Method::GET,
            &format!("/customers/{customer}/phoneNumbers"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{what} reads");
        let writes = [
            (
                Method::POST,
                format!("/customers/{customer}/phoneNumbers"),
                Some(phone("04", "470 1234", "work", false)),
            ),
            (
                Method::PUT,
                format!("/customers/{customer}/phoneNumbers/{number}"),
                Some(phone("021", "123 4567", "mobile", false)),
            ),
            (Method::DELETE, format!("/customers/{customer}/phoneNumbers/{number}"), None),
        ];
        for (method, path, body) in writes {
            let (status, answer) = call(&client, &server, method.clone(), &path, body).await;
            assert_eq!((status, answer), (StatusCode::FORBIDDEN, forbidden()), "{what}: {method}");
        }
    }
}

#[tokio::test]
async fn a_removed_client_is_refused_at_once_and_a_narrowed_one_at_its_next_request() {
    let server = TestServer::start().await;
    let (customer, _) = customer_of(&server, BUSINESS, "Revoked").await;
    let store = Store::open(&server.database()).unwrap();
    let access = ClientAccess { businesses: Businesses::All, read_only: false };
    let (id, secret) = accounts::add_client(&store, "leaving", &access).unwrap();
    let client = authorised_client(&token(&server.root, &id, &secret).await);
    let path = format!("/customers/{customer}");
    assert_eq!(call(&client, &server, Method::GET, &path, None).await.0, StatusCode::OK);
    store.set_client_businesses(&id, &Businesses::only([OTHER])).unwrap();
    assert_eq!(
        call(&client, &server, Method::GET, &path, None).await,
        (StatusCode::FORBIDDEN, forbidden())
    );
    // By now the token's signature was verified once and is remembered (auth/verified.rs);
    // the client's standing is not, so removing it stops its token at the very next request.
    store.remove_client(&id).unwrap();
    let (status, body) = call(&client, &server, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the token of a removed client, within its hour");
    assert_eq!(body, json!({"message": "Authorization has been denied for this request."}));
}

#[tokio::test]
async fn the_session_says_which_businesses_a_staff_member_sees() {
    let server = TestServer::start().await;
    server.put_business(OTHER, "Harbourside Physio");
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, "ana", Role::Editor, &Businesses::only([OTHER, BUSINESS]), PASSWORD)
        .unwrap();
    accounts::add_user(&store, "boss", Role::Viewer, &Businesses::All, PASSWORD).unwrap();
    for (name, all) in [("ana", false), ("boss", true)] {
        let (status, session) = read(
            browser(&server.root, name, true)
                .await
                .get(format!("{}/auth/session", server.root))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(session["allBusinesses"], json!(all), "{session}");
        // The app asks `/gatewayStatus` only of a gateway.
        assert_eq!(session["gateway"], json!(gateway_mode()), "{session}");
        assert_eq!(
            session["businesses"],
            json!([{"businessId": BUSINESS, "name": "Debitsuccess 24/7 Fitness"}, {"businessId": OTHER, "name": "Harbourside Physio"}])
        );
    }
}
