//! The byte layout of the compiled plans that both sides must agree on: `cargo xtask metadata`
//! writes it (it includes this file by path, so there is one definition) and the core reads it.

/// The first bytes of a plans file: the format's name and version.
pub(crate) const MAGIC: &[u8; 4] = b"PDP2";

/// `nationalPrefixForParsing` programs (`plan/prefix.rs` runs them; `xtask/src/metadata/
/// program.rs` tabulates the operands).
pub(crate) mod opcode {
    /// A digit in the `u16` mask that follows, then the next instruction.
    pub(crate) const DIGIT: u8 = 0;
    /// Try from the first `u16` target; if that fails, from the second.
    pub(crate) const SPLIT: u8 = 1;
    /// Go on from the `u16` target.
    pub(crate) const JUMP: u8 = 2;
    /// Remember the position in the capture slot whose byte follows.
    pub(crate) const SAVE: u8 = 3;
    /// Only at the end of the number (`$`).
    pub(crate) const END: u8 = 4;
    /// Matched.
    pub(crate) const MATCH: u8 = 5;
}

/// The highest capture group a program may use: the core keeps `2 × (MAX_GROUP + 1)` slots.
pub(crate) const MAX_GROUP: u32 = 3;

/// A pattern as a token program: what the metadata's regular expression says, a byte a token,
/// spelt as the expression would be so that it compresses like text (`(?:3[2-79]|4)\d{6,7}` is
/// `(3[2-79]|4)d{67`), ended by [`token::END`]. Digits `0`–`9` stand for themselves; the rest
/// are below.
pub(crate) mod token {
    /// Any digit (`\d`).
    pub(crate) const ANY: u8 = b'd';
    /// A class of digits up to [`CLASS_END`]: digits and `a-b` ranges (`[2-79]`).
    pub(crate) const CLASS: u8 = b'[';
    pub(crate) const CLASS_END: u8 = b']';
    pub(crate) const RANGE: u8 = b'-';
    /// A group up to its [`CLOSE`] (`(?:…)`; capture groups are only groups here).
    pub(crate) const OPEN: u8 = b'(';
    pub(crate) const CLOSE: u8 = b')';
    /// Between alternatives, in a group or at the top.
    pub(crate) const OR: u8 = b'|';
    /// After an atom: it may be left out (`?`).
    pub(crate) const OPTIONAL: u8 = b'?';
    /// After an atom: two counts follow, the fewest and most repeats (`{6,7}`), each written
    /// as [`COUNT_ZERO`] + the count; [`UNBOUNDED`] as the most is no limit (`*`, `+`).
    pub(crate) const REPEAT: u8 = b'{';
    pub(crate) const COUNT_ZERO: u8 = b'0';
    /// The most a count can be, so that it stays a printable character.
    pub(crate) const MOST_COUNT: u8 = b'~' - COUNT_ZERO;
    pub(crate) const UNBOUNDED: u8 = b'*';
    /// After the program. No token or count is this byte, so a program needs no length.
    pub(crate) const END: u8 = b'\n';
}
