//! Every write that was answered survives a crash: the real binary under write load from
//! several connections is killed with SIGKILL, restarted on the same database, and checked.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use phone_launch::Server;
use phone_server::{
    accounts,
    store::{Location, Store},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{authorised_client, every_business, new_database, start_process, token};

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
        accounts::add_client(&Store::open(&database).unwrap(), "crash", &every_business()).unwrap();
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
        let answered = Arc::new(Mutex::new(Vec::<(String, String, String, Instant)>::new()));
        let mut writers = Vec::new();
        for writer in 0..6 {
            let (client, api, answered) = (client.clone(), api.clone(), Arc::clone(&answered));
            let customer = customers[writer % customers.len()].clone();
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let number = format!("{round}{writer}{n:05}");
                    let body = json!({"phoneName": "Crash", "countryCode": "+44", "phoneNumber": number,
                                      "phoneType": "work", "isPrimary": n % 2 == 0});
                    let Ok(answer) = client.post(format!("{api}/customers/{customer}/phoneNumbers")).json(&body).send().await else { return Ok(()) };
                    let status = answer.status();
                    if status != StatusCode::CREATED {
                        let body = answer.text().await.unwrap_or_default();
                        return Err(format!("writer {writer} was refused: {status} {body}"));
                    }
                    let Ok(created) = answer.json::<Value>().await else { return Ok(()) };
                    let id = created["phoneNumberId"].as_str().unwrap().to_owned();
                    answered.lock().unwrap().push((customer.clone(), id, number, Instant::now()));
                }
                Ok(())
            }));
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
        let killed_at = Instant::now();
        server.kill().unwrap(); // SIGKILL
        for writer in writers {
            let stopped: Result<(), String> = writer.await.unwrap();
            stopped.unwrap_or_else(|why| panic!("round {round}: {why}, before the kill"));
        }
        // The kill hit a server acknowledging writes, not one the writers had left idle.
        let last = answered.lock().unwrap().iter().map(|a| a.3).max();
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
        let answered = answered.lock().unwrap().clone();
        assert!(answered.len() > 10, "round {round}: only {} writes were answered", answered.len());
        let (mut server, base) = start(&database);
        let client = authorised_client(&token(&base, &id, &secret).await);
        for (customer, id, number, _) in &answered {
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
