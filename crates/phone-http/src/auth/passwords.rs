//! Passwords and client secrets, kept only as Argon2id hashes.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

/// The Argon2id hash of a secret, in PHC string form (salt and parameters included).
///
/// # Panics
/// Never in practice: hashing fails only for parameters out of Argon2's range, and these are
/// its defaults.
pub fn hash(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("default Argon2id parameters are valid")
        .to_string()
}

/// Whether `secret` matches `hash`; a malformed hash matches nothing.
pub fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
}

/// Whether `secret` matches the `stored` hash of a user or client; `false` with none stored
/// (an unknown name), after checking a hash all the same, so the answer's timing does not tell
/// which names exist.
pub fn verify_stored(secret: &str, stored: Option<&str>) -> bool {
    static UNKNOWN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match stored {
        Some(hash) => verify(secret, hash),
        None => {
            verify(secret, UNKNOWN.get_or_init(|| hash(&random_secret())));
            false
        }
    }
}

/// A random secret for a client or a demo user: 24 bytes, URL-safe base64.
pub fn random_secret() -> String {
    use base64::Engine;
    let bytes: [u8; 24] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let hashed = hash("correct horse");
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse", &hashed));
        assert!(!verify("correct horse ", &hashed));
        assert!(!verify("correct horse", "not a hash"));
    }
}
