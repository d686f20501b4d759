//! Customers: find, fetch, create with one primary number.

use reqwest::StatusCode;
use serde_json::json;

use crate::server::{BUSINESS, TestServer, phone, read, validation};

#[tokio::test]
async fn a_new_customer_gets_its_one_number_as_primary() {
    let server = TestServer::start().await;

    let (status, created) = read(
        server
            .post("/customers", &json!({
                "businessId": BUSINESS, "firstName": "John", "lastName": "Doe", "externalReference": "abc1453",
                "phoneNumber": {"phoneName": "John", "countryCode": "+64", "areaCode": "09",
                                "phoneNumber": "264 5555", "phoneType": "home"}
            }))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["business"],
        json!({"businessId": BUSINESS, "name": "Debitsuccess 24/7 Fitness"})
    );
    assert_eq!(created["phoneNumber"]["isPrimary"], json!(true));
    let id = created["customerId"].as_str().unwrap();
    let (status, fetched) = read(server.get(&format!("/customers/{id}")).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        fetched,
        json!({"customerId": id, "business": {"businessId": BUSINESS, "name": "Debitsuccess 24/7 Fitness"},
               "firstName": "John", "lastName": "Doe", "externalReference": "abc1453"})
    );
}

#[tokio::test]
async fn a_new_customer_is_refused_with_every_problem_located() {
    let server = TestServer::start().await;
    server
        .post(
            "/customers",
            &json!({"businessId": BUSINESS, "firstName": "A", "externalReference": "r1",
                                    "phoneNumber": phone("09", "264 5555", "home", true)}),
        )
        .await;
    let cases = [
        (
            json!({"businessId": "0000000", "firstName": "A", "phoneNumber": phone("09", "264 5555", "home", true)}),
            vec![("businessId", "BusinessId is invalid.")],
        ),
        (
            json!({"businessId": BUSINESS, "firstName": "B", "externalReference": "r1",
                "phoneNumber": phone("09", "264 5556", "home", true)}),
            vec![("externalReference", "ExternalReference exists for the provided BusinessId.")],
        ),
        (
            json!({"businessId": BUSINESS, "phoneNumber": {"phoneType": "x"}}),
            vec![
                ("firstName", "FirstName is required."),
                ("phoneNumber.phoneName", "PhoneName is required."),
                ("phoneNumber.countryCode", "CountryCode is required."),
                ("phoneNumber.phoneNumber", "PhoneNumber is required."),
                ("phoneNumber.phoneType", "PhoneType is invalid."),
            ],
        ),
    ];
    for (body, errors) in cases {
        let (status, answer) = read(server.post("/customers", &body).await).await;
        assert_eq!((status, answer), (StatusCode::BAD_REQUEST, validation(&errors)), "{body}");
    }
}

#[tokio::test]
async fn customers_are_found_by_search_reference_and_business() {
    let server = TestServer::start().await;
    for (first, last, reference) in
        [("Aroha", "Ngata", "abc1454"), ("Liam", "O'Connor", "x_1"), ("Mere", "Tipene", "x%2")]
    {
        server
            .post(
                "/customers",
                &json!({"businessId": BUSINESS, "firstName": first, "lastName": last,
                                        "externalReference": reference,
                                        "phoneNumber": phone("09", "264 5555", "home", true)}),
            )
            .await;
    }
    let names = |body: &serde_json::Value| -> Vec<String> {
        body["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["firstName"].as_str().unwrap().to_owned())
            .collect()
    };
    let cases = [
        ("search=aroha", vec!["Aroha"]),
        ("search=ngata%20aroha", vec!["Aroha"]),
        ("search=Aroha%20Ngata", vec!["Aroha"]),
        ("search=o%27con", vec!["Liam"]),
        ("search=x_", vec!["Liam"]),
        ("search=%25", vec!["Mere"]),
        ("search=nobody", vec![]),
        ("externalReference=abc1454", vec!["Aroha"]),
        ("businessId=0000000", vec![]),
        (&*format!("businessId={BUSINESS}"), vec!["Aroha", "Liam", "Mere"]),
    ];
    for (query, expected) in cases {
        let (status, body) = read(server.get(&format!("/customers?{query}")).await).await;
        assert_eq!(
            (status, names(&body)),
            (StatusCode::OK, expected.iter().map(|s| s.to_string()).collect()),
            "{query}"
        );
    }
    // Searching by customer id finds that customer.
    let (_, all) = read(server.get("/customers?limit=1").await).await;
    let id = all["customers"][0]["customerId"].as_str().unwrap();
    let (_, found) = read(server.get(&format!("/customers?search={id}")).await).await;
    assert_eq!(names(&found), ["Aroha"]);
    // A cursor belongs to its own search.
    let cursor = all["responseMetadata"]["nextCursor"].as_str().unwrap();
    let (status, _) =
        read(server.get(&format!("/customers?search=liam&nextCursor={cursor}")).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, next) =
        read(server.get(&format!("/customers?limit=1&nextCursor={cursor}")).await).await;
    assert_eq!((status, names(&next)), (StatusCode::OK, vec!["Liam".to_owned()]));
}
