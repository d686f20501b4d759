//! The background sync: walks the provider's customers with their cursors, and each one's
//! numbers, into the copy that search and the review read, within the rate budget (at the
//! sync's lower priority, so people's requests go first).

use std::{sync::Arc, time::Duration};

use axum::http::{Method, StatusCode};
use phone_model::CustomerPage;
use serde::de::DeserializeOwned;
use tokio::task::JoinSet;

use super::{Asker, Gateway, UpstreamError, every_number, segment};
use crate::{ApiError, Operations, now};

/// Customers whose numbers are fetched at once.
const AT_ONCE: usize = 8;
/// How many 429s in a row a page may get before the sync stops until its next run.
const TRIES: usize = 5;

/// What one full sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    pub customers: usize,
    pub numbers: usize,
}

/// Syncs now, and then every `every`, for as long as the server runs.
pub async fn run(ops: Operations, gateway: Arc<Gateway>, every: Duration) {
    loop {
        let started = std::time::Instant::now();
        match once(&ops, &gateway).await {
            Ok(synced) => tracing::info!(
                customers = synced.customers,
                numbers = synced.numbers,
                seconds = started.elapsed().as_secs_f64(),
                "synced the copy of the provider's customers"
            ),
            Err(error) => tracing::warn!(%error, "the sync stopped; it starts again later"),
        }
        tokio::time::sleep(every).await;
    }
}

/// One full sync: every customer the provider lists for Phonedesk's credential, with its
/// numbers. Each page of customers goes into the copy with their numbers in one transaction.
///
/// # Errors
/// When the provider gives no answer, or a page that is not one.
pub async fn once(ops: &Operations, gateway: &Arc<Gateway>) -> Result<Synced, SyncError> {
    let mut synced = Synced { customers: 0, numbers: 0 };
    let mut path = "/customers?limit=50".to_owned();
    loop {
        let page: CustomerPage =
            fetch(gateway, &path).await?.ok_or_else(|| page(&path, PageProblem::NotFound))?;
        let mut lists = JoinSet::new();
        let mut ids = page.customers.iter().map(|c| c.customer_id.clone());
        let mut fetched = Vec::new();
        loop {
            while lists.len() < AT_ONCE {
                let Some(id) = ids.next() else { break };
                let gateway = Arc::clone(gateway);
                lists.spawn(async move {
                    let gateway = &gateway;
                    let numbers = every_number(&id, |path| {
                        Box::pin(async move { fetch(gateway, &path).await })
                    });
                    let numbers = numbers.await;
                    numbers.map(|numbers| numbers.map(|numbers| (id, numbers)))
                });
            }
            let Some(list) = lists.join_next().await else { break };
            // A customer gone since its page was read has no numbers to keep.
            if let Some(list) = list.map_err(SyncError::Task)?? {
                fetched.push(list);
            }
        }
        synced.customers += page.customers.len();
        synced.numbers += fetched.iter().map(|(_, numbers)| numbers.len()).sum::<usize>();
        let customers = page.customers;
        ops.blocking(move |store| {
            store.mirror_customers(&customers)?;
            Ok(store.mirror_numbers(&fetched)?)
        })
        .await
        .map_err(SyncError::Copy)?;
        match page.response_metadata.next_cursor {
            Some(cursor) if page.response_metadata.has_next => {
                path = format!("/customers?limit=50&nextCursor={}", segment(&cursor));
            }
            _ => break,
        }
    }
    let at = now();
    ops.blocking(move |store| Ok(store.set_synced_at(at)?)).await.map_err(SyncError::Copy)?;
    Ok(synced)
}

/// A page, `None` for a 404. A 429 is waited out (the budget stays shut for the provider's
/// `Retry-After` or reset), a few times.
async fn fetch<T: DeserializeOwned>(gateway: &Gateway, path: &str) -> Result<Option<T>, SyncError> {
    for _ in 0..TRIES {
        let answer = gateway.upstream.send(Method::GET, path, None, Asker::Sync).await?;
        match answer.status {
            StatusCode::TOO_MANY_REQUESTS => continue,
            StatusCode::NOT_FOUND => return Ok(None),
            status if !status.is_success() => {
                return Err(page(path, PageProblem::Status(status)));
            }
            _ => {}
        }
        let read = serde_json::from_slice(&answer.body);
        return read.map(Some).map_err(|e| page(path, PageProblem::NotAPage(e)));
    }
    Err(page(path, PageProblem::TooManyRequests))
}

/// The provider's answer to the page at `path` is not the page.
fn page(path: &str, problem: PageProblem) -> SyncError {
    SyncError::Page { path: path.to_owned(), problem }
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The provider gave no answer to pass on.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// The provider answered the page at `path` with something other than the page asked for.
    #[error("an unexpected answer: {path}: {problem}")]
    Page {
        path: String,
        #[source]
        problem: PageProblem,
    },
    /// A task that fetched a customer's numbers panicked or was cancelled.
    #[error("an unexpected answer: {0}")]
    Task(#[source] tokio::task::JoinError),
    /// The copy could not be written.
    #[error("the copy: {0:?}")]
    Copy(ApiError),
}

/// What was wrong with the provider's answer to a page.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PageProblem {
    /// A page of customers was not found.
    #[error("404")]
    NotFound,
    /// A status that is neither success, 404 nor 429.
    #[error("{0}")]
    Status(StatusCode),
    /// A body that is not the page.
    #[error("{0}")]
    NotAPage(#[source] serde_json::Error),
    /// 429 every time, as many times as the sync tries.
    #[error("429 {tries} times", tries = TRIES)]
    TooManyRequests,
}

#[cfg(test)]
mod tests {
    use phone_model::Refusal;

    use super::*;

    #[track_caller]
    fn says(error: SyncError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    /// What the log says when a sync stops.
    #[test]
    fn a_stopped_sync_says_which_page_and_what_was_wrong_with_it() {
        says(SyncError::from(UpstreamError::TimedOut), "the provider did not answer in time");
        let path = "/customers?limit=50";
        says(page(path, PageProblem::NotFound), "an unexpected answer: /customers?limit=50: 404");
        says(
            page(path, PageProblem::Status(StatusCode::BAD_GATEWAY)),
            "an unexpected answer: /customers?limit=50: 502 Bad Gateway",
        );
        says(
            page(path, PageProblem::TooManyRequests),
            "an unexpected answer: /customers?limit=50: 429 5 times",
        );
        let not_a_page = serde_json::from_slice::<CustomerPage>(b"<html>").unwrap_err();
        says(
            page(path, PageProblem::NotAPage(not_a_page)),
            "an unexpected answer: /customers?limit=50: expected value at line 1 column 1",
        );
        says(
            SyncError::Copy(ApiError::Refused(Refusal::Unavailable)),
            "the copy: Refused(Unavailable)",
        );
    }
}
