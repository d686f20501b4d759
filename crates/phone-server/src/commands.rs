//! The commands that manage a database: `init`, `business …`, `client …`, `user …`,
//! `keys …`, `copy …`, `backup …` and `restore …`.

use phone_model::Businesses;
use phone_operations::{keys, now, tokens::TokenKeys};
use phone_server::{
    accounts,
    config::{
        BusinessCommand, ClientCommand, Command, Config, DEFAULT_DATABASE, KeysCommand, RoleArg,
        UserCommand,
    },
};
use phone_store::{
    Added, ClientAccess, Location, Opening, Removed, Role, Store, StoreError, backup,
};

/// `phone-server init`, `business …`, `client …`, `user …`, `keys …`, `copy …`, `backup …`
/// and `restore …`. Each holds the SQLite files it uses, as a server does, so a restore cannot
/// replace them meanwhile.
pub fn manage(config: Config) -> Result<(), Box<dyn std::error::Error>> {
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
        Some(Command::Client(ClientCommand::Twilio { client_id, clear })) => {
            let token = if clear {
                None
            } else {
                let token = secret(&format!("Twilio auth token for {client_id}: "), false)?;
                let token = token.trim().to_owned();
                if token.is_empty() {
                    return Err("a Twilio auth token is not blank (--clear takes one away)".into());
                }
                Some(token)
            };
            let found = store.set_twilio_auth_token(&client_id, token.as_deref())?;
            existed(found, "client", &client_id)?;
        }
        Some(Command::User(UserCommand::Add { name, role, businesses, password_stdin })) => {
            let password = secret(&format!("Password for {name}: "), password_stdin)?;
            accounts::check_password(&password)?;
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
        Some(command @ (Command::Import { .. } | Command::Export { .. })) => {
            if managed.upstream {
                return Err("in front of the provider, import and export through the staff app \
                            (its writes must go through the provider's API)"
                    .into());
            }
            crate::spreadsheets::run(store, command)?;
        }
        Some(
            Command::Init | Command::Copy { .. } | Command::Backup { .. } | Command::Restore { .. },
        )
        | None => {}
    }
    Ok(())
}

/// A secret, asked for on a terminal (not echoed); otherwise (a script, a pipe, or `stdin`)
/// read from standard input's first line.
fn secret(prompt: &str, stdin: bool) -> Result<String, std::io::Error> {
    if stdin || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        rpassword::prompt_password(prompt)
    }
}

/// Holds the SQLite file `database` (see [`backup::hold`]). A missing one is refused first,
/// unless it is to be made: a mistyped path leaves no folder, lock or database behind.
pub(crate) fn hold(
    database: &std::path::Path,
    create: bool,
) -> Result<(), Box<dyn std::error::Error>> {
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

/// Businesses as `client list` and `user list` show them.
fn listed(businesses: &Businesses) -> String {
    match businesses.ids() {
        None => "all businesses".to_owned(),
        Some([]) => "no business".to_owned(),
        Some(ids) => ids.join(","),
    }
}

/// Whether a removal found what it was to remove.
fn existed(found: bool, what: &str, name: &str) -> Result<(), Box<dyn std::error::Error>> {
    if found { Ok(()) } else { Err(format!("no {what} {name}").into()) }
}
