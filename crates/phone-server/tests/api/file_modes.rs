//! Who may read the SQLite files: the database holds the keys that sign tokens, so it, its log
//! files and any folder made for it are the owner's alone, whatever the umask; an older
//! database readable by others is made private when opened.
//!
//! Each command runs under `umask 022`, the usual one, which by itself would leave files
//! readable by everyone (0644) and folders open to them (0755).

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use phone_store::{Location, Store};

use crate::server::SERVER;

/// `phone-server --database DATABASE ARGS…` under `umask 022`.
fn under_umask_022(database: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("sh");
    command
        .args(["-c", r#"umask 022 && exec "$0" "$@""#, SERVER, "--database"])
        .arg(database)
        .args(args);
    command
}

/// A server on `database` under `umask 022`, until dropped.
fn serve(database: &Path) -> phone_launch::Server {
    let mut command = under_umask_022(database, &[]);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    phone_launch::Server::start_command(command).expect("a server on the database")
}

/// Runs it to the end: whether it succeeded, and its standard output and error.
fn run(mut command: Command) -> (bool, String) {
    let output = command.output().expect("phone-server runs");
    let text = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text.into_owned())
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The database, its write-ahead log, shared memory and lock.
fn files_of(database: &Path) -> [PathBuf; 4] {
    ["", "-wal", "-shm", ".lock"].map(|suffix| {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

#[test]
fn a_new_database_its_folder_and_the_files_beside_it_are_readable_by_the_owner_only() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("data");
    let database = folder.join("phonedesk.sqlite3");

    let (made, out) = run(under_umask_022(&database, &["init"]));
    assert!(made, "{out}");
    // A server writes, so the write-ahead log and its shared memory exist while it runs.
    let server = serve(&database);
    let files = files_of(&database);
    assert!(files.iter().all(|file| file.exists()), "{files:?}");

    assert_eq!(mode(&folder), 0o700, "the folder made for it");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    drop(server);
}

#[test]
fn a_copy_into_a_new_sqlite_file_is_readable_by_the_owner_only() {
    let root = tempfile::tempdir().unwrap();
    let source = root.path().join("source.sqlite3");
    drop(Store::create(&Location::Sqlite(source.clone())).expect("a database to copy"));
    let folder = root.path().join("moved");
    let target = folder.join("phonedesk.sqlite3");

    let (from, to) = (source.display().to_string(), target.display().to_string());
    let (copied, out) = run(under_umask_022(&source, &["copy", "--from", &from, "--to", &to]));

    assert!(copied, "{out}");
    assert_eq!([mode(&folder), mode(&target)], [0o700, 0o600]);
}

#[test]
fn an_existing_database_readable_by_others_is_made_private_when_opened_and_the_log_says_so() {
    let root = tempfile::tempdir().unwrap();
    let database = root.path().join("phonedesk.sqlite3");
    assert!(run(under_umask_022(&database, &["init"])).0);
    // A server, so the log files exist.
    let server = serve(&database);
    // As a database made before, under umask 022, had them.
    let files = files_of(&database);
    for file in &files {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    let (listed, out) = run(under_umask_022(&database, &["business", "list"]));

    assert!(listed, "{out}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        let warned = out.lines().any(|line| {
            line.contains("WARN")
                && line.contains("open to other users")
                && line.contains(&format!("file={}", file.display()))
                && line.contains("was=644")
        });
        assert!(warned, "a warning naming {}: {out}", file.display());
    }
    drop(server);
}
