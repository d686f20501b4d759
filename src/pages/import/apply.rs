//! Applying a checked file: the person's decisions sent, then a progress bar followed twice a
//! second until the apply ends, with a cancel; at the end, what it did. A server that lost the
//! dry run (it restarted) is given the same file again and the apply resumes: the rows done
//! already are found, not written twice.

use std::time::Duration;

use futures_channel::oneshot;
use leptos::prelude::*;
use phone_model::import::{ImportProgress, ImportState};

use super::{
    Import,
    decisions::Decisions,
    words::{heading, progress as progress_words, summary},
};
use crate::{
    api::{self, ApiError},
    components::problem::Problem,
    focus::{find, focus_when},
};

/// How often a running apply is asked where it is.
const POLL: Duration = Duration::from_millis(500);

impl Import {
    /// Applies the last dry run with the person's decisions, and follows it.
    pub(super) fn apply(self) {
        let Some(import_id) =
            self.report.with_untracked(|r| r.as_ref().map(|r| r.import_id.clone()))
        else {
            return;
        };
        if self.starting.get_untracked() {
            return;
        }
        self.starting.set(true);
        self.failed.set(None);
        leptos::task::spawn_local(async move {
            let started = self.start(&import_id).await;
            if self.starting.is_disposed() {
                return;
            }
            self.starting.set(false);
            match started {
                Ok(progress) => {
                    self.progress.set(Some(progress));
                    focus_when(|| find("#import-apply-title"));
                    self.follow().await;
                }
                Err(error) => self.failed.set(Some(error)),
            }
        });
    }

    /// Starts applying `import_id`. When the server no longer holds that dry run, it is given
    /// the same file again, read the same way (the rows keep their numbers, so the decisions
    /// still hold), and that is applied.
    async fn start(self, import_id: &str) -> Result<ImportProgress, ApiError> {
        let decisions = self.decisions.with_untracked(Decisions::to_wire);
        let error = match api::apply_import(import_id, &decisions).await {
            Err(error) if error.is_not_found() => error,
            answer => return answer,
        };
        let (Some(file), Some(business)) = (
            self.file.try_get_untracked().flatten(),
            self.report.try_with_untracked(|r| r.as_ref().map(|r| r.business_id.clone())).flatten(),
        ) else {
            return Err(error);
        };
        let mapping = self.sent_mapping.try_get_value().flatten();
        let report =
            api::check_import(&business, &file.name, &file.file, mapping.as_deref()).await?;
        let import_id = report.import_id.clone();
        self.report.try_set(Some(report));
        api::apply_import(&import_id, &decisions).await
    }

    /// Asks where the apply is twice a second, until it ends (or the page is left).
    async fn follow(self) {
        loop {
            sleep(POLL).await;
            let Some(Some(import_id)) = self.progress.try_with_untracked(|p| {
                p.as_ref().filter(|p| p.state == ImportState::Running).map(|p| p.import_id.clone())
            }) else {
                return;
            };
            let answer = match api::import_progress(&import_id).await {
                Err(error) if error.is_not_found() => self.start(&import_id).await,
                answer => answer,
            };
            // A cancel answered meanwhile has the last word.
            let still_running = self.progress.try_with_untracked(|p| {
                p.as_ref().is_some_and(|p| p.state == ImportState::Running)
            });
            if still_running != Some(true) {
                return;
            }
            match answer {
                Ok(progress) => {
                    let running = progress.state == ImportState::Running;
                    self.progress.set(Some(progress));
                    if !running {
                        focus_when(|| find("#import-apply-title"));
                        return;
                    }
                }
                Err(error) => {
                    self.failed.set(Some(error));
                    return;
                }
            }
        }
    }

    /// Cancels the running apply: what is done stays done.
    fn cancel(self) {
        let Some(import_id) =
            self.progress.with_untracked(|p| p.as_ref().map(|p| p.import_id.clone()))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = api::cancel_import(&import_id).await;
            if self.progress.is_disposed() {
                return;
            }
            match answer {
                Ok(progress) => {
                    self.progress.set(Some(progress));
                    focus_when(|| find("#import-apply-title"));
                }
                Err(error) => self.failed.set(Some(error)),
            }
        });
    }

    /// After a failure: follows the apply again if it runs, else applies again (which resumes).
    fn retry(self) {
        self.failed.set(None);
        let running = self
            .progress
            .with_untracked(|p| p.as_ref().is_some_and(|p| p.state == ImportState::Running));
        if running {
            leptos::task::spawn_local(self.follow());
        } else {
            self.apply();
        }
    }
}

/// Waits `duration`.
async fn sleep(duration: Duration) {
    let (done, waited) = oneshot::channel();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        duration,
    );
    let _ = waited.await;
}

/// The apply's progress bar, its cancel, and what it did.
#[component]
pub fn Applying(import: Import) -> impl IntoView {
    let Import { progress, failed, .. } = import;
    let started = Memo::new(move |_| progress.with(Option::is_some));
    let state = Memo::new(move |_| progress.with(|p| p.as_ref().map(|p| p.state)));
    let of = move |read: fn(&ImportProgress) -> String| {
        move || progress.with(|p| p.as_ref().map(read)).unwrap_or_default()
    };
    let is = move |wanted: ImportState| move || state.get() == Some(wanted);
    view! {
        <Show when=move || started.get()>
            <section class="import-progress" aria-labelledby="import-apply-title" data-testid="import-progress">
                <h2 id="import-apply-title" tabindex="-1" data-testid="import-apply-title">
                    {move || state.get().map(heading)}
                </h2>
                <label class="field__label" for="import-progress-bar">"Rows applied"</label>
                <progress id="import-progress-bar" data-testid="import-progress-bar"
                    max=of(|p| p.rows.max(1).to_string()) value=of(|p| p.done.to_string())></progress>
                <div role="status" aria-live="polite" data-testid="import-status">
                    <p>{of(progress_words)}</p>
                    <Show when=move || state.get().is_some_and(|s| s != ImportState::Running)>
                        <p class="import-summary" data-testid="import-summary">{of(summary)}</p>
                    </Show>
                    <Show when=is(ImportState::Failed)>
                        <p class="problem">{of(|p| p.error.clone().unwrap_or_default())}
                            " Apply again to go on from where it stopped."</p>
                    </Show>
                </div>
                <p class="actions">
                    <Show when=is(ImportState::Running)>
                        <button type="button" class="button button--secondary" data-testid="import-cancel"
                            on:click=move |_| import.cancel()>"Cancel"</button>
                    </Show>
                    <Show when=is(ImportState::Failed)>
                        <button type="button" class="button" data-testid="import-apply-again"
                            on:click=move |_| import.apply()>"Apply again"</button>
                    </Show>
                    <Show when=move || state.get().is_some_and(|s| s != ImportState::Running)>
                        <a class="button button--secondary" href="/review" data-testid="import-review">"Review numbers"</a>
                        <button type="button" class="button button--secondary" data-testid="import-recheck"
                            on:click=move |_| import.check(import.sent_mapping.get_value())>"Check the file again"</button>
                    </Show>
                </p>
            </section>
        </Show>
        {move || failed.get().map(|error| view! {
            <Problem error=error retry=Callback::new(move |()| import.retry()) />
        })}
    }
}
