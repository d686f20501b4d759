//! The data-quality review: every stored number judged as a new one would be, counted and
//! paged by problem, within the caller's businesses, and kept right as numbers change.

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::races::futures_join_all;
use crate::server::{BUSINESS, TestServer, authorised_client, phone, read, token, validation};

/// The counts of a review answer, by problem.
fn counts(review: &Value) -> Vec<(String, i64)> {
    review["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| (p["problem"].as_str().unwrap().to_owned(), p["count"].as_i64().unwrap()))
        .collect()
}

fn expected_counts(
    not_in_plan: i64,
    other_country: i64,
    wrong_type: i64,
    unknown: i64,
    shared: i64,
) -> Vec<(String, i64)> {
    [
        ("notInPlan", not_in_plan),
        ("otherCountry", other_country),
        ("wrongType", wrong_type),
        ("unknownCountryCode", unknown),
        ("sharedNumber", shared),
    ]
    .map(|(p, n)| (p.to_owned(), n))
    .to_vec()
}

async fn review(server: &TestServer, query: &str) -> Value {
    let (status, body) = read(server.get(&format!("/phoneNumberReview{query}")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// A customer whose only number is this one; its (customer id, number's JSON).
async fn customer_with(server: &TestServer, first_name: &str, number: Value) -> (String, Value) {
    let (status, body) = read(
        server
            .post(
                "/customers",
                &json!({"businessId": BUSINESS, "firstName": first_name, "phoneNumber": number}),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["customerId"].as_str().unwrap().to_owned(), body["phoneNumber"].clone())
}

#[tokio::test]
async fn each_problem_is_counted_and_listed_with_its_fix_and_fixing_it_clears_it() {
    let server = TestServer::start().await;
    let (tama, tamas) = customer_with(&server, "Tama", json!({
        "phoneName": "Tama", "countryCode": "+64", "areaCode": "", "phoneNumber": "021 444 5566",
        "phoneType": "home", "isPrimary": true
    }))
    .await;
    customer_with(&server, "Leo", phone("09", "264 5555", "mobile", true)).await;
    customer_with(&server, "Grace", phone("03", "111 1111", "home", true)).await;
    let (_, ruby) = customer_with(&server, "Ruby", phone("04", "470 1234", "home", true)).await;
    let (sophie, sophies) =
        customer_with(&server, "Sophie", phone("(04)", "470-1234", "home", true)).await;
    customer_with(&server, "Hemi", phone("06", "835 4321", "home", true)).await;

    let summary = review(&server, "").await;
    assert_eq!(counts(&summary), expected_counts(1, 0, 2, 0, 2));
    assert_eq!(summary["phoneNumbers"], json!([]));
    assert_eq!(summary["problems"][4]["heading"], json!("Numbers shared with another customer"));
    assert_eq!(summary["problems"][4]["information"], json!(true));

    let wrong = review(&server, "?problem=wrongType").await;
    assert_eq!(wrong["phoneNumbers"].as_array().unwrap().len(), 2);
    let first = &wrong["phoneNumbers"][0];
    assert_eq!(
        (first["problem"].clone(), first["message"].clone(), first["suggestedPhoneType"].clone()),
        (
            json!("wrongType"),
            json!("Saved as Home, dials as a mobile number: change the type to Mobile?"),
            json!("mobile")
        )
    );
    assert_eq!(first["phoneNumber"], tamas);
    assert_eq!(first["customer"]["customerId"], json!(tama));
    assert_eq!(first["customer"]["business"]["businessId"], json!(BUSINESS));
    let second = &wrong["phoneNumbers"][1];
    assert_eq!(
        second["message"],
        json!("Saved as Mobile, dials as a landline: change the type to Home or Work?")
    );
    assert!(second.get("suggestedPhoneType").is_none(), "a landline may be home or work: {second}");

    let impossible = review(&server, "?problem=notInPlan").await;
    assert_eq!(
        impossible["phoneNumbers"][0]["message"],
        json!("No number in New Zealand is written like this: check the digits.")
    );
    let shared = review(&server, "?problem=sharedNumber").await;
    let sharing: Vec<(&Value, &Value)> = shared["phoneNumbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (&n["phoneNumber"]["phoneNumberId"], &n["sharedWith"][0]["firstName"]))
        .collect();
    assert_eq!(
        sharing,
        [(&ruby["phoneNumberId"], &json!("Sophie")), (&sophies["phoneNumberId"], &json!("Ruby"))]
    );

    // The suggested fix, as the review says to make it: PUT with the number's version.
    let path =
        format!("/customers/{tama}/phoneNumbers/{}", tamas["phoneNumberId"].as_str().unwrap());
    let mut fixed = tamas.clone();
    fixed["phoneType"] = json!("mobile");
    let answer = server.put_if(&path, &fixed, &server.version(&path).await).await;
    assert_eq!(answer.status(), StatusCode::OK);
    // Sophie's number is no longer shared once she has another.
    let sophies_path =
        format!("/customers/{sophie}/phoneNumbers/{}", sophies["phoneNumberId"].as_str().unwrap());
    assert_eq!(
        server.put(&sophies_path, &phone("04", "470 9999", "home", true)).await.status(),
        StatusCode::OK
    );
    assert_eq!(counts(&review(&server, "").await), expected_counts(1, 0, 1, 0, 0));
}

#[tokio::test]
async fn a_number_saved_under_another_country_is_listed_with_its_country_and_fixing_it_clears_it() {
    let server = TestServer::start().await;
    let (ann, anns) =
        customer_with(&server, "Ann", phone("", "+44 20 7946 0958", "work", true)).await;
    customer_with(&server, "Ben", phone("", "0064 21 123 4567", "mobile", true)).await;
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 1, 0, 0, 0));

    let listed = review(&server, "?problem=otherCountry").await;
    let items = listed["phoneNumbers"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{listed}");
    let item = &items[0];
    assert_eq!(
        (&item["problem"], &item["message"], &item["suggestedCountryCode"]),
        (
            &json!("otherCountry"),
            &json!(
                "Saved as New Zealand, dials as United Kingdom: change the country to United Kingdom (+44)?"
            ),
            &json!("+44")
        )
    );
    assert_eq!(item["phoneNumber"], anns);
    assert!(item.get("suggestedPhoneType").is_none(), "{item}");
    assert_eq!(listed["problems"][1]["heading"], json!("Numbers saved under another country"));
    assert_eq!(listed["problems"][3]["heading"], json!("Countries that can no longer be chosen"));

    // The suggested fix, as the review says to make it: PUT with the number's version.
    let path = format!("/customers/{ann}/phoneNumbers/{}", anns["phoneNumberId"].as_str().unwrap());
    let mut fixed = anns.clone();
    fixed["countryCode"] = item["suggestedCountryCode"].clone();
    let answer = server.put_if(&path, &fixed, &server.version(&path).await).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 0, 0, 0, 0));
    assert_eq!(review(&server, "?problem=otherCountry").await["phoneNumbers"], json!([]));
}

#[tokio::test]
async fn the_review_pages_one_problem_at_a_time_and_refuses_what_it_does_not_know() {
    let server = TestServer::start().await;
    for name in ["A", "B", "C"] {
        customer_with(&server, name, phone("09", "264 5555", "mobile", true)).await;
    }
    let first = review(&server, "?problem=wrongType&limit=2").await;
    assert_eq!(first["phoneNumbers"].as_array().unwrap().len(), 2);
    let cursor = first["responseMetadata"]["nextCursor"].as_str().unwrap();
    let second = review(&server, &format!("?problem=wrongType&limit=2&nextCursor={cursor}")).await;
    assert_eq!(second["phoneNumbers"].as_array().unwrap().len(), 1);
    assert_eq!(second["responseMetadata"], json!({"hasNext": false}));

    let other_list =
        server.get(&format!("/phoneNumberReview?problem=sharedNumber&nextCursor={cursor}")).await;
    assert_eq!(
        read(other_list).await,
        (StatusCode::BAD_REQUEST, validation(&[("nextCursor", "NextCursor is invalid.")]))
    );
    let unknown = server.get("/phoneNumberReview?problem=typos").await;
    assert_eq!(
        read(unknown).await,
        (StatusCode::BAD_REQUEST, validation(&[("problem", "Problem is invalid.")]))
    );
}

#[tokio::test]
async fn a_caller_reviews_only_their_businesses_numbers_and_sharing_within_them() {
    let server = TestServer::start().await;
    server.put_business("5555555", "Elsewhere Gym");
    let store = Store::open(&server.database()).unwrap();
    customer_with(&server, "Ana", phone("09", "264 5555", "mobile", true)).await;
    let elsewhere = json!({"businessId": "5555555", "firstName": "Ben", "phoneNumber": phone("09", "264 5555", "home", true)});
    assert_eq!(server.post("/customers", &elsewhere).await.status(), StatusCode::CREATED);

    // Every business: Ana's type, and the number both have.
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 0, 1, 0, 2));
    // Of Ana's business only, with Cara sharing it there too: Ana's shared with Cara, not Ben.
    customer_with(&server, "Cara", phone("09", "264 5555", "home", true)).await;
    let access = ClientAccess { businesses: Businesses::only([BUSINESS]), read_only: true };
    let (id, secret) = accounts::add_client(&store, "here", &access).unwrap();
    let ours = authorised_client(&token(&server.root, &id, &secret).await);
    let answer = ours
        .get(format!("{}/phoneNumberReview?problem=sharedNumber", server.api))
        .send()
        .await
        .unwrap();
    let (_, body) = read(answer).await;
    assert_eq!(counts(&body), expected_counts(0, 0, 1, 0, 2));
    let seen: Vec<(&Value, Vec<&Value>)> = body["phoneNumbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                &n["customer"]["firstName"],
                n["sharedWith"].as_array().unwrap().iter().map(|o| &o["firstName"]).collect(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [(&json!("Ana"), vec![&json!("Cara")]), (&json!("Cara"), vec![&json!("Ana")])]
    );
    // Only the other business: nothing of Ana's, and nobody there to share with.
    let access = ClientAccess { businesses: Businesses::only(["5555555"]), read_only: true };
    let (id, secret) = accounts::add_client(&store, "elsewhere", &access).unwrap();
    let theirs = authorised_client(&token(&server.root, &id, &secret).await);
    let answer = theirs
        .get(format!("{}/phoneNumberReview?problem=sharedNumber", server.api))
        .send()
        .await
        .unwrap();
    let (status, body) = read(answer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(counts(&body), expected_counts(0, 0, 0, 0, 0));
    assert_eq!(body["phoneNumbers"], json!([]));
}

#[tokio::test]
async fn verdicts_are_made_again_when_the_rules_or_plans_they_were_made_by_change() {
    let server = TestServer::start().await;
    customer_with(&server, "Ana", phone("09", "264 5555", "home", true)).await;
    customer_with(&server, "Ben", phone("09", "264 6666", "mobile", true)).await;
    let store = Store::open(&server.database()).unwrap();
    // A code the provider's table has since dropped, and verdicts of older rules (none at all).
    store
        .execute(
            "UPDATE phone_numbers SET country_code = '+999' WHERE phone_number = $1",
            &["264 5555"],
        )
        .unwrap();
    store.execute("UPDATE phone_numbers SET review = 0", &[]).unwrap();
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 0, 0, 0, 0));
    store.execute("DELETE FROM settings WHERE name = 'review_version'", &[]).unwrap();
    drop(store);

    let server = server.restart().await;
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 0, 1, 1, 0));
    let unknown = review(&server, "?problem=unknownCountryCode").await;
    assert_eq!(
        unknown["phoneNumbers"][0]["message"],
        json!("+999 can no longer be chosen as a country: choose the country again.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_customers_saving_one_number_at_once_both_see_it_shared() {
    let server = TestServer::start().await;
    let mut customers = Vec::new();
    for n in 0..40 {
        customers.push(server.customer(&format!("Flatmate{n}")).await);
    }
    // Twenty pairs of flatmates, each pair adding its flat's number at the same moment: each
    // write must see the other's (neither is committed when the other looks).
    let requests = customers.iter().enumerate().map(|(n, customer)| {
        let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
        server
            .client
            .post(url)
            .json(&phone("03", &format!("366 {:04}", n / 2), "home", false))
            .send()
    });
    for answer in futures_join_all(requests).await {
        assert_eq!(answer.expect("an answer").status(), StatusCode::CREATED);
    }
    // The forty primaries (09 264 5555, every test customer's) and the forty flat numbers.
    assert_eq!(counts(&review(&server, "").await), expected_counts(0, 0, 0, 0, 80));
}
