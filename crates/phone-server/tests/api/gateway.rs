//! Gateway mode against a second `phone-server` playing the provider, whatever mode the suite
//! runs in: answers passed on, writes landing upstream, the sync, and the faults a provider
//! has (stopped, slow, 429, 500, a token that stops working). Faults go through a small proxy
//! of real HTTP between the gateway and the provider, which can hold or answer a request
//!
//! Over 400 lines: the provider proxy and its fault modes are shared by every scenario here.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Request, State},
    http::{HeaderMap, StatusCode as AxumStatus},
    response::{IntoResponse, Response},
};
use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Role, Store};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::server::{
    BUSINESS, PASSWORD, Upstream, authorised_client, browser, every_business, phone, read,
    readiness, start_process, token, too_many, validation,
};

/// A business beside the tests' own: another tenant.
const OTHER: &str = "4444444";

/// What the proxy does with the next requests.
#[derive(Debug, Clone)]
enum Fault {
    /// Forwards them.
    None,
    /// Forwards them after a delay.
    Slow(Duration),
    /// Answers them itself with this status, body and headers.
    Answer(u16, Value, Vec<(&'static str, String)>),
    /// Answers 401 to a request with this bearer token (the provider stopped taking it).
    Refuses(String),
}

/// The proxy: a real HTTP server that forwards to the provider, or not.
struct Proxy {
    address: SocketAddr,
    fault: Arc<Mutex<Fault>>,
    /// The bearer tokens of the requests it forwarded, in order.
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// A proxy to the server at `upstream` (`http://127.0.0.1:<port>`).
    async fn start(upstream: String) -> Self {
        let fault = Arc::new(Mutex::new(Fault::None));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = (upstream, Arc::clone(&fault), Arc::clone(&seen), Client::new());
        let app = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { address, fault, seen }
    }

    fn api(&self) -> String {
        format!("http://{}/CustomerServices/v1.0", self.address)
    }

    fn set(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
    }
}

type ProxyState = (String, Arc<Mutex<Fault>>, Arc<Mutex<Vec<String>>>, Client);

/// Forwards in a task of its own, so that a request the gateway gave up on still reaches the
/// provider, as it would over a slow network.
async fn forward(State(state): State<ProxyState>, request: Request) -> Response {
    tokio::spawn(forward_now(state, request)).await.unwrap()
}

async fn forward_now((upstream, fault, seen, client): ProxyState, request: Request) -> Response {
    let fault = fault.lock().unwrap().clone();
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start_matches("Bearer ")
        .to_owned();
    match fault {
        Fault::Answer(status, body, headers) => {
            let mut response =
                (AxumStatus::from_u16(status).unwrap(), axum::Json(body)).into_response();
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            return response;
        }
        Fault::Refuses(token) if token == bearer => {
            let body = json!({"message": "Authorization has been denied for this request."});
            return (AxumStatus::UNAUTHORIZED, axum::Json(body)).into_response();
        }
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::None | Fault::Refuses(_) => {}
    }
    seen.lock().unwrap().push(bearer);
    let (parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map(ToString::to_string).unwrap_or_default();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if name != "host" {
            headers.insert(name.clone(), value.clone());
        }
    }
    let url = format!("{upstream}{path}");
    let answer = client.request(parts.method, url).headers(headers).body(body).send().await;
    let Ok(answer) = answer else { return AxumStatus::BAD_GATEWAY.into_response() };
    let status = answer.status();
    let headers = answer.headers().clone();
    let body = answer.bytes().await.unwrap_or_default();
    let mut response = (status, body).into_response();
    for (name, value) in &headers {
        response.headers_mut().insert(name.clone(), value.clone());
    }
    response
}

/// A provider, a gateway in front of it (through `proxy`'s address when given), and clients
/// of each.
struct Pair {
    /// Declared first: dropped (killed) before the provider.
    _gateway: phone_launch::Server,
    provider: Upstream,
    /// The gateway's API, and a client of it that may do everything.
    api: String,
    client: Client,
    /// A client of the provider's API directly, and that API.
    direct: Client,
    direct_api: String,
    /// The gateway's own database.
    database: phone_store::Location,
    _folder: tempfile::TempDir,
}

impl Pair {
    async fn start(gateway_flags: &[&str], provider_flags: &[&str]) -> (Self, Proxy) {
        let folder = tempfile::tempdir().unwrap();
        let provider = Upstream::start(folder.path(), provider_flags);
        let proxy = Proxy::start(provider.process.base_url()).await;
        let pair = Self::in_front(folder, provider, &proxy.api(), gateway_flags).await;
        (pair, proxy)
    }

    /// A gateway straight in front of the provider, no proxy.
    async fn direct(gateway_flags: &[&str]) -> Self {
        let folder = tempfile::tempdir().unwrap();
        let provider = Upstream::start(folder.path(), &[]);
        let api = provider.api();
        Self::in_front(folder, provider, &api, gateway_flags).await
    }

    async fn in_front(
        folder: tempfile::TempDir,
        provider: Upstream,
        api: &str,
        gateway_flags: &[&str],
    ) -> Self {
        let database = phone_store::Location::Sqlite(folder.path().join("gateway.sqlite3"));
        let store = Store::create(&database).unwrap();
        let (id, secret) = accounts::add_client(&store, "tests", &every_business()).unwrap();
        drop(store);
        let mut flags: Vec<String> = provider.gateway_flags(api);
        flags.extend(gateway_flags.iter().map(|f| (*f).to_owned()));
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let gateway = start_process(&database, &flags);
        let client = authorised_client(&token(&gateway.base_url(), &id, &secret).await);
        let direct = {
            let store = Store::open(&provider.database).unwrap();
            let (id, secret) = accounts::add_client(&store, "direct", &every_business()).unwrap();
            authorised_client(&token(&provider.process.base_url(), &id, &secret).await)
        };
        Self {
            api: format!("{}/CustomerServices/v1.0", gateway.base_url()),
            direct_api: provider.api(),
            database,
            _gateway: gateway,
            provider,
            client,
            direct,
            _folder: folder,
        }
    }

    /// The gateway's address, without the API's path.
    fn root(&self) -> &str {
        self.api.trim_end_matches("/CustomerServices/v1.0")
    }

    /// A new API client of the gateway, of `business` alone.
    async fn tenant(&self, name: &str, business: &str, read_only: bool) -> Client {
        let store = Store::open(&self.database).unwrap();
        let access = ClientAccess { businesses: Businesses::only([business]), read_only };
        let (id, secret) = accounts::add_client(&store, name, &access).unwrap();
        authorised_client(&token(self.root(), &id, &secret).await)
    }

    /// Waits for the sync the gateway starts with to end, so that it sends nothing more.
    async fn synced(&self) {
        for _ in 0..100 {
            let status = self.client.get(format!("{}/gatewayStatus", self.api)).send().await;
            if read(status.unwrap()).await.1["syncedAt"].is_i64() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the first sync did not end within 10 s");
    }

    async fn customer(&self, client: &Client, api: &str, name: &str) -> String {
        let body = json!({
            "businessId": BUSINESS, "firstName": name, "lastName": "Tester",
            "phoneNumber": phone("09", "264 5555", "home", true)
        });
        let (status, body) =
            read(client.post(format!("{api}/customers")).json(&body).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["customerId"].as_str().unwrap().to_owned()
    }

    /// The provider's numbers of a customer, read from its database.
    fn numbers_upstream(&self, customer: &str) -> Vec<Value> {
        let store = Store::open(&self.provider.database).unwrap();
        let page = store
            .phone_numbers(customer, &phone_model::Businesses::All, 0, phone_model::PageSize::MAX)
            .unwrap();
        page.items.iter().map(|n| serde_json::to_value(n).unwrap()).collect()
    }
}

#[tokio::test]
async fn writes_through_the_gateway_land_at_the_provider_and_answers_come_back_as_given() {
    let (pair, _proxy) = Pair::start(&[], &[]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    let path = format!("/customers/{customer}/phoneNumbers");
    let (status, added) = read(
        pair.client
            .post(format!("{}{path}", pair.api))
            .json(&phone("021", "123 4567", "mobile", false))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let id = added["phoneNumberId"].as_str().unwrap();
    // Make it primary, then delete the old primary: all at the provider.
    let one = format!("{}{path}/{id}", pair.api);
    let promoted =
        pair.client.put(&one).json(&phone("021", "123 4567", "mobile", true)).send().await.unwrap();
    assert_eq!(promoted.status(), StatusCode::OK);
    let numbers = pair.numbers_upstream(&customer);
    assert_eq!(numbers.len(), 2);
    let old = numbers.iter().find(|n| n["phoneNumberId"] != id).unwrap();
    assert_eq!(old["isPrimary"], false);
    let deleted = pair
        .client
        .delete(format!("{}{path}/{}", pair.api, old["phoneNumberId"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        read(deleted).await,
        (StatusCode::OK, json!({"message": "Phone number successfully deleted"}))
    );
    assert_eq!(pair.numbers_upstream(&customer).len(), 1);

    // The provider's own refusals, to the letter, and its rate-limit headers.
    let bad = phone("", "", "home", false);
    let through = pair.client.post(format!("{}{path}", pair.api)).json(&bad).send().await.unwrap();
    let limit = through.headers()["x-ratelimit-limit"].to_str().unwrap().to_owned();
    assert_eq!(limit, "1000000", "the provider's limit, not the gateway's");
    let direct =
        pair.direct.post(format!("{}{path}", pair.direct_api)).json(&bad).send().await.unwrap();
    let (through, direct) = (read(through).await, read(direct).await);
    assert_eq!(through, direct);
    assert_eq!(through.1, validation(&[("phoneNumber", "PhoneNumber is required.")]));

    // What the provider lacks, the gateway keeps: the history, with who made each change.
    let (_, history) = read(
        pair.client
            .get(format!("{}/customers/{customer}/phoneNumberHistory", pair.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let actions: Vec<&str> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["deleted", "updated", "updated", "created", "created"], "{history}");
    assert!(history["changes"][0]["actor"].as_str().unwrap().starts_with("client "));
}

#[tokio::test]
async fn search_finds_a_number_added_at_the_provider_once_the_sync_has_run() {
    let (pair, _proxy) = Pair::start(&["--sync-interval", "1"], &[]).await;
    let customer = pair.customer(&pair.direct, &pair.direct_api, "Wiremu").await;
    let added = pair
        .direct
        .post(format!("{}/customers/{customer}/phoneNumbers", pair.direct_api))
        .json(&phone("027", "555 0199", "mobile", false))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let search = format!("{}/customers?search=027%20555%200199", pair.api);
    let mut found = Value::Null;
    for _ in 0..50 {
        let (status, page) = read(pair.client.get(&search).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        if page["customers"].as_array().is_some_and(|c| !c.is_empty()) {
            found = page;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(found["customers"][0]["customerId"], customer.as_str(), "{found}");
    let (_, status) =
        read(pair.client.get(format!("{}/gatewayStatus", pair.api)).send().await.unwrap()).await;
    assert!(status["syncedAt"].as_i64().is_some(), "{status}");
}

#[tokio::test]
async fn a_stopped_provider_is_a_502_in_the_contracts_shape() {
    let mut pair = Pair::direct(&[]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    pair.provider.process.kill().unwrap();
    let (status, body) = read(
        pair.client
            .get(format!("{}/customers/{customer}/phoneNumbers", pair.api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_GATEWAY,
            json!({"errorCode": "provider_unreachable", "message": "Unable to process this request as the provider's API could not be reached. Please try your request again in a moment."})
        )
    );
}

#[tokio::test]
async fn the_providers_429_and_500_come_back_as_given_and_nothing_is_retried() {
    let (pair, proxy) = Pair::start(&[], &[]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    let list = format!("{}/customers/{customer}/phoneNumbers", pair.api);
    let reset = (std::time::SystemTime::now() + Duration::from_secs(2))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let limited = vec![
        ("x-ratelimit-limit", "60".to_owned()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", reset.to_string()),
    ];
    proxy.set(Fault::Answer(429, too_many(), limited));
    let forwarded = proxy.seen.lock().unwrap().len();
    let answer = pair.client.get(&list).send().await.unwrap();
    assert_eq!(answer.headers()["x-ratelimit-remaining"], "0");
    assert_eq!(read(answer).await, (StatusCode::TOO_MANY_REQUESTS, too_many()));
    // The provider said its window is spent: the gateway sends nothing more until it resets,
    // and says so itself (a person waits at most two seconds for the budget).
    proxy.set(Fault::None);
    let waited = std::time::Instant::now();
    let answer = pair.client.get(&list).send().await.unwrap();
    assert!(answer.status() == StatusCode::OK || answer.status() == StatusCode::TOO_MANY_REQUESTS);
    assert!(waited.elapsed() >= Duration::from_millis(500), "it waited for the reset");
    assert_eq!(
        proxy.seen.lock().unwrap().len(),
        forwarded + usize::from(answer.status() == StatusCode::OK)
    );

    let internal = json!({"message": "Something went wrong while processing your request. We’re sorry for the trouble. We’ve been notified of the error and will correct it as soon as possible. Please try your request again in a moment."});
    proxy.set(Fault::Answer(500, internal.clone(), vec![]));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let forwarded = proxy.seen.lock().unwrap().len();
    assert_eq!(
        read(pair.client.get(&list).send().await.unwrap()).await,
        (StatusCode::INTERNAL_SERVER_ERROR, internal)
    );
    assert_eq!(proxy.seen.lock().unwrap().len(), forwarded, "a failed read is not retried");
}

#[tokio::test]
async fn a_timed_out_create_retried_with_its_key_is_made_once() {
    let (pair, proxy) = Pair::start(&["--upstream-timeout", "0.5"], &[]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    let add = || {
        pair.client
            .post(format!("{}/customers/{customer}/phoneNumbers", pair.api))
            .header("idempotency-key", "add-mobile-1")
            .json(&phone("021", "123 4567", "mobile", false))
            .send()
    };
    proxy.set(Fault::Slow(Duration::from_millis(1500)));
    let (status, body) = read(add().await.unwrap()).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{body}");
    assert_eq!(body["errorCode"], "provider_timeout");
    // The provider made it after the gateway gave up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(pair.numbers_upstream(&customer).len(), 2);
    proxy.set(Fault::None);
    let answer = add().await.unwrap();
    assert_eq!(answer.headers()["idempotent-replayed"], "true");
    let (status, body) = read(answer).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["phoneNumber"], "123 4567");
    assert_eq!(pair.numbers_upstream(&customer).len(), 2, "made once");
    // And again: now the answer is kept.
    let answer = add().await.unwrap();
    assert_eq!(answer.headers()["idempotent-replayed"], "true");
    assert_eq!(read(answer).await.1, body);
    // The key with another number is another request: refused, and nothing is made.
    let reused = pair
        .client
        .post(format!("{}/customers/{customer}/phoneNumbers", pair.api))
        .header("idempotency-key", "add-mobile-1")
        .json(&phone("021", "765 4321", "mobile", false))
        .send()
        .await
        .unwrap();
    let (status, body) = read(reused).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errorCode"], "idempotency_key_reused");
    assert_eq!(pair.numbers_upstream(&customer).len(), 2);
}

#[tokio::test]
async fn a_token_the_provider_stops_taking_is_renewed_once_and_the_request_sent_again() {
    let (pair, proxy) = Pair::start(&[], &["--token-lifetime", "3"]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    let list = format!("{}/customers/{customer}/phoneNumbers", pair.api);
    let first = proxy.seen.lock().unwrap().last().cloned().unwrap();
    // A token is made of its claims, to the second: a new one must come at least a second later.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    proxy.set(Fault::Refuses(first.clone()));
    assert_eq!(pair.client.get(&list).send().await.unwrap().status(), StatusCode::OK);
    let renewed = proxy.seen.lock().unwrap().last().cloned().unwrap();
    assert_ne!(renewed, first, "sent again with a new token");
    // Tokens that last three seconds, used for seven: each renewed before it expires.
    proxy.set(Fault::None);
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(7) {
        assert_eq!(pair.client.get(&list).send().await.unwrap().status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = proxy.seen.lock().unwrap().clone();
    let tokens: std::collections::HashSet<_> = seen.into_iter().filter(|t| !t.is_empty()).collect();
    assert!(tokens.len() >= 3, "{} tokens", tokens.len());
}

#[tokio::test]
async fn a_caller_of_one_business_cannot_reach_anothers_customers_through_the_gateway() {
    let pair = Pair::direct(&[]).await;
    Store::open(&pair.provider.database).unwrap().put_business(OTHER, "Elsewhere").unwrap();
    let theirs = json!({
        "businessId": OTHER, "firstName": "Not", "lastName": "Yours",
        "phoneNumber": phone("09", "264 5555", "home", true)
    });
    let created = pair
        .direct
        .post(format!("{}/customers", pair.direct_api))
        .json(&theirs)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let ours = pair.customer(&pair.direct, &pair.direct_api, "Ana").await;
    let tenant = pair.tenant("one business", BUSINESS, false).await;

    // Whatever the query says, the list is of the caller's business.
    for query in [
        "",
        "?businessId=",
        "?businessId=%20",
        "?BusinessId=4444444",
        "?businessid=4444444&limit=50",
    ] {
        let (status, page) =
            read(tenant.get(format!("{}/customers{query}", pair.api)).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        let ids: Vec<&str> = page["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customerId"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [ours.as_str()], "{query}");
    }
    // A body that names the other business in any spelling is refused before the provider.
    for body in [
        json!({"BusinessId": OTHER, "firstName": "Sneaky", "phoneNumber": phone("09", "264 5556", "home", true)}),
        json!({"businessId": BUSINESS, "businessid": OTHER, "firstName": "Sneaky", "phoneNumber": phone("09", "264 5557", "home", true)}),
    ] {
        let answer =
            tenant.post(format!("{}/customers", pair.api)).json(&body).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{body}");
    }
    let (_, all) = read(
        pair.direct
            .get(format!("{}/customers?businessId={OTHER}", pair.direct_api))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(all["customers"].as_array().unwrap().len(), 1, "nothing made in the other business");
    // An id that would climb the provider's path is one segment, which does not exist.
    let climbing =
        tenant.get(format!("{}/customers/%2E%2E/phoneNumbers", pair.api)).send().await.unwrap();
    assert_eq!(climbing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_gateway_is_ready_only_while_a_token_from_the_provider_can_be_had() {
    // The provider's tokens last a second, so the gateway soon needs a new one.
    let (pair, proxy) = Pair::start(&[], &["--token-lifetime", "1"]).await;
    let root = pair.root().to_owned();
    let probe = |path: &str| pair.client.get(format!("{root}{path}")).send();
    let ok = (StatusCode::OK, json!({"status": "ok"}));
    assert_eq!(readiness(&pair.client, &root, StatusCode::OK).await, ok);

    // Once the token in hand has expired, none can be had.
    proxy.set(Fault::Answer(401, json!({"error": "invalid_client"}), vec![]));
    let unavailable = json!({"message": "The service is unavailable right now. Please try your request again in a moment."});
    assert_eq!(
        readiness(&pair.client, &root, StatusCode::SERVICE_UNAVAILABLE).await,
        (StatusCode::SERVICE_UNAVAILABLE, unavailable)
    );
    assert_eq!(read(probe("/healthz").await.unwrap()).await, ok, "alive all the same");

    proxy.set(Fault::None);
    assert_eq!(readiness(&pair.client, &root, StatusCode::OK).await, ok);
}

#[tokio::test]
async fn a_key_keeps_the_providers_answer_and_is_freed_when_the_provider_refuses() {
    let pair = Pair::direct(&[]).await;
    let customer = pair.customer(&pair.client, &pair.api, "Ana").await;
    let add = |key: &'static str, area: &'static str, number: &'static str| {
        pair.client
            .post(format!("{}/customers/{customer}/phoneNumbers", pair.api))
            .header("idempotency-key", key)
            .json(&phone(area, number, "home", false))
            .send()
    };
    // Kept: the replay is the answer kept, even once the number is gone at the provider,
    // and nothing is made again.
    let (status, made) = read(add("kept-1", "09", "264 1234").await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["phoneNumberId"].as_str().unwrap();
    let gone = pair
        .direct
        .delete(format!("{}/customers/{customer}/phoneNumbers/{id}", pair.direct_api))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::OK);
    let replayed = add("kept-1", "09", "264 1234").await.unwrap();
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    assert_eq!(read(replayed).await, (StatusCode::CREATED, made.clone()));
    assert_eq!(pair.numbers_upstream(&customer).len(), 1, "made once, then deleted");
    // Freed: the provider refused the first attempt, so the key may carry a corrected one.
    let (status, refused) = read(add("fixed-1", "09", "264 5555").await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the customer's own number again: {refused}");
    let (status, body) = read(add("fixed-1", "09", "264 4321").await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// A provider that allows the gateway's one credential 20 requests an hour, for every tenant.
const TWENTY_AN_HOUR: [&str; 4] = ["--rate-limit", "20", "--rate-window", "3600"];

/// A quarter of the budget per caller, the arithmetic of the share tests (the default is half).
const A_QUARTER_EACH: [&str; 2] = ["--upstream-caller-share", "25"];

/// Seconds since the epoch.
fn epoch_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Seconds left of the provider's hour (its windows run from multiples of their length), after
/// waiting for the next hour if fewer than a minute are: a test that counts what is left of a
/// window must not straddle two.
async fn a_clear_hour() -> u64 {
    let left = 3600 - epoch_seconds() % 3600;
    if left < 60 {
        tokio::time::sleep(Duration::from_secs(left + 1)).await;
        return 3600 - epoch_seconds() % 3600;
    }
    left
}

#[tokio::test]
async fn a_caller_over_its_share_gets_the_gateways_429_while_another_tenants_caller_is_served() {
    let (pair, proxy) = Pair::start(&A_QUARTER_EACH, &TWENTY_AN_HOUR).await;
    Store::open(&pair.provider.database).unwrap().put_business(OTHER, "Elsewhere").unwrap();
    pair.synced().await;
    let hammer = pair.tenant("hammer", BUSINESS, true).await;
    let other = pair.tenant("other", OTHER, true).await;
    let list = format!("{}/customers", pair.api);
    let until_reset = a_clear_hour().await;
    let forwarded = proxy.seen.lock().unwrap().len();

    // A read-only client of one business sends 40 reads: a quarter of the provider's 20 go.
    let mut refused = Vec::new();
    for _ in 0..40 {
        let answer = hammer.get(&list).send().await.unwrap();
        if answer.status() != StatusCode::OK {
            refused.push(answer);
        }
    }
    assert_eq!(refused.len(), 35, "5 of 40 served");
    assert_eq!(proxy.seen.lock().unwrap().len(), forwarded + 5, "the refused were never sent");
    for answer in refused {
        let retry_after: u64 = answer.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=until_reset).contains(&retry_after), "until the window resets: {retry_after}");
        assert_eq!(answer.headers()["x-ratelimit-limit"], "5", "the caller's share");
        assert_eq!(read(answer).await, (StatusCode::TOO_MANY_REQUESTS, too_many()));
    }
    // Another tenant's client is served at once, its whole share.
    for _ in 0..5 {
        let (status, page) = read(other.get(&list).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}

#[tokio::test]
async fn staff_keep_their_reserve_while_api_clients_are_over_theirs() {
    let (pair, _proxy) = Pair::start(&A_QUARTER_EACH, &TWENTY_AN_HOUR).await;
    Store::open(&pair.provider.database).unwrap().put_business(OTHER, "Elsewhere").unwrap();
    pair.synced().await;
    let store = Store::open(&pair.database).unwrap();
    accounts::add_user(&store, "sam", Role::Viewer, &Businesses::only([OTHER]), PASSWORD).unwrap();
    let sam = browser(pair.root(), "sam", true).await;
    let mut clients = Vec::new();
    for (name, business) in [("a", BUSINESS), ("b", BUSINESS), ("c", OTHER), ("d", OTHER)] {
        clients.push(pair.tenant(name, business, true).await);
    }
    let list = format!("{}/customers", pair.api);
    a_clear_hour().await;

    // Each client reads until the gateway refuses it: first their shares, then the reserve.
    let mut served = Vec::new();
    for client in &clients {
        let mut reads = 0;
        while client.get(&list).send().await.unwrap().status() == StatusCode::OK {
            reads += 1;
            assert!(reads <= 20, "a client was never refused");
        }
        served.push(reads);
    }
    // The sync's one page, then clients down to the reserve of 5 of 20: the fourth gets none.
    assert_eq!(served, [5, 5, 4, 0]);
    for _ in 0..5 {
        let (status, page) = read(sam.get(&list).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}

#[tokio::test]
async fn a_providers_429_to_one_tenant_pauses_another_no_longer_than_the_provider_asked() {
    let (pair, proxy) = Pair::start(&[], &[]).await;
    Store::open(&pair.provider.database).unwrap().put_business(OTHER, "Elsewhere").unwrap();
    pair.synced().await;
    let hammer = pair.tenant("hammer", BUSINESS, true).await;
    let other = pair.tenant("other", OTHER, true).await;
    let list = format!("{}/customers", pair.api);
    // The provider's window resets in an hour, but it asks for a second's pause.
    let asked = vec![
        ("retry-after", "1".to_owned()),
        ("x-ratelimit-limit", "20".to_owned()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", (epoch_seconds() + 3600).to_string()),
    ];
    proxy.set(Fault::Answer(429, too_many(), asked));
    let answer = hammer.get(&list).send().await.unwrap();
    assert_eq!(answer.headers()["retry-after"], "1", "the provider's 429, passed on");
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    proxy.set(Fault::None);

    // The other tenant's read waits out the second (a person waits up to two for the budget),
    // not the hour.
    let asking = std::time::Instant::now();
    let (status, page) = read(other.get(&list).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(asking.elapsed() >= Duration::from_millis(800), "it waited for the pause");
    // The caller whose read met the 429 pays nothing more for it.
    assert_eq!(hammer.get(&list).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_provider_that_lists_another_business_s_customers_is_not_believed() {
    let (pair, proxy) = Pair::start(&[], &[]).await;
    pair.synced().await;
    let tenant = pair.tenant("one business", BUSINESS, true).await;
    let customer = |id: &str, business: &str| {
        json!({"customerId": id, "firstName": "A", "lastName": "B", "externalReference": "",
               "business": {"businessId": business, "name": "N"}, "extra": [1, 2]})
    };
    let page = |customers: Vec<Value>| json!({"customers": customers, "responseMetadata": {"nextCursor": null, "hasNext": false}});
    let list = format!("{}/customers", pair.api);

    // A list within the caller's business is passed on as given...
    let ours = page(vec![customer("1", BUSINESS), customer("2", BUSINESS)]);
    proxy.set(Fault::Answer(200, ours.clone(), vec![]));
    assert_eq!(read(tenant.get(&list).send().await.unwrap()).await, (StatusCode::OK, ours));
    // ...and one with others' customers in it keeps only the caller's, every member of theirs.
    let mixed = page(vec![
        customer("1", BUSINESS),
        customer("3", OTHER),
        json!({"customerId": "4", "firstName": "No business"}),
    ]);
    proxy.set(Fault::Answer(200, mixed, vec![]));
    let expected = page(vec![customer("1", BUSINESS)]);
    assert_eq!(read(tenant.get(&list).send().await.unwrap()).await, (StatusCode::OK, expected));
    // A success that is not a list of customers could be anyone's: a 502, not the success.
    proxy.set(Fault::Answer(200, json!({"customers": "everyone"}), vec![]));
    let unreadable = tenant.get(&list).send().await.unwrap();
    assert_eq!(unreadable.status(), StatusCode::BAD_GATEWAY);
    // A caller of every business gets the provider's list as given.
    let everyone = page(vec![customer("1", BUSINESS), customer("3", OTHER)]);
    proxy.set(Fault::Answer(200, everyone.clone(), vec![]));
    assert_eq!(
        read(pair.client.get(&list).send().await.unwrap()).await,
        (StatusCode::OK, everyone)
    );
}
