//! A request's body against the clock: all of it must arrive within `--body-timeout` of its
//! head, however it trickles. Past that, reading it fails with [`BodyTimedOut`]: the handler
//! answers 408 (see [`request_timed_out`]) and the connection is closed after the answer.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use tokio::time::{Instant, Sleep};

use super::clock::Clock;

/// How a timed body fails: its own [`BodyTimedOut`], or its connection's error.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request's body that fails once `--body-timeout` has passed since its head.
pub(super) struct TimedBody {
    inner: Incoming,
    due: Instant,
    /// Made the first time the body has nothing ready: most bodies are read at once, or are
    /// empty, and need no timer.
    timer: Option<Pin<Box<Sleep>>>,
    clock: Arc<Clock>,
}

impl TimedBody {
    pub(super) fn new(inner: Incoming, timeout: Duration, clock: Arc<Clock>) -> Self {
        Self { inner, due: Instant::now() + timeout, timer: None, clock }
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(BoxError::from)));
        }
        let due = this.due;
        let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
        if timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.clock.note_body_timed_out();
        Poll::Ready(Some(Err(Box::new(BodyTimedOut))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        // The declared length, so that a body declared too large is refused unread.
        self.inner.size_hint()
    }
}

/// A request's body did not arrive within `--body-timeout`.
#[derive(Debug, thiserror::Error)]
#[error("the request's body did not arrive within --body-timeout")]
pub struct BodyTimedOut;

/// Whether reading a request's body failed because it did not arrive in time (a 408), rather
/// than for its size: `error` is what reading it gave, [`BodyTimedOut`] somewhere among its
/// causes, however many layers (axum's, the body limit's) wrapped it.
pub fn request_timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |error| error.source())
        .any(|error| error.is::<BodyTimedOut>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_out_body_says_which_limit_it_missed_and_is_found_among_causes() {
        assert_eq!(
            BodyTimedOut.to_string(),
            "the request's body did not arrive within --body-timeout"
        );
        let wrapped = axum::Error::new(axum::Error::new(BodyTimedOut));
        assert!(request_timed_out(&wrapped));
        assert!(!request_timed_out(&std::io::Error::other("reset")));
    }
}
