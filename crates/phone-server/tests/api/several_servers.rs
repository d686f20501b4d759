//! Three `phone-server` processes on one PostgreSQL database, as behind a load balancer:
//! racing writes for one customer sent to different servers still leave exactly one primary
//! and one copy of a number, every answered write is there, and what one server issued (a
//! token, a cursor, a session) works on the others.

use std::collections::HashSet;

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{Role, Store};
use reqwest::StatusCode;
use serde_json::json;

use crate::races::futures_join_all;
use crate::server::{
    PASSWORD, TestServer, browser, phone, postgres_database, read, skip_in_gateway_mode,
    start_process,
};

const NO_LIMIT: &[&str] = &["--rate-limit", "1000000"];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_servers_on_one_postgresql_keep_the_rules_and_share_tokens_cursors_and_sessions() {
    if skip_in_gateway_mode("the rules here are kept by servers on their own data") {
        return;
    }
    let (_cluster, database) = postgres_database();
    let first =
        TestServer::start_on(tempfile::tempdir().unwrap(), database.clone(), NO_LIMIT).await;
    let (second, third) = (start_process(&database, NO_LIMIT), start_process(&database, NO_LIMIT));
    let roots = [first.root.clone(), second.base_url(), third.base_url()];
    let apis: Vec<String> = roots.iter().map(|r| format!("{r}/CustomerServices/v1.0")).collect();
    // The token the first server issued, for every server.
    let client = first.client.clone();
    let customer = first.customer("Race").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");

    // New numbers made primary, duplicates of one number, each spread over the servers.
    let primaries = (0..12).map(|n| {
        let url = format!("{}{numbers}", apis[n % 3]);
        client
            .post(url)
            .json(&phone("021", &format!("{:03} {n:04}", 100 + n), "mobile", true))
            .send()
    });
    let duplicates = (0..9).map(|n| {
        let url = format!("{}{numbers}", apis[n % 3]);
        client.post(url).json(&phone("027", "555 0000", "mobile", false)).send()
    });
    let answers = futures_join_all(primaries.chain(duplicates)).await;
    let mut answered = Vec::new();
    let mut duplicate_copies = 0;
    for (n, answer) in answers.into_iter().enumerate() {
        let (status, body) = read(answer.expect("an answer")).await;
        match (n < 12, status) {
            (_, StatusCode::CREATED) => {
                duplicate_copies += usize::from(n >= 12);
                answered.push(body["phoneNumberId"].as_str().unwrap().to_owned());
            }
            (false, StatusCode::BAD_REQUEST) => assert_eq!(
                body["errors"][0]["message"],
                json!("PhoneNumber provided already exists."),
                "{body}"
            ),
            (_, other) => panic!("request {n}: {other} {body}"),
        }
    }
    assert_eq!(duplicate_copies, 1, "exactly one create of the same number succeeds");

    // One number deleted from every server at once: one deletes it, the others find nothing.
    let listed = first.all_numbers(&customer).await;
    let doomed = listed
        .iter()
        .filter(|n| n["isPrimary"] == json!(false))
        .filter_map(|n| n["phoneNumberId"].as_str())
        .find(|id| answered.iter().any(|a| a == id))
        .expect("an answered number that is not the primary")
        .to_owned();
    let deletes = apis.iter().map(|api| client.delete(format!("{api}{numbers}/{doomed}")).send());
    let mut statuses: Vec<u16> = Vec::new();
    for answer in futures_join_all(deletes).await {
        statuses.push(answer.expect("an answer").status().as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 404, 404]);

    // Every answered write is there (but the deleted one), with exactly one primary.
    let stored = first.all_numbers(&customer).await;
    let ids: HashSet<&str> = stored.iter().map(|n| n["phoneNumberId"].as_str().unwrap()).collect();
    for id in answered.iter().filter(|id| **id != doomed) {
        assert!(ids.contains(id.as_str()), "the answered write {id} is missing");
    }
    assert_eq!(stored.len(), answered.len(), "the first number, less the deleted one");
    assert_eq!(stored.iter().filter(|n| n["isPrimary"] == json!(true)).count(), 1);
    let store = Store::open(&database).unwrap();
    assert_eq!(store.customers_without_one_primary().unwrap(), []);

    // A cursor from one server continues on the next.
    let mut seen = Vec::new();
    let mut path = format!("{numbers}?limit=5");
    for api in apis.iter().cycle() {
        let (status, page) = read(client.get(format!("{api}{path}")).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(page["phoneNumbers"].as_array().unwrap().iter().cloned());
        match page["responseMetadata"]["nextCursor"].as_str() {
            Some(cursor) => path = format!("{numbers}?limit=5&nextCursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, stored, "the pages, across servers, are the list in order");

    // A staff session begun on one server is good on the others.
    accounts::add_user(&store, "sam", Role::Editor, &Businesses::All, PASSWORD).unwrap();
    let staff = browser(&roots[0], "sam", true).await;
    for root in &roots[1..] {
        let (status, session) =
            read(staff.get(format!("{root}/auth/session")).send().await.unwrap()).await;
        assert_eq!((status, &session["username"]), (StatusCode::OK, &json!("sam")), "{root}");
        let list = staff.get(format!("{root}/CustomerServices/v1.0{numbers}")).send().await;
        assert_eq!(list.unwrap().status(), StatusCode::OK, "{root}");
    }
}
