//! A CSV file's bytes as text. Excel on Windows saves "CSV" in the computer's code page
//! (Windows-1252 in New Zealand and Australia), "CSV UTF-8" with a byte order mark, and
//! "Unicode Text" as UTF-16 with one; other programs write plain UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The text and the name of the encoding it was read in; `None` for bytes that are not text.
/// A byte order mark is taken off. Bytes that are not valid in the encoding found become
/// U+FFFD.
///
/// No text file has a NUL character, and every binary format of note (images, PDFs, Word
/// documents, executables, random bytes) has many: a cheap, sure test that a file is not text,
/// without which it would be read as one odd Windows-1252 "spreadsheet".
pub(crate) fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, &'static str)> {
    let utf16 = [(&b"\xFF\xFE"[..], UTF_16LE), (b"\xFE\xFF", UTF_16BE)];
    for (mark, encoding) in utf16 {
        if let Some(rest) = bytes.strip_prefix(mark) {
            let text = encoding.decode_without_bom_handling(rest).0;
            return (!text.contains('\0')).then_some((text, name(encoding)));
        }
    }
    // In UTF-8 and Windows-1252 NUL is the zero byte and nothing else: looked for before
    // decoding, so that 32 MB of random bytes are refused without being decoded first.
    if bytes.contains(&0) {
        return None;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Some((UTF_8.decode_without_bom_handling(rest).0, name(UTF_8)));
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), name(UTF_8)),
        // Every byte is a character in Windows-1252, so the guess costs nothing when wrong;
        // a file in another code page comes out with the wrong accents, not an error.
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, name(WINDOWS_1252)),
    })
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
        let (decoded, name) = decode(bytes).expect("text");
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
    fn bytes_with_nul_are_not_text() {
        for bytes in [
            &b"Name\0,Mobile"[..],
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"\xFF\xFEa\0\0\0",
            b"\xEF\xBB\xBF\0",
        ] {
            assert_eq!(decode(bytes), None, "{bytes:?}");
        }
        // In UTF-16 a zero byte is half of most characters.
        assert!(decode(b"\xFF\xFEa\0").is_some());
    }

    #[test]
    fn broken_bytes_after_a_mark_become_replacement_characters() {
        assert_decodes(b"\xEF\xBB\xBFa\xFFb", "a\u{fffd}b", "UTF-8");
        assert_decodes(b"\xFF\xFEa\0b", "a\u{fffd}", "UTF-16LE");
    }
}
