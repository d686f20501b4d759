//! The end-to-end harness: the release-built staff app in a headless browser — Chromium through
//! chromedriver, or Firefox through geckodriver, as `PHONEDESK_E2E_BROWSER` says — against
//! `phone-server` on its own database and port.
//!
//! Nothing is left behind, even when a test fails: each driver runs in its own process group,
//! which is killed; the browser sessions are always closed; the private temporary folder (the
//!
//! Over 400 lines: the one harness every scenario shares (processes, WebDriver calls, page
//! helpers); split by size, a scenario's helpers would be spread over files it must all read.

use std::{
    future::Future,
    net::TcpListener as StdListener,
    os::unix::process::CommandExt,
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use futures::FutureExt;
use phone_model::{Businesses, CustomerQuery, PageSize, PhoneNumberResource};
use phone_server::{accounts, demo};
use phone_store::{ClientAccess, CustomerFilter, Location, Role, Store};
use serde_json::{Value, json};
use tempfile::TempDir;

/// What a scenario returns: a failed WebDriver command fails the test with its message.
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long to wait for something to appear.
const PATIENCE: Duration = Duration::from_secs(10);

/// geckodriver: `GECKODRIVER`, which `cargo xtask test` sets, or Cargo's install of it.
fn geckodriver() -> PathBuf {
    std::env::var_os("GECKODRIVER").map_or_else(
        || {
            let home = std::env::var_os("HOME").unwrap_or_default();
            PathBuf::from(home).join(".cargo/bin/geckodriver")
        },
        PathBuf::from,
    )
}

/// The workspace root (this crate is `crates/phone-e2e`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `phone-server` binary the scenarios run: `PHONEDESK_SERVER`, which `cargo xtask test`
/// sets after building it, or else the workspace's debug build.
fn server_binary() -> PathBuf {
    std::env::var_os("PHONEDESK_SERVER")
        .map_or_else(|| root().join("target/debug/phone-server"), PathBuf::from)
}

/// The browsers the scenarios run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    /// The browser of this run: `PHONEDESK_E2E_BROWSER` (`chromium`, the default, or `firefox`).
    ///
    /// # Panics
    /// When the variable names another browser.
    pub fn of_this_run() -> Self {
        match std::env::var("PHONEDESK_E2E_BROWSER").as_deref() {
            Err(_) | Ok("chromium") => Self::Chromium,
            Ok("firefox") => Self::Firefox,
            Ok(other) => panic!("PHONEDESK_E2E_BROWSER is {other:?}: chromium or firefox"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
        }
    }
}

/// One scenario's world: a browser session, the app's address, and the server behind it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub client: Client,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    /// Which browser this is.
    pub browser: Browser,
    /// The scenario's private folder, for the drivers of more browsers.
    folder: Arc<PathBuf>,
    /// The drivers of more people's browsers (see [`Ctx::another_person`]), stopped at the end.
    more_drivers: Arc<Mutex<Vec<Driver>>>,
    /// Their browsers, whose consoles are read at the end.
    more_clients: Arc<Mutex<Vec<Client>>>,
    /// What a scenario expects its browsers' consoles to say (see [`Ctx::expect_console`]).
    expected_console: Arc<Mutex<Vec<&'static str>>>,
    lookups: Arc<Store>,
    server: Arc<Mutex<Option<phone_launch::Server>>>,
    /// In front of the provider (see [`run_in_front_of_provider`]), the server playing it.
    provider: Arc<Mutex<Option<phone_launch::Server>>>,
    /// Behind the proxy of [`run_holding`], what lets the held requests through.
    gate: Option<Arc<tokio::sync::watch::Sender<bool>>>,
}

/// Runs a scenario with a fresh server, database, chromedriver and browser, and cleans up
/// whatever happens.
///
/// # Panics
/// When the scenario fails (its error or panic), or the harness cannot start.
pub fn run<F, Fut>(scenario: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result>,
{
    run_with(App::Built, scenario);
}

/// Like [`run`], against the app as a browser gets it when its code cannot be downloaded
/// (`dist/` without any wasm: the staff app's, and the validator's under `/embed/`), with
/// nobody signed in.
///
/// # Panics
/// As [`run`].
pub fn run_without_app_code<F, Fut>(scenario: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result>,
{
    run_with(App::WithoutCode, scenario);
}

/// Like [`run`], with the server in gateway mode (`--upstream`, a sync every second) in front
/// of a second `phone-server` that plays the provider and holds the demo customers:
/// [`Ctx::numbers_of`] and [`Ctx::customer_id`] read the provider's database.
///
/// # Panics
/// As [`run`].
pub fn run_in_front_of_provider<F, Fut>(scenario: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result>,
{
    run_with(App::Gateway, scenario);
}

/// Like [`run`], behind a proxy that holds back each request whose first bytes contain `held`
/// (part of a path: `"/plans-"`, `"_bg.wasm"`) until the scenario calls [`Ctx::release`]: a
/// download as slow as the scenario wants, in either browser. Nobody is signed in.
///
/// # Panics
/// As [`run`].
pub fn run_holding<F, Fut>(held: &'static str, scenario: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result>,
{
    run_with(App::Holding(held), scenario);
}

/// Which app the scenario's server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum App {
    /// The release build in `dist/`.
    Built,
    /// The same without any wasm.
    WithoutCode,
    /// The release build, served by a gateway to a provider of the scenario's own.
    Gateway,
    /// The release build, behind a proxy that holds requests for paths with this in them.
    Holding(&'static str),
}

fn run_with<F, Fut>(app: App, scenario: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let folder = tempfile::tempdir().expect("a private temporary folder");
    let browser = Browser::of_this_run();
    let mut driver = Driver::start(folder.path(), browser)
        .unwrap_or_else(|e| panic!("[{}] the driver starts: {e}", browser.name()));
    let outcome = runtime.block_on(async {
        let ctx = match start(&folder, &driver, app, browser).await {
            Ok(ctx) => ctx,
            Err(error) => {
                return (
                    Err(format!("the harness did not start: {error}")),
                    Vec::new(),
                    Vec::new(),
                );
            }
        };
        let client = ctx.client.clone();
        let result = AssertUnwindSafe(scenario(ctx.clone())).catch_unwind().await;
        let more =
            std::mem::take(&mut *ctx.more_clients.lock().expect("no test panics holding them"));
        let mut console = Vec::new();
        // Always close the sessions, whatever the scenario did; Chromium's consoles are read
        // first, Firefox's once its drivers have stopped.
        for client in std::iter::once(client).chain(more) {
            console.extend(chromium_console(&client, browser).await);
            let _ = client.close().await;
        }
        ctx.stop_server();
        let mut more_drivers = std::mem::take(
            &mut *ctx.more_drivers.lock().expect("no test panics holding the drivers"),
        );
        for driver in &mut more_drivers {
            driver.stop();
            console.extend(driver.firefox_console());
        }
        let expected = ctx.expected_console.lock().expect("no test panics holding it").clone();
        let result = match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(error.to_string()),
            Err(panic) => Err(panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "the scenario panicked".to_owned())),
        };
        (result, console, expected)
    });
    runtime.shutdown_timeout(Duration::from_secs(2));
    driver.stop();
    let (result, mut console, mut expected) = outcome;
    console.extend(driver.firefox_console());
    expected.extend(EXPECTED_EVERYWHERE);
    console.retain(|line| !expected.iter().any(|e| line.contains(e)));
    let console = console.join("\n");
    drop(folder);
    match result {
        // What the console said may be why the scenario failed.
        Err(message) if console.is_empty() => panic!("[{}] {message}", browser.name()),
        Err(message) => {
            panic!("[{}] {message}\nThe browser's console said:\n{console}", browser.name())
        }
        Ok(()) if !console.is_empty() => {
            panic!("[{}] the browser's console had errors or warnings:\n{console}", browser.name())
        }
        Ok(()) => {}
    }
}

/// Console lines every scenario causes, and why they are not the app's faults.
const EXPECTED_EVERYWHERE: &[&str] = &[
    // Chromium reports every answer of 400 or more as a failed load: the page and the app ask
    // `/auth/session` who is signed in, which answers 401 while nobody is (each scenario signs
    // in from there).
    "/auth/session - Failed to load resource: the server responded with a status of 401",
];

/// Chromium's `se/log` command: the browser's console since the last call, each entry with its
/// level, including uncaught errors and failed loads (`Failed to load resource: … 404`).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// Chromium's network conditions: every request waits `latency` ms; 0 lifts it.
#[derive(Debug)]
struct NetworkConditions {
    latency: u32,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        if self.latency == 0 {
            return (http::Method::DELETE, None);
        }
        let conditions = json!({"network_conditions": {
            "offline": false, "latency": self.latency,
            "download_throughput": 10_000_000, "upload_throughput": 10_000_000
        }});
        (http::Method::POST, Some(conditions.to_string()))
    }
}

/// In Chromium, what the page logged at warning level or above (nothing in Firefox, whose
/// console is in its driver's output: see [`Driver::firefox_console`]).
async fn chromium_console(client: &Client, browser: Browser) -> Vec<String> {
    if browser != Browser::Chromium {
        return Vec::new();
    }
    let Ok(Value::Array(entries)) = client.issue_cmd(BrowserLog).await else {
        return vec!["the browser's console could not be read".to_owned()];
    };
    entries
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
        .map(|e| {
            format!(
                "{}: {}",
                e["level"].as_str().unwrap_or_default(),
                e["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

async fn start(folder: &TempDir, driver: &Driver, app: App, browser: Browser) -> Result<Ctx> {
    let database = Location::Sqlite(folder.path().join("phonedesk.sqlite3"));
    let store = Store::create(&database)?;
    for (name, role) in [("editor", Role::Editor), ("sam", Role::Editor), ("viewer", Role::Viewer)]
    {
        accounts::add_user(&store, name, role, &Businesses::All, PASSWORD)?;
    }
    drop(store);
    // Where the customers are: the server's own database, or the provider's.
    let data = match app {
        App::Gateway => Location::Sqlite(folder.path().join("provider.sqlite3")),
        App::Built | App::WithoutCode | App::Holding(_) => database.clone(),
    };
    demo::seed_if_empty(&Store::create(&data)?)?;
    let lookups = Arc::new(Store::open(&data)?);
    let dist = root().join("dist");
    if !dist.join("index.html").exists() {
        return Err(
            "dist/ has no built app: run `cargo xtask test` (or `trunk build --release`) first"
                .into(),
        );
    }
    let dist = match app {
        App::Built | App::Gateway | App::Holding(_) => dist,
        App::WithoutCode => {
            let copy = folder.path().join("dist");
            copy_without_wasm(&dist, &copy)?;
            copy
        }
    };
    let binary = server_binary();
    if !binary.exists() {
        return Err(format!(
            "no phone-server at {}: run `cargo xtask test` (or `cargo build -p phone-server`) first",
            binary.display()
        )
        .into());
    }
    let (location, dist) = (database.to_string(), dist.to_string_lossy().into_owned());
    let mut args = vec!["--database".to_owned(), location, "--app-dir".to_owned(), dist];
    let provider = match app {
        App::Gateway => {
            let everything = ClientAccess { businesses: Businesses::All, read_only: false };
            let (id, secret) = accounts::add_client(&lookups, "gateway", &everything)?;
            let secret_file = folder.path().join("provider-secret");
            std::fs::write(&secret_file, secret)?;
            let provider =
                phone_launch::Server::start(&binary, &["--database", &data.to_string()])?;
            args.extend([
                "--upstream".to_owned(),
                format!("{}/CustomerServices/v1.0", provider.base_url()),
                "--upstream-client-id".to_owned(),
                id,
                "--upstream-client-secret-file".to_owned(),
                secret_file.display().to_string(),
                "--sync-interval".to_owned(),
                "1".to_owned(),
            ]);
            Some(provider)
        }
        App::Built | App::WithoutCode | App::Holding(_) => None,
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = phone_launch::Server::start(&binary, &args)?;
    let (base, gate) = match app {
        App::Holding(held) => {
            let (base, gate) = hold(&server.base_url(), held).await?;
            (base, Some(gate))
        }
        _ => (server.base_url(), None),
    };
    let client = session(&driver.url, browser).await?;
    let ctx = Ctx {
        client,
        base,
        browser,
        folder: Arc::new(folder.path().to_owned()),
        more_drivers: Arc::new(Mutex::new(Vec::new())),
        more_clients: Arc::new(Mutex::new(Vec::new())),
        expected_console: Arc::new(Mutex::new(Vec::new())),
        lookups,
        server: Arc::new(Mutex::new(Some(server))),
        provider: Arc::new(Mutex::new(provider)),
        gate,
    };
    // Every scenario works as an editor unless it signs in as someone else.
    if matches!(app, App::Built | App::Gateway) {
        ctx.sign_in("editor").await?;
    }
    Ok(ctx)
}

/// A proxy in front of `upstream` (`http://127.0.0.1:PORT`) that passes bytes both ways as
/// they come, except a request whose first bytes contain `held`, which waits until the gate
/// opens. Its base URL, and the gate.
async fn hold(
    upstream: &str,
    held: &'static str,
) -> Result<(String, Arc<tokio::sync::watch::Sender<bool>>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let target = upstream.trim_start_matches("http://").to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let gate = Arc::new(tokio::sync::watch::channel(false).0);
    let opens = Arc::clone(&gate);
    tokio::spawn(async move {
        while let Ok((browser, _)) = listener.accept().await {
            let (target, mut opened) = (target.clone(), opens.subscribe());
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(&target).await else { return };
                let (mut from_browser, mut to_browser) = browser.into_split();
                let (mut from_server, mut to_server) = server.into_split();
                let requests = async move {
                    let mut buffer = vec![0; 64 * 1024];
                    while let Ok(read @ 1..) = from_browser.read(&mut buffer).await {
                        // A request's first line is at the start of what the browser sends.
                        let head = &buffer[..read.min(256)];
                        if head.windows(held.len()).any(|bytes| bytes == held.as_bytes()) {
                            let _ = opened.wait_for(|open| *open).await;
                        }
                        if to_server.write_all(&buffer[..read]).await.is_err() {
                            break;
                        }
                    }
                    let _ = to_server.shutdown().await;
                };
                let answers = async move {
                    let _ = tokio::io::copy(&mut from_server, &mut to_browser).await;
                    let _ = to_browser.shutdown().await;
                };
                tokio::join!(requests, answers);
            });
        }
    });
    Ok((base, gate))
}

/// Copies the built app, its folders too (the validator's `embed/`), without any wasm: every
/// page as a browser gets it when a network or a policy keeps the code away.
fn copy_without_wasm(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            copy_without_wasm(&entry.path(), &to.join(&name))?;
        } else if !name.contains(".wasm") {
            // The app's `*_bg.wasm`; the package's `phone_wasm.wasm` and the module that
            // carries the same bytes inlined, `phone_wasm.wasm.js`.
            std::fs::copy(entry.path(), to.join(name))?;
        }
    }
    Ok(())
}

/// A new headless browser session of its own (its own profile: its own cookies).
async fn session(driver: &str, browser: Browser) -> Result<Client> {
    let capabilities = match browser {
        Browser::Chromium => json!({
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1100,900"
                ]
            }
        }),
        // The window's size is geckodriver's environment's (see `Driver::start`). A page's
        // "leave this page?" prompt is left for the scenario to answer, as in Chromium.
        Browser::Firefox => json!({
            "browserName": "firefox",
            "unhandledPromptBehavior": {"beforeUnload": "ignore", "default": "dismiss and notify"},
            // The page's console goes to Firefox's output, which the driver's log keeps.
            "moz:firefoxOptions": {
                "binary": firefox_binary(), "args": ["-headless"],
                "prefs": {"devtools.console.stdout.content": true}
            }
        }),
    };
    let Value::Object(capabilities) = capabilities else { unreachable!("a JSON object literal") };
    Ok(ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver)
        .await?)
}

/// Debian's Firefox ESR, or a `firefox` elsewhere on the system.
fn firefox_binary() -> &'static str {
    if Path::new("/usr/bin/firefox-esr").exists() {
        "/usr/bin/firefox-esr"
    } else {
        "/usr/bin/firefox"
    }
}

/// The password of the scenarios' users: `editor` and `sam`, who may change numbers, and
/// `viewer`.
pub const PASSWORD: &str = "correct horse battery staple";

impl Ctx {
    /// A second person at another computer: a browser of their own on the same server, signed
    /// in as `username`. Close its `client` at the end (chromedriver's end closes it anyway).
    pub async fn another_person(&self, username: &str) -> Result<Self> {
        // A driver of its own: geckodriver runs one session at a time.
        let driver = Driver::start(&self.folder, self.browser)?;
        let client = session(&driver.url, self.browser).await?;
        self.more_drivers.lock().expect("no test panics holding the drivers").push(driver);
        self.more_clients.lock().expect("no test panics holding them").push(client.clone());
        let other = Self { client, ..self.clone() };
        other.sign_in(username).await?;
        Ok(other)
    }

    /// Says the scenario makes the browser's console say something containing `text` (a
    /// refused connection, when it stops the server): the end-of-scenario check, which fails
    /// on any other error or warning, lets it pass.
    pub fn expect_console(&self, text: &'static str) {
        self.expected_console.lock().expect("no test panics holding it").push(text);
    }

    /// A customer's phone numbers as the database holds them, oldest first.
    pub fn numbers_of(&self, customer_id: &str) -> Result<Vec<PhoneNumberResource>> {
        Ok(self.lookups.phone_numbers(customer_id, &Businesses::All, 0, PageSize::MAX)?.items)
    }

    /// Signs in through the app's sign-in page.
    pub async fn sign_in(&self, username: &str) -> Result {
        self.open("/").await?;
        // The app asks the server who is signed in first: wait for its answer either way.
        let present = |test_id: &'static str| async move {
            Result::<bool>::Ok(!self.all(test_id).await?.is_empty())
        };
        self.wait_until("the app knows who is signed in", || async {
            Ok(present("sign-in-form").await? || present("sign-out").await?)
        })
        .await?;
        if present("sign-out").await? {
            self.find("sign-out").await?.click().await?;
        }
        self.find("sign-in-form").await?;
        self.fill("username", username).await?;
        self.fill("password", PASSWORD).await?;
        self.find("sign-in").await?.click().await?;
        self.wait_for_text("signed-in-as", username).await?;
        Ok(())
    }

    /// Behind the proxy of [`run_holding`], lets the held requests through, and every later one.
    pub fn release(&self) {
        if let Some(gate) = &self.gate {
            gate.send_replace(true);
        }
    }

    /// Opens a path of the app, and waits for the app to have started: the sign-in form
    /// index.html paints before it is the app's own by then (see [`Ctx::open_page`]).
    pub async fn open(&self, path: &str) -> Result {
        self.open_page(path).await?;
        self.find("product-name").await?;
        Ok(())
    }

    /// Opens the form for a new number of the customer with this id, and waits for it.
    pub async fn open_new_number(&self, customer_id: &str) -> Result {
        self.open(&format!("/customers/{customer_id}/phone-numbers/new")).await?;
        self.find("phone-form").await?;
        Ok(())
    }

    /// Opens a path, and returns as soon as the browser has the page: the validator's pages
    /// (`/embed/`), or the app's as it is before the app has started (index.html's frame, its
    /// sign-in form).
    pub async fn open_page(&self, path: &str) -> Result {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    /// Opens the search page and waits until its box has focus, as it does on arrival (once
    /// the app has rendered the page and focused it: keys pressed before that go nowhere).
    pub async fn open_search(&self) -> Result {
        self.open("/").await?;
        self.find("customer-search").await?;
        self.wait_until("the search box has focus", || async {
            let active = self.client.active_element().await?.attr("data-testid").await?;
            Ok(active.as_deref() == Some("customer-search"))
        })
        .await
    }

    /// The `data-testid` of the element that has focus (`None` for one without, or the body).
    pub async fn focused(&self) -> Result<Option<String>> {
        Ok(self.client.active_element().await?.attr("data-testid").await?)
    }

    /// Waits until the element with this `data-testid` has focus.
    pub async fn wait_for_focus(&self, test_id: &str) -> Result {
        let what = format!("{test_id} has focus");
        // (The focused element may be drawn again between two questions about it.)
        let waited = self.wait_until(&what, || async {
            Ok(self.focused().await.ok().flatten().as_deref() == Some(test_id))
        });
        if let Err(error) = waited.await {
            let tag = self.client.active_element().await?.tag_name().await?;
            let on = self.focused().await?;
            return Err(format!("{error}: focus is on a {tag} with data-testid {on:?}").into());
        }
        Ok(())
    }

    /// Presses keys (text, or `fantoccini::key::Key`s as characters) on whatever has focus.
    pub async fn press(&self, keys: &str) -> Result {
        self.client.active_element().await?.send_keys(keys).await?;
        Ok(())
    }

    /// A slow connection: in Chromium, every request from now on waits `latency` ms (0: none
    /// again). Firefox's driver cannot slow its network, so there it changes nothing.
    pub async fn slow_connection(&self, latency: u32) -> Result {
        if self.browser == Browser::Chromium {
            self.client.issue_cmd(NetworkConditions { latency }).await?;
        }
        Ok(())
    }

    /// Adds a staff user who sees only `businesses`, with the scenarios' password.
    pub fn add_user(&self, name: &str, role: Role, businesses: &[&str]) -> Result {
        accounts::add_user(
            &self.lookups,
            name,
            role,
            &Businesses::only(businesses.iter().copied()),
            PASSWORD,
        )?;
        Ok(())
    }

    /// Waits for the element with this `data-testid`.
    pub async fn find(&self, test_id: &str) -> Result<Element> {
        Ok(self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&format!("[data-testid={test_id}]")))
            .await?)
    }

    /// Every element with this `data-testid` now.
    pub async fn all(&self, test_id: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(&format!("[data-testid={test_id}]"))).await?)
    }

    /// The text of the element with this `data-testid`.
    pub async fn text(&self, test_id: &str) -> Result<String> {
        Ok(self.find(test_id).await?.text().await?)
    }

    /// Waits until the element's text contains `expected`, and returns the text.
    pub async fn wait_for_text(&self, test_id: &str, expected: &str) -> Result<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text =
                match self.client.find(Locator::Css(&format!("[data-testid={test_id}]"))).await {
                    Ok(element) => element.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
            if text.contains(expected) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "[data-testid={test_id}] never said {expected:?}; it says {text:?}"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `condition` holds.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut condition: F) -> Result
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<bool>>,
    {
        let deadline = Instant::now() + PATIENCE;
        while !condition().await? {
            if Instant::now() > deadline {
                return Err(format!("timed out waiting until {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Replaces the text of an input, as a person selecting all and typing would.
    pub async fn fill(&self, test_id: &str, text: &str) -> Result {
        let input = self.find(test_id).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        if text.is_empty() {
            // Clearing alone is no input event: a key typed and taken back is, as a person's.
            input.send_keys(" ").await?;
            input.send_keys(&char::from(fantoccini::key::Key::Backspace).to_string()).await?;
        }
        Ok(())
    }

    /// Chooses an option of a select by its value.
    pub async fn choose(&self, test_id: &str, value: &str) -> Result {
        let select = self.find(test_id).await?;
        select.select_by_value(value).await?;
        Ok(())
    }

    /// The customer id of the demo customer with this first name.
    pub fn customer_id(&self, first_name: &str) -> Result<String> {
        let filter =
            CustomerFilter { search: Some(CustomerQuery::parse(first_name)), ..Default::default() };
        let page = self.lookups.customers(&filter, &Businesses::All, 0, PageSize::MAX)?;
        Ok(page.items.into_iter().next().ok_or("no such demo customer")?.customer_id)
    }

    /// Adds `count` customers (one number each) to the demo business `3333333`, straight into
    /// the server's database, for a scenario that needs more than a page of them.
    pub fn add_customers(&self, count: usize) -> Result {
        self.lookups.fill_for_benchmark("3333333", count, 1)?;
        Ok(())
    }

    /// Stops the server: it answers nothing more. The incoming-call banner's open stream of
    /// events breaks with it, which Chromium reports.
    pub fn stop_server(&self) {
        self.expect_console("callEvents - Failed to load resource: net::ERR_INCOMPLETE_CHUNKED");
        for server in [&self.server, &self.provider] {
            if let Some(mut server) = server.lock().expect("no test panics holding it").take() {
                let _ = server.kill();
            }
        }
    }

    /// In front of the provider, stops the provider: the gateway still answers.
    pub fn stop_provider(&self) {
        if let Some(mut provider) = self.provider.lock().expect("no test panics holding it").take()
        {
            let _ = provider.kill();
        }
    }

    /// Adds a work number to a customer straight into the database (in front of the provider,
    /// the provider's): as another client of the API would, not through the app.
    pub fn add_number_directly(
        &self,
        customer_id: &str,
        country: &str,
        area: &str,
        number: &str,
    ) -> Result {
        let input = phone_model::PhoneNumberInput {
            phone_name: phone_model::Value::text("Added at the provider"),
            country_code: phone_model::Value::text(country),
            area_code: phone_model::Value::text(area),
            phone_number: phone_model::Value::text(number),
            phone_type: phone_model::Value::text("work"),
            is_primary: phone_model::Value::Bool(false),
            ..phone_model::PhoneNumberInput::default()
        };
        let valid =
            phone_model::validate_create(&input).into_result().map_err(|e| format!("{e:?}"))?;
        let change = phone_store::Change { actor: "the provider", at: 0 };
        self.lookups.create_phone_number(customer_id, &Businesses::All, &valid, &change, None)?;
        Ok(())
    }

    /// Saves a PNG of the page as `target/screenshots/<name>.png` (Chromium's: the README's
    /// pictures are of one browser).
    pub async fn screenshot(&self, name: &str) -> Result {
        if self.browser != Browser::Chromium {
            return Ok(());
        }
        let png = self.client.screenshot().await?;
        let folder = root().join("target/screenshots");
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{name}.png")), png)?;
        Ok(())
    }

    /// Runs axe-core (from the npm registry, in `node_modules/`) on the page and returns its
    /// violations, one line each.
    pub async fn accessibility_violations(&self) -> Result<Vec<String>> {
        // axe-core sets an inline style as it measures colour contrast, which the validator's
        // demo page refuses (its policy allows only its own style, by hash): axe's, not the
        // page's, and no style of the page is lost.
        self.expect_console("Applying inline style violates");
        let axe = std::fs::read_to_string(root().join("node_modules/axe-core/axe.min.js"))
            .map_err(|e| format!("axe-core is missing (npm ci installs it): {e}"))?;
        self.client.execute(&axe, vec![]).await?;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v =>
                        `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(found)?)
    }
}

/// A WebDriver server (chromedriver or geckodriver) in a process group of its own, with a
/// private TMPDIR.
#[derive(Debug)]
struct Driver {
    child: Child,
    url: String,
    stopped: bool,
    /// The driver's output, and with it Firefox's.
    log: PathBuf,
    browser: Browser,
}

impl Driver {
    fn start(folder: &Path, browser: Browser) -> std::io::Result<Self> {
        let port = StdListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let tmp = folder.join(format!("tmp-{port}"));
        std::fs::create_dir_all(&tmp)?;
        let mut command = match browser {
            Browser::Chromium => {
                let mut chromedriver = Command::new("/usr/bin/chromedriver");
                chromedriver.arg(format!("--port={port}"));
                chromedriver
            }
            Browser::Firefox => {
                let mut geckodriver = Command::new(geckodriver());
                geckodriver
                    .args(["--port", &port.to_string()])
                    .env("MOZ_HEADLESS_WIDTH", "1100")
                    .env("MOZ_HEADLESS_HEIGHT", "900");
                geckodriver
            }
        };
        let log = folder.join(format!("driver-{port}.log"));
        let output = std::fs::File::create(&log)?;
        let child = command
            .env("TMPDIR", &tmp)
            .stdout(output.try_clone()?)
            .stderr(output)
            .process_group(0)
            .spawn()?;
        let url = format!("http://127.0.0.1:{port}");
        let driver = Self { child, url, stopped: false, log, browser };
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(std::io::Error::other(format!("{} did not listen", browser.name())));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// Kills the driver and every browser process it started (its whole process group).
    fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        // The browser's processes die a moment later; wait for the group to be gone, so that
        // nothing of this test outlives it.
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline
            && Command::new("kill")
                .args(["-0", "--", &group])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Driver {
    /// In Firefox, what the page logged as an error or a warning, and its uncaught errors,
    /// from the driver's output once it has stopped. The browser's own modules log there too
    /// (`console.error: RSLoader: …`); a page's console values are printed quoted, and its
    /// errors name the page's address.
    fn firefox_console(&self) -> Vec<String> {
        if self.browser != Browser::Firefox {
            return Vec::new();
        }
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        output
            .lines()
            .filter(|line| {
                line.starts_with("console.error: \"")
                    || line.starts_with("console.warn: \"")
                    || line.starts_with("JavaScript error: http://127.0.0.1")
            })
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A phone system reporting calls to the scenario's server as an API client of one business
/// does: `POST /calls` over HTTP, with its bearer token.
#[derive(Debug, Clone)]
pub struct PhoneSystem {
    base: String,
    token: String,
}

impl Ctx {
    /// A phone system of `business`: an API client added straight into the database, with a
    /// token from the token endpoint.
    pub async fn phone_system(&self, business: &str) -> Result<PhoneSystem> {
        let access = ClientAccess { businesses: Businesses::only([business]), read_only: false };
        let (id, secret) = accounts::add_client(&self.lookups, "phone system", &access)?;
        let form =
            [("grant_type", "client_credentials"), ("client_id", &id), ("client_secret", &secret)];
        let url = format!("{}/identity/connect/token", self.base);
        let answer = answered(reqwest::Client::new().post(url).form(&form)).await?;
        let token = answer["access_token"].as_str().ok_or("the token endpoint gave no token")?;
        Ok(PhoneSystem { base: self.base.clone(), token: token.to_owned() })
    }
}

impl PhoneSystem {
    /// Reports a call's event (`{"from": …, "state": "ringing", "callId": …}`); the server's
    /// answer, the `CallEvent` staff are told of.
    pub async fn report(&self, event: &Value) -> Result<Value> {
        let url = format!("{}/CustomerServices/v1.0/calls", self.base);
        answered(reqwest::Client::new().post(url).bearer_auth(&self.token).json(event)).await
    }
}

/// The JSON answer to a request, which must be a 200.
async fn answered(request: reqwest::RequestBuilder) -> Result<Value> {
    let answer = request.send().await?;
    let status = answer.status();
    let body = answer.text().await?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("answered {status}: {body}").into());
    }
    Ok(serde_json::from_str(&body)?)
}
