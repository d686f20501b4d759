//! The provider's rate limit as its answers tell it (`X-RateLimit-Limit`, `-Remaining`,
//! `-Reset`, `Retry-After`): how long it asked for nothing to be sent, and, while its window
//! runs, what each caller of the gateway has sent in it, so that the window can be shared.

use std::{
    collections::HashMap,
    str::FromStr,
    time::{Duration, Instant},
};

use axum::http::{HeaderMap, StatusCode};

use super::needed;
use crate::Caller;

/// The longest the provider's word holds anything: its documented windows are an hour.
const LONGEST: Duration = Duration::from_secs(3600);

/// What one answer of the provider said about its rate limit.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Said {
    /// Requests its window allows (`X-RateLimit-Limit`).
    pub limit: Option<u32>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u32>,
    /// When the window resets, in seconds since the epoch (`X-RateLimit-Reset`).
    pub reset: Option<u64>,
    /// Seconds to wait before asking again (`Retry-After`; its HTTP-date form is not read).
    pub retry_after: Option<u64>,
}

impl Said {
    pub fn read(headers: &HeaderMap) -> Self {
        fn number<T: FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
            headers.get(name)?.to_str().ok()?.trim().parse().ok()
        }
        Self {
            limit: number(headers, "x-ratelimit-limit"),
            remaining: number(headers, "x-ratelimit-remaining"),
            reset: number(headers, "x-ratelimit-reset"),
            retry_after: number(headers, "retry-after"),
        }
    }

    /// How long until the window resets, `epoch` being the time since the epoch now: to the
    /// millisecond, not the second, so that a pause ends when the provider said.
    fn until_reset(&self, epoch: Duration) -> Option<Duration> {
        self.reset.map(|reset| Duration::from_secs(reset).saturating_sub(epoch))
    }

    /// The pause the provider asked for with an answer of `status`, `epoch` being the time since
    /// the epoch now; `None` unless its window is spent (a 429, or none remaining). The shorter
    /// of `Retry-After` and the time until the reset, since each is the provider's word on when
    /// to come back; a second when it said neither; an hour at most.
    pub fn pause(&self, status: StatusCode, epoch: Duration) -> Option<Duration> {
        if status != StatusCode::TOO_MANY_REQUESTS && self.remaining != Some(0) {
            return None;
        }
        let asked = [self.retry_after.map(Duration::from_secs), self.until_reset(epoch)];
        let asked = asked.into_iter().flatten().min().unwrap_or(Duration::from_secs(1));
        Some(asked.min(LONGEST))
    }
}

/// The provider's window while it runs, as far as its answers tell it.
#[derive(Debug)]
pub(super) struct Window {
    /// Its `X-RateLimit-Reset`: which window it is.
    reset: u64,
    ends: Instant,
    limit: u32,
    /// Requests left in it: the provider's last word, less what was sent since. Unknown after a
    /// pause until the provider says again: then the pause, not this reckoning, says when to
    /// send.
    remaining: Option<u32>,
    /// What each caller has sent in it.
    sent: HashMap<Caller, u32>,
}

impl Window {
    /// `window` after an answer that said `said` and asked for a pause or not (`paused`), as of
    /// `now`, `epoch` being the time since the epoch: the same window with what the provider
    /// said is left (or less, when more was sent after that answer was made), a new one for
    /// another reset still to come, which counts what was sent while none was known
    /// (`unplaced`, emptied here, and by an answer that tells no window at all). A provider whose reset moves with every answer (a sliding window)
    /// makes a new window each time, so its shares never bind: the shares of the gateway's own
    /// rate still do, and nobody is held back on a reckoning that cannot be made.
    pub fn heard(
        window: &mut Option<Self>,
        unplaced: &mut HashMap<Caller, u32>,
        said: &Said,
        paused: bool,
        now: Instant,
        epoch: Duration,
    ) {
        let (Some(limit), Some(reset), Some(left)) =
            (said.limit, said.reset, said.until_reset(epoch))
        else {
            unplaced.clear();
            return;
        };
        let remaining = if paused { None } else { said.remaining };
        match window {
            Some(current) if current.reset == reset => {
                current.limit = limit;
                current.remaining = match (current.remaining, remaining) {
                    (Some(reckoned), Some(said)) => Some(reckoned.min(said)),
                    (_, said) => said,
                };
            }
            // A late answer from a window that is over.
            _ if left.is_zero() => {}
            _ => {
                let ends = now + left.min(LONGEST);
                let sent = std::mem::take(unplaced);
                *window = Some(Self { reset, ends, limit, remaining, sent });
            }
        }
    }

    /// Whether it still runs at `now`.
    pub fn runs(&self, now: Instant) -> bool {
        now < self.ends
    }

    /// How many requests of the window one caller may send, its part being `share`.
    pub fn allowance(&self, share: f64) -> u32 {
        let allowance = (f64::from(self.limit) * share).ceil().max(1.0);
        // At most the limit, since `share` is at most the whole.
        allowance.min(f64::from(self.limit)) as u32
    }

    /// How long a request for `caller` (none: the sync's), which leaves `leaves` of the window
    /// to others, waits as of `now`: until the window ends once the caller has sent its
    /// `share`, or once no more is left than it must leave. `None`: it may go.
    pub fn wait(
        &self,
        caller: Option<&Caller>,
        share: f64,
        leaves: f64,
        now: Instant,
    ) -> Option<Duration> {
        let sent = |caller| self.sent.get(caller).copied().unwrap_or(0);
        let over_share = caller.is_some_and(|caller| sent(caller) >= self.allowance(share));
        // What is left only holds back those who must leave some of it: that none is left is
        // the provider's to say (it then asks for a pause), not this reckoning's.
        let leaves_too_little = leaves > 0.0
            && self
                .remaining
                .is_some_and(|left| f64::from(left) < needed(f64::from(self.limit), leaves));
        (over_share || leaves_too_little).then(|| self.ends.saturating_duration_since(now))
    }

    /// Counts a request sent for `caller` (none: the sync's).
    pub fn count(&mut self, caller: Option<&Caller>) {
        self.remaining = self.remaining.map(|left| left.saturating_sub(1));
        if let Some(caller) = caller {
            match self.sent.get_mut(caller) {
                Some(sent) => *sent += 1,
                None => {
                    self.sent.insert(caller.clone(), 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_providers_headers_are_read_as_numbers_or_not_at_all() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-ratelimit-limit", "60"),
            ("x-ratelimit-remaining", " 0"),
            ("x-ratelimit-reset", "1700000000"),
            ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let said = Said::read(&headers);
        let expected = Said {
            limit: Some(60),
            remaining: Some(0),
            reset: Some(1_700_000_000),
            retry_after: None,
        };
        assert_eq!(said, expected);
    }

    #[test]
    fn the_pause_is_the_shorter_of_retry_after_and_the_reset_to_the_millisecond() {
        let epoch = Duration::from_millis(1_000_400);
        let said = |retry_after, reset, remaining| Said {
            limit: Some(60),
            remaining: Some(remaining),
            reset: Some(reset),
            retry_after,
        };
        let too_many = StatusCode::TOO_MANY_REQUESTS;
        let cases = [
            (StatusCode::OK, said(None, 1003, 5), None),
            (StatusCode::OK, said(None, 1003, 0), Some(Duration::from_millis(2600))),
            (too_many, said(Some(5), 1003, 0), Some(Duration::from_millis(2600))),
            (too_many, said(Some(1), 4600, 0), Some(Duration::from_secs(1))),
            (too_many, said(None, 999, 0), Some(Duration::ZERO)),
            (too_many, Said::default(), Some(Duration::from_secs(1))),
            (too_many, said(Some(86_400), 90_000, 0), Some(LONGEST)),
        ];
        for (status, said, pause) in cases {
            assert_eq!(said.pause(status, epoch), pause, "{status} {said:?}");
        }
    }

    #[test]
    fn a_window_keeps_the_lower_of_the_providers_word_and_what_was_sent_since() {
        let (now, epoch) = (Instant::now(), Duration::from_secs(1000));
        let said = |remaining, reset| Said {
            limit: Some(20),
            remaining: Some(remaining),
            reset: Some(reset),
            retry_after: None,
        };
        let (mut window, mut unplaced) = (None, HashMap::new());
        Window::heard(&mut window, &mut unplaced, &said(10, 1060), false, now, epoch);
        let ana = Caller::User("ana".to_owned());
        for _ in 0..3 {
            window.as_mut().unwrap().count(Some(&ana));
        }
        // An answer to a request sent before those three.
        Window::heard(&mut window, &mut unplaced, &said(9, 1060), false, now, epoch);
        let current = window.as_ref().unwrap();
        assert_eq!((current.remaining, current.sent[&ana]), (Some(7), 3));
        assert_eq!(current.ends, now + Duration::from_secs(60));
        // A pause leaves what remains unknown; a late answer from a window that is over
        // changes nothing; the next window starts afresh.
        Window::heard(&mut window, &mut unplaced, &said(0, 1060), true, now, epoch);
        assert_eq!(window.as_ref().unwrap().remaining, None);
        Window::heard(&mut window, &mut unplaced, &said(3, 1000), false, now, epoch);
        assert_eq!(window.as_ref().unwrap().remaining, None);
        Window::heard(&mut window, &mut unplaced, &said(20, 1120), false, now, epoch);
        let next = window.as_ref().unwrap();
        assert_eq!((next.remaining, next.sent.len()), (Some(20), 0));
    }
}
