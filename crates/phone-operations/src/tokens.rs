//! Access tokens: JWTs signed with an Ed25519 key of the database's (kept there so tokens
//! survive restarts, and rotated as `crate::keys` says), each naming its key by `kid`, and
//! published as a JSON Web Key Set for clients to verify.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{SigningKey, pkcs8::EncodePrivateKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Who tokens are for: this API.
pub const AUDIENCE: &str = "customerservices";
/// The scope of reading and writing.
pub const SCOPE: &str = "customerservices";
/// The scope of reading only: a client can ask for it to hold a token that cannot write.
pub const READ_SCOPE: &str = "customerservices.read";
/// How long a token lasts, in seconds, unless the server is told otherwise
/// (`--token-lifetime`).
pub const LIFETIME: i64 = 3600;

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The client id.
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
}

/// The signing key and what verifies its signatures.
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    public: [u8; 32],
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// The keys of a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(seed);
        let public = signing.verifying_key().to_bytes();
        let der = signing.to_pkcs8_der().expect("an Ed25519 key encodes as PKCS#8");
        // The key id names the public key, so a rotated key has a new id.
        let kid = blake3::hash(&public).to_hex()[..16].to_owned();
        Self {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            decoding: DecodingKey::from_ed_der(&public),
            public,
        }
    }

    /// A token for `client_id` with `scope`, issued at `now` (seconds since the epoch) by
    /// `issuer`, lasting `lifetime` seconds.
    pub fn issue(
        &self,
        client_id: &str,
        scope: &str,
        issuer: &str,
        now: i64,
        lifetime: i64,
    ) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        let claims = Claims {
            sub: client_id.to_owned(),
            iss: issuer.to_owned(),
            aud: AUDIENCE.to_owned(),
            scope: scope.to_owned(),
            iat: now,
            exp: now + lifetime,
        };
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .expect("claims serialise and the key signs")
    }

    /// The claims of a token this key signed, for this audience, not expired.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub", "aud"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// The key id that tokens this key signs carry in their header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JSON Web Key that verifies its tokens.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
            "kid": self.kid, "x": URL_SAFE_NO_PAD.encode(self.public)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only_and_only_until_it_expires() {
        let keys = TokenKeys::from_seed(&[1; 32]);
        let other = TokenKeys::from_seed(&[2; 32]);
        let now = 1_800_000_000;
        let token = keys.issue("client", SCOPE, "http://phonedesk", now, LIFETIME);
        let claims = keys.verify(&token).expect("a fresh token verifies");
        assert_eq!((claims.sub.as_str(), claims.exp), ("client", now + LIFETIME));
        assert!(other.verify(&token).is_none(), "another key's signature");
        let expired = keys.issue("client", SCOPE, "http://phonedesk", 1_000_000_000, LIFETIME);
        assert!(keys.verify(&expired).is_none(), "an expired token");
        assert!(keys.verify("not.a.token").is_none());
    }
}
