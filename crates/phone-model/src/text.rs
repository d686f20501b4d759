//! How the contract measures and reads text.

use alloc::string::String;

/// The length of `text` as the contract counts it: in UTF-16 code units, as the provider's
/// .NET stack and a browser's `maxlength` do (an emoji counts 2).
#[must_use]
pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The ASCII digits of `text`, in order.
#[must_use]
pub(crate) fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `c` is one of the ASCII characters of `set`. `str::contains(char)` would do, but for
/// a character outside ASCII it searches for its UTF-8 bytes with the two-way string searcher:
/// kilobytes of code in the embeddable module for a set that holds none.
#[must_use]
pub(crate) fn is_one_of(c: char, set: &str) -> bool {
    u8::try_from(c).is_ok_and(|byte| set.as_bytes().contains(&byte))
}

/// `parts` joined into one string. `[&str]::concat` would do, but it carries a panic with a
/// formatted message (a length past `usize::MAX`), which the embeddable module must not link.
#[must_use]
pub(crate) fn joined(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}
