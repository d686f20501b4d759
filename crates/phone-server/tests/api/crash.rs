//! Every write that was answered survives a crash: the real binary under write load from
//! several connections is killed with SIGKILL, restarted on the same database, and checked.

use std::time::{Duration, Instant};

use phone_launch::Server;
use phone_server::accounts;
use phone_store::{Location, Store};
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    server::{authorised_client, every_business, new_database, start_process, token},
    writers::{Answered, Writers},
};

/// Starts the binary on a random loopback port; returns it and its base URL.
fn start(database: &Location) -> (Server, String) {
    let server = start_process(database, &["--demo", "--rate-limit", "1000000"]);
    let base = server.base_url();
    (server, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answered_writes_survive_kill_9_and_the_rules_still_hold() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    let (id, secret) =
        accounts::add_client(&Store::create(&database).unwrap(), "crash", &every_business())
            .unwrap();
    for round in 0..3 {
        let (mut server, base) = start(&database);
        let client = authorised_client(&token(&base, &id, &secret).await);
        let api = format!("{base}/CustomerServices/v1.0");
        let customers: Value =
            client.get(format!("{api}/customers")).send().await.unwrap().json().await.unwrap();
        let customers: Vec<String> = customers["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customerId"].as_str().unwrap().to_owned())
            .collect();

        // Six writers create numbers and make each new one primary, until the server dies.
        // Each says why it stopped: only the kill (no connection) is a reason to.
        let writers = Writers::start(&client, &api, &customers, 6, &round.to_string());
        tokio::time::sleep(Duration::from_millis(700)).await;
        let killed_at = Instant::now();
        server.kill().unwrap(); // SIGKILL
        let answered = writers.stop().await;
        // The kill hit a server acknowledging writes, not one the writers had left idle.
        let last = answered.iter().map(|a| a.at).max();
        let idle = last.map(|last| killed_at.saturating_duration_since(last));
        assert!(
            idle.is_some_and(|idle| idle < Duration::from_millis(250)),
            "round {round}: the last write was answered {idle:?} before the kill"
        );

        let store = Store::open(&database).unwrap();
        if let Some(check) = store.integrity_check().unwrap() {
            assert_eq!(check, "ok", "round {round}");
        }
        assert_eq!(store.customers_without_one_primary().unwrap(), [], "round {round}");
        drop(store);
        assert!(answered.len() > 10, "round {round}: only {} writes were answered", answered.len());
        let (mut server, base) = start(&database);
        let client = authorised_client(&token(&base, &id, &secret).await);
        for Answered { customer, id, number, .. } in &answered {
            let answer = client
                .get(format!("{base}/CustomerServices/v1.0/customers/{customer}/phoneNumbers/{id}"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                answer.status(),
                StatusCode::OK,
                "round {round}: the answered write {id} was lost"
            );
            let saved: Value = answer.json().await.unwrap();
            assert_eq!(saved["phoneNumber"].as_str(), Some(number.as_str()));
        }
        server.kill().unwrap();
    }
}
