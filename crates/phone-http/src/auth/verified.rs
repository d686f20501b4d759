//! Tokens whose signature has been verified, so that a client sending one token all hour pays
//! for one Ed25519 verification, not one per request. Keyed by a hash of the token (the cache
//! never holds a token itself); an entry lasts as long as its token, and is used only while
//! the key that signed it is accepted (a rotation at once refuses it). Only tokens that
//! verified are kept, so junk cannot fill it, and it is bounded all the same. Whether the
//! client still stands (not removed, its businesses) is not cached: that is looked up on every
//! request.

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
};

use phone_operations::keys::Verified;
use phone_operations::tokens::Claims;

/// Shards, each behind its own lock, so that requests with different tokens rarely wait.
const SHARDS: usize = 16;
/// The most tokens a shard keeps: 16 × 4,096 live tokens, far more than clients.
const PER_SHARD: usize = 4096;

#[derive(Debug, Default)]
pub struct VerifiedTokens {
    shards: [Mutex<HashMap<[u8; 32], Verified>>; SHARDS],
}

impl VerifiedTokens {
    /// The claims of `token` at `now` (seconds since the epoch): from the cache while they have
    /// not expired and their key (by its id) is `accepted`, else from `verify` (which checks
    /// the key, the signature and the expiry), kept when it gives some.
    pub fn claims(
        &self,
        token: &str,
        now: i64,
        accepted: impl Fn(&str) -> bool,
        verify: impl FnOnce() -> Option<Verified>,
    ) -> Option<Claims> {
        let key: [u8; 32] = blake3::hash(token.as_bytes()).into();
        let shard = &self.shards[usize::from(key[0]) % SHARDS];
        let cached = lock(shard).get(&key).filter(|v| v.claims.exp > now).cloned();
        if let Some(verified) = cached.filter(|v| accepted(&v.kid)) {
            return Some(verified.claims);
        }
        let verified = verify()?;
        let mut tokens = lock(shard);
        if tokens.len() >= PER_SHARD {
            tokens.retain(|_, v| v.claims.exp > now);
            if tokens.len() >= PER_SHARD {
                // Still full of live tokens (a flood of fresh ones): start again, rather than
                // grow; each is verified once more at worst.
                tokens.clear();
            }
        }
        tokens.insert(key, verified.clone());
        Some(verified.claims)
    }
}

/// A shard's map. A panic while one was held cannot leave it half-changed (each change is one
/// call), so a poisoned lock is taken as it is.
fn lock(
    shard: &Mutex<HashMap<[u8; 32], Verified>>,
) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Verified>> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn verified(exp: i64) -> Verified {
        let claims = Claims {
            sub: "client".to_owned(),
            iss: "http://phonedesk".to_owned(),
            aud: "customerservices".to_owned(),
            scope: "customerservices".to_owned(),
            iat: exp - 3600,
            exp,
        };
        Verified { claims, kid: "key".to_owned() }
    }

    /// Every key is accepted.
    fn any(_: &str) -> bool {
        true
    }

    #[test]
    fn a_token_is_verified_once_while_it_lasts_and_again_after() {
        let cache = VerifiedTokens::default();
        let verifications = Cell::new(0);
        let verify = |exp| {
            verifications.set(verifications.get() + 1);
            Some(verified(exp))
        };
        for now in [1000, 1500, 1999] {
            let claims = cache.claims("token", now, any, || verify(2000));
            assert_eq!(claims.map(|c| c.exp), Some(2000));
        }
        assert_eq!(verifications.get(), 1, "one verification while the token lasts");
        // Expired: verified again, which now fails, and nothing is answered from the cache.
        assert_eq!(cache.claims("token", 2000, any, || None), None);
        assert_eq!(
            cache.claims("other", 1000, any, || None),
            None,
            "a token that fails is not kept"
        );
        assert_eq!(cache.claims("other", 1000, any, || verify(3000)).map(|c| c.exp), Some(3000));
    }

    #[test]
    fn a_token_whose_key_is_no_longer_accepted_is_verified_again_not_answered_from_the_cache() {
        let cache = VerifiedTokens::default();
        assert!(cache.claims("token", 1000, any, || Some(verified(2000))).is_some());
        let retired = |kid: &str| kid != "key";
        assert_eq!(cache.claims("token", 1001, retired, || None), None);
    }

    #[test]
    fn it_stays_bounded_under_a_flood_of_valid_tokens() {
        let cache = VerifiedTokens::default();
        for n in 0..(SHARDS * PER_SHARD * 2) {
            cache.claims(&n.to_string(), 1000, any, || Some(verified(2000)));
        }
        let held: usize = cache.shards.iter().map(|s| lock(s).len()).sum();
        assert!(held <= SHARDS * PER_SHARD, "{held}");
    }
}
