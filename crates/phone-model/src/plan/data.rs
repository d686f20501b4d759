//! Reading the compiled plans: a cursor over bytes that never panics (a read past the end
//! gives zeros and empty slices).

use super::layout::token::END;

/// A position in a byte slice.
#[derive(Debug)]
pub(crate) struct Reader {
    bytes: &'static [u8],
    at: usize,
}

impl Reader {
    pub(crate) const fn new(bytes: &'static [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    pub(crate) const fn at(bytes: &'static [u8], at: usize) -> Self {
        Self { bytes, at }
    }

    pub(crate) fn position(&self) -> usize {
        self.at
    }

    /// The byte at `at`, not moving; 0 past the end.
    pub(crate) fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    /// The little-endian `u16` at `at`, not moving.
    pub(crate) fn u16_at(&self, at: usize) -> u16 {
        u16::from_le_bytes([self.byte(at), self.byte(at + 1)])
    }

    pub(crate) fn u8(&mut self) -> u8 {
        let byte = self.byte(self.at);
        self.at += 1;
        byte
    }

    pub(crate) fn u16(&mut self) -> u16 {
        let value = self.u16_at(self.at);
        self.at += 2;
        value
    }

    pub(crate) fn u32(&mut self) -> u32 {
        let low = u32::from(self.u16());
        low | u32::from(self.u16()) << 16
    }

    /// A LEB128 varint: seven bits a byte, low first.
    pub(crate) fn varint(&mut self) -> usize {
        let mut value = 0;
        for shift in (0..28).step_by(7) {
            let byte = self.u8();
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        value
    }

    /// The next `length` bytes (fewer at the end).
    pub(crate) fn take(&mut self, length: usize) -> &'static [u8] {
        let start = self.at.min(self.bytes.len());
        let end = self.at.saturating_add(length).min(self.bytes.len());
        self.at = self.at.saturating_add(length);
        self.bytes.get(start..end).unwrap_or_default()
    }

    /// A pattern's token program, up to its end (`layout.rs`'s `token::END`).
    pub(crate) fn program(&mut self) -> &'static [u8] {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let length = rest.iter().position(|&byte| byte == END).unwrap_or(rest.len());
        let program = self.take(length);
        self.at += 1;
        program
    }

    /// Bytes after their length as a varint.
    pub(crate) fn counted(&mut self) -> &'static [u8] {
        let length = self.varint();
        self.take(length)
    }

    /// A string: its length (one byte), then its bytes.
    pub(crate) fn str(&mut self) -> &'static str {
        core::str::from_utf8(self.bytes()).unwrap_or_default()
    }

    /// A string's bytes, unchecked: its length (one byte), then the bytes.
    pub(crate) fn bytes(&mut self) -> &'static [u8] {
        let length = usize::from(self.u8());
        self.take(length)
    }
}
