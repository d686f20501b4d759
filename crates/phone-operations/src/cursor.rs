//! Opaque list cursors. A cursor names the row a page ended after and is signed with the
//! database's cursor key, bound to the list it came from: a cursor the server did not issue,
//! one from another list, or one whose key has been retired (`crate::keys`) is refused as a
//! validation error rather than trusted.

use phone_model::{PageSize, ResponseMetadata, ValidationError};

use crate::ListQuery;

/// How many bytes of the signature a cursor carries: enough that guessing is hopeless.
const TAG_BYTES: usize = 12;

/// Makes and checks the cursors of one list (one customer's numbers, or one customer search).
#[derive(Debug)]
pub struct Cursors<'a> {
    /// The key that signs new cursors.
    signing: &'a [u8; 32],
    /// The keys whose cursors are read: the signing key, and during a rotation the one before.
    accepted: Vec<&'a [u8; 32]>,
    list: String,
}

impl<'a> Cursors<'a> {
    /// `list` names the list, such as `phoneNumbers:1234567`; cursors of other lists fail.
    pub fn new(signing: &'a [u8; 32], accepted: Vec<&'a [u8; 32]>, list: String) -> Self {
        Self { signing, accepted, list }
    }

    /// The cursor for the page after row `seq`.
    pub fn issue(&self, seq: i64) -> String {
        let mut cursor = hex(&seq.to_be_bytes());
        cursor.push_str(&hex(&self.tag(self.signing, seq)));
        cursor
    }

    /// The row a cursor continues after; `0` (the start) when there is no cursor.
    ///
    /// # Errors
    /// `NextCursorInvalid` when the cursor is malformed, tampered with, from another list or
    /// signed by a key no longer accepted.
    pub fn read(&self, cursor: Option<&str>) -> Result<i64, ValidationError> {
        let Some(cursor) = cursor else { return Ok(0) };
        let bytes = unhex(cursor).ok_or(ValidationError::NextCursorInvalid)?;
        let (seq, tag) = bytes.split_at_checked(8).ok_or(ValidationError::NextCursorInvalid)?;
        let seq =
            i64::from_be_bytes(seq.try_into().map_err(|_| ValidationError::NextCursorInvalid)?);
        // A forged cursor could only move where a page starts, within the caller's own list;
        // the signature is there to refuse cursors we did not issue, so a plain compare will do.
        if self.accepted.iter().any(|key| tag == self.tag(key, seq)) {
            Ok(seq)
        } else {
            Err(ValidationError::NextCursorInvalid)
        }
    }

    /// The page a list request asks for: its size (`limit`) and the row to continue after
    /// (`nextCursor`).
    ///
    /// # Errors
    /// `LimitInvalid` and `NextCursorInvalid`, each if it applies, in that order.
    pub fn requested_page(
        &self,
        query: &ListQuery,
    ) -> Result<(PageSize, i64), Vec<ValidationError>> {
        match (PageSize::from_limit(query.get("limit")), self.read(query.get("nextCursor"))) {
            (Ok(size), Ok(after)) => Ok((size, after)),
            (size, after) => Err([size.err(), after.err()].into_iter().flatten().collect()),
        }
    }

    /// Where the list goes on after a page that ended with row `next_after`, if any.
    pub fn metadata(&self, next_after: Option<i64>) -> ResponseMetadata {
        ResponseMetadata {
            next_cursor: next_after.map(|seq| self.issue(seq)),
            has_next: next_after.is_some(),
        }
    }

    fn tag(&self, key: &[u8; 32], seq: i64) -> [u8; TAG_BYTES] {
        let mut hasher = blake3::Hasher::new_keyed(key);
        hasher.update(self.list.as_bytes());
        hasher.update(&[0]);
        hasher.update(&seq.to_be_bytes());
        let mut tag = [0; TAG_BYTES];
        tag.copy_from_slice(&hasher.finalize().as_bytes()[..TAG_BYTES]);
        tag
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Exactly what [`hex`] writes, lower-case digits in pairs; anything else (`+`, upper case)
/// is a cursor the server never issued.
fn unhex(text: &str) -> Option<Vec<u8>> {
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursors of `list` signed and read with `key` alone.
    fn cursors<'a>(key: &'a [u8; 32], list: &str) -> Cursors<'a> {
        Cursors::new(key, vec![key], list.to_owned())
    }

    #[test]
    fn a_cursor_reads_back_only_on_its_own_list() {
        let key = [7; 32];
        let mine = cursors(&key, "phoneNumbers:1");
        let theirs = cursors(&key, "phoneNumbers:2");
        let cursor = mine.issue(42);
        assert_eq!(mine.read(Some(&cursor)), Ok(42));
        assert_eq!(theirs.read(Some(&cursor)), Err(ValidationError::NextCursorInvalid));
        assert_eq!(mine.read(None), Ok(0));
    }

    #[test]
    fn a_cursor_reads_back_while_its_key_is_accepted_and_new_ones_use_the_signing_key() {
        let (old, new) = ([7; 32], [8; 32]);
        let old_cursor = cursors(&old, "customers").issue(42);
        let rotating = Cursors::new(&new, vec![&old, &new], "customers".to_owned());
        assert_eq!(rotating.read(Some(&old_cursor)), Ok(42));
        assert_eq!(cursors(&new, "customers").read(Some(&rotating.issue(43))), Ok(43));
        let after = cursors(&new, "customers");
        assert_eq!(after.read(Some(&old_cursor)), Err(ValidationError::NextCursorInvalid));
    }

    #[test]
    fn tampered_and_malformed_cursors_are_refused() {
        let key = [7; 32];
        let cursors = cursors(&key, "customers");
        let mut tampered = cursors.issue(42).into_bytes();
        tampered[15] = if tampered[15] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        let issued = cursors.issue(42);
        let upper = issued.to_ascii_uppercase();
        // `from_str_radix` would take "+f" as 15: an edited cursor must not work.
        let plus = format!("+{}", &issued[1..]);
        for bad in [tampered.as_str(), "", "zz", "abc", "TmV4dEl0ZW1JZDox", "é", &upper, &plus] {
            assert_eq!(cursors.read(Some(bad)), Err(ValidationError::NextCursorInvalid), "{bad}");
        }
    }
}
