//! Phone systems (Phonedesk's extension): who is calling (`GET /callers`), the calls a phone
//! system reports (`POST /calls`), and the staff app's streams of them (`GET /callEvents`).
//! In both modes they are answered from the database: a gateway's copy holds the customers and
//! their numbers, and the calls are Phonedesk's own.
//!
//! A reported event is kept (the store), then told to every open stream through one broadcast
//! channel ([`CallBoard`]); each stream keeps only its caller's businesses' events. A stream
//! that reconnects with `Last-Event-ID` is first caught up from the database, with the events
//! of the last minute after that id.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use phone_model::{
    Businesses, CALL_REPLAY_MS, CALLERS_MAX, CallEvent, CallReport, CallState, Caller,
    CallerLookup, CustomerQuery, CustomerResource, PageSize, ParsedNumber, Refusal,
    ValidationError, caller_number, caller_order, stored_duplicate_key,
};
use phone_store::{CustomerFilter, StoredCallEvent};
use tokio::sync::broadcast;

use crate::{ApiError, Operations, Principal, caller::Caller as Counted};

/// Events a stream may fall behind by; further behind, it ends, and the browser reconnects
/// with `Last-Event-ID` and is caught up from the database.
const BACKLOG: usize = 4096;

/// The most streams one caller may hold open: a person's tabs, not a flood.
pub const STREAMS_PER_CALLER: usize = 8;

/// The most events a stream is caught up with at once, and a relay reads at once.
const CATCH_UP: i64 = 500;

/// How long a stream lasts: then it ends, and the browser's `EventSource` opens it again
/// within a second (the `retry` it was told), authenticated again, with `Last-Event-ID`. A
/// person signed out, or a client removed, hears no more calls after this at the latest.
const STREAM_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// Where reported events meet the streams open to hear them.
#[derive(Debug)]
pub struct CallBoard {
    sender: broadcast::Sender<Arc<StoredCallEvent>>,
    streams: Mutex<HashMap<Counted, usize>>,
    /// Whether this server tells its streams of the events it keeps itself (SQLite), or of
    /// every server's as the database tells them (PostgreSQL); set when first asked.
    tells_its_own: OnceLock<bool>,
    /// Held while a report is kept and told, so that streams hear events in the order of
    /// their ids, and a stream that resumes after an id has missed none before it.
    turn: tokio::sync::Mutex<()>,
    /// Set when the server stops: every stream ends, so that stopping waits for none.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Default for CallBoard {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
            streams: Mutex::default(),
            tells_its_own: OnceLock::new(),
            turn: tokio::sync::Mutex::new(()),
            closing: tokio::sync::watch::Sender::new(false),
        }
    }
}

/// Milliseconds since the epoch.
fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// One caller's stream of call events: those it missed first, then each as it is reported.
#[derive(Debug)]
pub struct CallStream {
    board: Arc<CallBoard>,
    principal: Principal,
    live: broadcast::Receiver<Arc<StoredCallEvent>>,
    /// Events to tell before the live ones, oldest first (reversed: the next is last).
    pending: Vec<Arc<StoredCallEvent>>,
    /// The latest event told: events come in the order of their ids (see `CallBoard::turn`),
    /// so one at or before it was told already.
    told: i64,
    /// When the stream ends (see [`STREAM_LIFETIME`]).
    ends_at: tokio::time::Instant,
    closing: tokio::sync::watch::Receiver<bool>,
}

impl CallStream {
    /// The next event to tell, waiting for one; `None` when the stream ends: its lifetime is
    /// over, it fell too far behind (the browser reconnects with `Last-Event-ID` and is caught
    /// up from the database), or the server is stopping.
    pub async fn next(&mut self) -> Option<Arc<StoredCallEvent>> {
        loop {
            if let Some(event) = self.pending.pop() {
                self.told = event.seq;
                return Some(event);
            }
            let received = tokio::select! {
                received = self.live.recv() => received.ok()?,
                () = tokio::time::sleep_until(self.ends_at) => return None,
                _ = self.closing.wait_for(|closing| *closing) => return None,
            };
            if received.seq > self.told && self.principal.businesses().allows(&received.business_id)
            {
                self.told = received.seq;
                return Some(received);
            }
        }
    }
}

impl Drop for CallStream {
    fn drop(&mut self) {
        let mut streams = self.board.streams.lock().unwrap_or_else(|e| e.into_inner());
        let caller = self.principal.caller();
        if let Some(count) = streams.get_mut(&caller) {
            *count -= 1;
            if *count == 0 {
                streams.remove(&caller);
            }
        }
    }
}

impl Operations {
    /// `GET /callers?number=…`: the customers of the caller's businesses with the number, in
    /// any written form, best first.
    pub async fn callers(
        &self,
        principal: Principal,
        number: Option<String>,
        app_url: &str,
    ) -> Result<CallerLookup, ApiError> {
        let asked = number.unwrap_or_default();
        let callers = self.callers_of(&principal, &asked, None, app_url).await?;
        Ok(CallerLookup { number: asked, callers })
    }

    /// The customers with a number (within `business_id` when given), best first.
    async fn callers_of(
        &self,
        principal: &Principal,
        number: &str,
        business_id: Option<String>,
        app_url: &str,
    ) -> Result<Vec<Caller>, ApiError> {
        let ending = caller_number(Some(number)).map_err(ApiError::invalid)?;
        let filter = CustomerFilter { business_id, external_reference: None, search: None };
        let query = CustomerQuery::parse(number);
        let businesses = principal.businesses().clone();
        let limit = i64::from(PageSize::MAX.get());
        let page = self
            .small_read(move |store| {
                Ok(store.customers_with_number(&query, &filter, &businesses, limit)?)
            })
            .await?;
        Ok(best_callers(&ending, page, app_url))
    }

    /// `POST /calls`: keeps a call's event and tells the staff who see its business.
    pub async fn calls_report(
        &self,
        principal: Principal,
        report: CallReport,
        app_url: &str,
    ) -> Result<CallEvent, ApiError> {
        if matches!(principal, Principal::User { .. }) {
            // Phone systems report calls, as API clients; staff only hear of them.
            return Err(ApiError::Refused(Refusal::CustomerAccessDenied));
        }
        let business_id = report
            .business(principal.businesses())
            .map_err(ApiError::Refused)?
            .map_err(ApiError::invalid)?;
        let wanted = Businesses::only([business_id.as_str()]);
        let business = self
            .small_read(move |store| Ok(store.businesses(&wanted)?))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::invalid(ValidationError::BusinessIdInvalid))?;
        // A withheld number ("anonymous") is no number: an unknown caller.
        let callers = match caller_number(Some(&report.from)) {
            Ok(_) => {
                self.callers_of(&principal, &report.from, Some(business_id.clone()), app_url)
                    .await?
            }
            Err(_) => Vec::new(),
        };
        let at = now_ms();
        let event = CallEvent {
            call_id: report.call_id.clone().unwrap_or_else(|| report.from.clone()),
            business,
            from: report.from,
            to: report.to,
            extension: report.extension,
            state: report.state,
            at,
            callers,
        };
        let json = serde_json::to_string(&event).map_err(|e| ApiError::Internal(Box::new(e)))?;
        let business_id_told = business_id.clone();
        let tells_its_own = self.hear_calls();
        // Kept and told by a task of its own: a report whose caller goes away meanwhile is
        // still told once it is kept (else a later id would be told, and this one never).
        let ops = self.clone();
        tokio::spawn(async move {
            let _turn = ops.calls.turn.lock().await;
            let kept = json.clone();
            let seq = ops
                .blocking(move |store| Ok(store.add_call_event(&business_id, at, &kept)?))
                .await?;
            // On PostgreSQL every server, this one too, tells its streams what the database
            // tells it.
            if tells_its_own {
                let kept = StoredCallEvent { seq, business_id: business_id_told, at, event: json };
                // No stream open is no one to tell, not a failure.
                let _ = ops.calls.sender.send(Arc::new(kept));
            }
            Ok::<(), ApiError>(())
        })
        .await
        .map_err(|e| ApiError::Internal(Box::new(e)))??;
        Ok(event)
    }

    /// `GET /callEvents`: a stream of the caller's businesses' call events. After
    /// `last_event_id` (a reconnecting stream's), the last minute's events after it first;
    /// on a new stream, the last minute's events of calls not yet ended, so staff who open
    /// the app while a phone rings see it.
    ///
    /// # Errors
    /// 429 when the caller holds [`STREAMS_PER_CALLER`] open already.
    pub async fn call_events(
        &self,
        principal: Principal,
        last_event_id: Option<i64>,
    ) -> Result<CallStream, ApiError> {
        self.hear_calls();
        let board = Arc::clone(&self.calls);
        {
            let mut streams = board.streams.lock().unwrap_or_else(|e| e.into_inner());
            let open = streams.entry(principal.caller()).or_default();
            if *open >= STREAMS_PER_CALLER {
                return Err(ApiError::Refused(Refusal::TooManyRequests));
            }
            *open += 1;
        }
        // Subscribed before the database is read, so nothing reported meanwhile is lost (a
        // repeat is dropped by its seq).
        let live = board.sender.subscribe();
        let mut stream = CallStream {
            board,
            principal: principal.clone(),
            live,
            pending: Vec::new(),
            told: last_event_id.unwrap_or(0),
            ends_at: tokio::time::Instant::now() + STREAM_LIFETIME,
            closing: self.calls.closing.subscribe(),
        };
        let (after, since) = (last_event_id.unwrap_or(0), now_ms() - CALL_REPLAY_MS);
        let missed = self
            .blocking(move |store| {
                Ok(store.call_events(principal.businesses(), after, since, CATCH_UP)?)
            })
            .await?;
        let missed = if last_event_id.is_some() { missed } else { still_ringing(missed) };
        stream.pending = missed.into_iter().rev().map(Arc::new).collect();
        Ok(stream)
    }

    /// Starts hearing of the calls kept (once; within a Tokio runtime): on PostgreSQL every
    /// server's, as the database tells them, relayed to this server's streams. Returns whether
    /// this server tells its streams of its own events itself (SQLite).
    pub fn hear_calls(&self) -> bool {
        *self.calls.tells_its_own.get_or_init(|| {
            // Read before listening: whatever commits later is relayed at the next ring.
            let start = self.store.latest_call_event().unwrap_or(0);
            let (bell, mut rung) = tokio::sync::mpsc::unbounded_channel();
            if !self.store.hear_call_events(move || bell.send(()).is_ok()) {
                return true;
            }
            let ops = self.clone();
            tokio::spawn(async move {
                let mut relayed = start;
                while rung.recv().await.is_some() {
                    relayed = ops.relay_after(relayed).await;
                }
            });
            false
        })
    }

    /// Tells this server's streams of every event after `relayed` kept in the last minute,
    /// in order; the last one told. The database's notifications only ring the bell (a
    /// notification sent while this server was not listening is not lost: the next ring, or
    /// the one on reconnecting, finds its event); a read that fails is tried at the next.
    async fn relay_after(&self, mut relayed: i64) -> i64 {
        loop {
            let since = now_ms() - CALL_REPLAY_MS;
            let after = relayed;
            let read = self
                .blocking(move |store| {
                    Ok(store.call_events(&Businesses::All, after, since, CATCH_UP)?)
                })
                .await;
            let Ok(events) = read else { return relayed };
            let more = events.len() as i64 == CATCH_UP;
            for event in events {
                relayed = event.seq;
                let _ = self.calls.sender.send(Arc::new(event));
            }
            if !more {
                return relayed;
            }
        }
    }

    /// Ends every stream: the server is stopping, and waits for no stream to end by itself.
    pub fn close_call_streams(&self) {
        self.calls.closing.send_replace(true);
    }
}

/// Of a minute's events, those of calls whose last event is not `ended`.
fn still_ringing(events: Vec<StoredCallEvent>) -> Vec<StoredCallEvent> {
    let read: Vec<Option<CallEvent>> =
        events.iter().map(|e| serde_json::from_str(&e.event).ok()).collect();
    let ended = |call_id: &str, business_id: &str| {
        read.iter().flatten().any(|e| {
            e.call_id == call_id
                && e.business.business_id == business_id
                && e.state == CallState::Ended
        })
    };
    events
        .into_iter()
        .zip(&read)
        .filter(|(_, event)| {
            event.as_ref().is_some_and(|e| !ended(&e.call_id, &e.business.business_id))
        })
        .map(|(stored, _)| stored)
        .collect()
}

/// The callers among a search's results, best first (the core's [`caller_order`]); at most
/// [`CALLERS_MAX`].
fn best_callers(ending: &str, found: Vec<CustomerResource>, app_url: &str) -> Vec<Caller> {
    let mut callers: Vec<((usize, bool), Caller)> = found
        .into_iter()
        .filter_map(|customer| {
            let number = customer.matched_phone_number?;
            let order = caller_order(ending, &number);
            let e164 =
                ParsedNumber::parse(number.country_code, &number.area_code, &number.phone_number)
                    .map_or_else(|_| stored_duplicate_key(&number), |parsed| parsed.e164());
            let caller = Caller {
                url: format!("{app_url}/customers/{}", customer.customer_id),
                customer_id: customer.customer_id,
                business: customer.business,
                first_name: customer.first_name,
                last_name: customer.last_name,
                external_reference: customer.external_reference,
                phone_number: number,
                e164,
            };
            Some((order, caller))
        })
        .collect();
    // Stable: equals keep the search's order, the oldest first.
    callers.sort_by_key(|(order, _)| *order);
    callers.into_iter().take(CALLERS_MAX).map(|(_, caller)| caller).collect()
}
