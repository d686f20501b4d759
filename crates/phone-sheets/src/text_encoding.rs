//! A CSV file's bytes as text. Excel on Windows saves "CSV" in the computer's code page
//! (Windows-1252 in New Zealand and Australia), "CSV UTF-8" with a byte order mark, and
//! "Unicode Text" as UTF-16 with one; other programs write plain UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The text and the name of the encoding it was read in. A byte order mark is taken off.
/// Bytes that are not valid in the encoding found become U+FFFD, so this never fails.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let by_mark = [(&b"\xEF\xBB\xBF"[..], UTF_8), (b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)];
    for (mark, encoding) in by_mark {
        if let Some(rest) = bytes.strip_prefix(mark) {
            return (encoding.decode_without_bom_handling(rest).0, name(encoding));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), name(UTF_8)),
        // Every byte is a character in Windows-1252, so the guess costs nothing when wrong;
        // a file in another code page comes out with the wrong accents, not an error.
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, name(WINDOWS_1252)),
    }
}

/// The name a person knows the encoding by (encoding_rs uses the WHATWG labels).
fn name(encoding: &'static Encoding) -> &'static str {
    if encoding == WINDOWS_1252 { "Windows-1252" } else { encoding.name() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn assert_decodes(bytes: &[u8], text: &str, encoding: &str) {
        let (decoded, name) = decode(bytes);
        assert_eq!((decoded.as_ref(), name), (text, encoding));
    }

    #[test]
    fn each_encoding_is_found_by_its_mark_or_its_bytes() {
        assert_decodes(b"Jos\xC3\xA9", "José", "UTF-8");
        assert_decodes(b"\xEF\xBB\xBFJos\xC3\xA9", "José", "UTF-8");
        assert_decodes(b"\xFF\xFEJ\0\xE9\0", "Jé", "UTF-16LE");
        assert_decodes(b"\xFE\xFF\0J\0\xE9", "Jé", "UTF-16BE");
        assert_decodes(b"Jos\xE9 M\xFCller \x80", "José Müller €", "Windows-1252");
        assert_decodes(b"", "", "UTF-8");
    }

    #[test]
    fn broken_bytes_after_a_mark_become_replacement_characters() {
        assert_decodes(b"\xEF\xBB\xBFa\xFFb", "a\u{fffd}b", "UTF-8");
        assert_decodes(b"\xFF\xFEa\0b", "a\u{fffd}", "UTF-16LE");
    }
}
