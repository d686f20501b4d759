//! Slow and idle clients (issue 30): silent connections, headers and bodies that trickle, and
//! kept-alive connections are each closed in their time, and connections past
//! `--max-connections` are closed at once, so that they never keep a health check waiting
//! longer than the header timeout, nor the server out of file descriptors.

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use phone_store::Store;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::timeout,
};

use crate::server::{TestServer, new_database, server_command, start_process_with_open_files};

/// How late past its timeout a connection may be closed, on a busy machine.
const MARGIN: Duration = Duration::from_millis(1500);

/// `127.0.0.1:<port>` of a server at `http://127.0.0.1:<port>`.
fn address(root: &str) -> &str {
    root.trim_start_matches("http://")
}

async fn connect(root: &str) -> TcpStream {
    TcpStream::connect(address(root)).await.expect("the server listens")
}

/// What `stream` receives until the server closes it, if it does within `limit`: the bytes,
/// and when it closed. A reset counts as closed.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<(Vec<u8>, Instant)> {
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_still_open) => return None,
            Ok(Ok(0) | Err(_)) => return Some((received, Instant::now())),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
        }
    }
}

/// Asserts that something began at `start` and was cut off at `cut`, after `limit` and not
/// much later.
#[track_caller]
fn assert_cut_after(start: Instant, cut: Instant, limit: Duration) {
    let took = cut - start;
    assert!(took >= limit - Duration::from_millis(100), "closed early, after {took:?}");
    assert!(took <= limit + MARGIN, "closed late, after {took:?}");
}

/// One answer from a kept-alive connection: its head and its body, by `Content-Length`.
async fn answer(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let read = stream.read(&mut buffer).await.expect("an answer");
        assert!(read > 0, "closed before answering: {:?}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase().strip_prefix("content-length: ")?.parse().ok()
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
    }
}

/// `GET /healthz` on a new connection: whether it was answered 200 (not refused or closed).
async fn healthy(root: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address(root)).await else { return false };
    let request =
        format!("GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", address(root));
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut answer = String::new();
    let read = timeout(Duration::from_secs(1), stream.read_to_string(&mut answer)).await;
    matches!(read, Ok(Ok(_))) && answer.starts_with("HTTP/1.1 200 OK\r\n")
}

/// When a client that tries `/healthz` again every 100 ms for at most `limit` got its answer;
/// `None` when it got none.
async fn wait_for_health(root: &str, limit: Duration) -> Option<Instant> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if healthy(root).await {
            return Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// `count` connections to `root` that send nothing.
async fn silent_connections(root: &str, count: usize) -> Vec<TcpStream> {
    let mut streams = Vec::with_capacity(count);
    for _ in 0..count {
        streams.push(connect(root).await);
    }
    streams
}

/// The descriptors a process has open now.
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).expect("the process's descriptors").count()
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = TestServer::start_with(&["--header-timeout", "1"]).await;
    let mut stream = connect(&server.root).await;
    let opened = Instant::now();

    let closed = until_closed(&mut stream, Duration::from_secs(5)).await;

    let (received, at) = closed.expect("closed");
    assert_eq!(received, b"", "closed without an answer");
    assert_cut_after(opened, at, Duration::from_secs(1));
}

#[tokio::test]
async fn a_header_sent_a_byte_at_a_time_is_cut_off_at_the_header_timeout_all_the_same() {
    let server = TestServer::start_with(&["--header-timeout", "1"]).await;
    let stream = connect(&server.root).await;
    let opened = Instant::now();
    let (mut reading, mut writing) = stream.into_split();
    writing.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();

    // A byte of another header every 100 ms, until the server closes the connection.
    let trickle = tokio::spawn(async move {
        for byte in b"X-Slow: ".iter().cycle() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if writing.write_all(&[*byte]).await.is_err() {
                return;
            }
        }
    });
    let mut received = Vec::new();
    let closed = timeout(Duration::from_secs(5), reading.read_to_end(&mut received)).await;

    let _closed_or_reset = closed.expect("closed while the header trickled");
    assert_eq!(received, b"", "closed without an answer");
    assert_cut_after(opened, Instant::now(), Duration::from_secs(1));
    trickle.abort();
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_after_the_idle_timeout_not_the_header_timeout() {
    let server = TestServer::start_with(&["--header-timeout", "1", "--idle-timeout", "3"]).await;
    let mut stream = connect(&server.root).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let answered = answer(&mut stream).await;
    assert!(answered.starts_with("HTTP/1.1 200 OK\r\n"), "{answered}");
    let idle_since = Instant::now();

    let past_the_header_timeout = until_closed(&mut stream, Duration::from_secs(2)).await;
    assert!(past_the_header_timeout.is_none(), "an idle connection gets the idle timeout");
    let closed = until_closed(&mut stream, Duration::from_secs(4)).await;

    let (received, at) = closed.expect("closed once idle for the idle timeout");
    assert_eq!(received, b"");
    assert_cut_after(idle_since, at, Duration::from_secs(3));
}

#[tokio::test]
async fn a_body_that_stops_half_way_is_answered_408_at_the_body_timeout_and_the_connection_closed()
{
    let server = TestServer::start_with(&["--body-timeout", "1"]).await;
    let customer = server.customer("Ana").await;
    let body = br#"{"phoneName":"Ann","countryCode":"+64","areaCode":"09","phoneNumber":"555 1234","phoneType":"home","isPrimary":false}"#;
    let head = format!(
        "POST /CustomerServices/v1.0/customers/{customer}/phoneNumbers HTTP/1.1\r\nHost: x\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.token(),
        body.len()
    );
    let mut stream = connect(&server.root).await;
    stream.write_all(head.as_bytes()).await.unwrap();
    let sent = Instant::now();
    stream.write_all(&body[..body.len() / 2]).await.unwrap();

    let closed = until_closed(&mut stream, Duration::from_secs(5)).await;

    let (received, at) = closed.expect("answered and closed");
    let answer = String::from_utf8(received).unwrap();
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("\r\nconnection: close\r\n"), "{answer}");
    let message = "The request's body did not arrive in time. Please send the request again.";
    assert!(answer.ends_with(&format!(r#"{{"message":"{message}"}}"#)), "{answer}");
    assert_cut_after(sent, at, Duration::from_secs(1));
    assert_eq!(server.all_numbers(&customer).await.len(), 1, "nothing was added");
}

#[tokio::test]
async fn silent_connections_past_the_cap_are_closed_at_once_and_a_new_client_waits_no_longer_than_the_header_timeout()
 {
    let mut server =
        TestServer::start_with(&["--max-connections", "20", "--header-timeout", "2"]).await;
    let pid = server.process().id();

    let mut silent = silent_connections(&server.root, 150).await;
    let opened = Instant::now();
    let mut closed_at_once = 0;
    for stream in &mut silent {
        let left = Duration::from_secs(1).saturating_sub(opened.elapsed());
        if until_closed(stream, left).await.is_some() {
            closed_at_once += 1;
        }
    }
    let descriptors = open_descriptors(pid);
    let answered = wait_for_health(&server.root, Duration::from_secs(10)).await;

    assert!(150 - closed_at_once <= 20, "{closed_at_once} of 150 closed at once");
    assert!(descriptors <= 20 + 64, "the server had {descriptors} descriptors open");
    let waited = answered.expect("/healthz answered") - opened;
    assert!(waited <= Duration::from_secs(2) + MARGIN, "answered {waited:?} after the flood");
    let metrics =
        reqwest::get(format!("{}/metrics", server.root)).await.unwrap().text().await.unwrap();
    let refused = metrics
        .lines()
        .find_map(|line| line.strip_prefix("phonedesk_connections_closed_total{kind=\"refused\"} "))
        .and_then(|count| count.parse::<f64>().ok())
        .expect("refusals are counted");
    assert!(refused >= 130.0, "{refused} refusals counted");
}

#[tokio::test]
async fn under_an_open_file_limit_of_128_silent_connections_leave_health_checks_answered() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    drop(Store::create(&database).expect("a new database"));
    let server = start_process_with_open_files(128, &database, &["--header-timeout", "2"]);
    let root = server.base_url();

    let _silent = silent_connections(&root, 140).await;
    let opened = Instant::now();
    let answered = wait_for_health(&root, Duration::from_secs(10)).await;

    let waited = answered.expect("/healthz answered") - opened;
    assert!(waited <= Duration::from_secs(2) + MARGIN, "answered {waited:?} after the flood");
}

#[test]
fn a_max_connections_the_open_file_limit_cannot_hold_is_refused_at_start() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    drop(Store::create(&database).expect("a new database"));

    let mut server = server_command(Some(128))
        .args(["--database", &database.to_string(), "--max-connections", "1000"])
        .args(["--address", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("phone-server runs");
    let started = Instant::now();
    while server.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = server.kill();
    let output = server.wait_with_output().unwrap();

    assert_eq!(output.status.code(), Some(1), "refused at once");
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains(
            "--max-connections 1000 needs 1096 open files (96 more for the database and \
             listeners), and this process may open 128"
        ),
        "{error}"
    );
}
