//! Phonedesk's conditional requests, an extension the provider's clients never need to send:
//! a stored phone number's version (its strong entity tag, RFC 9110 § 8.8.3), the `If-Match`
//! header that makes an update or delete wait for no one (§ 13.1.1), and the
//! `Idempotency-Key` header that makes a retried create safe (the IETF httpapi draft).
//!
//! A version is a hash of the representation, so the app computes a list item's version from
//! the item itself, exactly as the server computes the `ETag` of one number: the list's JSON
//! stays the provider's.

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::{Refusal, ValidationError};

/// A phone number's version: it changes whenever any member of its representation does
/// (including `isPrimary`, so making another number primary changes the old primary's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version(u64);

impl Version {
    /// The version of a representation given as its members' values, in the wire order.
    #[must_use]
    pub fn of(members: &[&str]) -> Self {
        // 0xFF never occurs in UTF-8, so it separates members unambiguously.
        Self(fnv1a(members.iter().flat_map(|m| m.as_bytes().iter().chain(&[0xFF]).copied())))
    }
}

/// FNV-1a, 64 bits: a few lines, the same on every target, and plenty for telling one number's
/// successive versions apart (it is not a defence against forgery: a caller who could forge a
/// version could as well read the current one).
pub(crate) fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(FNV1A_START, fnv1a_step)
}

/// FNV-1a's hash of no bytes (its offset basis).
pub(crate) const FNV1A_START: u64 = 0xcbf2_9ce4_8422_2325;

/// `hash` with one more byte: a `const fn`, so that a hash can also be taken at compile time
/// (the plans file's name, `plan::FILE_NAME`).
pub(crate) const fn fnv1a_step(hash: u64, byte: u8) -> u64 {
    (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
}

/// As an `ETag` header's value: a quoted strong entity tag, such as `"3f2a9c0e4b1d7a65"`.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{:016x}\"", self.0)
    }
}

/// What an `If-Match` header asks for: any current version (`*`), or one of the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: the number must exist, in any version.
    Any,
    /// The entity tags as sent, each with its quotes and any `W/`.
    Tags(Vec<String>),
}

impl IfMatch {
    /// Reads an `If-Match` header: `*`, or a comma-separated list of entity tags.
    ///
    /// ```
    /// use phone_model::{IfMatch, ValidationError};
    /// assert_eq!(IfMatch::parse("*"), Ok(IfMatch::Any));
    /// assert!(IfMatch::parse("\"a1\", W/\"b2\"").is_ok());
    /// assert_eq!(IfMatch::parse("a1"), Err(ValidationError::IfMatchInvalid));
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::IfMatchInvalid`] for anything else, such as an unquoted tag.
    pub fn parse(header: &str) -> Result<Self, ValidationError> {
        let header = header.trim();
        if header == "*" {
            return Ok(Self::Any);
        }
        // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, where etagc is '!', '#' to '~', or
        // obs-text (anything beyond ASCII): a comma may be inside the quotes, so the list is
        // read tag by tag, not split on commas. Each turn consumes a tag or fails, so a
        // malformed header cannot keep it turning.
        let etagc = |c: char| c == '!' || ('#'..='~').contains(&c) || !c.is_ascii();
        let mut tags = Vec::new();
        let mut rest = header.trim_start_matches([' ', '\t', ',']);
        while !rest.is_empty() {
            let opaque = rest.strip_prefix("W/").unwrap_or(rest);
            let inside = opaque.strip_prefix('"').ok_or(ValidationError::IfMatchInvalid)?;
            let closing = inside.trim_start_matches(etagc);
            let after = closing.strip_prefix('"').ok_or(ValidationError::IfMatchInvalid)?;
            // A tag ends the header or is followed by a comma (after optional white space).
            let next = after.trim_start_matches([' ', '\t']);
            if !(next.is_empty() || next.starts_with(',')) {
                return Err(ValidationError::IfMatchInvalid);
            }
            tags.push(String::from(&rest[..rest.len() - after.len()]));
            rest = next.trim_start_matches([' ', '\t', ',']);
        }
        if tags.is_empty() {
            return Err(ValidationError::IfMatchInvalid);
        }
        Ok(Self::Tags(tags))
    }

    /// Whether a request that sent `condition` (or none, which admits any version) may go on
    /// with the `current` version: the contract's 412 when it may not. The one place every
    /// conditional operation asks.
    ///
    /// # Errors
    /// [`Refusal::PreconditionFailed`] when `condition` does not admit `current`.
    pub fn check(condition: Option<&Self>, current: Version) -> Result<(), Refusal> {
        match condition {
            Some(condition) if !condition.admits(current) => Err(Refusal::PreconditionFailed),
            _ => Ok(()),
        }
    }

    /// Whether the condition holds for the current version. Comparison is strong (§ 13.1.1):
    /// a weak tag never matches.
    ///
    /// ```
    /// use phone_model::{IfMatch, Version};
    /// let current = Version::of(&["1234567", "Ann"]);
    /// assert!(IfMatch::parse(&current.to_string()).unwrap().admits(current));
    /// assert!(!IfMatch::parse(&format!("W/{current}")).unwrap().admits(current));
    /// assert!(!IfMatch::parse("\"0000000000000000\"").unwrap().admits(current));
    /// ```
    #[must_use]
    pub fn admits(&self, current: Version) -> bool {
        match self {
            Self::Any => true,
            Self::Tags(tags) => {
                let current = alloc::format!("{current}");
                tags.contains(&current)
            }
        }
    }
}

/// The longest `Idempotency-Key` accepted: room for any UUID or ULID, with a prefix.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// A caller's `Idempotency-Key`: 1 to 255 printable ASCII characters, sent bare or, as the
/// draft's structured-field form has it, in double quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Reads the header.
    ///
    /// ```
    /// use phone_model::{IdempotencyKey, ValidationError};
    /// let quoted = IdempotencyKey::parse("\"8e03978e-40d5\"").unwrap();
    /// assert_eq!(quoted.as_str(), "8e03978e-40d5");
    /// assert_eq!(IdempotencyKey::parse(""), Err(ValidationError::IdempotencyKeyInvalid));
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::IdempotencyKeyInvalid`] for an empty key, one over
    /// [`IDEMPOTENCY_KEY_MAX`] characters, or one with a character outside printable ASCII.
    pub fn parse(header: &str) -> Result<Self, ValidationError> {
        let header = header.trim();
        let key = header.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(header);
        let printable = key.bytes().all(|b| (0x21..=0x7E).contains(&b) && b != b'"');
        if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX || !printable {
            return Err(ValidationError::IdempotencyKeyInvalid);
        }
        Ok(Self(String::from(key)))
    }

    /// The key, without quotes.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an earlier attempt with the same `Idempotency-Key` left: what it asked (its
/// fingerprint: a hash of the method, path and body) and its answer, once it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierAttempt<A> {
    /// What the earlier attempt asked.
    pub fingerprint: String,
    /// Its answer, kept; `None` while it has none (not yet, or, when a provider did not
    /// answer it, perhaps never).
    pub answer: Option<A>,
}

/// What a request with an `Idempotency-Key` is, given the key's earlier attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyUse<A> {
    /// The key is new: the request is made, and its answer kept under the key.
    First,
    /// The same request was answered before: that answer again, and nothing made.
    Replay(A),
    /// The same request was made before and has no answer: it is under way, or its outcome is
    /// unknown (it may have been made).
    Unanswered,
}

/// The draft's rule for a key used again: the same request (the same `fingerprint`) gets the
/// earlier attempt's answer; a different one is refused, whatever became of the earlier.
///
/// ```
/// use phone_model::{EarlierAttempt, KeyUse, Refusal, key_use};
/// let earlier = || Some(EarlierAttempt { fingerprint: "post a".into(), answer: Some("201") });
/// assert_eq!(key_use::<&str>(None, "post a"), Ok(KeyUse::First));
/// assert_eq!(key_use(earlier(), "post a"), Ok(KeyUse::Replay("201")));
/// assert_eq!(key_use(earlier(), "post b"), Err(Refusal::IdempotencyKeyReused));
/// ```
///
/// # Errors
/// [`Refusal::IdempotencyKeyReused`] when `earlier` asked something other than `fingerprint`
/// (another body, or another path).
pub fn key_use<A>(
    earlier: Option<EarlierAttempt<A>>,
    fingerprint: &str,
) -> Result<KeyUse<A>, Refusal> {
    match earlier {
        None => Ok(KeyUse::First),
        Some(earlier) if earlier.fingerprint != fingerprint => Err(Refusal::IdempotencyKeyReused),
        Some(EarlierAttempt { answer: Some(answer), .. }) => Ok(KeyUse::Replay(answer)),
        Some(EarlierAttempt { answer: None, .. }) => Ok(KeyUse::Unanswered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_and_its_boundaries_change_the_version() {
        let base = Version::of(&["1", "Ann", "+64", "9", "123", "home", "true"]);
        assert_ne!(base, Version::of(&["1", "Ann", "+64", "9", "123", "home", "false"]));
        assert_ne!(base, Version::of(&["1", "Ann", "+64", "91", "23", "home", "true"]));
        assert_eq!(base, Version::of(&["1", "Ann", "+64", "9", "123", "home", "true"]));
    }

    #[test]
    fn versions_are_fnv1a_of_the_members() {
        // The published FNV-1a 64 test vectors: the app and the server must agree on a hash.
        assert_eq!(fnv1a(b"a".iter().copied()), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar".iter().copied()), 0x8594_4171_f739_67e8);
        assert_eq!(Version::of(&["a"]), Version(fnv1a(b"a\xFF".iter().copied())));
        assert_eq!(Version(0xaf63_dc4c_8601_ec8c).to_string(), "\"af63dc4c8601ec8c\"");
    }

    #[test]
    fn only_a_condition_that_does_not_admit_the_current_version_fails() {
        let current = Version::of(&["1", "Ann"]);
        let matching = IfMatch::parse(&current.to_string()).unwrap();
        let other = IfMatch::parse("\"0000000000000000\"").unwrap();
        assert_eq!(IfMatch::check(None, current), Ok(()));
        assert_eq!(IfMatch::check(Some(&IfMatch::Any), current), Ok(()));
        assert_eq!(IfMatch::check(Some(&matching), current), Ok(()));
        assert_eq!(IfMatch::check(Some(&other), current), Err(Refusal::PreconditionFailed));
    }

    #[test]
    fn malformed_if_match_headers_are_refused() {
        for header in
            ["", " , ", "abc", "\"a b\"", "\"unterminated", "W/abc", "\"a\"\"b\"", "\"a\" x"]
        {
            assert_eq!(IfMatch::parse(header), Err(ValidationError::IfMatchInvalid), "{header}");
        }
        assert_eq!(
            IfMatch::parse(" \"a\" ,W/\"b\" "),
            Ok(IfMatch::Tags(vec!["\"a\"".into(), "W/\"b\"".into()]))
        );
        // A comma and obs-text are allowed inside a tag.
        assert_eq!(
            IfMatch::parse("\"a,b\", \"é\""),
            Ok(IfMatch::Tags(vec!["\"a,b\"".into(), "\"é\"".into()]))
        );
    }

    #[test]
    fn idempotency_keys_are_printable_ascii_within_the_limit() {
        assert!(IdempotencyKey::parse(&"k".repeat(IDEMPOTENCY_KEY_MAX)).is_ok());
        for header in ["\"\"", "a b", "ключ", &"k".repeat(IDEMPOTENCY_KEY_MAX + 1)] {
            assert_eq!(
                IdempotencyKey::parse(header),
                Err(ValidationError::IdempotencyKeyInvalid),
                "{header}"
            );
        }
    }

    #[test]
    fn a_key_used_again_replays_only_the_same_request() {
        let earlier = |fingerprint: &str, answer: Option<&'static str>| {
            Some(EarlierAttempt { fingerprint: fingerprint.into(), answer })
        };
        let cases = [
            // (earlier attempt, this request's fingerprint, what it is)
            (None, "post a", Ok(KeyUse::First)),
            (earlier("post a", Some("201 a")), "post a", Ok(KeyUse::Replay("201 a"))),
            (earlier("post a", None), "post a", Ok(KeyUse::Unanswered)),
            (earlier("post a", Some("201 a")), "post b", Err(Refusal::IdempotencyKeyReused)),
            (earlier("post a", None), "post b", Err(Refusal::IdempotencyKeyReused)),
            // Fingerprints are compared exactly: no case folding, no trimming.
            (earlier("post a", Some("201 a")), "POST A", Err(Refusal::IdempotencyKeyReused)),
            (earlier("post a", Some("201 a")), "post a ", Err(Refusal::IdempotencyKeyReused)),
            (earlier("", Some("201 a")), "", Ok(KeyUse::Replay("201 a"))),
        ];
        for (earlier, fingerprint, expected) in cases {
            let shown = alloc::format!("{earlier:?} {fingerprint:?}");
            assert_eq!(key_use(earlier, fingerprint), expected, "{shown}");
        }
    }
}
