//! The dry runs the server holds until they are applied: a file read once, its mapping, and
//! the progress of its apply. Held in memory, a few at a time and for an hour: after a restart
//! a person runs the dry run again, with the same file, and applying it resumes (the rows
//! already done are found stored, not written twice).

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use phone_model::{
    CountryCode,
    import::{ImportProgress, Mapping},
};

/// How many dry runs are held at once, and of them each person's: each holds its rows (a
/// 100,000-row file's take about 35 MB), and one person's checks never push out another's.
const HELD_MAX: usize = 8;
const HELD_PER_PERSON: usize = 2;

/// How long a dry run is held once made (an apply running keeps it).
const HELD_FOR: Duration = Duration::from_secs(3600);

/// A dry run, held to be applied.
#[derive(Debug)]
pub(crate) struct Held {
    pub id: String,
    pub business_id: String,
    /// Whose it is (`Principal::scope`): only they may apply it or see its progress.
    pub owner: String,
    pub headings: Vec<String>,
    pub mapping: Mapping,
    pub country_code: CountryCode,
    pub rows: Vec<phone_sheets::Row>,
    made: Instant,
    progress: Mutex<Option<ImportProgress>>,
    cancelled: AtomicBool,
}

impl Held {
    pub fn new(
        id: String,
        business_id: String,
        owner: String,
        headings: Vec<String>,
        mapping: Mapping,
        country_code: CountryCode,
        rows: Vec<phone_sheets::Row>,
    ) -> Self {
        Self {
            id,
            business_id,
            owner,
            headings,
            mapping,
            country_code,
            rows,
            made: Instant::now(),
            progress: Mutex::new(None),
            cancelled: AtomicBool::new(false),
        }
    }

    /// Its apply's progress: none before it is applied.
    pub fn progress(&self) -> Option<ImportProgress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Changes its apply's progress.
    pub fn update(&self, change: impl FnOnce(&mut ImportProgress)) {
        let mut progress = self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(progress) = progress.as_mut() {
            change(progress);
        }
    }

    /// Starts an apply with `progress`, unless one is running: `false` then.
    pub fn start(&self, progress: ImportProgress) -> bool {
        let mut held = self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        if held.as_ref().is_some_and(running) {
            return false;
        }
        self.cancelled.store(false, Ordering::SeqCst);
        *held = Some(progress);
        true
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    fn is_running(&self) -> bool {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner).as_ref().is_some_and(running)
    }
}

fn running(progress: &ImportProgress) -> bool {
    progress.state == phone_model::import::ImportState::Running
}

/// The dry runs held.
#[derive(Debug)]
pub struct Imports {
    held: Mutex<Vec<Arc<Held>>>,
    /// Dry runs running now (see `import_dry_run`).
    pub(crate) checking: tokio::sync::Semaphore,
}

impl Default for Imports {
    fn default() -> Self {
        Self { held: Mutex::default(), checking: tokio::sync::Semaphore::new(2) }
    }
}

impl Imports {
    /// Holds `held`, in place of a dry run with its id that is not running, and letting go of
    /// the oldest that are not running past [`HELD_MAX`] and of those older than [`HELD_FOR`].
    /// Answers the one held: an apply of the same id that runs is kept, with its progress.
    /// `None` when [`HELD_MAX`] applies are running: nothing is let go of mid-apply.
    pub(crate) fn hold(&self, held: Held) -> Option<Arc<Held>> {
        let mut all = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let same = |h: &Held| h.id == held.id && h.owner == held.owner;
        if let Some(running) = all.iter().find(|h| same(h) && h.is_running()) {
            return Some(Arc::clone(running));
        }
        all.retain(|h| !same(h) && (h.is_running() || h.made.elapsed() < HELD_FOR));
        // The person's own oldest first; another's only past the server's limit.
        while all.iter().filter(|h| h.owner == held.owner).count() >= HELD_PER_PERSON {
            let oldest = all.iter().position(|h| h.owner == held.owner && !h.is_running())?;
            all.remove(oldest);
        }
        while all.len() >= HELD_MAX {
            let oldest = all.iter().position(|h| !h.is_running())?;
            all.remove(oldest);
        }
        let held = Arc::new(held);
        all.push(Arc::clone(&held));
        Some(held)
    }

    /// `owner`'s dry run `id`, when it is held.
    pub(crate) fn get(&self, owner: &str, id: &str) -> Option<Arc<Held>> {
        let all = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        all.iter().find(|h| h.id == id && h.owner == owner).cloned()
    }
}
