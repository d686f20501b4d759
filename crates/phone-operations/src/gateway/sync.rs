//! The background sync: walks the provider's customers with their cursors, and each one's
//! numbers, into the copy that search and the review read, within the rate budget (at the
//! sync's lower priority, so people's requests go first).

use std::{sync::Arc, time::Duration};

use axum::http::{Method, StatusCode};
use phone_model::CustomerPage;
use serde::de::DeserializeOwned;
use tokio::task::JoinSet;

use super::{Asker, Gateway, UpstreamError, every_number, segment};
use crate::{Operations, now};

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
            fetch(gateway, &path).await?.ok_or_else(|| SyncError::Page(format!("{path}: 404")))?;
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
            if let Some(list) = list.map_err(|e| SyncError::Page(e.to_string()))?? {
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
        .map_err(|e| SyncError::Copy(format!("{e:?}")))?;
        match page.response_metadata.next_cursor {
            Some(cursor) if page.response_metadata.has_next => {
                path = format!("/customers?limit=50&nextCursor={}", segment(&cursor));
            }
            _ => break,
        }
    }
    let at = now();
    ops.blocking(move |store| Ok(store.set_synced_at(at)?))
        .await
        .map_err(|e| SyncError::Copy(format!("{e:?}")))?;
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
                return Err(SyncError::Page(format!("{path}: {status}")));
            }
            _ => {}
        }
        let page = serde_json::from_slice(&answer.body);
        return page.map(Some).map_err(|e| SyncError::Page(format!("{path}: {e}")));
    }
    Err(SyncError::Page(format!("{path}: 429 {TRIES} times")))
}

/// Why a sync stopped.
#[derive(Debug)]
pub enum SyncError {
    Upstream(UpstreamError),
    /// The provider answered with something other than the page asked for.
    Page(String),
    /// The copy could not be written.
    Copy(String),
}

impl From<UpstreamError> for SyncError {
    fn from(error: UpstreamError) -> Self {
        Self::Upstream(error)
    }
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Upstream(error) => error.fmt(f),
            Self::Page(what) => write!(f, "an unexpected answer: {what}"),
            Self::Copy(what) => write!(f, "the copy: {what}"),
        }
    }
}

impl std::error::Error for SyncError {}

#[cfg(test)]
mod tests {
    use phone_model::Refusal;

    use super::*;
    use crate::ApiError;

    #[track_caller]
    fn says(error: SyncError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    /// What the log says when a sync stops.
    #[test]
    fn a_stopped_sync_says_which_page_and_what_was_wrong_with_it() {
        says(SyncError::from(UpstreamError::TimedOut), "the provider did not answer in time");
        let path = "/customers?limit=50";
        says(
            SyncError::Page(format!("{path}: 404")),
            "an unexpected answer: /customers?limit=50: 404",
        );
        says(
            SyncError::Page(format!("{path}: {}", StatusCode::BAD_GATEWAY)),
            "an unexpected answer: /customers?limit=50: 502 Bad Gateway",
        );
        says(
            SyncError::Page(format!("{path}: 429 {TRIES} times")),
            "an unexpected answer: /customers?limit=50: 429 5 times",
        );
        let not_a_page = serde_json::from_slice::<CustomerPage>(b"<html>").unwrap_err();
        says(
            SyncError::Page(format!("{path}: {not_a_page}")),
            "an unexpected answer: /customers?limit=50: expected value at line 1 column 1",
        );
        says(
            SyncError::Copy(format!("{:?}", ApiError::Refused(Refusal::Unavailable))),
            "the copy: Refused(Unavailable)",
        );
    }
}
