//! The rules hold under concurrent requests, not only one at a time.

use reqwest::StatusCode;
use serde_json::json;

use crate::server::{TestServer, phone, read};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_make_primary_requests_leave_exactly_one_primary() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let mut ids = Vec::new();
    for n in 0..50 {
        ids.push(server.number(&customer, "09", &format!("30{n:05}"), false).await);
    }

    let requests = ids.iter().enumerate().map(|(n, id)| {
        let body = phone("09", &format!("30{n:05}"), "work", true);
        server
            .client
            .put(format!("{}/customers/{customer}/phoneNumbers/{id}", server.api))
            .json(&body)
            .send()
    });
    let answers = futures_join_all(requests).await;

    for answer in answers {
        assert_eq!(answer.expect("an answer").status(), StatusCode::OK);
    }
    let primaries = server
        .all_numbers(&customer)
        .await
        .into_iter()
        .filter(|n| n["isPrimary"] == json!(true))
        .count();
    assert_eq!(primaries, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_creates_of_one_number_give_exactly_one_201() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let body = phone("021", "123 4567", "mobile", false);

    let url = format!("{}/customers/{customer}/phoneNumbers", server.api);
    let requests = (0..20).map(|_| server.client.post(&url).json(&body).send());
    let answers = futures_join_all(requests).await;

    let mut created = 0;
    for answer in answers {
        let (status, body) = read(answer.expect("an answer")).await;
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::BAD_REQUEST => {
                assert_eq!(
                    body["errors"][0]["message"],
                    json!("PhoneNumber provided already exists.")
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(server.all_numbers(&customer).await.len(), 2);
}

/// Runs the futures at once, each on its own task, and collects their answers in order.
pub async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for task in tasks {
        outputs.push(task.await.expect("the request task completes"));
    }
    outputs
}
