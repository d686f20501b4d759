//! Writers that add numbers as fast as the server answers, each keeping what was answered and
//! when: the load under which the crash and backup tests check that acknowledged writes last.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Instant,
};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// A create the server acknowledged (201).
#[derive(Debug, Clone)]
pub struct Answered {
    pub customer: String,
    pub id: String,
    pub number: String,
    pub at: Instant,
}

pub struct Writers {
    answered: Arc<Mutex<Vec<Answered>>>,
    stop: Arc<AtomicBool>,
    tasks: Vec<JoinHandle<Result<(), String>>>,
}

impl Writers {
    /// `count` writers, each adding numbers to one of `customers` in turn and making every
    /// other one primary. `tag` (digits) starts their numbers, so rounds never collide. Each
    /// stops when told, or when the server is gone (no connection); a refusal is an error.
    pub fn start(
        client: &Client,
        api: &str,
        customers: &[String],
        count: usize,
        tag: &str,
    ) -> Self {
        let answered = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = (0..count)
            .map(|writer| {
                let (client, answered, stop) =
                    (client.clone(), Arc::clone(&answered), Arc::clone(&stop));
                let customer = customers[writer % customers.len()].clone();
                let url = format!("{api}/customers/{customer}/phoneNumbers");
                let tag = tag.to_owned();
                tokio::spawn(async move {
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let number = format!("{tag}{writer}{n:05}");
                        let body = json!({"phoneName": "Writer", "countryCode": "+44",
                            "phoneNumber": number, "phoneType": "work", "isPrimary": n % 2 == 0});
                        n += 1;
                        let Ok(answer) = client.post(&url).json(&body).send().await else {
                            return Ok(());
                        };
                        let status = answer.status();
                        if status != StatusCode::CREATED {
                            let body = answer.text().await.unwrap_or_default();
                            return Err(format!("writer {writer} was refused: {status} {body}"));
                        }
                        let Ok(created) = answer.json::<Value>().await else { return Ok(()) };
                        let id = created["phoneNumberId"].as_str().unwrap_or_default().to_owned();
                        let at = Instant::now();
                        let customer = customer.clone();
                        answered.lock().unwrap().push(Answered { customer, id, number, at });
                    }
                    Ok(())
                })
            })
            .collect();
        Self { answered, stop, tasks }
    }

    /// Stops the writers (or, after a kill, collects them) and returns every acknowledged
    /// write; panics with a writer's reason if one was refused.
    pub async fn stop(self) -> Vec<Answered> {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            task.await.unwrap().unwrap_or_else(|why| panic!("{why}"));
        }
        self.answered.lock().unwrap().clone()
    }
}
