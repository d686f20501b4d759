//! The server's configuration: flags, each also settable by an environment variable.

// Over 400 lines: every flag and command with the documentation clap shows as its help.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use phone_model::{BusinessId, Businesses};

use phone_http::{client_address::Cidr, serving::Timeouts};
use phone_store::{Location, Opening};

use clap::{Parser, Subcommand, ValueEnum};

/// Where the data is unless `--database` says otherwise: a SQLite file, relative to the folder
/// the server runs in.
pub const DEFAULT_DATABASE: &str = "data/phonedesk.sqlite3";

/// Phonedesk's server: the Phone Number API on SQLite or PostgreSQL, and the staff app.
#[derive(Debug, Parser)]
#[command(name = "phone-server", version = phone_http::version::LONG)]
pub struct Config {
    /// Make the database, manage businesses, API clients or staff users, rotate the signing
    /// keys, or copy, back up or restore the data, instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Address to listen on.
    #[arg(long, env = "PHONEDESK_ADDRESS", default_value = "127.0.0.1:8080")]
    pub address: SocketAddr,
    /// Where the data is: a SQLite file, or a PostgreSQL database as
    /// `postgres://user:password@host:port/database`. It must exist, with its schema (`init`
    /// makes it), unless --create-database. Give a URL with a password through
    /// PHONEDESK_DATABASE, which `ps` does not show.
    #[arg(long, env = "PHONEDESK_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: Location,
    /// Make the database if there is none (a SQLite file and its folder, or the schema in an
    /// empty PostgreSQL database). Without it a missing one is an error naming it.
    #[arg(long, global = true)]
    pub create_database: bool,
    /// Serve a database whose schema a newer phone-server migrated, instead of refusing it:
    /// safe only when every newer migration merely adds (README, "Upgrading").
    #[arg(long, env = "PHONEDESK_ALLOW_NEWER_SCHEMA", global = true)]
    pub allow_newer_schema: bool,
    /// The built staff app (Trunk's `dist/`), served outside the API.
    #[arg(long, env = "PHONEDESK_APP_DIR")]
    pub app_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (comma-separated); none by default.
    #[arg(long, env = "PHONEDESK_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Requests each caller (an API client, a staff member, or else an address) may make per
    /// window.
    #[arg(long, env = "PHONEDESK_RATE_LIMIT", default_value_t = 1200)]
    pub rate_limit: u32,
    /// Sign-ins and token requests each address may make per window.
    #[arg(long, env = "PHONEDESK_SIGN_IN_LIMIT", default_value_t = 30)]
    pub sign_in_limit: u32,
    /// The rate limit's window, in seconds.
    #[arg(long, env = "PHONEDESK_RATE_WINDOW", default_value_t = 60)]
    pub rate_window: u64,
    /// Log format.
    #[arg(long, env = "PHONEDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// One line at `info` per answered request (target `phonedesk::access`): `off` leaves them
    /// out, as `RUST_LOG=info,phonedesk::access=off` does.
    #[arg(long, env = "PHONEDESK_ACCESS_LOG", value_enum, default_value_t = AccessLog::On)]
    pub access_log: AccessLog,
    /// The server's public base URL, as clients reach it (`https://phonedesk.example.com`): the
    /// identity service's issuer, and `https` makes cookies `Secure`. Default: `http://` and
    /// the address listened on.
    #[arg(long, env = "PHONEDESK_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seed demonstration customers into a new, empty database (never into one with data).
    #[arg(long)]
    pub demo: bool,
    /// Gateway mode: the provider's API that every contract operation goes to
    /// (`https://oc.debitsuccess.com/CustomerServices/v1.0`). The database then keeps staff,
    /// clients, sessions, a copy of the provider's customers for search, the history of changes
    /// made through Phonedesk, and idempotency keys. See the README, "Phonedesk in front of the
    /// provider".
    #[arg(long, env = "PHONEDESK_UPSTREAM")]
    pub upstream: Option<String>,
    /// The provider's token endpoint. Default: `/identity/connect/token` on the upstream's host.
    #[arg(long, env = "PHONEDESK_UPSTREAM_TOKEN_URL", requires = "upstream")]
    pub upstream_token_url: Option<String>,
    /// Phonedesk's client id at the provider.
    #[arg(long, env = "PHONEDESK_UPSTREAM_CLIENT_ID", requires = "upstream")]
    pub upstream_client_id: Option<String>,
    /// A file holding Phonedesk's client secret at the provider (or set
    /// PHONEDESK_UPSTREAM_CLIENT_SECRET). Never a flag: `ps` shows flags to everyone.
    #[arg(long, env = "PHONEDESK_UPSTREAM_CLIENT_SECRET_FILE", requires = "upstream")]
    pub upstream_client_secret_file: Option<PathBuf>,
    /// Requests per second sent to the provider at most; its own `X-RateLimit-*` headers hold
    /// the gateway back further when they say its window is spent.
    #[arg(long, env = "PHONEDESK_UPSTREAM_RATE", default_value_t = 20.0)]
    pub upstream_rate: f64,
    /// The percentage of that rate, and of the provider's window, that one caller (an API
    /// client, a staff member) may use: one tenant's caller cannot spend every tenant's budget.
    #[arg(
        long,
        env = "PHONEDESK_UPSTREAM_CALLER_SHARE",
        // Half, not a quarter: with a quarter, a staff member's reads waited on their share
        // long enough that the app drew a list after its notice, and a delete clicked at once
        // carried the old version (412) in the end-to-end gateway scenario. That race is the
        // app's to close; until then a person should not wait on their share.
        default_value_t = 50,
        value_parser = clap::value_parser!(u8).range(1..=100)
    )]
    pub upstream_caller_share: u8,
    /// The percentage of that rate, and of the provider's window, that API clients leave to
    /// staff, so people in the app are served while clients are over theirs.
    #[arg(
        long,
        env = "PHONEDESK_UPSTREAM_STAFF_RESERVE",
        default_value_t = 25,
        value_parser = clap::value_parser!(u8).range(0..=90)
    )]
    pub upstream_staff_reserve: u8,
    /// Seconds one call to the provider may take before the gateway answers 504.
    #[arg(long, env = "PHONEDESK_UPSTREAM_TIMEOUT", default_value_t = 10.0)]
    pub upstream_timeout: f64,
    /// Seconds between full syncs of the copy of the provider's customers.
    #[arg(long, env = "PHONEDESK_SYNC_INTERVAL", default_value_t = 600)]
    pub sync_interval: u64,
    /// Seconds an access token this server issues lasts. `keys rotate` keeps the old key
    /// accepted this long after the new one signs: give it the servers' own.
    #[arg(long, env = "PHONEDESK_TOKEN_LIFETIME", default_value_t = 3600, global = true)]
    pub token_lifetime: u32,
    /// Serve `/metrics` (Prometheus) on this address of its own, to whoever reaches it, and not
    /// on `--address`. Without it, `/metrics` is on `--address` for loopback callers only.
    #[arg(long, env = "PHONEDESK_METRICS_ADDRESS")]
    pub metrics_address: Option<SocketAddr>,
    /// A proxy whose `Forwarded` / `X-Forwarded-For` headers name the caller (an address or a
    /// block: `127.0.0.1`, `10.0.0.0/8`; repeat, or comma-separate in the environment). Only
    /// from these are the headers believed, for per-address limits, the logs and `/metrics`'
    /// loopback rule; from anyone else they are ignored.
    #[arg(long = "trusted-proxy", env = "PHONEDESK_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<Cidr>,
    /// Seconds the requests in flight get to finish after SIGTERM or SIGINT (no new ones are
    /// accepted meanwhile); then the server stops anyway. Below an orchestrator's own grace
    /// period (Kubernetes: 30 s), so the server, not the orchestrator, ends them.
    #[arg(long, env = "PHONEDESK_SHUTDOWN_TIMEOUT", default_value_t = 20)]
    pub shutdown_timeout: u64,
    /// Seconds a client has to send a request's head (its request line and headers), from
    /// connecting, or on a kept-alive connection from the next request's first byte; then the
    /// connection is closed. Bounds slow senders ("slowloris") and silent connections.
    #[arg(long, env = "PHONEDESK_HEADER_TIMEOUT", default_value_t = 10, value_parser = seconds())]
    pub header_timeout: u64,
    /// Seconds a kept-alive connection may wait for its next request once the last is
    /// answered; then it is closed.
    #[arg(long, env = "PHONEDESK_IDLE_TIMEOUT", default_value_t = 60, value_parser = seconds())]
    pub idle_timeout: u64,
    /// Seconds a request's body has to arrive, from its head; then the request is answered 408
    /// and the connection closed.
    #[arg(long, env = "PHONEDESK_BODY_TIMEOUT", default_value_t = 30, value_parser = seconds())]
    pub body_timeout: u64,
    /// Connections open at once at most; one more is closed as soon as it is accepted. Default:
    /// 1024, or as many as the open-file limit (ulimit -n) leaves room for, less 96 for the
    /// database and listeners. A number that does not fit under the limit is refused at start.
    #[arg(long, env = "PHONEDESK_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Once listening, write `{"address": "<ip>:<port>"}` to this file (atomically): how a
    /// process that started the server, with `--address …:0`, learns where and when it is up.
    #[arg(long, env = "PHONEDESK_READY_FILE")]
    pub ready_file: Option<PathBuf>,
}

impl Config {
    /// How `--database` is to be opened, as the flags say.
    pub fn opening(&self) -> Opening {
        Opening { create: self.create_database, allow_newer_schema: self.allow_newer_schema }
    }

    /// How long a connection may take over each part of a request, as the flags say.
    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            header: Duration::from_secs(self.header_timeout),
            idle: Duration::from_secs(self.idle_timeout),
            body: Duration::from_secs(self.body_timeout),
        }
    }
}

/// A timeout's whole seconds: at least one (none would close every connection at once).
fn seconds() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..)
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// For people.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// Whether answered requests are logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessLog {
    /// A line per answered request.
    On,
    /// None.
    Off,
}

/// Managing who may use the server.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a new database at --database (a SQLite file, or the schema in an empty PostgreSQL
    /// database) and say what to do next; an existing one is left as it is.
    Init,
    /// The businesses customers belong to.
    #[command(subcommand)]
    Business(BusinessCommand),
    /// API clients (OAuth 2.0 client credentials).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Staff users of the app.
    #[command(subcommand)]
    User(UserCommand),
    /// The keys that sign access tokens and list cursors.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Copy a whole deployment (customers, numbers, history, businesses, clients, users,
    /// sessions and keys) into a new, empty database: say, from the embedded SQLite file to
    /// PostgreSQL. Stop the servers first; the target must hold no data.
    Copy {
        /// The database to copy: a SQLite file or a `postgres://` URL.
        #[arg(long)]
        from: Location,
        /// The new database: a SQLite file or a `postgres://` URL (for a URL with a password,
        /// prefer PHONEDESK_COPY_TO, which `ps` does not show).
        #[arg(long, env = "PHONEDESK_COPY_TO")]
        to: Location,
    },
    /// Copy the SQLite database (`--database`), as it is at one moment, into a new file, while
    /// servers keep answering. (PostgreSQL: use pg_dump; see the README.)
    Backup {
        /// The new file; an existing one is never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place of the SQLite database (`--database`): refused while a server
    /// runs on it, and unless the backup passes SQLite's integrity check.
    Restore {
        /// A file `phone-server backup` made.
        #[arg(long)]
        from: PathBuf,
    },
    /// Check a spreadsheet of customers and numbers (CSV or .xlsx) against a business, as the
    /// staff app's Import page does: a report of every row; with --apply, write the rows.
    Import {
        /// The business to import into.
        #[arg(long)]
        business: String,
        /// The file.
        file: PathBuf,
        /// Write the rows that can be written (without it: the dry run only).
        #[arg(long)]
        apply: bool,
        /// Save the numbers Excel mangled as repaired (without it, they are left out).
        #[arg(long)]
        accept_repairs: bool,
        /// The country code of numbers written without one.
        #[arg(long, default_value = "+64")]
        country_code: String,
        /// The column of each heading, comma-separated (see the API's `mapping`).
        #[arg(long)]
        mapping: Option<String>,
    },
    /// Write a business's customers and numbers to a file, as CSV or .xlsx.
    Export {
        /// The business.
        #[arg(long)]
        business: String,
        /// `csv` or `xlsx`.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The new file; an existing one is never overwritten.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Makes new keys for tokens and cursors. They sign a few seconds later, once every
    /// running server has read them; the old keys are accepted until every token they signed
    /// has expired (--token-lifetime after that: give the servers' own), then refused.
    Rotate {
        /// After a leak: the new keys sign now, and the old ones are refused now, with every
        /// token and cursor they signed (clients get new tokens; lists start again).
        #[arg(long)]
        at_once: bool,
    },
}

/// The businesses an account may see: some, by id, or every one.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct BusinessArgs {
    /// A business it may see (repeat for several).
    #[arg(long = "business", value_name = "BUSINESS_ID")]
    pub businesses: Vec<String>,
    /// Every business, present and future: the provider's own staff.
    #[arg(long)]
    pub all_businesses: bool,
}

impl BusinessArgs {
    pub fn businesses(&self) -> Businesses {
        if self.all_businesses { Businesses::All } else { Businesses::only(&self.businesses) }
    }
}

#[derive(Debug, Subcommand)]
pub enum BusinessCommand {
    /// Adds a business that customers can be created in.
    Add {
        /// Its id, as customers' `businessId` gives it (at most 40 characters).
        #[arg(value_parser = business_id)]
        business_id: BusinessId,
        /// Its name, as staff see it.
        #[arg(value_parser = business_name)]
        name: String,
    },
    /// Lists the businesses, with how many customers each has.
    List,
    /// Renames a business.
    Rename {
        business_id: String,
        #[arg(value_parser = business_name)]
        name: String,
    },
    /// Removes a business; refused while it has customers.
    Remove { business_id: String },
}

/// A business id as the core reads it, its error in the provider's words.
fn business_id(text: &str) -> Result<BusinessId, String> {
    BusinessId::parse(text).map_err(|error| error.to_string())
}

/// A business's name: one line of text, trimmed, not blank.
fn business_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a business needs a name".to_owned());
    }
    if name.chars().any(char::is_control) {
        return Err("a business's name is one line, without control characters".to_owned());
    }
    Ok(name.to_owned())
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Adds a client and prints its id and secret, once.
    Add {
        name: String,
        #[command(flatten)]
        businesses: BusinessArgs,
        /// The client may read, never write.
        #[arg(long)]
        read_only: bool,
    },
    /// Lists the clients, with their businesses.
    List,
    /// Replaces a client's businesses.
    Businesses {
        client_id: String,
        #[command(flatten)]
        businesses: BusinessArgs,
    },
    /// Removes a client by id; its tokens stop working at once.
    Remove { client_id: String },
    /// Sets the Twilio auth token that signs a client's Twilio status callbacks (asked for on
    /// a terminal, else read from standard input), so that `POST /calls?clientId=…` takes
    /// them; `--clear` takes it away.
    Twilio {
        client_id: String,
        #[arg(long)]
        clear: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user; the password is asked for on a terminal, not echoed, and otherwise read
    /// from standard input.
    Add {
        name: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Viewer)]
        role: RoleArg,
        #[command(flatten)]
        businesses: BusinessArgs,
        /// Read the password from standard input even on a terminal (for scripts).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists the users, with their businesses.
    List,
    /// Replaces a user's businesses.
    Businesses {
        name: String,
        #[command(flatten)]
        businesses: BusinessArgs,
    },
    /// Removes a user and ends their sessions.
    Remove { name: String },
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Reads.
    Viewer,
    /// Reads and writes.
    Editor,
}
