//! A server of our own for one test: its own new database, its port random. The database is
//! a SQLite file in a temporary folder, or, when `PHONEDESK_TEST_POSTGRES` names a PostgreSQL
//! cluster (`cargo xtask test` starts a throwaway one), a new database on that cluster: the
//! whole suite runs on either engine.
//!
//! With `PHONEDESK_TEST_GATEWAY` set, the server is a gateway (`--upstream`) in front of a
//! second `phone-server` of the test's own, on its own SQLite file, playing the provider: the
//! suite then checks that a client cannot tell the gateway from the provider. Tests of what
//! only a server on its own data does say so with [`skip_in_gateway_mode`].
//!
//! Over 400 lines: the test server and the helpers every suite calls, in one place.

use std::{
    path::Path,
    process::{Command, Stdio},
};

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Location, Store};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The business every test customer belongs to.
pub const BUSINESS: &str = "3333333";

/// The server binary the tests run, as a deployment would.
pub const SERVER: &str = env!("CARGO_BIN_EXE_phone-server");

/// What the tests' own API client may do: everything.
pub fn every_business() -> ClientAccess {
    ClientAccess { businesses: Businesses::All, read_only: false }
}

/// A `phone-server` process of one test's own, started through `phone_launch` like every
/// server the tests, benchmarks and xtask run; killed when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:<port>/CustomerServices/v1.0`
    pub api: String,
    /// `http://127.0.0.1:<port>`
    pub root: String,
    pub client: Client,
    /// The access token `client` sends.
    token: String,
    database: Location,
    process: phone_launch::Server,
    /// In gateway mode, the server playing the provider.
    upstream: Option<Upstream>,
    /// Holds a SQLite database's file for as long as the server runs.
    folder: TempDir,
}

/// The provider, as a gateway test server has it: a `phone-server` of its own.
pub struct Upstream {
    pub process: phone_launch::Server,
    pub database: Location,
    /// The gateway's client id at the provider, and the file holding its secret.
    client_id: String,
    secret_file: std::path::PathBuf,
}

/// Whether the suite runs against a gateway (see the module's documentation).
pub fn gateway_mode() -> bool {
    std::env::var_os("PHONEDESK_TEST_GATEWAY").is_some()
}

/// Returns `true` (and says why) when the suite runs against a gateway and the test checks
/// what only a server on its own data does.
pub fn skip_in_gateway_mode(why: &str) -> bool {
    if gateway_mode() {
        eprintln!("not in gateway mode: {why}");
    }
    gateway_mode()
}

impl Upstream {
    /// A provider on a new SQLite file in `folder`, knowing the tests' business, with a client
    /// for the gateway.
    pub fn start(folder: &Path, flags: &[&str]) -> Self {
        let database = Location::Sqlite(folder.join("upstream.sqlite3"));
        let store = Store::create(&database).expect("the upstream's database");
        store.put_business(BUSINESS, "Debitsuccess 24/7 Fitness").expect("a business");
        let (id, secret) =
            accounts::add_client(&store, "gateway", &every_business()).expect("a client");
        drop(store);
        let secret_file = folder.join("upstream-secret");
        std::fs::write(&secret_file, secret).expect("a writable folder");
        // No limit on the gateway's credential, unless the test gives the provider one.
        let mut args =
            if flags.contains(&"--rate-limit") { vec![] } else { vec!["--rate-limit", "1000000"] };
        args.extend(flags);
        let process = start_process(&database, &args);
        Self { process, database, client_id: id, secret_file }
    }

    /// The provider's API.
    pub fn api(&self) -> String {
        format!("{}/CustomerServices/v1.0", self.process.base_url())
    }

    /// A gateway's flags for this provider, reached at `api` (its own, or a proxy's).
    pub fn gateway_flags(&self, api: &str) -> Vec<String> {
        [
            "--upstream",
            api,
            "--upstream-client-id",
            &self.client_id,
            "--upstream-client-secret-file",
            &self.secret_file.display().to_string(),
            "--upstream-rate",
            "1000000",
        ]
        .map(str::to_owned)
        .to_vec()
    }
}

impl TestServer {
    /// A server on a new database that knows one business.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// The same, with more of `phone-server`'s flags (`--rate-limit 3`, …).
    pub async fn start_with(flags: &[&str]) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let database = new_database(folder.path());
        Self::start_on(folder, database, flags).await
    }

    /// A server on `database` (new and empty), which `folder` holds if it is a file.
    pub async fn start_on(folder: TempDir, database: Location, flags: &[&str]) -> Self {
        let store = Store::create(&database).expect("a new database");
        store.put_business(BUSINESS, "Debitsuccess 24/7 Fitness").expect("a business");
        let (id, secret) =
            accounts::add_client(&store, "tests", &every_business()).expect("a client");
        drop(store);
        let mut server = Self::serve(folder, database, flags);
        server.token = token(&server.root, &id, &secret).await;
        server.client = authorised_client(&server.token);
        server
    }

    fn serve(folder: TempDir, database: Location, flags: &[&str]) -> Self {
        let upstream = gateway_mode().then(|| Upstream::start(folder.path(), &[]));
        Self::serve_with(folder, database, flags, upstream)
    }

    fn serve_with(
        folder: TempDir,
        database: Location,
        flags: &[&str],
        upstream: Option<Upstream>,
    ) -> Self {
        let gateway = upstream.as_ref().map(|u| u.gateway_flags(&u.api())).unwrap_or_default();
        let mut flags: Vec<&str> = flags.to_vec();
        flags.extend(gateway.iter().map(String::as_str));
        let process = start_process(&database, &flags);
        let root = process.base_url();
        Self {
            api: format!("{root}/CustomerServices/v1.0"),
            root,
            client: Client::new(),
            token: String::new(),
            database,
            process,
            upstream,
            folder,
        }
    }

    /// Stops the server gracefully (SIGTERM) and starts a new one on the same database.
    pub async fn restart(mut self) -> Self {
        self.process.stop().expect("the server stops cleanly");
        let folder = std::mem::replace(&mut self.folder, tempfile::tempdir().expect("a folder"));
        let upstream = self.upstream.take();
        let mut server = Self::serve_with(folder, self.database.clone(), &[], upstream);
        // The token is still good: the key that signed it is in the database.
        server.client = self.client.clone();
        server.token = self.token.clone();
        server
    }

    /// Starts a new server on the same database after this one was killed (`kill -9`).
    pub async fn restart_after_kill(mut self) -> Self {
        let folder = std::mem::replace(&mut self.folder, tempfile::tempdir().expect("a folder"));
        let upstream = self.upstream.take();
        let mut server = Self::serve_with(folder, self.database.clone(), &[], upstream);
        server.client = self.client.clone();
        server.token = self.token.clone();
        server
    }

    /// The access token the tests' client sends, for a request written by hand.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The server's process: to signal it, see how it ended, or find its metrics.
    pub fn process(&mut self) -> &mut phone_launch::Server {
        &mut self.process
    }

    /// The server's database: in gateway mode, the gateway's own (its accounts, its copy).
    pub fn database(&self) -> Location {
        self.database.clone()
    }

    /// Adds (or renames) a business where the customers are, and in the server's own database
    /// (a gateway knows the provider's businesses from its copy).
    pub fn put_business(&self, business_id: &str, name: &str) {
        for location in [self.data(), self.database()] {
            Store::open(&location)
                .expect("a database")
                .put_business(business_id, name)
                .expect("a business");
        }
    }

    /// Where the customers and numbers are: the provider's database in gateway mode.
    pub fn data(&self) -> Location {
        self.upstream.as_ref().map_or_else(|| self.database.clone(), |u| u.database.clone())
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.api)).send().await.expect("an answer")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.client.post(format!("{}{path}", self.api)).json(body).send().await.expect("an answer")
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.client.put(format!("{}{path}", self.api)).json(body).send().await.expect("an answer")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(format!("{}{path}", self.api)).send().await.expect("an answer")
    }

    /// Creates a customer whose primary number is `09 264 5555`; returns its id.
    pub async fn customer(&self, first_name: &str) -> String {
        let response = self
            .post(
                "/customers",
                &json!({
                    "businessId": BUSINESS, "firstName": first_name, "lastName": "Tester",
                    "phoneNumber": phone("09", "264 5555", "home", true)
                }),
            )
            .await;
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["customerId"].as_str().expect("a customer id").to_owned()
    }

    /// Adds a number to a customer; returns its id.
    pub async fn number(&self, customer: &str, area: &str, number: &str, primary: bool) -> String {
        let response = self
            .post(
                &format!("/customers/{customer}/phoneNumbers"),
                &phone(area, number, "work", primary),
            )
            .await;
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["phoneNumberId"].as_str().expect("a phone number id").to_owned()
    }

    /// Every phone number of a customer, following `nextCursor`.
    pub async fn all_numbers(&self, customer: &str) -> Vec<Value> {
        let mut numbers = Vec::new();
        let mut path = format!("/customers/{customer}/phoneNumbers?limit=3");
        loop {
            let (status, body) = read(self.get(&path).await).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            numbers.extend(body["phoneNumbers"].as_array().expect("a list").iter().cloned());
            match body["responseMetadata"]["nextCursor"].as_str() {
                Some(cursor) => {
                    path = format!("/customers/{customer}/phoneNumbers?limit=3&nextCursor={cursor}")
                }
                None => return numbers,
            }
        }
    }
}

/// An access token for a client, from the token endpoint of the server at `root`.
pub async fn token(root: &str, client_id: &str, secret: &str) -> String {
    let answer = Client::new()
        .post(format!("{root}/identity/connect/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .expect("an answer");
    let (status, body) = read(answer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

/// An HTTP client that sends this bearer token with every request.
pub fn authorised_client(token: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("ASCII");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Client::builder().default_headers(headers).build().expect("an HTTP client")
}

/// A phone number body under `+64`.
pub fn phone(area: &str, number: &str, phone_type: &str, primary: bool) -> Value {
    json!({
        "phoneName": "John", "countryCode": "+64", "areaCode": area, "phoneNumber": number,
        "phoneType": phone_type, "isPrimary": primary
    })
}

/// The status and JSON body of a response.
pub async fn read(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got {text:?}"));
    (status, body)
}

/// The body of a 400 with these (field, message) errors.
pub fn validation(errors: &[(&str, &str)]) -> Value {
    json!({
        "errorCode": "validation",
        "message": "Unable to process request due to validation errors.",
        "errors": errors.iter().map(|(field, message)| json!({"field": field, "message": message})).collect::<Vec<_>>()
    })
}

pub fn not_found() -> Value {
    json!({"message": "The requested resource could not be found."})
}

/// Ensures a path exists relative to the workspace, for tests that serve files.
pub fn write_file(folder: &Path, name: &str, text: &str) {
    std::fs::write(folder.join(name), text).expect("a writable folder");
}

/// The password of the test users.
pub const PASSWORD: &str = "correct horse battery staple";

/// A sign-in as the app sends it.
pub async fn sign_in(root: &str, name: &str, password: &str) -> Response {
    Client::new()
        .post(format!("{root}/auth/session"))
        .header("x-phonedesk-request", "1")
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .expect("an answer")
}

/// A staff member's browser after signing in as `name`: the session cookie on every request,
/// and the app's header when `as_app`.
pub async fn browser(root: &str, name: &str, as_app: bool) -> Client {
    let answer = sign_in(root, name, PASSWORD).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let cookie = answer.headers()[reqwest::header::SET_COOKIE].to_str().expect("ASCII").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().expect("a name=value").to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, session.parse().expect("a header value"));
    if as_app {
        headers.insert("x-phonedesk-request", "1".parse().expect("a header value"));
    }
    Client::builder().default_headers(headers).build().expect("an HTTP client")
}

/// `/readyz` at `root` once it answers `status`, or its answer after three seconds: one
/// readiness check answers the probes of a second.
pub async fn readiness(client: &Client, root: &str, status: StatusCode) -> (StatusCode, Value) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let answer = read(client.get(format!("{root}/readyz")).send().await.unwrap()).await;
        if answer.0 == status || std::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The contract's 403.
pub fn forbidden() -> Value {
    json!({"errorCode": "customer_access_denied", "message": "Unable to process this request as you do not have access to the customer associated to this request."})
}

/// The contract's 429.
pub fn too_many() -> Value {
    json!({"message": "You have exceeded the maximum limit of request allowed. Please try your request again in a moment."})
}

/// A `phone-server` process on `database`, with more flags.
pub fn start_process(database: &Location, flags: &[&str]) -> phone_launch::Server {
    start_command(server_command(None), database, flags)
}

/// The same, under an open-file limit (`ulimit -n`) of `open_files`.
pub fn start_process_with_open_files(
    open_files: u32,
    database: &Location,
    flags: &[&str],
) -> phone_launch::Server {
    start_command(server_command(Some(open_files)), database, flags)
}

fn start_command(
    mut command: Command,
    database: &Location,
    flags: &[&str],
) -> phone_launch::Server {
    command.arg("--database").arg(database.to_string()).args(flags);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    phone_launch::Server::start_command(command)
        .unwrap_or_else(|e| panic!("phone-server starts on {database}: {e}"))
}

/// The `phone-server` command, to which arguments are added; with `open_files`, run by a shell
/// that first sets that open-file limit (`ulimit -n`), then becomes the server (`exec`, so the
/// process is the server's own).
pub fn server_command(open_files: Option<u32>) -> Command {
    match open_files {
        None => Command::new(SERVER),
        Some(limit) => {
            let mut shell = Command::new("sh");
            shell.arg("-c").arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\"")).arg(SERVER);
            shell
        }
    }
}

/// A new PostgreSQL database for a test that needs that engine whichever the suite runs on:
/// on the suite's cluster if it has one, else on a throwaway cluster of the test's own, which
/// it holds until it ends (stopped and deleted when dropped).
pub fn postgres_database() -> (Option<phone_launch::Postgres>, Location) {
    match std::env::var("PHONEDESK_TEST_POSTGRES") {
        Ok(cluster) => (None, Location::Postgres(new_postgres_database(&cluster))),
        Err(_) => {
            let cluster = phone_launch::Postgres::start()
                .expect("a PostgreSQL cluster (cargo xtask test installs PostgreSQL)");
            let url = cluster.create_database("phonedesk").expect("a new database");
            (Some(cluster), Location::Postgres(url))
        }
    }
}

/// A new, empty database for one test: a SQLite file in `folder`, or a new database on the
/// PostgreSQL cluster that `PHONEDESK_TEST_POSTGRES` names.
pub fn new_database(folder: &Path) -> Location {
    match std::env::var("PHONEDESK_TEST_POSTGRES") {
        Ok(cluster) if !gateway_mode() => Location::Postgres(new_postgres_database(&cluster)),
        _ => Location::Sqlite(folder.join("phonedesk.sqlite3")),
    }
}

/// Creates a database with a fresh name on the cluster at `cluster` (a URL of one of its
/// databases); returns its URL.
fn new_postgres_database(cluster: &str) -> String {
    static CREATED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    phone_launch::create_database(cluster, &name).expect("a new database")
}
