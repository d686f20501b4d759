//! Who may read the SQLite files. The database holds the keys that sign access tokens and list
//! cursors, and every password hash: whoever can read it can sign a token for every business.
//! So a database file the server makes is its owner's alone (0600), as is any folder it makes
//! for one (0700); SQLite gives the `-wal`, `-shm` and `-journal` files it makes beside a
//! database the database's own mode. A database made before (0644 under the usual umask 022)
//! is tightened when it is opened, with a warning for each file, rather than refused: an
//! operator upgrading must not be locked out, and the server's user owns the file anyway.
//!
//! Modes are read and set by path, never through a descriptor of the file: closing any
//! descriptor of a database drops the locks SQLite holds on it in this process.

use std::{
    fs, io,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
};

/// Read and written by the owner only.
pub(super) const FILE_MODE: u32 = 0o600;
/// Entered, listed and changed by the owner only.
const FOLDER_MODE: u32 = 0o700;
/// The permissions of the group and of everyone else.
const NOT_THE_OWNER: u32 = 0o077;

/// Makes `folder` and any missing folders above it, each its owner's alone; folders that exist
/// are left as they are (a database in a shared folder is the operator's choice).
pub(super) fn make_folder(folder: &Path) -> io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(FOLDER_MODE).create(folder)
}

/// Makes an empty file at `path` that only its owner may read, for SQLite to make a database
/// in (SQLite itself would make it with the umask's mode); a file already there is kept.
pub(super) fn make_private_file(path: &Path) -> io::Result<()> {
    match fs::OpenOptions::new().write(true).create_new(true).mode(FILE_MODE).open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// The files of the SQLite database at `database`: itself and its write-ahead log and shared
/// memory, which hold its recent pages.
pub(super) fn database_files(database: &Path) -> [PathBuf; 3] {
    [database.to_owned(), with_suffix(database, "-wal"), with_suffix(database, "-shm")]
}

/// Takes away every permission but the owner's from each of `files` that has one, and warns of
/// each so changed. A file that is missing is skipped; one that cannot be changed (another
/// user's) is warned of and served all the same, as it was before.
pub(super) fn make_private(files: &[PathBuf]) {
    for file in files {
        match tighten(file) {
            Ok(None) => {}
            Ok(Some((was, now))) => tracing::warn!(
                file = %file.display(),
                was = format_args!("{was:o}"),
                now = format_args!("{now:o}"),
                "the file was open to other users of this machine (it holds the keys that sign \
                 tokens): now only its owner may read it"
            ),
            Err(error) => tracing::warn!(
                file = %file.display(),
                %error,
                "the file is open to other users of this machine, and its mode could not be \
                 changed: anyone who can read it can sign tokens. Make it its owner's alone \
                 (chmod 600)"
            ),
        }
    }
}

/// Takes the group's and everyone else's permissions away from `file`: its mode before and
/// after, if it changed.
fn tighten(file: &Path) -> io::Result<Option<(u32, u32)>> {
    let was = match fs::metadata(file) {
        Ok(metadata) => metadata.permissions().mode() & 0o7777,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if was & NOT_THE_OWNER == 0 {
        return Ok(None);
    }
    let now = was & !NOT_THE_OWNER;
    fs::set_permissions(file, fs::Permissions::from_mode(now))?;
    Ok(Some((was, now)))
}

/// `<file><suffix>`, keeping the file's own extension (`a.sqlite3` → `a.sqlite3.lock`).
pub(super) fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_folder_and_a_file_made_here_are_the_owners_alone() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("data/deeper");
        make_folder(&folder).unwrap();
        let file = folder.join("phonedesk.sqlite3");
        make_private_file(&file).unwrap();
        assert_eq!(
            [mode(&root.path().join("data")), mode(&folder), mode(&file)],
            [0o700, 0o700, 0o600]
        );
    }

    #[test]
    fn a_file_already_there_is_kept_as_it_is_until_tightened() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("phonedesk.sqlite3");
        fs::write(&file, "kept").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o664)).unwrap();
        make_private_file(&file).unwrap();
        assert_eq!((fs::read_to_string(&file).unwrap().as_str(), mode(&file)), ("kept", 0o664));
        assert_eq!(tighten(&file).unwrap(), Some((0o664, 0o600)));
        assert_eq!(tighten(&file).unwrap(), None, "already private");
        assert_eq!(tighten(&root.path().join("missing")).unwrap(), None);
        fs::set_permissions(&file, fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(tighten(&file).unwrap(), None, "the owner's own bits are the owner's choice");
    }
}
