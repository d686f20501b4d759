//! Backups of the embedded database that restore: `phone-server backup --to FILE` copies a
//! live SQLite file with SQLite's online backup API while the server keeps answering, and
//! `phone-server restore --from FILE` puts such a copy in place of a database no server holds.
//! (A PostgreSQL database is backed up with PostgreSQL's own `pg_dump`: see the README.)
//!
//! A server, and every other command on the database, holds a shared lock on `<database>.lock`
//! for its whole life, and a restore takes it exclusively, so neither happens under the other.
//! The lock is a file of its own: closing any other descriptor of the database file would drop
//! SQLite's own locks on it. Every path is made canonical first, so a database reached
//! through a symbolic link has the same lock, and the log files SQLite keeps beside it.

use std::{
    fs::{self, File, TryLockError},
    io,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use rusqlite::{Connection, OpenFlags, backup::StepResult};

use super::{
    BackupStep, DataError, StoreError,
    files::{self, with_suffix},
    sqlite,
};

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// There is no database to back up.
    #[error("there is no database at {}", .0.display())]
    Missing(PathBuf),
    /// The target of a backup exists: a backup never overwrites a file.
    #[error("{} exists: a backup never overwrites", .0.display())]
    Exists(PathBuf),
    /// A running server (or another command) holds the database a restore would replace.
    #[error("a running server holds {}: stop it before restoring over its database", .0.display())]
    InUse(PathBuf),
    /// A restore of the database is under way.
    #[error("a restore of {} is under way", .0.display())]
    Restoring(PathBuf),
    /// The file to restore from is not a sound Phonedesk database this server can serve.
    #[error("{path} is not a Phonedesk database to restore: {why}", path = .0.display(), why = .1)]
    NotABackup(PathBuf, #[source] Unrestorable),
    /// A file could not be read or written.
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    File(PathBuf, #[source] io::Error),
    /// SQLite failed.
    #[error(transparent)]
    Store(StoreError),
}

/// Why a file is not a backup to restore.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Unrestorable {
    /// It is the database it would replace.
    #[error("it is the database itself")]
    TheDatabase,
    /// SQLite could not open it, copy it or read it as a database.
    #[error("{0}")]
    Unreadable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// SQLite's `integrity_check` found it damaged, and reported this.
    #[error("integrity_check says {0}")]
    Damaged(String),
    /// Its schema version (`found`) is none of those this server knows (1 to `known`).
    #[error("its schema is version {found}; this server knows 1 to {known}")]
    UnknownSchema { found: i64, known: usize },
}

fn sqlite_error(error: rusqlite::Error) -> BackupError {
    BackupError::Store(StoreError::Database(Box::new(error)))
}

/// Copies the database at `database` into a new file `to` (readable by its owner only: it
/// holds the keys that sign tokens), as it was at one moment. The database is neither created
/// nor migrated: a mistyped path is an error, and a server running an older schema keeps it.
pub fn back_up(database: &Path, to: &Path) -> Result<(), BackupError> {
    // Its caller has refused a missing database before holding it (which makes its folder).
    let database = canonical(database)?;
    let partial = with_suffix(to, &format!(".partial-{}", std::process::id()));
    let copied = snapshot(&database, &partial);
    let placed = copied.and_then(|()| put_in_place(&partial, to, Replace::Never));
    remove_if_present(&partial)?;
    placed
}

/// Replaces the database at `database` with the backup `from`, after checking that it is one
/// (`integrity_check` ok, a schema this server knows), and only when nothing holds it.
pub fn restore(from: &Path, database: &Path) -> Result<(), BackupError> {
    let (from, database) = (canonical(from)?, canonical(database)?);
    if from == database {
        return Err(BackupError::NotABackup(from, Unrestorable::TheDatabase));
    }
    let lock = lock_file(&database)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(BackupError::InUse(database)),
        Err(TryLockError::Error(error)) => {
            return Err(BackupError::File(lock_path(&database), error));
        }
    }
    let restoring = with_suffix(&database, ".restoring");
    let not_a_backup = |why: Unrestorable| BackupError::NotABackup(from.clone(), why);
    let restored = snapshot(&from, &restoring)
        .map_err(|error| match error {
            BackupError::Store(error) => not_a_backup(Unrestorable::Unreadable(Box::new(error))),
            error => error,
        })
        .and_then(|()| check_backup(&restoring).map_err(not_a_backup))
        .and_then(|()| {
            // The old database's write-ahead log would be replayed into the new file.
            for suffix in ["-wal", "-shm"] {
                remove_if_present(&with_suffix(&database, suffix))?;
            }
            put_in_place(&restoring, &database, Replace::Always)
        });
    for leftover in
        [restoring.clone(), with_suffix(&restoring, "-wal"), with_suffix(&restoring, "-shm")]
    {
        remove_if_present(&leftover)?;
    }
    restored
}

/// Holds the database for as long as this process runs (the lock is released when it exits,
/// also by a crash), so no restore replaces it meanwhile.
///
/// # Errors
/// When a restore holds it, or the lock file cannot be made.
pub fn hold(database: &Path) -> Result<(), BackupError> {
    let database = canonical(database)?;
    let lock = lock_file(&database)?;
    match lock.try_lock_shared() {
        Ok(()) => {
            // Never closed: the lock lasts until the process ends.
            std::mem::forget(lock);
            Ok(())
        }
        Err(TryLockError::WouldBlock) => Err(BackupError::Restoring(database)),
        Err(TryLockError::Error(error)) => Err(BackupError::File(lock_path(&database), error)),
    }
}

/// Copies `source` (its committed pages, write-ahead log included) into a new file `target`
/// that only its owner may read. All pages are copied in one step, inside one read
/// transaction: in WAL mode writers never wait for it, and the copy is one snapshot. (Copying a
/// few pages at a time starts over whenever another process writes, which under steady writes
/// is forever.)
fn snapshot(source: &Path, target: &Path) -> Result<(), BackupError> {
    remove_if_present(target)?;
    File::options()
        .write(true)
        .create_new(true)
        .mode(files::FILE_MODE)
        .open(target)
        .map_err(|e| BackupError::File(target.to_owned(), e))?;
    // Never created here, whatever the path.
    let source =
        Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| {
            BackupError::NotABackup(source.to_owned(), Unrestorable::Unreadable(e.into()))
        })?;
    source.busy_timeout(std::time::Duration::from_secs(5)).map_err(sqlite_error)?;
    let mut copy = Connection::open(target).map_err(sqlite_error)?;
    let copied = rusqlite::backup::Backup::new(&source, &mut copy)
        .and_then(|backup| backup.step(-1))
        .map_err(sqlite_error)?;
    if copied == StepResult::Done {
        Ok(())
    } else {
        Err(BackupError::Store(DataError::UnfinishedBackup(BackupStep(copied)).into()))
    }
}

/// Opens the copy as the server would and judges it; closing it folds its log into the file.
fn check_backup(copy: &Path) -> Result<(), Unrestorable> {
    let unreadable = |e: rusqlite::Error| Unrestorable::Unreadable(e.into());
    let connection =
        Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(unreadable)?;
    let integrity: String =
        connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(unreadable)?;
    if integrity != "ok" {
        return Err(Unrestorable::Damaged(integrity));
    }
    let found: i64 =
        connection.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(unreadable)?;
    let known = sqlite::MIGRATIONS.len();
    if !usize::try_from(found).is_ok_and(|v| (1..=known).contains(&v)) {
        return Err(Unrestorable::UnknownSchema { found, known });
    }
    connection.close().map_err(|(_, e)| unreadable(e))
}

/// Whether putting a file in place may replace one that is there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Never,
    Always,
}

/// Moves `from` to `to` once its bytes are on disk, then makes the move durable. With
/// [`Replace::Never`], a file at `to` (even one made a moment ago) is kept and the move refused.
fn put_in_place(from: &Path, to: &Path, replace: Replace) -> Result<(), BackupError> {
    let file_error = |path: &Path| {
        let path = path.to_owned();
        move |error| BackupError::File(path, error)
    };
    File::open(from).and_then(|f| f.sync_all()).map_err(file_error(from))?;
    if replace == Replace::Never {
        // A hard link is made only where no file is: the check and the move are one step.
        fs::hard_link(from, to).map_err(|error| match error.kind() {
            io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_owned()),
            _ => BackupError::File(to.to_owned(), error),
        })?;
    } else {
        fs::rename(from, to).map_err(file_error(to))?;
    }
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(folder).and_then(|f| f.sync_all()).map_err(file_error(folder))
}

/// The path with every symbolic link resolved: the file's own when it exists, else its
/// folder's (made if missing) and its name.
fn canonical(path: &Path) -> Result<PathBuf, BackupError> {
    if let Ok(resolved) = fs::canonicalize(path) {
        return Ok(resolved);
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        BackupError::File(path.to_owned(), io::Error::other("not the path of a file"))
    })?;
    files::make_folder(folder).map_err(|e| BackupError::File(folder.to_owned(), e))?;
    let folder = fs::canonicalize(folder).map_err(|e| BackupError::File(folder.to_owned(), e))?;
    Ok(folder.join(name))
}

fn lock_file(database: &Path) -> Result<File, BackupError> {
    let path = lock_path(database);
    // It holds nothing, but another user who can open it can lock it, and so keep a server
    // from starting or a restore from running: the owner's alone, as the database is.
    files::make_private(std::slice::from_ref(&path));
    // Opened for reading too: a shared lock over NFS is a read lock.
    File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(files::FILE_MODE)
        .open(&path)
        .map_err(|e| BackupError::File(path, e))
}

fn lock_path(database: &Path) -> PathBuf {
    with_suffix(database, ".lock")
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(BackupError::File(path.to_owned(), error))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn says(error: BackupError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    /// What `phone-server backup` and `restore` print when they refuse.
    #[test]
    fn each_refusal_names_the_file_and_why() {
        let path = || PathBuf::from("/srv/pd.sqlite3");
        says(BackupError::Missing(path()), "there is no database at /srv/pd.sqlite3");
        says(BackupError::Exists(path()), "/srv/pd.sqlite3 exists: a backup never overwrites");
        says(
            BackupError::InUse(path()),
            "a running server holds /srv/pd.sqlite3: stop it before restoring over its database",
        );
        says(BackupError::Restoring(path()), "a restore of /srv/pd.sqlite3 is under way");
        says(
            BackupError::File(path(), io::Error::other("permission denied")),
            "/srv/pd.sqlite3: permission denied",
        );
        says(BackupError::Store(StoreError::Database("busy".into())), "database: busy");
        says(
            BackupError::NotABackup(path(), Unrestorable::Damaged("Page 3: never used".to_owned())),
            "/srv/pd.sqlite3 is not a Phonedesk database to restore: integrity_check says Page 3: \
             never used",
        );
    }

    #[test]
    fn a_restore_refuses_what_is_not_a_backup_and_says_why() {
        let folder = tempfile::tempdir().unwrap();
        let folder = fs::canonicalize(folder.path()).unwrap();
        let database = folder.join("pd.sqlite3");
        let refused = |from: &Path| restore(from, &database).unwrap_err().to_string();
        let not_a_backup = |from: &Path, why: &str| {
            format!("{} is not a Phonedesk database to restore: {why}", from.display())
        };

        assert_eq!(refused(&database), not_a_backup(&database, "it is the database itself"));

        let empty = folder.join("empty.sqlite3");
        File::create(&empty).unwrap();
        let known = sqlite::MIGRATIONS.len();
        let why = format!("its schema is version 0; this server knows 1 to {known}");
        assert_eq!(refused(&empty), not_a_backup(&empty, &why));

        let text = folder.join("notes.txt");
        fs::write(&text, "not a database, but long enough to be read as one's header".repeat(9))
            .unwrap();
        assert_eq!(refused(&text), not_a_backup(&text, "database: file is not a database"));
        let refusal = restore(&text, &database).unwrap_err();
        let why = std::error::Error::source(&refusal).map(ToString::to_string);
        assert_eq!(why.as_deref(), Some("database: file is not a database"));
    }
}
