//! The five phone number operations, their status codes and messages, to the letter.
//!
//! Over 400 lines: one case per rule of the contract's five operations, each short.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{TestServer, not_found, phone, read, validation};

#[tokio::test]
async fn a_created_number_is_answered_201_and_can_be_fetched() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;

    let (status, created) =
        read(server.post(&format!("/customers/{customer}/phoneNumbers"), &json!({
            "phoneName": " john ", "countryCode": "+64", "areaCode": "021", "phoneNumber": "123 4567",
            "phoneType": "Mobile", "isPrimary": "false", "phoneNumberId": "1"
        })).await)
        .await;

    assert_eq!(status, StatusCode::CREATED);
    let id = created["phoneNumberId"].as_str().unwrap();
    assert!(id.len() <= 10 && id.bytes().all(|b| b.is_ascii_digit()) && id != "1", "{id}");
    assert_eq!(
        created,
        json!({"phoneNumberId": id, "phoneName": "john", "countryCode": "+64", "areaCode": "021",
               "phoneNumber": "123 4567", "phoneType": "mobile", "isPrimary": false})
    );
    let (status, fetched) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{id}")).await).await;
    assert_eq!((status, fetched), (StatusCode::OK, created));
}

#[tokio::test]
async fn creating_a_primary_demotes_the_previous_primary() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;

    let id = server.number(&customer, "021", "123 4567", true).await;

    let primaries: Vec<_> = server
        .all_numbers(&customer)
        .await
        .into_iter()
        .filter(|n| n["isPrimary"] == json!(true))
        .map(|n| n["phoneNumberId"].clone())
        .collect();
    assert_eq!(primaries, [json!(id)]);
}

#[tokio::test]
async fn a_list_is_paged_with_an_opaque_cursor_until_every_number_is_seen() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    for n in 0..6 {
        server.number(&customer, "09", &format!("300 000{n}"), false).await;
    }

    let (status, first) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=4")).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["phoneNumbers"].as_array().unwrap().len(), 4);
    assert_eq!(first["responseMetadata"]["hasNext"], json!(true));
    let cursor = first["responseMetadata"]["nextCursor"].as_str().unwrap();
    let (_, second) = read(
        server
            .get(&format!("/customers/{customer}/phoneNumbers?limit=4&nextCursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(second["phoneNumbers"].as_array().unwrap().len(), 3);
    assert_eq!(second["responseMetadata"], json!({"hasNext": false}));
    assert_eq!(server.all_numbers(&customer).await.len(), 7);
    // The default and the cap are 50.
    let (_, all) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=500")).await).await;
    assert_eq!(all["phoneNumbers"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn a_bad_limit_or_a_cursor_the_server_did_not_issue_is_a_validation_error() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let other = server.customer("Ben").await;
    for n in 0..2 {
        server.number(&other, "09", &format!("300 000{n}"), false).await;
    }
    let (_, page) =
        read(server.get(&format!("/customers/{other}/phoneNumbers?limit=1")).await).await;
    let foreign_cursor = page["responseMetadata"]["nextCursor"].as_str().unwrap().to_owned();

    let cases = [
        ("limit=0", vec![("limit", "Limit is invalid.")]),
        ("limit=-3", vec![("limit", "Limit is invalid.")]),
        ("limit=ten", vec![("limit", "Limit is invalid.")]),
        ("nextCursor=TmV4dEl0ZW1JZDox", vec![("nextCursor", "NextCursor is invalid.")]),
        (&*format!("nextCursor={foreign_cursor}"), vec![("nextCursor", "NextCursor is invalid.")]),
        (
            "limit=1.5&nextCursor=x",
            vec![("limit", "Limit is invalid."), ("nextCursor", "NextCursor is invalid.")],
        ),
    ];
    for (query, errors) in cases {
        let (status, body) =
            read(server.get(&format!("/customers/{customer}/phoneNumbers?{query}")).await).await;
        assert_eq!((status, body), (StatusCode::BAD_REQUEST, validation(&errors)), "{query}");
    }
}

#[tokio::test]
async fn an_update_replaces_the_fields_and_leaving_out_is_primary_changes_nothing() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "021", "123 4567", false).await;

    let (status, updated) = read(
        server
            .put(&format!("/customers/{customer}/phoneNumbers/{id}"), &json!({
                "phoneName": "Ana", "countryCode": "+61", "areaCode": "", "phoneNumber": "0412 345 678",
                "phonetype": "MOBILE", "phoneNumberId": id
            }))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        updated,
        json!({"phoneNumberId": id, "phoneName": "Ana", "countryCode": "+61", "areaCode": "",
               "phoneNumber": "0412 345 678", "phoneType": "mobile", "isPrimary": false})
    );

    // The same on the primary: left out, it stays the primary (not "false", which would leave
    // the customer without one).
    let primary = server.all_numbers(&customer).await;
    let primary = primary.iter().find(|n| n["isPrimary"] == true).unwrap()["phoneNumberId"].clone();
    let primary = primary.as_str().unwrap();
    let (status, updated) = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{primary}"),
                &json!({"phoneName": "Ana at home", "countryCode": "+64", "areaCode": "09",
                        "phoneNumber": "264 5555", "phoneType": "home"}),
            )
            .await,
    )
    .await;
    assert_eq!((status, updated["isPrimary"].clone()), (StatusCode::OK, json!(true)), "{updated}");
    let primaries = server.all_numbers(&customer).await;
    assert_eq!(primaries.iter().filter(|n| n["isPrimary"] == true).count(), 1);
}

#[tokio::test]
async fn making_a_number_primary_demotes_the_old_one_and_unsetting_the_primary_is_refused() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let old_primary =
        server.all_numbers(&customer).await[0]["phoneNumberId"].as_str().unwrap().to_owned();
    let id = server.number(&customer, "021", "123 4567", false).await;

    let (status, promoted) = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{id}"),
                &phone("021", "123 4567", "mobile", true),
            )
            .await,
    )
    .await;
    assert_eq!((status, &promoted["isPrimary"]), (StatusCode::OK, &json!(true)));
    let (_, old) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{old_primary}")).await).await;
    assert_eq!(old["isPrimary"], json!(false));

    let (status, body) = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{id}"),
                &phone("021", "123 4567", "mobile", false),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(&[("isPrimary", "Each customer must have 1 primary phone number.")])
        )
    );
}

#[tokio::test]
async fn the_primary_cannot_be_deleted_and_another_number_can() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let primary =
        server.all_numbers(&customer).await[0]["phoneNumberId"].as_str().unwrap().to_owned();
    let other = server.number(&customer, "021", "123 4567", false).await;

    let (status, body) =
        read(server.delete(&format!("/customers/{customer}/phoneNumbers/{primary}")).await).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(&[("phoneNumberId", "Deletion of Primary phone number is not allowed.")])
        )
    );

    let (status, body) =
        read(server.delete(&format!("/customers/{customer}/phoneNumbers/{other}")).await).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"message": "Phone number successfully deleted"}))
    );
    let (status, _) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{other}")).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_number_written_another_way_already_exists() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await; // primary: 09 264 5555

    for (area, number) in
        [("09", "264 5555"), ("", "(09) 264-5555"), ("9", "2645555"), ("", "+64 9 264 5555")]
    {
        let (status, body) = read(
            server
                .post(
                    &format!("/customers/{customer}/phoneNumbers"),
                    &phone(area, number, "home", false),
                )
                .await,
        )
        .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::BAD_REQUEST,
                validation(&[("phoneNumber", "PhoneNumber provided already exists.")])
            ),
            "{area:?} {number:?}"
        );
    }
    // Updating another number into the primary's digits is refused too, in the same words.
    let id = server.number(&customer, "021", "123 4567", false).await;
    let refused = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{id}"),
                &phone("", "09 264 5555", "home", false),
            )
            .await,
    )
    .await;
    assert_eq!(
        refused,
        (
            StatusCode::BAD_REQUEST,
            validation(&[("phoneNumber", "PhoneNumber provided already exists.")])
        )
    );
    // Another customer may have the same number.
    let other = server.customer("Ben").await;
    assert_eq!(server.all_numbers(&other).await.len(), 1);
}

#[tokio::test]
async fn every_validation_message_of_the_contract_reaches_the_client() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let path = format!("/customers/{customer}/phoneNumbers");
    let cases = [
        (
            json!({"countryCode": "", "phoneNumber": "", "isPrimary": true}),
            vec![
                ("phoneName", "PhoneName is required."),
                ("countryCode", "CountryCode is required."),
                ("phoneNumber", "PhoneNumber is required."),
                ("phoneType", "PhoneType is required."),
            ],
        ),
        (
            json!({"phoneName": "x".repeat(51), "countryCode": "+6444", "areaCode": "09999",
                "phoneNumber": format!("{}!", "1".repeat(75)), "phoneType": "pager", "isPrimary": true}),
            vec![
                ("phoneName", "PhoneName must not exceed 50 characters."),
                ("countryCode", "CountryCode must not exceed 4 characters."),
                ("areaCode", "AreaCode must not exceed 4 characters."),
                ("phoneNumber", "PhoneNumber provided is invalid."),
                ("phoneNumber", "PhoneNumber must not exceed 75 characters."),
                ("phoneType", "PhoneType is invalid."),
            ],
        ),
    ];
    for (body, errors) in cases {
        let (status, answer) = read(server.post(&path, &body).await).await;
        assert_eq!((status, answer), (StatusCode::BAD_REQUEST, validation(&errors)), "{body}");
    }
    let id = server.number(&customer, "021", "123 4567", false).await;
    let mut body = phone("021", "123 4567", "mobile", false);
    body["phoneNumberId"] = json!("1");
    let (status, answer) = read(server.put(&format!("{path}/{id}"), &body).await).await;
    assert_eq!(
        (status, answer),
        (StatusCode::BAD_REQUEST, validation(&[("phoneNumberId", "PhoneNumberId is invalid.")]))
    );
}

#[tokio::test]
async fn an_unknown_customer_is_404_on_every_operation() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.all_numbers(&customer).await[0]["phoneNumberId"].as_str().unwrap().to_owned();
    let body = phone("021", "123 4567", "mobile", false);
    let bad_body = json!({"phoneName": ""});
    let unknown = "9999999999";

    let answers = [
        server.get(&format!("/customers/{unknown}/phoneNumbers")).await,
        server.get(&format!("/customers/{unknown}/phoneNumbers?limit=0")).await,
        server.post(&format!("/customers/{unknown}/phoneNumbers"), &body).await,
        server.post(&format!("/customers/{unknown}/phoneNumbers"), &bad_body).await,
        server.get(&format!("/customers/{unknown}/phoneNumbers/{id}")).await,
        server.put(&format!("/customers/{unknown}/phoneNumbers/{id}"), &body).await,
        server.put(&format!("/customers/{unknown}/phoneNumbers/{id}"), &bad_body).await,
        server.delete(&format!("/customers/{unknown}/phoneNumbers/{id}")).await,
        server.get(&format!("/customers/{unknown}")).await,
    ];
    for (n, answer) in answers.into_iter().enumerate() {
        assert_eq!(read(answer).await, (StatusCode::NOT_FOUND, not_found()), "request {n}");
    }
}

#[tokio::test]
async fn a_number_of_another_customer_is_404_for_every_method() {
    let server = TestServer::start().await;
    let owner = server.customer("Ana").await;
    let stranger = server.customer("Ben").await;
    let theirs = server.number(&owner, "021", "123 4567", false).await;
    let path = format!("/customers/{stranger}/phoneNumbers/{theirs}");
    let body = phone("021", "765 4321", "mobile", true);

    for (method, answer) in [
        ("GET", server.get(&path).await),
        ("PUT", server.put(&path, &body).await),
        ("PUT invalid", server.put(&path, &json!({})).await),
        ("DELETE", server.delete(&path).await),
    ] {
        assert_eq!(read(answer).await, (StatusCode::NOT_FOUND, not_found()), "{method}");
    }
    // Nothing changed for the owner.
    let (status, number) =
        read(server.get(&format!("/customers/{owner}/phoneNumbers/{theirs}")).await).await;
    assert_eq!((status, &number["phoneNumber"]), (StatusCode::OK, &json!("123 4567")));
}

#[tokio::test]
async fn a_stored_number_is_read_as_stored_even_when_the_table_no_longer_has_its_code() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let number = server.number(&customer, "021", "123 4567", false).await;
    // As if the provider's table had dropped the code since the number was saved.
    let store = phone_store::Store::open(&server.data()).unwrap();
    let statement = "UPDATE phone_numbers SET country_code = '+999' WHERE phone_number_id = $1";
    assert_eq!(store.execute(statement, &[&number]).unwrap(), 1);
    let (status, list) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers")).await).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let stored = list["phoneNumbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["phoneNumberId"] == number.as_str())
        .cloned();
    assert_eq!(stored.map(|n| n["countryCode"].clone()), Some(json!("+999")));
    let (status, one) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{number}")).await).await;
    assert_eq!((status, one["countryCode"].clone()), (StatusCode::OK, json!("+999")));
}

#[tokio::test]
async fn a_list_without_a_limit_is_pages_of_50_and_a_larger_limit_is_capped_at_50() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let mut made = vec![server.all_numbers(&customer).await[0]["phoneNumberId"].clone()];
    for n in 0..59 {
        let id = server.number(&customer, "021", &format!("100 {n:04}"), false).await;
        made.push(json!(id));
    }
    let path = format!("/customers/{customer}/phoneNumbers");
    for first in [path.clone(), format!("{path}?limit=100")] {
        let (status, page) = read(server.get(&first).await).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["phoneNumbers"].as_array().unwrap();
        assert_eq!(items.len(), 50, "{first}");
        assert_eq!(page["responseMetadata"]["hasNext"], true);
        let cursor = page["responseMetadata"]["nextCursor"].as_str().unwrap();
        let (_, rest) = read(server.get(&format!("{path}?nextCursor={cursor}")).await).await;
        let rest = rest["phoneNumbers"].as_array().unwrap().clone();
        assert_eq!(rest.len(), 10);
        // Disjoint, in the order they were made, and every one of them.
        let seen: Vec<Value> =
            items.iter().chain(&rest).map(|n| n["phoneNumberId"].clone()).collect();
        assert_eq!(seen, made, "{first}");
    }
}
