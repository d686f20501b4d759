//! Shared numbers marked as expected: a family's or an office's number leaves the review while
//! only the customers who had it when it was marked share it, and comes back when someone
//! else gets it or the mark is taken back.

use phone_model::Businesses;
use phone_operations::now;
use phone_server::accounts;
use phone_store::{ClientAccess, Role, Store};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::server::{
    BUSINESS, PASSWORD, TestServer, authorised_client, browser, forbidden, not_found, phone, read,
    token, validation,
};

/// A customer of `business` whose only number is this one: (customer id, number id).
async fn customer_with(
    server: &TestServer,
    business: &str,
    first_name: &str,
    number: Value,
) -> (String, String) {
    let customer = json!({"businessId": business, "firstName": first_name, "phoneNumber": number});
    let (status, body) = read(server.post("/customers", &customer).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let number = body["phoneNumber"]["phoneNumberId"].as_str().unwrap().to_owned();
    (body["customerId"].as_str().unwrap().to_owned(), number)
}

/// A staff member of every business, signed in to the app.
async fn staff(server: &TestServer, name: &str, role: Role) -> Client {
    let store = Store::open(&server.database()).unwrap();
    accounts::add_user(&store, name, role, &Businesses::All, PASSWORD).unwrap();
    browser(&server.root, name, true).await
}

/// The mark's path of a customer's number.
fn mark(server: &TestServer, (customer, number): &(String, String)) -> String {
    format!("{}/customers/{customer}/phoneNumbers/{number}/sharedExpected", server.api)
}

/// How many numbers the review counts as shared, and the customers (first names) a page of
/// `query` lists.
async fn shared(client: &Client, server: &TestServer, query: &str) -> (i64, Vec<Value>) {
    let url = format!("{}/phoneNumberReview?problem=sharedNumber{query}", server.api);
    let (status, body) = read(client.get(url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let count = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["problem"] == json!("sharedNumber"))
        .map(|p| p["count"].as_i64().unwrap())
        .unwrap();
    (count, body["phoneNumbers"].as_array().unwrap().clone())
}

fn first_names(numbers: &[Value]) -> Vec<&str> {
    numbers.iter().map(|n| n["customer"]["firstName"].as_str().unwrap()).collect()
}

/// The actions of a customer's history, newest first, with who made each.
async fn history(server: &TestServer, customer: &str) -> Vec<(String, String)> {
    let (_, body) =
        read(server.get(&format!("/customers/{customer}/phoneNumberHistory")).await).await;
    body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["action"].as_str().unwrap().to_owned(), c["actor"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_shared_number_marked_as_expected_leaves_the_review_until_someone_else_has_it() {
    // Arrange: a flat's number that Ana and Ben share, and Hemi's own.
    let server = TestServer::start().await;
    let editor = staff(&server, "eddie", Role::Editor).await;
    let ana = customer_with(&server, BUSINESS, "Ana", phone("03", "366 0001", "home", true)).await;
    let ben =
        customer_with(&server, BUSINESS, "Ben", phone("(03)", "366-0001", "home", true)).await;
    customer_with(&server, BUSINESS, "Hemi", phone("03", "366 0002", "home", true)).await;
    assert_eq!(first_names(&shared(&editor, &server, "").await.1), ["Ana", "Ben"]);
    let before = now();

    // Act: mark it, from Ana's row.
    let (status, marked) = read(editor.put(mark(&server, &ana)).send().await.unwrap()).await;

    // Assert: who and when; neither row listed or counted; both listed as expected, with the
    // mark; and in both customers' histories.
    assert_eq!(status, StatusCode::OK, "{marked}");
    assert_eq!(marked["by"], json!("eddie"));
    let at = marked["at"].as_i64().unwrap();
    assert!((before..=now()).contains(&at), "{marked}");
    assert_eq!(shared(&editor, &server, "").await, (0, vec![]));
    let (count, expected) = shared(&editor, &server, "&expected=true").await;
    assert_eq!((count, first_names(&expected)), (0, vec!["Ana", "Ben"]));
    assert!(expected.iter().all(|n| n["expected"] == marked), "{expected:?}");
    for customer in [&ana.0, &ben.0] {
        let newest = history(&server, customer).await.remove(0);
        assert_eq!(newest, ("markedSharedExpected".to_owned(), "eddie".to_owned()));
    }

    // Act: Cara moves in and gets the number.
    let cara =
        customer_with(&server, BUSINESS, "Cara", phone("03", "366 0001", "mobile", true)).await;

    // Assert: the mark does not cover her, so all three are listed again, none as expected.
    let (count, listed) = shared(&editor, &server, "").await;
    assert_eq!((count, first_names(&listed)), (3, vec!["Ana", "Ben", "Cara"]));
    assert_eq!(shared(&editor, &server, "&expected=true").await, (3, vec![]));

    // Act: Cara changes her number: only Ana and Ben share it again, as marked.
    let path = format!("/customers/{}/phoneNumbers/{}", cara.0, cara.1);
    let moved = server.put(&path, &phone("021", "366 0001", "mobile", true)).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(shared(&editor, &server, "").await, (0, vec![]));

    // Act: take the mark back, from Ben's row.
    let (status, taken_back) = read(editor.delete(mark(&server, &ben)).send().await.unwrap()).await;

    // Assert: the mark it was; both listed and counted again; recorded; a second undo finds
    // nothing to take back.
    assert_eq!((status, &taken_back), (StatusCode::OK, &marked));
    let (count, listed) = shared(&editor, &server, "").await;
    assert_eq!((count, first_names(&listed)), (2, vec!["Ana", "Ben"]));
    assert_eq!(shared(&editor, &server, "&expected=true").await, (2, vec![]));
    let newest = history(&server, &ana.0).await.remove(0);
    assert_eq!(newest, ("unmarkedSharedExpected".to_owned(), "eddie".to_owned()));
    let again = editor.delete(mark(&server, &ben)).send().await.unwrap();
    assert_eq!(read(again).await, (StatusCode::NOT_FOUND, not_found()));
}

#[tokio::test]
async fn only_an_editor_marks_a_number_of_their_own_customers_that_is_shared_within_their_businesses()
 {
    // Arrange: Ana and Dan share a number across two businesses, as do Dan and Eve within
    // theirs; Hemi's is his own.
    let server = TestServer::start().await;
    server.put_business("5555555", "Elsewhere Gym");
    let ana = customer_with(&server, BUSINESS, "Ana", phone("03", "366 0001", "home", true)).await;
    let hemi =
        customer_with(&server, BUSINESS, "Hemi", phone("03", "366 0002", "home", true)).await;
    let dan = customer_with(&server, "5555555", "Dan", phone("03", "366 0001", "home", true)).await;
    customer_with(&server, "5555555", "Eve", phone("03", "366 0001", "home", true)).await;
    let viewer = staff(&server, "vera", Role::Viewer).await;
    let store = Store::open(&server.database()).unwrap();
    let ours = ClientAccess { businesses: Businesses::only([BUSINESS]), read_only: false };
    let (id, secret) = accounts::add_client(&store, "ours", &ours).unwrap();
    let ours = authorised_client(&token(&server.root, &id, &secret).await);
    let not_shared =
        validation(&[("phoneNumberId", "PhoneNumber is not shared with another customer.")]);
    let cases = [
        // A viewer may not write.
        (&viewer, mark(&server, &ana), StatusCode::FORBIDDEN, forbidden()),
        // Nobody else has Hemi's number.
        (&server.client, mark(&server, &hemi), StatusCode::BAD_REQUEST, not_shared.clone()),
        // Ana's number is shared only with customers of a business the client may not see.
        (&ours, mark(&server, &ana), StatusCode::BAD_REQUEST, not_shared),
        // Another business's customer; another customer's number.
        (&ours, mark(&server, &dan), StatusCode::FORBIDDEN, forbidden()),
        (
            &ours,
            mark(&server, &(ana.0.clone(), hemi.1.clone())),
            StatusCode::NOT_FOUND,
            not_found(),
        ),
    ];

    for (client, url, status, body) in cases {
        // Act
        let answer = client.put(&url).send().await.unwrap();

        // Assert
        assert_eq!(read(answer).await, (status, body), "{url}");
    }
    // Nothing was marked; and `expected` is only for shared numbers.
    assert_eq!(first_names(&shared(&server.client, &server, "").await.1), ["Ana", "Dan", "Eve"]);
    let url = format!("{}/phoneNumberReview?problem=wrongType&expected=true", server.api);
    assert_eq!(
        read(server.client.get(url).send().await.unwrap()).await,
        (StatusCode::BAD_REQUEST, validation(&[("expected", "Expected is invalid.")]))
    );
}
