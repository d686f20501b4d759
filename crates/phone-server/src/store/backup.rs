//! Backups of the embedded database that restore: `phone-server backup --to FILE` copies a
//! live SQLite file with SQLite's online backup API while the server keeps answering, and
//! `phone-server restore --from FILE` puts such a copy in place of a database no server holds.
//! (A PostgreSQL database is backed up with PostgreSQL's own `pg_dump`: see the README.)
//!
//! A server, and every other command on the database, holds a shared lock on `<database>.lock`
//! for its whole life, and a restore takes it exclusively, so neither happens under the other. The lock is a file of its own:
//! closing any other descriptor of the database file would drop SQLite's own locks on it.

use std::{
    fs::{self, File, TryLockError},
    io,
    path::{Path, PathBuf},
};

use rusqlite::{Connection, OpenFlags, backup::StepResult};

use super::{StoreError, sqlite};

/// Why a backup or a restore did not happen.
#[derive(Debug)]
pub enum BackupError {
    /// The target of a backup exists: a backup never overwrites a file.
    Exists(PathBuf),
    /// A running server holds the database that a restore would replace.
    InUse(PathBuf),
    /// The file to restore from is not a sound Phonedesk database this server can serve.
    NotABackup(PathBuf, String),
    /// A file could not be read or written.
    File(PathBuf, io::Error),
    /// SQLite failed.
    Store(StoreError),
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exists(path) => write!(f, "{} exists: a backup never overwrites", path.display()),
            Self::InUse(path) => write!(
                f,
                "a running server holds {}: stop it before restoring over its database",
                path.display()
            ),
            Self::NotABackup(path, why) => {
                write!(f, "{} is not a Phonedesk database to restore: {why}", path.display())
            }
            Self::File(path, error) => write!(f, "{}: {error}", path.display()),
            Self::Store(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

fn sqlite_error(error: rusqlite::Error) -> BackupError {
    BackupError::Store(StoreError::Database(Box::new(error)))
}

/// Copies the database at `database` into a new file `to`, as it was at one moment.
///
/// All pages are copied in one step, inside one read transaction: in WAL mode writers never
/// wait for it, and the copy is one snapshot. (Copying a few pages at a time would start over
/// whenever another process wrote, which under steady writes is forever.)
pub fn back_up(database: &Path, to: &Path) -> Result<(), BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let partial = beside(to, "partial");
    remove_if_present(&partial)?;
    let source = sqlite::connect(database)?;
    let mut copy = Connection::open(&partial).map_err(sqlite_error)?;
    let copied = rusqlite::backup::Backup::new(&source, &mut copy)
        .and_then(|backup| backup.step(-1))
        .map_err(sqlite_error)?;
    if copied != StepResult::Done {
        return Err(BackupError::Store(StoreError::Data(format!(
            "the backup did not finish in one step ({copied:?})"
        ))));
    }
    drop(copy);
    put_in_place(&partial, to)
}

/// Replaces the database at `database` with the backup `from`, after checking that it is one
/// (`integrity_check` ok, a schema this server knows), and only when no server holds it.
pub fn restore(from: &Path, database: &Path) -> Result<(), BackupError> {
    let lock = lock_file(database)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(BackupError::InUse(database.to_owned())),
        Err(TryLockError::Error(error)) => {
            return Err(BackupError::File(lock_path(database), error));
        }
    }
    let restoring = beside(database, "restoring");
    remove_if_present(&restoring)?;
    fs::copy(from, &restoring).map_err(|e| BackupError::File(from.to_owned(), e))?;
    if let Err(why) = check_backup(&restoring) {
        remove_if_present(&restoring)?;
        for suffix in ["-wal", "-shm"] {
            remove_if_present(&with_suffix(&restoring, suffix))?;
        }
        return Err(BackupError::NotABackup(from.to_owned(), why));
    }
    // The old database's write-ahead log would be replayed into the new file: it goes first.
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&with_suffix(database, suffix))?;
    }
    put_in_place(&restoring, database)
}

/// Holds the database for as long as this process runs (the lock is released when it exits,
/// also by a crash), so no restore replaces it meanwhile.
///
/// # Errors
/// When a restore holds it, or the lock file cannot be made.
pub fn hold(database: &Path) -> Result<(), BackupError> {
    let lock = lock_file(database)?;
    match lock.try_lock_shared() {
        Ok(()) => {
            // Never closed: the lock lasts until the process ends.
            std::mem::forget(lock);
            Ok(())
        }
        Err(TryLockError::WouldBlock) => Err(BackupError::File(
            lock_path(database),
            io::Error::other("a restore of this database is under way"),
        )),
        Err(TryLockError::Error(error)) => Err(BackupError::File(lock_path(database), error)),
    }
}

/// Opens the copy as the server would and judges it; closing it folds its log into the file.
fn check_backup(copy: &Path) -> Result<(), String> {
    let connection = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| e.to_string())?;
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(format!("integrity_check says {integrity}"));
    }
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    let known = sqlite::MIGRATIONS.len();
    if !usize::try_from(version).is_ok_and(|v| (1..=known).contains(&v)) {
        return Err(format!("its schema is version {version}; this server knows 1 to {known}"));
    }
    connection.close().map_err(|(_, e)| e.to_string())
}

/// Renames `from` to `to` once its bytes are on disk, then makes the rename durable.
fn put_in_place(from: &Path, to: &Path) -> Result<(), BackupError> {
    let file_error = |path: &Path| {
        let path = path.to_owned();
        move |error| BackupError::File(path, error)
    };
    File::open(from).and_then(|f| f.sync_all()).map_err(file_error(from))?;
    fs::rename(from, to).map_err(file_error(to))?;
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(folder).and_then(|f| f.sync_all()).map_err(file_error(folder))
}

fn lock_file(database: &Path) -> Result<File, BackupError> {
    let path = lock_path(database);
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder).map_err(|e| BackupError::File(folder.to_owned(), e))?;
    }
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| BackupError::File(path, e))
}

fn lock_path(database: &Path) -> PathBuf {
    beside(database, "lock")
}

/// `<file>.<extension>`, keeping the file's own extension (`a.sqlite3` → `a.sqlite3.lock`).
fn beside(file: &Path, extension: &str) -> PathBuf {
    with_suffix(file, &format!(".{extension}"))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(BackupError::File(path.to_owned(), error))
        }
        _ => Ok(()),
    }
}
