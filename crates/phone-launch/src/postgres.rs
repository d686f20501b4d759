//! A throwaway PostgreSQL cluster: made in a fresh temporary folder, reached only through a Unix
//! socket in that folder, stopped and deleted when dropped.
//!
//! Tests never use a system service: one would need starting (as root) before every run, would
//! keep what earlier runs left in it, and would be shared by every test process at once. Here
//! every test run makes its own cluster from Debian's PostgreSQL binaries in under a second,
//! creates a database per test in it, and leaves nothing behind, also when a test panics.
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let cluster = phone_launch::Postgres::start()?;
//! let url = cluster.create_database("numbers_are_listed")?;
//! println!("connect to {url}");
//! # Ok(()) }
//! ```

use std::{
    collections::hash_map::RandomState,
    env, fs,
    hash::{BuildHasher, Hasher},
    io,
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::atomic::{AtomicU64, Ordering},
};

/// The role every cluster is made with; it owns the cluster and logs in without a password.
const USER: &str = "phonedesk";

/// What the cluster folders' names start with, so that leftovers can be recognised.
const FOLDER_PREFIX: &str = "phonedesk-pg-";

/// The system user that runs the server binaries when this process is root: `initdb` refuses
/// to run as root. Debian's `postgresql` package creates it.
const SERVER_USER: &str = "postgres";

/// A running PostgreSQL cluster of its own in a temporary folder, reached through a Unix socket
/// there (no TCP), stopped and deleted when dropped: tests never use a system service.
#[derive(Debug)]
pub struct Postgres {
    /// Holds the socket, `data/` and `log`.
    folder: PathBuf,
    bin: PathBuf,
    port: u16,
    as_server_user: bool,
    /// Set once the cluster has been stopped and deleted, so that `Drop` does nothing more.
    gone: bool,
}

impl Postgres {
    /// Makes a fresh cluster in a new folder under the temporary folder and starts it.
    ///
    /// The binaries are those of `PG_BIN` if that is set, otherwise those of the highest version
    /// in `/usr/lib/postgresql/<version>/bin`. As root, they run as the `postgres` user.
    ///
    /// # Errors
    /// When PostgreSQL is not installed, when this process is root and there is no `postgres`
    /// user, or when `initdb` or `pg_ctl start` fails (the message then holds their output or
    /// the server's log). Whatever was made is deleted again.
    pub fn start() -> io::Result<Self> {
        sweep_leftovers();
        let bin = binaries()?;
        let as_server_user = is_root()?;
        let folder = new_folder()?;
        // From here on, dropping `cluster` (also through `?`) deletes the folder again.
        let cluster = Self { folder, bin, port: random_port(), as_server_user, gone: false };
        if as_server_user {
            let mut chown = Command::new("chown");
            chown.arg("-R").arg(format!("{SERVER_USER}:{SERVER_USER}")).arg(&cluster.folder);
            checked(chown, "chown")?;
        }
        let mut initdb = cluster.server_command("initdb");
        initdb.arg("-D").arg(cluster.data()).args(["-A", "trust", "-U", USER]);
        // No fsync while writing the template files: a crash would lose only a throwaway.
        initdb.args(["--no-sync", "-E", "UTF8", "--locale=C"]);
        checked(initdb, "initdb")?;
        let folder = cluster.folder.to_str().ok_or_else(|| {
            io::Error::other(format!("{} is not UTF-8", cluster.folder.display()))
        })?;
        // No TCP at all: the socket lives in the cluster's own folder, so clusters of
        // concurrent runs never meet, whatever port they picked.
        let options = format!(
            "-k '{folder}' -p {} -c listen_addresses='' -c fsync=on -c max_connections=200",
            cluster.port
        );
        let mut pg_ctl = cluster.server_command("pg_ctl");
        pg_ctl.arg("-D").arg(cluster.data()).arg("-o").arg(options);
        pg_ctl.arg("-l").arg(cluster.folder.join("log")).args(["-w", "start"]);
        if let Err(error) = checked(pg_ctl, "pg_ctl start") {
            let log = fs::read_to_string(cluster.folder.join("log")).unwrap_or_default();
            return Err(io::Error::other(format!("{error}\nserver log:\n{log}")));
        }
        Ok(cluster)
    }

    /// A URL for the database `postgres`; see [`Postgres::url_for`].
    pub fn url(&self) -> String {
        self.url_for("postgres")
    }

    /// A URL for `database` in this cluster, as libpq and tokio-postgres read it:
    /// `postgres://phonedesk@%2Ftmp%2Fphonedesk-pg-…:PORT/DATABASE`. The socket folder stands,
    /// percent-encoded, where a host name would: a `host=` query parameter would be a second
    /// host to tokio-postgres, tried after `localhost:5432`.
    pub fn url_for(&self, database: &str) -> String {
        let host = percent_encode(self.folder.as_os_str().as_encoded_bytes());
        let database = percent_encode(database.as_bytes());
        format!("postgres://{USER}@{host}:{}/{database}", self.port)
    }

    /// The folder holding the cluster's Unix socket: the host to give `psql -h`.
    pub fn socket_folder(&self) -> &Path {
        &self.folder
    }

    /// Creates the database `name`, owned by `phonedesk`, and returns its URL.
    ///
    /// # Errors
    /// When `createdb` cannot run or fails, for example because `name` exists already.
    pub fn create_database(&self, name: &str) -> io::Result<String> {
        create_database(&self.url(), name)
    }

    /// Stops the cluster at once and deletes its folder, as dropping it does, but says when
    /// that fails.
    ///
    /// # Errors
    /// When `pg_ctl stop` fails or the folder cannot be deleted.
    pub fn stop(mut self) -> io::Result<()> {
        self.remove()
    }

    fn remove(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        self.gone = true;
        let stopped = stop_cluster(&self.bin, &self.data(), self.as_server_user);
        let removed = fs::remove_dir_all(&self.folder);
        stopped.and(removed)
    }

    fn data(&self) -> PathBuf {
        self.folder.join("data")
    }

    /// A server binary, run as the `postgres` user when this process is root.
    fn server_command(&self, program: &str) -> Command {
        server_command(&self.bin, program, self.as_server_user)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.remove();
    }
}

/// Creates database `name` on the cluster that `url` (a URL of one of its databases, as
/// [`Postgres::url`] gives) reaches, and returns the new database's URL: for tests handed a
/// cluster by URL, such as `cargo xtask test`'s.
///
/// # Errors
/// When PostgreSQL's binaries are missing, or `createdb` fails.
pub fn create_database(url: &str, name: &str) -> io::Result<String> {
    let mut createdb = Command::new(binaries()?.join("createdb"));
    createdb.arg(format!("--maintenance-db={url}")).args(["--", name]);
    checked(createdb, "createdb")?;
    let (cluster, _) = url
        .split('?')
        .next()
        .and_then(|u| u.rsplit_once('/'))
        .ok_or_else(|| io::Error::other(format!("{url} names no database")))?;
    Ok(format!("{cluster}/{}", percent_encode(name.as_bytes())))
}

/// One of PostgreSQL's client programs (`pg_dump`, `pg_restore`, `psql`), from the folder
/// [`Postgres::start`] takes its binaries from.
///
/// # Errors
/// When PostgreSQL's binaries are missing.
pub fn postgres_tool(program: &str) -> io::Result<PathBuf> {
    Ok(binaries()?.join(program))
}

fn server_command(bin: &Path, program: &str, as_server_user: bool) -> Command {
    if as_server_user {
        let mut command = Command::new("runuser");
        command.args(["-u", SERVER_USER, "--"]).arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

/// `pg_ctl -m immediate stop`: the data is thrown away next, so nothing needs to be written.
/// A folder whose server never started (or has gone) is not an error.
fn stop_cluster(bin: &Path, data: &Path, as_server_user: bool) -> io::Result<()> {
    if !data.join("postmaster.pid").exists() {
        return Ok(());
    }
    let mut pg_ctl = server_command(bin, "pg_ctl", as_server_user);
    pg_ctl.arg("-D").arg(data).args(["-m", "immediate", "-w", "stop"]);
    checked(pg_ctl, "pg_ctl stop")
}

/// The folder of `initdb`, `pg_ctl` and `createdb`: `PG_BIN`, or Debian's highest version.
fn binaries() -> io::Result<PathBuf> {
    if let Some(bin) = env::var_os("PG_BIN") {
        let bin = PathBuf::from(bin);
        if bin.join("initdb").exists() {
            return Ok(bin);
        }
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("PG_BIN is {}, which holds no initdb", bin.display()),
        ));
    }
    let versions = fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten();
    versions
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "PostgreSQL is not installed: apt-get install postgresql \
                 (cargo xtask test installs it)",
            )
        })
}

fn is_root() -> io::Result<bool> {
    let id = Command::new("id").arg("-u").output()?;
    Ok(String::from_utf8_lossy(&id.stdout).trim() == "0")
}

/// A new empty folder `phonedesk-pg-<pid>-<n>` in the temporary folder. The name stays short:
/// the socket's path inside it must fit in 107 bytes.
fn new_folder() -> io::Result<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let folder = env::temp_dir().join(format!("{FOLDER_PREFIX}{}-{n}", std::process::id()));
    // A folder of a dead process with this process's id: nothing else could still use it.
    if folder.exists() {
        fs::remove_dir_all(&folder)?;
    }
    fs::create_dir(&folder)?;
    Ok(folder)
}

/// Stops and deletes the clusters of processes that died without dropping theirs (killed, or
/// interrupted with Ctrl-C: the server itself runs on in a session of its own).
fn sweep_leftovers() {
    let Ok(entries) = fs::read_dir(env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(|n| n.strip_prefix(FOLDER_PREFIX)) else {
            continue;
        };
        let Some(pid) = owner.split('-').next() else { continue };
        if Path::new("/proc").join(pid).exists() {
            continue;
        }
        let folder = entry.path();
        let data = folder.join("data");
        if let (Ok(bin), Ok(as_server_user)) = (binaries(), is_root()) {
            let _ = stop_cluster(&bin, &data, as_server_user);
        }
        let _ = fs::remove_dir_all(&folder);
    }
}

/// A port in 20000..60000. Only the socket's file name holds it, and the socket is in the
/// cluster's own folder, so it needs to be unlikely to clash, not free.
fn random_port() -> u16 {
    let random = RandomState::new().build_hasher().finish();
    20_000 + u16::try_from(random % 40_000).expect("below 40000")
}

/// Runs a command to completion, capturing its output, which an error then carries.
fn checked(mut command: Command, name: &str) -> io::Result<()> {
    let Output { status, stdout, stderr } = command.output().map_err(|e| {
        io::Error::new(e.kind(), format!("could not run {name} ({command:?}): {e}"))
    })?;
    if status.success() {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{name} failed ({status}): {}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    )))
}

/// Percent-encodes every byte but RFC 3986's unreserved characters.
fn percent_encode(bytes: &[u8]) -> String {
    let mut encoded = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use std::{panic, time::Instant};

    use super::*;

    /// `psql -Atc QUERY` against the cluster, with `target` as its connection arguments.
    #[track_caller]
    fn psql(cluster: &Postgres, target: &[&str], query: &str) -> String {
        let out = Command::new(cluster.bin.join("psql"))
            .args(target)
            .args(["-X", "-At", "-c", query])
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "psql failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("psql prints UTF-8").trim().to_owned()
    }

    #[test]
    fn a_cluster_serves_its_databases_and_is_deleted_when_dropped() {
        let started = Instant::now();
        let cluster = Postgres::start().expect("the cluster starts");
        eprintln!("Postgres::start took {:.2?}", started.elapsed());
        let folder = cluster.socket_folder().to_owned();

        let url = cluster.create_database("numbers").expect("createdb succeeds");

        let host = folder.to_str().expect("a UTF-8 temporary folder");
        let port = cluster.port.to_string();
        let by_parts = ["-h", host, "-p", &port, "-U", "phonedesk", "-d", "numbers"];
        assert_eq!(psql(&cluster, &by_parts, "select 1"), "1");
        assert_eq!(psql(&cluster, &[&url], "select current_database()"), "numbers");
        assert_eq!(psql(&cluster, &[&cluster.url()], "select current_user"), "phonedesk");
        drop(cluster);
        assert!(!folder.exists(), "{} is left behind", folder.display());
    }

    #[test]
    fn a_cluster_is_deleted_when_its_test_panics() {
        let mut folder = None;
        let outcome = panic::catch_unwind(panic::AssertUnwindSafe(|| {
            let cluster = Postgres::start().expect("the cluster starts");
            folder = Some(cluster.socket_folder().to_owned());
            panic!("a failing test");
        }));
        assert!(outcome.is_err());
        let folder = folder.expect("the cluster started");
        assert!(!folder.exists(), "{} is left behind", folder.display());
    }

    #[test]
    fn stop_stops_and_deletes() {
        let cluster = Postgres::start().expect("the cluster starts");
        let folder = cluster.socket_folder().to_owned();
        cluster.stop().expect("the cluster stops");
        assert!(!folder.exists(), "{} is left behind", folder.display());
    }

    #[test]
    fn a_second_database_of_the_same_name_is_refused() {
        let cluster = Postgres::start().expect("the cluster starts");
        cluster.create_database("twice").expect("the first createdb succeeds");
        let error = cluster.create_database("twice").expect_err("the second fails");
        assert!(error.to_string().contains("already exists"), "{error}");
    }

    #[test]
    fn urls_percent_encode_the_socket_folder_and_the_database() {
        let cluster = Postgres {
            folder: PathBuf::from("/tmp/phonedesk-pg-12-0"),
            bin: PathBuf::new(),
            port: 31234,
            as_server_user: false,
            gone: true,
        };
        assert_eq!(cluster.url(), "postgres://phonedesk@%2Ftmp%2Fphonedesk-pg-12-0:31234/postgres");
        assert_eq!(
            cluster.url_for("a b/c"),
            "postgres://phonedesk@%2Ftmp%2Fphonedesk-pg-12-0:31234/a%20b%2Fc"
        );
    }
}
