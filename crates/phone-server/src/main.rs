//! `phone-server`: read the configuration, open the database, serve until told to stop.

use std::{future::pending, process::ExitCode, sync::Arc, time::Duration};

use axum::http::HeaderValue;
use clap::Parser;
use phone_model::Businesses;
use phone_operations::gateway::{Gateway, Shares, UpstreamSettings, sync};
use phone_operations::{keys, now, tokens::TokenKeys};
use phone_server::{
    AppOptions, AppState, RateLimit, accounts, app,
    auth::CookiePolicy,
    client_address::TrustedProxies,
    config::{
        BusinessCommand, ClientCommand, Command, Config, DEFAULT_DATABASE, KeysCommand, RoleArg,
        UserCommand,
    },
    demo,
    serving::{self, Limits, MaxConnections},
};
use phone_store::{
    Added, ClientAccess, Location, Opening, Removed, Role, Store, StoreError, backup,
};

fn main() -> ExitCode {
    let config = Config::parse();
    phone_server::logging::init(config.log_format, config.access_log);
    let result = match config.command {
        Some(_) => manage(config).map_err(|e| e.to_string()),
        None => serve_until_stopped(config).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("phone-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves on a runtime of its own: once the server has stopped, work still running on it (a
/// database call of a request cut off by the shutdown timeout) gets a second more, then the
/// process ends. An unanswered write that the exit interrupts is rolled back, never half done.
fn serve_until_stopped(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(serve(config));
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

/// `phone-server init`, `business …`, `client …`, `user …`, `keys …`, `copy …`, `backup …`
/// and `restore …`. Each holds the SQLite files it uses, as a server does, so a restore cannot
/// replace them meanwhile.
fn manage(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let init = matches!(config.command, Some(Command::Init));
    let used = match &config.command {
        Some(Command::Copy { from, to }) => vec![(from, false), (to, true)],
        Some(Command::Restore { .. }) => Vec::new(),
        Some(Command::Backup { .. }) => vec![(&config.database, false)],
        _ => vec![(&config.database, config.create_database || init)],
    };
    for (location, create) in used {
        if let Location::Sqlite(database) = location {
            hold(database, create)?;
        }
    }
    if let Some(Command::Copy { from, to }) = &config.command {
        if from == to {
            return Err("--from and --to are the same database".into());
        }
        let source = Store::open_with(from, config.opening())?;
        let target = Store::create(to)?;
        for (table, rows) in source.copy_to(&target)? {
            println!("{table}\t{rows}");
        }
        println!("copied {from} to {to}");
        return Ok(());
    }
    match (&config.command, &config.database) {
        (Some(Command::Backup { to }), Location::Sqlite(database)) => {
            backup::back_up(database, to)?;
            println!("backed up {} to {}", database.display(), to.display());
            return Ok(());
        }
        (Some(Command::Restore { from }), Location::Sqlite(database)) => {
            backup::restore(from, database)?;
            println!("restored {} from {}", database.display(), from.display());
            return Ok(());
        }
        (Some(Command::Backup { .. } | Command::Restore { .. }), Location::Postgres(_)) => {
            return Err("a PostgreSQL database is backed up with pg_dump and restored with \
                        pg_restore: see the README, \"Operating it\""
                .into());
        }
        _ => {}
    }
    if init {
        return initialise(&config);
    }
    let store = Store::open_with(&config.database, config.opening())?;
    let managed = Managed { upstream: config.upstream.is_some(), database: &config.database };
    match config.command {
        Some(Command::Client(ClientCommand::Add { name, businesses, read_only })) => {
            let access = ClientAccess { businesses: businesses.businesses(), read_only };
            let (id, secret) = accounts::add_client(&store, &name, &access)?;
            println!(
                "client_id:     {id}\nclient_secret: {secret}\n(the secret is shown only now)"
            );
        }
        Some(Command::Client(ClientCommand::List)) => {
            for client in store.clients()? {
                println!("{}\t{}\t{}", client.id, client.detail, listed(&client.businesses));
            }
        }
        Some(Command::Client(ClientCommand::Businesses { client_id, businesses })) => {
            let found = store.set_client_businesses(&client_id, &businesses.businesses())?;
            existed(found, "client", &client_id)?;
        }
        Some(Command::Client(ClientCommand::Remove { client_id })) => {
            existed(store.remove_client(&client_id)?, "client", &client_id)?;
        }
        Some(Command::User(UserCommand::Add { name, role, businesses, password_stdin })) => {
            // Asked for on a terminal; otherwise (a script, a pipe) read from standard input.
            let password = if password_stdin || !std::io::IsTerminal::is_terminal(&std::io::stdin())
            {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                rpassword::prompt_password(format!("Password for {name}: "))?
            };
            if password.chars().count() < 12 {
                return Err("the password must have at least 12 characters".into());
            }
            let role = match role {
                RoleArg::Viewer => Role::Viewer,
                RoleArg::Editor => Role::Editor,
            };
            if !accounts::add_user(&store, &name, role, &businesses.businesses(), &password)? {
                return Err(format!("there is already a user {name}").into());
            }
        }
        Some(Command::User(UserCommand::List)) => {
            for user in store.users()? {
                println!("{}\t{}\t{}", user.id, user.detail, listed(&user.businesses));
            }
        }
        Some(Command::User(UserCommand::Businesses { name, businesses })) => {
            existed(store.set_user_businesses(&name, &businesses.businesses())?, "user", &name)?;
        }
        Some(Command::User(UserCommand::Remove { name })) => {
            existed(store.remove_user(&name)?, "user", &name)?;
        }
        Some(Command::Business(command)) => manage_businesses(&managed, &store, command)?,
        Some(Command::Keys(KeysCommand::Rotate { at_once })) => {
            rotate_keys(&store, i64::from(config.token_lifetime), at_once)?;
        }
        Some(
            Command::Init | Command::Copy { .. } | Command::Backup { .. } | Command::Restore { .. },
        )
        | None => {}
    }
    Ok(())
}

/// Holds the SQLite file `database` (see [`backup::hold`]). A missing one is refused first,
/// unless it is to be made: a mistyped path leaves no folder, lock or database behind.
fn hold(database: &std::path::Path, create: bool) -> Result<(), Box<dyn std::error::Error>> {
    if !create && !database.exists() {
        return Err(StoreError::Missing(database.to_owned()).into());
    }
    Ok(backup::hold(database)?)
}

/// `phone-server init`: makes the database, or says that it is there already, and what next.
fn initialise(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let database = &config.database;
    let probe = Opening { create: false, ..config.opening() };
    let existing = match Store::open_with(database, probe) {
        Ok(store) => Some(store),
        Err(StoreError::Missing(_) | StoreError::NoSchema(_)) => None,
        Err(error) => return Err(error.into()),
    };
    let made = existing.is_none();
    let store = match existing {
        Some(store) => store,
        None => Store::create(database)?,
    };
    let (version, _) = store.migrations()?;
    if made {
        println!("made a new database at {database} (schema version {version})");
    } else {
        println!("{database} already holds a Phonedesk database (schema version {version})");
    }
    // The command as it will be typed: a URL's password is not shown, so PostgreSQL's comes
    // from the environment, as the README says.
    let with = match database {
        Location::Sqlite(path) if path.as_path() == std::path::Path::new(DEFAULT_DATABASE) => {
            String::new()
        }
        Location::Sqlite(path) => format!(" --database {}", path.display()),
        Location::Postgres(_) => String::new(),
    };
    if store.businesses_with_customers()?.is_empty() {
        println!("next: phone-server{with} business add BUSINESS_ID NAME");
    }
    if store.users()?.is_empty() {
        println!("next: phone-server{with} user add NAME --role editor --all-businesses");
    }
    Ok(())
}

/// `phone-server keys rotate`: new keys, and when they and the old ones take effect.
fn rotate_keys(
    store: &Store,
    token_lifetime: i64,
    at_once: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let rotation = keys::rotation(now(), token_lifetime, at_once);
    let stored = store.rotate_keys(&rotation)?;
    let newest = stored.tokens.last().expect("a rotation leaves a newest token key");
    let kid = TokenKeys::from_seed(&newest.secret).kid().to_owned();
    println!("new keys made: the token key's kid is {kid}");
    if at_once {
        println!(
            "they sign from now, and the old keys are refused now: clients need new tokens, and \
             lists paged with an old cursor start again (servers read the keys every {} s)",
            keys::REFRESH.as_secs()
        );
    } else {
        println!(
            "they sign tokens and cursors in {} s, once every server has read them; the old \
             keys are refused in {} s, when the last token they signed has expired",
            rotation.signs_from - rotation.now,
            rotation.retires_at - rotation.now
        );
    }
    Ok(())
}

/// Whether a command runs for a gateway (`--upstream`), and on which database.
struct Managed<'a> {
    upstream: bool,
    database: &'a Location,
}

/// `phone-server business …`. A gateway's businesses are the provider's, copied by its sync
/// (which a database that has synced shows, even without `--upstream`): only listed here.
fn manage_businesses(
    config: &Managed<'_>,
    store: &Store,
    command: BusinessCommand,
) -> Result<(), Box<dyn std::error::Error>> {
    let gateway = config.upstream || store.synced_at()?.is_some();
    if gateway && !matches!(command, BusinessCommand::List) {
        return Err(format!(
            "{} is a gateway's: its businesses are the provider's, copied by the sync with their \
             customers. Add, rename or remove a business at the provider; the next sync brings \
             the change (phone-server business list shows the copy)",
            config.database
        )
        .into());
    }
    match command {
        BusinessCommand::Add { business_id, name } => {
            match store.add_business(&business_id, &name)? {
                Added::Added => println!("added business {business_id} ({name})"),
                Added::Exists(existing) => {
                    return Err(
                        format!("there is already a business {business_id} ({existing})").into()
                    );
                }
            }
        }
        BusinessCommand::List => {
            for business in store.businesses_with_customers()? {
                let customers = business.customers;
                let noun = if customers == 1 { "customer" } else { "customers" };
                println!("{}\t{}\t{customers} {noun}", business.business_id, business.name);
            }
        }
        BusinessCommand::Rename { business_id, name } => {
            existed(store.rename_business(&business_id, &name)?, "business", &business_id)?;
        }
        BusinessCommand::Remove { business_id } => match store.remove_business(&business_id)? {
            Removed::Removed => println!("removed business {business_id}"),
            Removed::NotFound => existed(false, "business", &business_id)?,
            Removed::HasCustomers(customers) => {
                return Err(format!(
                    "business {business_id} still has {customers} customer(s): it is removed \
                     only once it has none"
                )
                .into());
            }
        },
    }
    Ok(())
}

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

/// Businesses as `client list` and `user list` show them.
fn listed(businesses: &Businesses) -> String {
    match businesses.ids() {
        None => "all businesses".to_owned(),
        Some([]) => "no business".to_owned(),
        Some(ids) => ids.join(","),
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
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
        hold(database, config.create_database)?;
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
        version = phone_server::version::VERSION,
        commit = phone_server::version::COMMIT,
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
        let service = phone_server::telemetry::router(state.clone());
        let limits = Limits { max_connections: serving::METRICS_CONNECTIONS, ..limits };
        // Served until the process ends: a scrape during the stop still answers.
        let serving = serving::serve(metrics, service, limits, measures.clone(), pending());
        tokio::spawn(serving);
    }
    // Handlers get each connection's address (`ConnectInfo`), so that callers without
    // credentials are rate-limited one by one.
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

/// Whether a removal found what it was to remove.
fn existed(found: bool, what: &str, name: &str) -> Result<(), Box<dyn std::error::Error>> {
    if found { Ok(()) } else { Err(format!("no {what} {name}").into()) }
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
