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
