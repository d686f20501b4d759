//! Customers: find, fetch, create with one primary number.
//!
//! Over 400 lines: one case per rule of the customers' part of the contract, each short.

use reqwest::StatusCode;
use serde_json::json;

use phone_store::Store;

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

/// A caller's number in each written form the search reads, and the customer it finds (of
/// [`put_found_customers`]).
pub const WRITTEN_NUMBERS: [(&str, &str); 14] = [
    ("021 123 4567", "Aroha"),
    ("0211234567", "Aroha"),
    ("+64 21 123 4567", "Aroha"),
    ("+64211234567", "Aroha"),
    ("021-123-4567", "Aroha"),
    ("+64 (0)21 123 4567", "Aroha"),
    ("021\u{a0}123\u{a0}4567", "Aroha"),
    ("021–123–4567", "Aroha"),
    ("264 5555", "Liam"),
    ("(09) 264-5555", "Liam"),
    ("0064 9 264 5555", "Liam"),
    ("0412 345 678", "Mere"),
    ("+61 412 345 678", "Mere"),
    ("555 1234", "John"),
];

/// The customers the search is tried on: three of `BUSINESS` (New Zealand and Australian
/// numbers) and two of `4444444`, Kōwhai Physio.
pub async fn put_found_customers(server: &TestServer) {
    server.put_business("4444444", "Kōwhai Physio");
    let au = json!({"phoneName": "Mere", "countryCode": "+61", "areaCode": "",
                    "phoneNumber": "0412 345 678", "phoneType": "mobile", "isPrimary": true});
    for (business, first, last, reference, number) in [
        (BUSINESS, "Aroha", "Ngata", "abc1454", phone("", "021 123 4567", "mobile", true)),
        (BUSINESS, "Liam", "O'Connor", "x_1", phone("09", "264 5555", "home", true)),
        (BUSINESS, "Mere", "Tipene", "x%2", au),
        ("4444444", "John", "Smith", "2023-0042", phone("04", "555 1234", "work", true)),
        // Decomposed, as some clients send it: E and a combining acute accent.
        ("4444444", "Jonah", "E\u{301}lodie", "", phone("04", "555 9876", "work", true)),
    ] {
        let (status, _) = read(
            server
                .post(
                    "/customers",
                    &json!({"businessId": business, "firstName": first, "lastName": last,
                            "externalReference": reference, "phoneNumber": number}),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

#[tokio::test]
async fn customers_are_found_by_search_reference_and_business() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    let names = |body: &serde_json::Value| -> Vec<String> {
        body["customers"]
            .as_array()
            .unwrap_or_else(|| panic!("a page of customers, got {body}"))
            .iter()
            .map(|c| c["firstName"].as_str().unwrap().to_owned())
            .collect()
    };
    let numbers = WRITTEN_NUMBERS.iter().map(|&(text, name)| (text, vec![name]));
    let cases = [
        // Names as people type them.
        ("aroha", vec!["Aroha"]),
        ("ngata aroha", vec!["Aroha"]),
        ("Ngata, Aroha", vec!["Aroha"]),
        ("Aroha  Ngata", vec!["Aroha"]),
        ("oconnor", vec!["Liam"]),
        ("o'con", vec!["Liam"]),
        ("elodie", vec!["Jonah"]),
        ("ÉLODIE", vec!["Jonah"]),
        // Exact and prefix matches first, then one typo away: "jon" starts Jonah's name and is
        // one letter short of John's; "john" is one letter more than the start of Jonah's.
        ("john", vec!["John", "Jonah"]),
        ("jon", vec!["Jonah", "John"]),
        ("jonh", vec!["John", "Jonah"]),
        ("smoth", vec!["John"]),
        ("smoth jonh", vec!["John"]),
        // The business's name, with or without its accent.
        ("physio", vec!["John", "Jonah"]),
        ("kowhai jo", vec!["John", "Jonah"]),
        // References and nothing.
        ("x_1", vec!["Liam"]),
        ("2023-0042", vec!["John"]),
        ("20230042", vec!["John"]),
        ("%", vec![]),
        ("nobody", vec![]),
        ("zzzzzz smith", vec![]),
    ];
    for (text, expected) in numbers.chain(cases) {
        let query = format!("search={}", urlencoding(text));
        let (status, body) = read(server.get(&format!("/customers?{query}")).await).await;
        assert_eq!(
            (status, names(&body)),
            (StatusCode::OK, expected.iter().map(|s| s.to_string()).collect()),
            "{text:?}"
        );
    }
    // Search results carry each customer's primary number (Phonedesk's extension); the
    // contract's list and a customer alone do not.
    let (_, found) = read(server.get("/customers?search=ngata").await).await;
    let primary = &found["customers"][0]["primaryPhoneNumber"];
    assert_eq!(
        (&primary["phoneNumber"], &primary["isPrimary"]),
        (&json!("021 123 4567"), &json!(true))
    );
    let (_, listed) = read(server.get("/customers?limit=50").await).await;
    let id = listed["customers"][0]["customerId"].as_str().unwrap().to_owned();
    assert!(
        listed["customers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("primaryPhoneNumber").is_none())
    );
    let (_, alone) = read(server.get(&format!("/customers/{id}")).await).await;
    assert!(alone.get("primaryPhoneNumber").is_none(), "{alone}");
    for (query, expected) in [
        ("externalReference=abc1454", vec!["Aroha"]),
        ("businessId=0000000", vec![]),
        (&*format!("businessId={BUSINESS}"), vec!["Aroha", "Liam", "Mere"]),
        (&*format!("businessId={BUSINESS}&search=kowhai"), vec![]),
    ] {
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

/// `text` as a query string value.
pub fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Creates customers named `first last` in the test business, each with its own number.
async fn add_customers(server: &TestServer, names: &[(&str, &str)]) {
    for (n, (first, last)) in names.iter().enumerate() {
        let body = json!({"businessId": BUSINESS, "firstName": first, "lastName": last,
                          "phoneNumber": phone("09", &format!("300 {:04}", 1000 + n), "home", true)});
        assert_eq!(read(server.post("/customers", &body).await).await.0, StatusCode::CREATED);
    }
}

fn last_names(body: &serde_json::Value) -> Vec<String> {
    let customers = body["customers"].as_array().unwrap_or_else(|| panic!("a page, got {body}"));
    customers.iter().map(|c| c["lastName"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn search_results_come_best_first_and_page_through_every_match_once() {
    let server = TestServer::start().await;
    // Oldest first within a rank; the ranks: a whole word, a word's start, within a word,
    // one typo away.
    add_customers(
        &server,
        &[
            ("Ana", "Parkinson"),
            ("Ben", "Park"),
            ("Cai", "Lapark"),
            ("Dee", "Parker"),
            ("Eli", "Pork"),
        ],
    )
    .await;
    let (status, all) = read(server.get("/customers?search=park").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(last_names(&all), ["Park", "Parkinson", "Parker", "Lapark", "Pork"]);
    // A page at a time: the same order, each once, and no cursor after the last.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) =
            read(server.get(&format!("/customers?search=park&limit=2{cursor}")).await).await;
        assert_eq!(status, StatusCode::OK);
        seen.extend(last_names(&page));
        match page["responseMetadata"]["nextCursor"].as_str() {
            Some(next) if !next.is_empty() => cursor = format!("&nextCursor={next}"),
            _ => break,
        }
    }
    // The typo comes only on a first page with room: paging stops with the exact matches.
    assert_eq!(seen, ["Park", "Parkinson", "Parker", "Lapark"]);
}

#[tokio::test]
async fn a_renamed_business_is_found_by_its_new_name() {
    let server = TestServer::start().await;
    add_customers(&server, &[("Aroha", "Ngata")]).await;
    let (_, before) = read(server.get("/customers?search=pilates").await).await;
    assert_eq!(last_names(&before), Vec::<String>::new());
    server.put_business(BUSINESS, "Pōneke Pilates");
    let (_, after) = read(server.get("/customers?search=poneke%20pilates%20aroha").await).await;
    assert_eq!(last_names(&after), ["Ngata"]);
    let (_, old) = read(server.get("/customers?search=fitness").await).await;
    assert_eq!(last_names(&old), Vec::<String>::new());
}

#[tokio::test]
async fn a_database_from_before_search_gets_its_index_when_the_server_opens_it() {
    let server = TestServer::start().await;
    add_customers(&server, &[("Aroha", "Ngata")]).await;
    // As a database migrated from before the search left it: no documents, no digits, and
    // the migration's request to make them.
    let store = Store::open(&server.database()).unwrap();
    store.execute("DELETE FROM customer_search", &[]).unwrap();
    store.execute("UPDATE phone_numbers SET digits_reversed = ''", &[]).unwrap();
    let (_, none) = read(server.get("/customers?search=aroha").await).await;
    assert_eq!(last_names(&none), Vec::<String>::new());
    store
        .execute(
            "INSERT INTO settings (name, value)
             SELECT 'search_index_stale', secret FROM signing_keys WHERE purpose = 'cursor'",
            &[],
        )
        .unwrap();
    drop(store);
    let server = server.restart().await;
    for text in ["aroha", "09%20300%201000"] {
        let (_, found) = read(server.get(&format!("/customers?search={text}")).await).await;
        assert_eq!(last_names(&found), ["Ngata"], "{text}");
    }
    let store = Store::open(&server.database()).unwrap();
    assert_eq!(
        store.execute("DELETE FROM settings WHERE name = 'search_index_stale'", &[]).unwrap(),
        0
    );
}

/// The one customer a search finds.
async fn found_one(server: &TestServer, text: &str) -> serde_json::Value {
    let path = format!("/customers?search={}", urlencoding(text));
    let (status, body) = read(server.get(&path).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["customers"].as_array().map(Vec::len), Some(1), "{text}: {body}");
    body["customers"][0].clone()
}

/// Creates a customer of the test business; its id.
async fn customer_with(server: &TestServer, customer: serde_json::Value) -> String {
    let (status, body) = read(server.post("/customers", &customer).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["customerId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_customer_found_by_a_number_comes_with_the_number_that_matched() {
    // Arrange: Cara's primary is her home landline, and she has a mobile and an Australian
    // number that ends like the landline.
    let server = TestServer::start().await;
    let cara = customer_with(
        &server,
        json!({"businessId": BUSINESS, "firstName": "Cara", "phoneNumber": phone("09", "264 5555", "home", true)}),
    )
    .await;
    let mobile = server.number(&cara, "021", "555 0199", false).await;
    let au = json!({"phoneName": "Cara", "countryCode": "+61", "areaCode": "02",
                    "phoneNumber": "8264 5555", "phoneType": "home", "isPrimary": false});
    let (status, _) =
        read(server.post(&format!("/customers/{cara}/phoneNumbers"), &au).await).await;
    assert_eq!(status, StatusCode::CREATED);

    // Act and assert: the mobile, not the primary.
    let by_mobile = found_one(&server, "021 555 0199").await;
    assert_eq!(by_mobile["matchedPhoneNumber"]["phoneNumberId"], json!(mobile));
    assert_eq!(by_mobile["primaryPhoneNumber"]["phoneNumber"], json!("264 5555"));
    // Both landlines end in 264 5555: the one the query is most of, which is the primary.
    let by_landline = found_one(&server, "264 5555").await;
    assert_eq!(by_landline["matchedPhoneNumber"], by_landline["primaryPhoneNumber"]);
    // Only the Australian one ends in 8264 5555.
    let by_au = found_one(&server, "8264 5555").await;
    assert_eq!(by_au["matchedPhoneNumber"]["countryCode"], json!("+61"));
    // Found by name: nothing matched a number.
    let by_name = found_one(&server, "cara").await;
    assert!(by_name.get("matchedPhoneNumber").is_none(), "{by_name}");
}

#[tokio::test]
async fn a_reference_or_id_copied_with_its_label_finds_the_customer_and_too_little_finds_nobody() {
    // Arrange: Aroha by her reference and id, Ben by his short reference.
    let server = TestServer::start().await;
    let aroha = customer_with(
        &server,
        json!({"businessId": BUSINESS, "firstName": "Aroha", "externalReference": "abc1454",
               "phoneNumber": phone("021", "123 4567", "mobile", true)}),
    )
    .await;
    customer_with(
        &server,
        json!({"businessId": BUSINESS, "firstName": "Ben", "externalReference": "345",
               "phoneNumber": phone("09", "264 5555", "home", true)}),
    )
    .await;
    let customer = format!("Customer {aroha}");
    let cases = [
        // As the app shows them, and as people retype them.
        ("Ref. abc1454", vec!["Aroha"]),
        ("Ref abc1454", vec!["Aroha"]),
        ("reference ABC1454", vec!["Aroha"]),
        (customer.as_str(), vec!["Aroha"]),
        ("Ref. 345", vec!["Ben"]),
        // Too short to mean anything: Ben's reference alone is three digits, as a number
        // being typed is (so are the ids of thousands of customers).
        ("345", vec![]),
        ("a", vec![]),
        ("02", vec![]),
    ];

    for (text, expected) in cases {
        // Act
        let path = format!("/customers?search={}", urlencoding(text));
        let (status, body) = read(server.get(&path).await).await;

        // Assert
        let names: Vec<&str> = body["customers"]
            .as_array()
            .unwrap_or_else(|| panic!("{text}: {body}"))
            .iter()
            .map(|c| c["firstName"].as_str().unwrap())
            .collect();
        assert_eq!((status, names), (StatusCode::OK, expected), "{text:?}");
    }
}
