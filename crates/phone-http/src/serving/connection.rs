//! One connection: its socket, its requests handed to the router with their bodies timed, and
//! their answers watched, each moving the connection's [`Clock`] on; when a phase's time is up
//! the connection is dropped, which closes it.

use std::{
    convert::Infallible,
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{HeaderValue, Request, Response, header},
};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper_util::{rt::TokioIo, server::graceful::GracefulShutdown};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
    sync::OwnedSemaphorePermit,
};
use tower::ServiceExt;

use super::{Timeouts, body::TimedBody, clock::Clock};
use crate::telemetry::{Closed, Connections};

/// An accepted connection, about to be served.
pub(super) struct Connection {
    pub router: Router,
    pub peer: SocketAddr,
    pub timeouts: Timeouts,
    pub measures: Connections,
}

impl Connection {
    /// Serves the connection on a task of its own, holding `place` (one of
    /// `--max-connections`) until it is closed.
    pub(super) fn spawn(
        self,
        stream: TcpStream,
        place: OwnedSemaphorePermit,
        graceful: &GracefulShutdown,
    ) {
        let clock = Arc::new(Clock::new());
        let io = TokioIo::new(Watched { stream, clock: Arc::clone(&clock) });
        let exchange = Exchange {
            router: self.router,
            peer: self.peer,
            clock: Arc::clone(&clock),
            timeouts: self.timeouts,
        };
        let mut http = hyper::server::conn::http1::Builder::new();
        // The clock keeps time instead: see `clock.rs`'s documentation.
        http.header_read_timeout(None);
        let served = graceful.watch(http.serve_connection(io, exchange));
        let Self { timeouts, measures, .. } = self;
        tokio::spawn(async move {
            measures.opened();
            let closed = tokio::select! {
                served = served => {
                    if let Err(error) = served {
                        tracing::debug!(%error, "a connection ended in error");
                    }
                    clock.body_timed_out().then_some(Closed::BodyTimeout)
                }
                closed = clock.time_up(timeouts) => Some(closed),
            };
            if let Some(closed) = closed {
                measures.closed(closed);
            }
            measures.ended();
            drop(place);
        });
    }
}

/// The connection's socket, telling the clock when bytes come.
struct Watched {
    stream: TcpStream,
    clock: Arc<Clock>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.clock.bytes_arrived();
        }
        read
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// One connection's requests, handed to the router with the caller's address, their bodies
/// timed, their answers watched.
struct Exchange {
    router: Router,
    peer: SocketAddr,
    clock: Arc<Clock>,
    timeouts: Timeouts,
}

impl hyper::service::Service<Request<Incoming>> for Exchange {
    type Response = Response<Answer>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let number = self.clock.request_started();
        let clock = Arc::clone(&self.clock);
        let body_timeout = self.timeouts.body;
        let mut request =
            request.map(|body| TimedBody::new(body, body_timeout, Arc::clone(&clock)));
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let answering = self.router.clone().oneshot(request);
        Box::pin(async move {
            let Ok(mut response) = answering.await;
            if clock.body_timed_out() {
                // The rest of the body may never come: nothing more is read from this client.
                let close = HeaderValue::from_static("close");
                response.headers_mut().insert(header::CONNECTION, close);
            }
            Ok(response.map(|body| Answer { body, clock, number }))
        })
    }
}

/// An answer's body, which tells the clock when hyper has taken all of it (hyper drops a body
/// once it has its last frame): the connection is idle from then.
struct Answer {
    body: Body,
    clock: Arc<Clock>,
    number: u64,
}

impl hyper::body::Body for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        self.clock.answered(self.number);
    }
}
