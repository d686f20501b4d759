//! Serving: the database opened, the app's state built (in gateway mode, over the provider),
//! the background work started, and the connections served until a signal stops them.

use std::{future::pending, sync::Arc, time::Duration};

use crate::commands;
use axum::http::HeaderValue;
use phone_http::{
    AppOptions, AppState, RateLimit, app,
    auth::CookiePolicy,
    client_address::TrustedProxies,
    serving::{self, Limits, MaxConnections},
};
use phone_operations::gateway::{Gateway, Shares, UpstreamSettings, sync};
use phone_operations::keys;
use phone_server::{accounts, config::Config, demo};
use phone_store::{Location, Store};

/// Where the provider is and Phonedesk's credential there: the secret from
/// PHONEDESK_UPSTREAM_CLIENT_SECRET or the file named, never from a flag.
fn upstream(config: &Config, api: &str) -> Result<UpstreamSettings, Box<dyn std::error::Error>> {
    let api = api.trim_end_matches('/').to_owned();
    let client_id = config
        .upstream_client_id
        .clone()
        .ok_or("gateway mode needs --upstream-client-id (or PHONEDESK_UPSTREAM_CLIENT_ID)")?;
    let client_secret = match (
        &config.upstream_client_secret_file,
        std::env::var("PHONEDESK_UPSTREAM_CLIENT_SECRET"),
    ) {
        (Some(file), _) => std::fs::read_to_string(file)
            .map_err(|e| format!("the client secret file {}: {e}", file.display()))?
            .trim()
            .to_owned(),
        (None, Ok(secret)) => secret,
        (None, Err(_)) => {
            return Err("gateway mode needs the client secret: PHONEDESK_UPSTREAM_CLIENT_SECRET, \
                        or --upstream-client-secret-file FILE"
                .into());
        }
    };
    if !(config.upstream_timeout.is_finite() && config.upstream_timeout > 0.0) {
        return Err("--upstream-timeout must be a positive number of seconds".into());
    }
    Ok(UpstreamSettings {
        token_url: config
            .upstream_token_url
            .clone()
            .unwrap_or_else(|| UpstreamSettings::token_url_for(&api)),
        api,
        client_id,
        client_secret,
        rate: config.upstream_rate,
        shares: Shares::percent(config.upstream_caller_share, config.upstream_staff_reserve),
        timeout: Duration::from_secs_f64(config.upstream_timeout),
    })
}

pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    // Before anything is opened: a cap the open-file limit cannot hold is refused at once.
    let max_connections =
        serving::max_connections(config.max_connections, serving::open_file_limit())?;
    if let MaxConnections::Lowered { to, open_file_limit } = max_connections {
        tracing::info!(
            max_connections = to,
            open_file_limit,
            "at most {to} connections at once, not {}: the open-file limit (ulimit -n) leaves \
             room for no more",
            serving::DEFAULT_MAX_CONNECTIONS
        );
    }
    let limits = Limits { timeouts: config.timeouts(), max_connections: max_connections.get() };
    if let Location::Sqlite(database) = &config.database {
        commands::hold(database, config.create_database)?;
    }
    let store = Store::open_with(&config.database, config.opening())?;
    // Demo users' passwords were printed on a terminal: fine on this machine, never beyond it.
    // Nor behind a proxy that makes a loopback server public: the public URL says so.
    let public = !config.address.ip().is_loopback()
        || config.public_url.as_deref().is_some_and(|url| CookiePolicy::for_url(url).secure);
    let demo_users = store.demo_users()?;
    if public && !demo_users.is_empty() {
        return Err(format!(
            "refusing to listen on {}: {} has demo users ({}), whose passwords were printed on a \
             terminal. Use another database, or remove them: phone-server --database {} user \
             remove NAME",
            config.address,
            config.database,
            demo_users.join(", "),
            config.database
        )
        .into());
    }
    // Personal data is not served beyond this machine without someone to sign in.
    if !config.address.ip().is_loopback() && store.users()?.is_empty() {
        return Err(format!(
            "refusing to listen on {}: there is no user yet. Add one first: \
             phone-server --database {} user add NAME --role editor --all-businesses",
            config.address, config.database
        )
        .into());
    }
    if config.demo && config.address.ip().is_loopback() {
        for (name, role, password) in accounts::add_demo_users(&store)? {
            // On the terminal only: a password in the structured log would outlive the demo.
            println!("demo user {name} ({}): password {password}", role.as_str());
        }
    }
    let gateway = config.upstream.as_deref().map(|api| upstream(&config, api)).transpose()?;
    if config.demo && gateway.is_some() {
        tracing::info!("gateway mode: the customers are the provider's, no demonstration ones");
    } else if config.demo {
        if demo::seed_if_empty(&store)? {
            tracing::info!("seeded demonstration customers");
        } else {
            tracing::info!("the database holds data: no demonstration customers added");
        }
    }
    let cors_origins = config
        .cors_origins
        .iter()
        .map(|origin| HeaderValue::from_str(origin))
        .collect::<Result<_, _>>()?;
    let rate_limit =
        RateLimit { limit: config.rate_limit, window: Duration::from_secs(config.rate_window) };
    let sign_in_limit =
        RateLimit { limit: config.sign_in_limit, window: Duration::from_secs(config.rate_window) };
    // Listened for from here, before the ready file is written, so a signal the moment it
    // appears stops the server gracefully; until here (opening and migrating the database) a
    // signal still ends the process at once.
    let signals = Signals::listen()?;
    let listener = tokio::net::TcpListener::bind(config.address).await?;
    // Where it listens, as bound: `--address 127.0.0.1:0` gets a port only now.
    let bound = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{bound}"));
    let options = AppOptions {
        app_dir: config.app_dir,
        cors_origins,
        rate_limit,
        sign_in_limit,
        public_url,
        token_lifetime: i64::from(config.token_lifetime),
        metrics_here: config.metrics_address.is_none(),
        trusted_proxies: TrustedProxies::new(config.trusted_proxies.clone()),
    };
    let metrics_listener = match config.metrics_address {
        Some(address) => Some(tokio::net::TcpListener::bind(address).await?),
        None => None,
    };
    let (schema_version, _) = store.migrations()?;
    tracing::info!(
        version = phone_http::version::VERSION,
        commit = phone_http::version::COMMIT,
        database = %config.database,
        schema_version,
        "Phonedesk on http://{}",
        listener.local_addr()?
    );
    if let Some(path) = &config.ready_file {
        // Written beside and renamed, so a reader never sees half of it.
        let metrics = metrics_listener.as_ref().map(|l| l.local_addr()).transpose()?;
        let ready = serde_json::json!({
            "address": listener.local_addr()?.to_string(),
            "metrics": metrics.map(|a| a.to_string()),
        });
        let partial = path.with_extension("partial");
        std::fs::write(&partial, ready.to_string())?;
        std::fs::rename(&partial, path)?;
    }
    let mut state = AppState::new(store)?;
    if let Some(settings) = gateway {
        tracing::info!(upstream = %settings.api, "gateway mode");
        let gateway = Arc::new(Gateway::new(settings)?);
        state = state.with_gateway(Arc::clone(&gateway));
        let every = Duration::from_secs(config.sync_interval.max(1));
        tokio::spawn(sync::run(state.ops().clone(), gateway, every));
    }
    // A rotation made while this server runs (by the command, or on another machine) reaches
    // it within seconds.
    let ops = state.ops();
    tokio::spawn(keys::keep_fresh(Arc::clone(ops.store()), Arc::clone(ops.keys())));
    let measures = state.telemetry().connections();
    if let Some(metrics) = metrics_listener {
        tracing::info!("metrics on http://{}/metrics", metrics.local_addr()?);
        let service = phone_http::telemetry::router(state.clone());
        let limits = Limits { max_connections: serving::METRICS_CONNECTIONS, ..limits };
        // Served until the process ends: a scrape during the stop still answers.
        let serving = serving::serve(metrics, service, limits, measures.clone(), pending());
        tokio::spawn(serving);
    }
    // Handlers get each connection's address (`ConnectInfo`), so that callers without
    // credentials are rate-limited one by one.
    // The staff's call streams never end by themselves: they end at the stop.
    let calls = state.ops().clone();
    let service = app(state, &options);
    // On the signal, no new connection is accepted and requests in flight finish, for
    // --shutdown-timeout at most; then the state, and with it the database, is dropped.
    let [first, second] = signals.notify();
    let signalled = Arc::new(tokio::sync::Notify::new());
    let stop = {
        let signalled = Arc::clone(&signalled);
        async move {
            first.notified().await;
            tracing::info!("stopping: finishing the requests in flight");
            calls.close_call_streams();
            signalled.notify_one();
        }
    };
    // A second signal stops at once.
    let grace = async {
        signalled.notified().await;
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(config.shutdown_timeout)) => {}
            () = second.notified() => tracing::warn!("a second signal: stopping now"),
        }
    };
    let serving = serving::serve(listener, service, limits, measures, stop);
    tokio::select! {
        () = serving => {}
        () = grace => tracing::warn!(
            "requests still in flight after --shutdown-timeout {} s: stopping anyway",
            config.shutdown_timeout
        ),
    }
    tracing::info!("stopped");
    Ok(())
}

/// SIGINT and SIGTERM, listened for from before the server says it is ready: a signal sent
/// the moment the ready file appears stops it gracefully instead of killing it.
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn listen() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
    }

    /// Two notifications: the first signal's, and the second's.
    fn notify(mut self) -> [Arc<tokio::sync::Notify>; 2] {
        let notes = [Arc::new(tokio::sync::Notify::new()), Arc::new(tokio::sync::Notify::new())];
        let [first, second] = notes.clone();
        tokio::spawn(async move {
            self.next().await;
            first.notify_one();
            self.next().await;
            second.notify_one();
        });
        notes
    }
}
