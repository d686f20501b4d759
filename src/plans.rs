//! The numbering plans, which the app does not carry: every region's plans are one file
//! (`phone_model::plans::FILE_NAME`, cached for a year under its hashed name), fetched once the
//! app has started, so the first page paints without them. Until they arrive a number is held
//! to the provider's rules alone, as the server holds it; whatever judges or shows a number
//! reads [`Plans`], so it is judged again once they are here, and a save or a list that needs
//! them waits for them a little while.

use std::{cell::RefCell, time::Duration};

use futures_channel::oneshot;
use leptos::prelude::*;

/// How long a save or a list waits for plans still downloading before it goes on without them
/// (the server's answer then decides).
const PATIENCE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Downloading,
    /// Here: numbers are judged by them.
    Here,
    /// Not to be had (the download failed, or was not plans): numbers are judged without them.
    Missing,
}

/// Adds the fetched plans to the core's; whether they were plans.
#[cfg(target_arch = "wasm32")]
fn add(bytes: Vec<u8>) -> bool {
    phone_model::plans::add(bytes).is_some()
}

/// Built natively (the app's unit tests), the core has every plan built in.
#[cfg(not(target_arch = "wasm32"))]
fn add(_: Vec<u8>) -> bool {
    true
}

/// Whether the plans are here yet, through context.
#[derive(Debug, Clone, Copy)]
pub struct Plans(RwSignal<State>);

thread_local! {
    /// What waits for the plans to arrive (or for the download to fail).
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
}

impl Plans {
    /// Starts fetching the plans, for the whole app.
    pub fn fetch() -> Self {
        let plans = Self::provide(State::Downloading);
        leptos::task::spawn_local(async move {
            let path = format!("/{}", phone_model::plans::FILE_NAME);
            let bytes = match gloo_net::http::Request::get(&path).send().await {
                Ok(answer) if answer.ok() => answer.binary().await.ok(),
                _ => None,
            };
            let added = bytes.is_some_and(add);
            plans.0.set(if added { State::Here } else { State::Missing });
            for then in WAITING.with_borrow_mut(std::mem::take) {
                then();
            }
        });
        plans
    }

    /// Plans already here (the plans added by the caller: a test).
    pub fn here() -> Self {
        Self::provide(State::Here)
    }

    fn provide(state: State) -> Self {
        let plans = Self(RwSignal::new(state));
        provide_context(plans);
        plans
    }

    /// The app's plans.
    ///
    /// # Panics
    /// Outside the app, or a test that provides them.
    pub fn get() -> Self {
        expect_context()
    }

    /// Makes the reactive code that calls it run again when the plans arrive.
    pub fn track(self) {
        self.0.track();
    }

    /// Whether the download is over, the plans here or not.
    pub fn settled(self) -> bool {
        self.0.get_untracked() != State::Downloading
    }

    /// Runs `then` once the download is over, or after [`PATIENCE`] at most: at once when it is.
    pub fn when_settled(self, then: impl FnOnce() + 'static) {
        if self.settled() {
            then();
            return;
        }
        // Whichever comes first, the plans or the end of patience, takes `then`.
        let once = std::rc::Rc::new(RefCell::new(Some(then)));
        let run = move || {
            if let Some(then) = once.borrow_mut().take() {
                then();
            }
        };
        let later = run.clone();
        WAITING.with_borrow_mut(|waiting| waiting.push(Box::new(run)));
        set_timeout(later, PATIENCE);
    }

    /// `answer`'s output, once the download is over too (or [`PATIENCE`] has passed): for what
    /// shows numbers, written as their plans write them.
    pub async fn after<T>(self, answer: impl Future<Output = T>) -> T {
        let answer = answer.await;
        self.settle().await;
        answer
    }

    /// Once the download is over, or after [`PATIENCE`] at most.
    async fn settle(self) {
        let (done, settled) = oneshot::channel();
        self.when_settled(move || {
            let _ = done.send(());
        });
        let _ = settled.await;
    }
}
