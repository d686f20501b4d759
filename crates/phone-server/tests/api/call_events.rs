//! The staff's streams of call events (Phonedesk's extension, `GET /callEvents`) through real
//! HTTP: a call reaches the streams of its business and no other, in the order of the events'
//! ids, with a reconnecting stream's replay; and several servers on one PostgreSQL tell each
//! other's calls.

use std::time::Duration;

use phone_store::Role;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use crate::calls::{OTHER, client_of, first_names, report, staff_of};
use crate::customers::put_found_customers;
use crate::server::{
    BUSINESS, TestServer, postgres_database, read, skip_in_gateway_mode, start_process,
};

/// A stream of call events, read over real HTTP as a browser's `EventSource` reads it.
struct Events {
    response: Response,
    buffer: String,
}

impl Events {
    async fn open(client: &Client, server: &TestServer, last_event_id: Option<&str>) -> Self {
        Self::open_at(client, &server.api, last_event_id).await
    }

    /// The same, from the server whose API is at `api`.
    async fn open_at(client: &Client, api: &str, last_event_id: Option<&str>) -> Self {
        let mut request = client.get(format!("{api}/callEvents"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(content_type, "text/event-stream");
        Self { response, buffer: String::new() }
    }

    /// The next `call` event (its id and data), or `None` when none comes within `wait`.
    async fn next_within(&mut self, wait: Duration) -> Option<(String, Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block.lines().find_map(|line| line.strip_prefix(name)).map(str::to_owned)
                };
                if field("event: ").as_deref() == Some("call") {
                    let data = serde_json::from_str(&field("data: ").unwrap()).unwrap();
                    return Some((field("id: ").unwrap(), data));
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.ok()?;
            let chunk = chunk.unwrap().expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    async fn next(&mut self) -> (String, Value) {
        self.next_within(Duration::from_secs(5)).await.expect("an event within 5 s")
    }
}

#[tokio::test]
async fn a_call_reaches_the_streams_of_its_business_and_no_other() {
    let server = TestServer::start().await;
    put_found_customers(&server).await;
    let viewer = staff_of(&server, "front-desk", Role::Viewer, &[BUSINESS]).await;
    let mut front_desk = Events::open(&viewer, &server, None).await;
    let (_, physio) = client_of(&server, &[OTHER], false).await;
    let mut physio_stream = Events::open(&physio, &server, None).await;
    // A read-only client (a phone system) reports a call of its only business.
    let (_, phone_system) = client_of(&server, &[BUSINESS], true).await;
    let ringing = json!({"from": "+64211234567", "to": "+6492645555", "extension": "201",
                         "state": "ringing", "callId": "c1"});
    let (status, event) = report(&phone_system, &server, &ringing).await;
    assert_eq!(status, StatusCode::OK, "{event}");
    assert_eq!(event["business"]["businessId"], BUSINESS);
    assert_eq!(first_names(&event), ["Aroha"]);
    let (first_id, told) = front_desk.next().await;
    assert_eq!(told, event, "the stream tells what the phone system was answered");
    // Another business's call reaches its own stream, not this one.
    let john = json!({"from": "04 555 1234", "state": "RINGING", "businessId": OTHER});
    let (status, _) = report(&server.client, &server, &john).await;
    assert_eq!(status, StatusCode::OK);
    let (_, told) = physio_stream.next().await;
    assert_eq!((told["from"].as_str(), first_names(&told)), (Some("04 555 1234"), vec!["John"]));
    for state in ["answered", "ended"] {
        let update = json!({"from": "+64211234567", "state": state, "callId": "c1"});
        assert_eq!(report(&phone_system, &server, &update).await.0, StatusCode::OK);
        let (_, told) = front_desk.next().await;
        assert_eq!((told["callId"].as_str(), told["state"].as_str()), (Some("c1"), Some(state)));
    }
    assert!(physio_stream.next_within(Duration::from_millis(300)).await.is_none());
    // Reconnecting after the first event: the rest of the last minute, in order.
    let mut again = Events::open(&viewer, &server, Some(&first_id)).await;
    for state in ["answered", "ended"] {
        assert_eq!(again.next().await.1["state"], state);
    }
    // A new stream hears of calls still ringing, not of those ended.
    let other = json!({"from": "anonymous", "state": "ringing", "callId": "c2"});
    let (status, event) = report(&phone_system, &server, &other).await;
    assert_eq!((status, first_names(&event)), (StatusCode::OK, vec![]), "a withheld number");
    let mut fresh = Events::open(&viewer, &server, None).await;
    assert_eq!(fresh.next().await.1["callId"], "c2");
    assert!(fresh.next_within(Duration::from_millis(300)).await.is_none());
}

#[tokio::test]
async fn a_call_reported_to_one_server_reaches_the_streams_of_every_server_on_its_database() {
    if skip_in_gateway_mode("several servers share a PostgreSQL database of their own") {
        return;
    }
    let (_cluster, database) = postgres_database();
    let first = TestServer::start_on(tempfile::tempdir().unwrap(), database.clone(), &[]).await;
    let second = start_process(&database, &[]);
    let second_api = format!("{}/CustomerServices/v1.0", second.base_url());
    put_found_customers(&first).await;
    // The first server's token works on the second: they share the keys.
    let mut on_first = Events::open(&first.client, &first, None).await;
    let mut on_second = Events::open_at(&first.client, &second_api, None).await;
    for (n, api) in [&first.api, &second_api].into_iter().enumerate() {
        let ringing = json!({"from": "021 123 4567", "state": "ringing", "callId": format!("c{n}"),
                             "businessId": BUSINESS});
        let answer = first.client.post(format!("{api}/calls")).json(&ringing).send().await;
        let (status, event) = read(answer.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{event}");
        for stream in [&mut on_first, &mut on_second] {
            assert_eq!(stream.next().await.1, event, "reported to server {n}");
        }
    }
}

/// Reports answered together reach a stream in the order of their ids, so a stream that
/// resumes after an id has missed none before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn events_reported_together_reach_a_stream_in_the_order_of_their_ids() {
    let server = TestServer::start().await;
    let mut stream = Events::open(&server.client, &server, None).await;
    let reports = (0..24).map(|n| {
        let event = json!({"from": format!("021 555 {n:04}"), "state": "ringing",
                           "callId": format!("r{n}"), "businessId": BUSINESS});
        server.client.post(format!("{}/calls", server.api)).json(&event).send()
    });
    for answer in crate::races::futures_join_all(reports).await {
        assert_eq!(answer.unwrap().status(), StatusCode::OK);
    }
    let mut ids = Vec::new();
    for _ in 0..24 {
        ids.push(stream.next().await.0.parse::<i64>().unwrap());
    }
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
    assert!(stream.next_within(Duration::from_millis(300)).await.is_none(), "told once each");
}

#[tokio::test]
async fn a_caller_holds_at_most_eight_streams_and_a_closed_one_frees_its_place() {
    let server = TestServer::start().await;
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(Events::open(&server.client, &server, None).await);
    }
    let ninth = server.client.get(format!("{}/callEvents", server.api)).send().await.unwrap();
    assert_eq!(ninth.status(), StatusCode::TOO_MANY_REQUESTS);
    drop(open.pop());
    // The server sees the connection close when it next writes to it, or at once.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let again = server.client.get(format!("{}/callEvents", server.api)).send().await.unwrap();
        if again.status() == StatusCode::OK {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the closed stream's place came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_stopping_server_ends_its_streams_and_waits_for_none() {
    let mut server = TestServer::start().await;
    let mut stream = Events::open(&server.client, &server, None).await;
    let started = std::time::Instant::now();
    server.process().stop().expect("the server stops cleanly");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped in {:?}", started.elapsed());
    // The stream ended: its body finished (or its connection closed) with the server.
    let ended = tokio::time::timeout(Duration::from_secs(1), async {
        while let Ok(Some(_)) = stream.response.chunk().await {}
    });
    assert!(ended.await.is_ok(), "the stream ended with the server");
}
