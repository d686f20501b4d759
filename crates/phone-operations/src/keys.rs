//! The keys that sign access tokens and list cursors, as a server holds them, and how a
//! rotation (`phone-server keys rotate`) moves from one key to the next without refusing
//! anything the old key signed before it has expired.
//!
//! The database keeps every key with two times (`phone_store`'s `keys`): from when it signs,
//! and from when it is refused. A rotation adds a new key of each purpose that signs
//! [`PUBLISHED_AHEAD`] seconds later, and gives the old ones a retirement that late plus the
//! servers' token lifetime (the command's `--token-lifetime`), so that every token the old key
//! signed has expired by then. Each
//! server reads the keys again every [`REFRESH`] (several servers may share one PostgreSQL
//! database, and the command is another process): by the time a new key signs, every server
//! has read it, so none refuses a token or cursor another one signed with it. Which key signs
//! and which are accepted is decided here, by the clock, from what was read: a key is refused
//! from its retirement on, whether or not a rotation has dropped its row yet.

use std::{
    sync::{Arc, PoisonError, RwLock},
    time::Duration,
};

use serde_json::{Value, json};

use phone_store::{Rotation, SigningKeys, Store, StoreError, StoredKey};

use crate::{
    cursor::Cursors,
    tokens::{Claims, TokenKeys},
};

/// How often each server reads the keys again.
pub const REFRESH: Duration = Duration::from_secs(2);

/// Seconds between a rotation and its new keys' first signature: three refreshes, so a server
/// whose read failed or was slow once or twice has still read them.
pub const PUBLISHED_AHEAD: i64 = 3 * REFRESH.as_secs() as i64;

/// A rotation at `now` on servers whose tokens last `token_lifetime` seconds: the new keys
/// sign once every server has read them, and the old ones are refused once the last token they
/// signed has expired. `at_once` (after a leak): the new keys sign now, and the old ones are
/// refused now, with every token and cursor they signed.
pub fn rotation(now: i64, token_lifetime: i64, at_once: bool) -> Rotation {
    if at_once {
        return Rotation { now, signs_from: now, retires_at: now };
    }
    let signs_from = now + PUBLISHED_AHEAD;
    Rotation { now, signs_from, retires_at: signs_from + token_lifetime }
}

/// A key and its two times.
struct Timed<K> {
    key: K,
    signs_from: i64,
    retires_at: Option<i64>,
}

impl<K> Timed<K> {
    fn of(stored: &StoredKey, key: K) -> Self {
        Self { key, signs_from: stored.signs_from, retires_at: stored.retires_at }
    }

    fn accepted_at(&self, now: i64) -> bool {
        self.retires_at.is_none_or(|retires_at| now < retires_at)
    }
}

/// The keys accepted at `now`, in the order they began to sign.
fn accepted<K>(keys: &[Timed<K>], now: i64) -> impl Iterator<Item = &Timed<K>> {
    keys.iter().filter(move |key| key.accepted_at(now))
}

/// The key that signs at `now`: the last accepted one whose time to sign has come. (Should
/// the clock be behind the one that rotated, the oldest accepted.) The newest key is never
/// retired, so there always is one.
fn signer<K>(keys: &[Timed<K>], now: i64) -> &Timed<K> {
    accepted(keys, now)
        .filter(|key| key.signs_from <= now)
        .last()
        .or_else(|| accepted(keys, now).next())
        .or(keys.last())
        .expect("a ring holds a key of each purpose")
}

/// The keys as one read found them.
pub struct KeyRing {
    stored: SigningKeys,
    tokens: Vec<Timed<TokenKeys>>,
    cursors: Vec<Timed<[u8; 32]>>,
}

/// Only their times, never a secret: whatever prints the server's state must not print its keys.
impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing").field("stored", &self.stored).finish_non_exhaustive()
    }
}

/// A token whose signature and time checked out, and the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub claims: Claims,
    pub kid: String,
}

impl KeyRing {
    pub fn new(stored: SigningKeys) -> Self {
        let tokens = stored
            .tokens
            .iter()
            .map(|key| Timed::of(key, TokenKeys::from_seed(&key.secret)))
            .collect();
        let cursors = stored.cursors.iter().map(|key| Timed::of(key, key.secret)).collect();
        Self { stored, tokens, cursors }
    }

    /// The key that signs tokens at `now`, and the seconds a token it signs may last at most:
    /// until the key is refused, so that no token outlives its key when the rotation was
    /// planned for a shorter token lifetime than this server's.
    pub fn token_signer(&self, now: i64) -> (&TokenKeys, Option<i64>) {
        let signer = signer(&self.tokens, now);
        (&signer.key, signer.retires_at.map(|retires_at| retires_at - now))
    }

    /// The claims of `token` if a key accepted at `now` signed it (found by the token's `kid`)
    /// and it has not expired.
    pub fn verify(&self, token: &str, now: i64) -> Option<Verified> {
        let kid = jsonwebtoken::decode_header(token).ok()?.kid?;
        let key = accepted(&self.tokens, now).find(|key| key.key.kid() == kid)?;
        let claims = key.key.verify(token)?;
        Some(Verified { claims, kid })
    }

    /// Whether the token key `kid` is accepted at `now`: a token verified before stays good
    /// only while its key does.
    pub fn accepts(&self, kid: &str, now: i64) -> bool {
        accepted(&self.tokens, now).any(|key| key.key.kid() == kid)
    }

    /// The JSON Web Key Set of the token keys accepted at `now`, the newest first: a new key
    /// is there before it signs, an old one until it is refused.
    pub fn jwks(&self, now: i64) -> Value {
        let keys: Vec<Value> = accepted(&self.tokens, now).map(|key| key.key.jwk()).collect();
        json!({"keys": keys.into_iter().rev().collect::<Vec<_>>()})
    }

    /// The cursors of `list` at `now`: signed with the key that signs then, read with any
    /// accepted one.
    pub fn cursors(&self, list: String, now: i64) -> Cursors<'_> {
        let accepted = accepted(&self.cursors, now).map(|key| &key.key).collect();
        Cursors::new(&signer(&self.cursors, now).key, accepted, list)
    }
}

/// The keys every request uses, replaced whole when a read finds them changed.
#[derive(Debug)]
pub struct Keys {
    ring: RwLock<Arc<KeyRing>>,
}

impl Keys {
    pub fn new(stored: SigningKeys) -> Self {
        Self { ring: RwLock::new(Arc::new(KeyRing::new(stored))) }
    }

    /// The keys as last read: a request holds them for its whole life, whatever a read finds
    /// meanwhile.
    pub fn ring(&self) -> Arc<KeyRing> {
        // A panic while it was held cannot leave it half-changed (a change is one assignment).
        Arc::clone(&self.ring.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Takes `stored` as the keys if they differ from those held; whether they did.
    fn replace(&self, stored: SigningKeys) -> bool {
        if self.ring().stored == stored {
            return false;
        }
        *self.ring.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(KeyRing::new(stored));
        true
    }
}

/// Reads the keys every [`REFRESH`], for as long as the server runs, and logs what changed. A
/// failed read keeps the keys held (the log says so once, and when reads work again).
pub async fn keep_fresh(store: Arc<Store>, keys: Arc<Keys>) {
    let mut failing = false;
    loop {
        tokio::time::sleep(REFRESH).await;
        let store = Arc::clone(&store);
        let read = tokio::task::spawn_blocking(move || store.signing_keys())
            .await
            .unwrap_or_else(|panicked| Err(StoreError::Database(Box::new(panicked))));
        match read {
            Ok(stored) => {
                if failing {
                    tracing::info!("signing keys read again");
                    failing = false;
                }
                let counts = (stored.tokens.len(), stored.cursors.len());
                if keys.replace(stored) {
                    tracing::info!(
                        token_keys = counts.0,
                        cursor_keys = counts.1,
                        "signing keys changed: read a rotation's keys"
                    );
                }
            }
            Err(error) if !failing => {
                tracing::warn!(%error, "signing keys not read: the keys read before stay in use");
                failing = true;
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFETIME: i64 = 3600;

    fn key(secret: u8, signs_from: i64, retires_at: Option<i64>) -> StoredKey {
        StoredKey { secret: [secret; 32], signs_from, retires_at }
    }

    /// A database's keys after one rotation at `now`, planned `at_once` or not.
    fn rotated(now: i64, at_once: bool) -> KeyRing {
        let rotation = rotation(now, LIFETIME, at_once);
        let old = key(1, 0, Some(rotation.retires_at));
        let new = key(2, rotation.signs_from, None);
        KeyRing::new(SigningKeys {
            tokens: vec![old.clone(), new.clone()],
            cursors: vec![old, new],
        })
    }

    fn kid(secret: u8) -> String {
        TokenKeys::from_seed(&[secret; 32]).kid().to_owned()
    }

    #[test]
    fn a_new_key_is_published_before_it_signs_and_the_old_accepted_until_its_tokens_expire() {
        let now = 1_800_000_000;
        let ring = rotated(now, false);
        let switch = now + PUBLISHED_AHEAD;
        let signer = |at| ring.token_signer(at).0.kid().to_owned();
        assert_eq!(signer(now), kid(1), "the old key signs until every server has the new one");
        assert_eq!(signer(switch - 1), kid(1));
        assert_eq!(signer(switch), kid(2));
        assert_eq!(ring.token_signer(switch - 1).1, Some(LIFETIME + 1), "its tokens' last second");
        assert_eq!(ring.token_signer(switch).1, None);
        let kids = |at| -> Vec<String> {
            ring.jwks(at)["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["kid"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(kids(now), [kid(2), kid(1)], "both published, the newest first");
        assert_eq!(kids(switch + LIFETIME - 1), [kid(2), kid(1)]);
        assert_eq!(kids(switch + LIFETIME), [kid(2)], "the old one refused once its tokens expire");
        assert!(ring.accepts(&kid(1), switch + LIFETIME - 1));
        assert!(!ring.accepts(&kid(1), switch + LIFETIME));
    }

    #[test]
    fn the_keys_printed_show_their_times_and_no_secret() {
        let printed = format!("{:?}", rotated(1_800_000_000, false));
        assert!(printed.contains("signs_from: 1800000006"), "{printed}");
        assert!(!printed.contains("[1, 1") && !printed.contains("[2, 2"), "{printed}");
    }

    #[test]
    fn a_token_verifies_while_its_key_is_accepted_and_a_cursor_reads_back_likewise() {
        // The clock's own: a token's expiry is checked against it.
        let now = crate::now();
        let before = rotated(now - PUBLISHED_AHEAD - 10, false);
        let token = before.token_signer(now - 100).0.issue("c", "s", "i", now - 100, LIFETIME);
        let cursor = before.cursors("customers".to_owned(), now - 100).issue(42);
        let retired = now - 10 + LIFETIME;
        let verified = before.verify(&token, retired - 1).expect("accepted until retired");
        assert_eq!((verified.claims.sub.as_str(), verified.kid), ("c", kid(1)));
        assert!(before.verify(&token, retired).is_none(), "refused from then");
        assert!(before.verify("not a token", now).is_none());
        let read = |at| before.cursors("customers".to_owned(), at).read(Some(&cursor));
        assert_eq!(read(retired - 1), Ok(42));
        assert!(read(retired).is_err(), "a cursor of a retired key");
        let at_once = rotated(now, true);
        assert!(at_once.verify(&token, now).is_none(), "at once: refused now");
        assert_eq!(at_once.token_signer(now).0.kid(), kid(2), "and the new key signs now");
    }
}
