//! A bounded pool of connections, for either engine: at most `limit` open at once, a caller
//! that finds none free waits for one. Callers run on the blocking threads, never on the async
//! ones, so waiting here holds up no other request.

use std::sync::{
    Condvar, Mutex, MutexGuard,
    atomic::{AtomicU64, Ordering},
};

/// At most this many connections per server and engine: PostgreSQL allows 100 by default,
/// shared by every server on it.
pub const LIMIT: usize = 24;

#[derive(Debug)]
pub struct Pool<C> {
    idle: Mutex<Idle<C>>,
    freed: Condvar,
    /// Takes that found every connection busy and waited, each once (`/metrics`).
    waits: AtomicU64,
}

#[derive(Debug)]
struct Idle<C> {
    connections: Vec<C>,
    open: usize,
}

impl<C> Pool<C> {
    pub fn new() -> Self {
        Self {
            idle: Mutex::new(Idle { connections: Vec::new(), open: 0 }),
            freed: Condvar::new(),
            waits: AtomicU64::new(0),
        }
    }

    /// How many takes have waited for a connection.
    pub fn waits(&self) -> u64 {
        self.waits.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Idle<C>> {
        self.idle.lock().expect("the pool's lock is held only to push or pop")
    }

    /// A free connection, or a new one from `open` while fewer than [`LIMIT`] are open.
    pub fn take<E>(&self, open: impl FnOnce() -> Result<C, E>) -> Result<Pooled<'_, C>, E> {
        let mut idle = self.lock();
        let mut waited = false;
        loop {
            if let Some(connection) = idle.connections.pop() {
                return Ok(Pooled { pool: self, connection: Some(connection), broken: false });
            }
            if idle.open < LIMIT {
                idle.open += 1;
                drop(idle);
                return match open() {
                    Ok(connection) => {
                        Ok(Pooled { pool: self, connection: Some(connection), broken: false })
                    }
                    Err(error) => {
                        self.forget();
                        Err(error)
                    }
                };
            }
            if !waited {
                waited = true;
                self.waits.fetch_add(1, Ordering::Relaxed);
            }
            idle = self.freed.wait(idle).expect("the pool's lock is held only to push or pop");
        }
    }

    /// Whether [`take`](Self::take) would answer now, without waiting.
    pub fn has_free(&self) -> bool {
        let idle = self.lock();
        !idle.connections.is_empty() || idle.open < LIMIT
    }

    fn forget(&self) {
        self.lock().open -= 1;
        self.freed.notify_one();
    }
}

impl<C> Default for Pool<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// A connection taken from the pool: back into it when dropped, unless marked broken.
#[derive(Debug)]
pub struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    connection: Option<C>,
    broken: bool,
}

impl<C> Pooled<'_, C> {
    /// Closes the connection instead of reusing it (it failed in a way that may have left it
    /// unusable).
    pub fn discard(&mut self) {
        self.broken = true;
    }
}

impl<C> std::ops::Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.connection.as_ref().expect("present until dropped")
    }
}

impl<C> std::ops::DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.connection.as_mut().expect("present until dropped")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        match self.connection.take() {
            // A panic mid-use may leave a transaction open: such a connection is not reused.
            Some(connection) if !self.broken && !std::thread::panicking() => {
                self.pool.lock().connections.push(connection);
                self.pool.freed.notify_one();
            }
            _ => self.pool.forget(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_reused_and_a_broken_one_is_replaced() {
        let pool = Pool::new();
        let opened = std::cell::Cell::new(0);
        let open = || -> Result<usize, ()> {
            opened.set(opened.get() + 1);
            Ok(opened.get())
        };
        assert_eq!(*pool.take(open).unwrap(), 1);
        assert_eq!(*pool.take(open).unwrap(), 1, "the first is free again");
        let (first, second) = (pool.take(open).unwrap(), pool.take(open).unwrap());
        assert_eq!((*first, *second), (1, 2), "two at once need two");
        drop((first, second));
        let mut broken = pool.take(open).unwrap();
        broken.discard();
        drop(broken);
        assert_eq!(pool.lock().open, 1, "the discarded one is closed");
    }

    #[test]
    fn no_more_than_the_limit_are_open_and_a_waiter_gets_a_freed_one() {
        let pool = Pool::new();
        let mut held: Vec<_> = (0..LIMIT).map(|n| pool.take(|| Ok::<_, ()>(n)).unwrap()).collect();
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| *pool.take(|| Ok::<_, ()>(usize::MAX)).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!waiter.is_finished(), "it waits while all are taken");
            held.pop();
            assert_eq!(waiter.join().unwrap(), LIMIT - 1, "it gets the freed one");
        });
    }
}
