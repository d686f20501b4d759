//! The byte layout of the compiled plans that both sides must agree on: `cargo xtask metadata`
//! writes it (it includes this file by path, so there is one definition) and the core reads it.

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

/// An automaton state's header bit: a label index byte follows.
pub(crate) const HAS_LABEL: u8 = 0x80;

/// A run's target, in the low nibble of its byte: the dead state, the next state, the state at
/// the `u16` offset that follows, the tail whose id follows.
pub(crate) mod target {
    // Only the writer names it: the reader treats every target it does not know as dead.
    #[allow(dead_code)]
    pub(crate) const DEAD: u8 = 0;
    pub(crate) const NEXT: u8 = 1;
    pub(crate) const OFFSET: u8 = 2;
    pub(crate) const TAIL: u8 = 3;
}
