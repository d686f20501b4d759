//! Starting what the tests run against: a `phone-server` process ([`Server`]) and a throwaway
//! PostgreSQL cluster ([`Postgres`]).
//!
//! [`Server`] starts the binary and knows when it is ready. The server is given
//! `--address 127.0.0.1:0 --ready-file <file>` and writes the address it bound to that file once
//! it listens; this waits for the file, so nothing reads the server's log to find it.
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let server = phone_launch::Server::start(
//!     std::path::Path::new("target/release/phone-server"),
//!     &["--database", "/tmp/db.sqlite3", "--demo"],
//! )?;
//! println!("listening on {}", server.base_url());
//! # Ok(()) }
//! ```

mod postgres;

pub use postgres::{Postgres, create_database, postgres_tool};

use std::{
    io,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// How long a server may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(30);

/// A running server, killed and waited for when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    address: String,
    /// Where `/metrics` is, when the server was given `--metrics-address`.
    metrics_address: Option<String>,
}

impl Server {
    /// Starts `binary` with `args` on a free loopback port (unless `args` name an `--address`
    /// of their own) and waits until it listens.
    ///
    /// # Errors
    /// When the binary cannot be started, or does not become ready within 30 seconds (it is
    /// then killed).
    pub fn start(binary: &Path, args: &[&str]) -> io::Result<Self> {
        let mut command = Command::new(binary);
        command.args(args).stdout(Stdio::null()).stderr(Stdio::null());
        Self::start_command(command)
    }

    /// The same for a command of the caller's making (the binary, its arguments, and what
    /// [`start`](Self::start) leaves alone: its environment, and where its output goes; a
    /// test that reads the log gives it a pipe).
    ///
    /// # Errors
    /// As [`start`](Self::start).
    pub fn start_command(mut command: Command) -> io::Result<Self> {
        let ready = ready_file();
        let _ = std::fs::remove_file(&ready);
        if !command.get_args().any(|arg| arg == "--address") {
            command.args(["--address", "127.0.0.1:0"]);
        }
        let mut child = command.arg("--ready-file").arg(&ready).spawn()?;
        let started = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&ready) {
                let _ = std::fs::remove_file(&ready);
                let ready = serde_json::from_str::<serde_json::Value>(&text).unwrap_or_default();
                if let Some(address) = ready["address"].as_str().map(str::to_owned) {
                    let metrics_address = ready["metrics"].as_str().map(str::to_owned);
                    return Ok(Self { child, address, metrics_address });
                }
            }
            if let Some(status) = child.try_wait()? {
                return Err(io::Error::other(format!(
                    "phone-server stopped before listening: {status}"
                )));
            }
            if started.elapsed() > START_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::other("phone-server did not start listening within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `127.0.0.1:<port>`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `127.0.0.1:<port>` of `/metrics`, when the server serves it on an address of its own.
    pub fn metrics_address(&self) -> Option<&str> {
        self.metrics_address.as_deref()
    }

    /// The process id, for reading its resource use.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Asks the server to stop (SIGTERM), as a service manager would, and waits until it has
    /// finished its requests and exited.
    ///
    /// # Errors
    /// When the process cannot be signalled, or exits with a failure.
    pub fn stop(&mut self) -> io::Result<()> {
        self.terminate()?;
        let status = self.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("phone-server stopped with {status}")))
        }
    }

    /// Sends SIGTERM and returns at once: the server stops accepting and finishes its requests.
    ///
    /// # Errors
    /// When the process cannot be signalled.
    pub fn terminate(&self) -> io::Result<()> {
        let signalled =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status()?;
        if signalled.success() { Ok(()) } else { Err(io::Error::other("kill -TERM failed")) }
    }

    /// Waits for the process to exit.
    ///
    /// # Errors
    /// When it cannot be waited for.
    pub fn wait(&mut self) -> io::Result<std::process::ExitStatus> {
        self.child.wait()
    }

    /// Kills the server at once (SIGKILL) and waits for it: a crash, for the crash test.
    ///
    /// # Errors
    /// When the process cannot be signalled or waited for.
    pub fn kill(&mut self) -> io::Result<()> {
        self.child.kill()?;
        self.child.wait().map(drop)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file name no other server of this machine uses.
fn ready_file() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("phone-server-ready-{}-{n}.json", std::process::id()))
}
