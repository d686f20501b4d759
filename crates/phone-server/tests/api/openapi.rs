//! The server's own OpenAPI document: generated from the handlers, listing every operation,
//! and describing what the server really answers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{TestServer, phone, read};

async fn document(server: &TestServer) -> Value {
    let (status, doc) = read(server.get("/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    doc
}

#[tokio::test]
async fn the_document_lists_every_operation() {
    let server = TestServer::start().await;
    let doc = document(&server).await;

    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc["security"], serde_json::json!([{"bearer": []}]));
    let list = &doc["paths"]["/customers/{customerId}/phoneNumbers"]["get"]["responses"];
    assert!(list["401"].is_object() && list["429"].is_object(), "{list}");
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "DELETE /customers/{customerId}/phoneNumbers/{phoneNumberId}",
            "DELETE /customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected",
            "DELETE /imports/{importId}/apply",
            "GET /callEvents",
            "GET /callers",
            "GET /customers",
            "GET /customers/{customerId}",
            "GET /customers/{customerId}/phoneNumberHistory",
            "GET /customers/{customerId}/phoneNumbers",
            "GET /customers/{customerId}/phoneNumbers/{phoneNumberId}",
            "GET /exports",
            "GET /gatewayStatus",
            "GET /imports/{importId}",
            "GET /phoneNumberReview",
            "POST /calls",
            "POST /customers",
            "POST /customers/{customerId}/phoneNumbers",
            "POST /imports",
            "POST /imports/{importId}/apply",
            "PUT /customers/{customerId}/phoneNumbers/{phoneNumberId}",
            "PUT /customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected",
        ]
    );
}

/// One route table serves both modes: every operation the document lists is answered, on a
/// server of its own and (with `PHONEDESK_TEST_GATEWAY`) through a gateway, by its handler —
/// never the router's 404 for an unknown path or its 405 — and every answer is one the
/// document describes for it.
#[tokio::test]
async fn every_documented_operation_is_served_in_this_mode() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let customer = server.customer("Ana").await;
    let number = server.number(&customer, "021", "123 4567", false).await;
    // Shared with another customer, so that it can be marked as expected and unmarked.
    let other = server.customer("Bea").await;
    server.number(&other, "021", "123 4567", false).await;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((method.clone(), path.clone()));
        }
    }
    // Reads first, the number's deletion last, so that every id named still exists.
    operations.sort_by_key(|(method, path)| (method == "delete", path.ends_with("}")));
    assert_eq!(operations.len(), 21);
    for (method, path) in operations {
        let url = path.replace("{customerId}", &customer).replace("{phoneNumberId}", &number);
        if path == "/callEvents" {
            // A stream, which does not end: its head is the answer.
            let answer = server.get(&url).await;
            let described = &doc["paths"][&path][&method]["responses"]["200"]["content"];
            assert!(answer.status().is_success() && described["text/event-stream"].is_object());
            continue;
        }
        let body = phone("021", "765 4321", "home", false);
        let answer = match method.as_str() {
            "get" => server.get(&url).await,
            "post" => server.post(&url, &body).await,
            "put" => server.put(&url, &body).await,
            "delete" => server.delete(&url).await,
            other => panic!("{other} {path}: a method the suite does not send"),
        };
        let (status, body) = read(answer).await;
        let code = status.as_u16();
        assert!(![404, 405].contains(&code) && code < 500, "{method} {path}: {status} {body}");
        let described = &doc["paths"][&path][&method]["responses"][code.to_string()];
        assert!(described.is_object(), "{method} {path}: {status} is not described");
    }
}

/// Checks `body` against the schema the document gives for `method path` and `status`.
#[track_caller]
fn assert_described(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let response = &doc["paths"][path][method]["responses"][status.to_string()];
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "the document gives no schema for {method} {path} {status}");
    // The schema refers into components: validate against a root that holds them.
    let root = json!({"components": doc["components"], "allOf": [schema]});
    let validator = jsonschema::validator_for(&root).expect("the document's schemas compile");
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{method} {path} {status}: {errors:?}\n{body}");
}

#[tokio::test]
async fn responses_validate_against_the_document() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let customer = server.customer("Ana").await;
    let number = server.number(&customer, "021", "123 4567", false).await;
    let numbers = "/customers/{customerId}/phoneNumbers";
    let one = "/customers/{customerId}/phoneNumbers/{phoneNumberId}";

    let (status, body) = read(server.get("/customers?limit=1").await).await;
    assert_described(&doc, "get", "/customers", status.as_u16(), &body);
    let (status, body) = read(server.get(&format!("/customers/{customer}")).await).await;
    assert_described(&doc, "get", "/customers/{customerId}", status.as_u16(), &body);
    let (status, body) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=1")).await).await;
    assert_described(&doc, "get", numbers, status.as_u16(), &body);
    let (status, body) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=0")).await).await;
    assert_described(&doc, "get", numbers, status.as_u16(), &body);
    let (status, body) = read(
        server
            .post(
                &format!("/customers/{customer}/phoneNumbers"),
                &phone("09", "555 0000", "work", false),
            )
            .await,
    )
    .await;
    assert_described(&doc, "post", numbers, status.as_u16(), &body);
    let (status, body) =
        read(server.post(&format!("/customers/{customer}/phoneNumbers"), &json!({})).await).await;
    assert_described(&doc, "post", numbers, status.as_u16(), &body);
    let (status, body) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{number}")).await).await;
    assert_described(&doc, "get", one, status.as_u16(), &body);
    let (status, body) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/1")).await).await;
    assert_described(&doc, "get", one, status.as_u16(), &body);
    let (status, body) = read(
        server
            .put(
                &format!("/customers/{customer}/phoneNumbers/{number}"),
                &phone("021", "123 4567", "mobile", true),
            )
            .await,
    )
    .await;
    assert_described(&doc, "put", one, status.as_u16(), &body);
    let old = server
        .all_numbers(&customer)
        .await
        .into_iter()
        .find(|n| n["isPrimary"] == json!(false))
        .unwrap();
    let (status, body) = read(
        server
            .delete(&format!(
                "/customers/{customer}/phoneNumbers/{}",
                old["phoneNumberId"].as_str().unwrap()
            ))
            .await,
    )
    .await;
    assert_described(&doc, "delete", one, status.as_u16(), &body);
    let (status, body) = read(
        server
            .post(
                "/customers",
                &json!({"businessId": crate::server::BUSINESS, "firstName": "Bo",
        "phoneNumber": phone("09", "264 5555", "home", true)}),
            )
            .await,
    )
    .await;
    assert_described(&doc, "post", "/customers", status.as_u16(), &body);
}

#[tokio::test]
async fn the_document_describes_versions_conditions_and_idempotency_keys() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let one = &doc["paths"]["/customers/{customerId}/phoneNumbers/{phoneNumberId}"];
    let header = |operation: &Value, name: &str| {
        operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["in"] == "header" && p["name"] == name && p["required"] == false)
    };
    assert!(one["get"]["responses"]["200"]["headers"]["ETag"].is_object(), "{}", one["get"]);
    for method in ["put", "delete"] {
        assert!(header(&one[method], "If-Match"), "{method}: {}", one[method]);
        assert!(one[method]["responses"]["412"].is_object(), "{method}");
    }
    assert!(one["put"]["responses"]["200"]["headers"]["ETag"].is_object());
    for path in ["/customers", "/customers/{customerId}/phoneNumbers"] {
        let create = &doc["paths"][path]["post"];
        assert!(header(create, "Idempotency-Key"), "{path}: {create}");
        assert!(create["responses"]["422"].is_object(), "{path}");
        assert!(create["responses"]["201"]["headers"]["Idempotent-Replayed"].is_object(), "{path}");
    }
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "09", "300 1000", false).await;
    let (status, body) = read(
        server
            .client
            .put(format!("{}/customers/{customer}/phoneNumbers/{id}", server.api))
            .header("if-match", "nonsense")
            .json(&phone("09", "264 5555", "home", true))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_described(
        &doc,
        "put",
        "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
        400,
        &body,
    );
}
