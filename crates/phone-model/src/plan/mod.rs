// Over 400 lines: the plans file read into regions, and a region's questions answered; its
// parts (patterns, automata, formats, layout, packs) are modules of their own.
//! Numbering plans: which national numbers exist, what kind they are, how they are written and
//! how a national prefix is dialled — for every region of the provider's country table, from
//! Google libphonenumber's metadata (`data/libphonenumber/`, release and provenance in its
//! `NOTICE.md`), compiled by `cargo xtask metadata` into `data/plans.bin`.
//!
//! The rules follow libphonenumber's own: a number is valid for a region when it fits the
//! region's general pattern and one type's pattern and possible lengths (types tried in
//! libphonenumber's order); a calling code several regions share picks the region by its
//! leading digits, or else the first region the number is valid in; a national prefix is
//! stripped only when what is left can still be a number; formats are the region's own.
//!
//! The plans carry the patterns as token programs (`pattern.rs`), which compress like the
//! text they are; a region's automata are built the first time a number of it is judged or
//! written, and kept for the life of the program, so a number is then judged by walking its
//! digits through a table.
//!
//! With the `nz-au-only` feature (the slim embeddable module) only New Zealand and Australia
//! have plans; every other calling code is held to the length limits alone.

use alloc::{borrow::ToOwned, boxed::Box, string::String, vec::Vec};

use once_cell::race::OnceBox;

mod automaton;
mod data;
mod format;
mod layout;
#[cfg(feature = "on-demand")]
pub(crate) mod packs;
mod pattern;
mod prefix;

use automaton::Automaton;
use data::Reader;
pub(crate) use format::Style;
use pattern::{Anchor, Nfa};

use crate::{
    Country, NumberKind,
    code_country::country_of,
    conditions::{FNV1A_START, fnv1a_step},
    countries,
};

#[cfg(not(any(feature = "nz-au-only", feature = "on-demand")))]
static PLANS: &[u8] = include_bytes!("../../data/plans.bin");
#[cfg(all(feature = "nz-au-only", not(feature = "on-demand")))]
static PLANS: &[u8] = include_bytes!("../../data/plans-nz-au.bin");
/// No region built in: each calling code's come as a pack (`packs.rs`).
#[cfg(feature = "on-demand")]
static PLANS: &[u8] = layout::MAGIC;

/// The name the staff app fetches every region's plans by (`cargo xtask` puts them in its
/// `dist/` so): `plans-` and 16 hex digits of a hash of the bytes, so that other plans have
/// another name and a browser may keep these for ever. The bytes are read at compile time for
/// the hash alone; a build without plans of its own still carries none.
pub const FILE_NAME: &str =
    match core::str::from_utf8(&file_name(fnv1a(include_bytes!("../../data/plans.bin")))) {
        Ok(name) => name,
        Err(_) => panic!("a file name of ASCII letters and digits"),
    };

/// The core's FNV-1a (`conditions::fnv1a`) over `bytes`, at compile time: a `const fn` cannot
/// fold an iterator, so it walks the slice. It names the file; it does not guard it.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = FNV1A_START;
    let mut at = 0;
    while at < bytes.len() {
        hash = fnv1a_step(hash, bytes[at]);
        at += 1;
    }
    hash
}

/// `plans-<hash as 16 lowercase hex digits>.bin`.
const fn file_name(hash: u64) -> [u8; 26] {
    let mut name = *b"plans-0000000000000000.bin";
    let mut digit = 0;
    while digit < 16 {
        let nibble = ((hash >> (60 - 4 * digit)) & 0xf) as u8;
        name[6 + digit] = if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 };
        digit += 1;
    }
    name
}

/// The compiled plans, whole: what the review's verdicts version is a hash of.
#[cfg(feature = "serde")]
pub(crate) fn compiled() -> &'static [u8] {
    PLANS
}

/// Where the table of calling codes starts (after `PDP2` and the region count).
const CODE_INDEX: usize = 5;
/// Where the columns of the regions' numbers start.
const COLUMNS: usize = CODE_INDEX + 1000;

/// Where each of a region's seven sections starts in its plans file.
type Sections = [usize; SECTIONS];

/// The sections of the built-in plans' regions, found the first time a region is read.
static BUILT_IN: OnceBox<Vec<Sections>> = OnceBox::new();

/// The kinds in the order of the compiled type indexes (`xtask/src/metadata/territory.rs`),
/// which is the order libphonenumber tries them in.
const KINDS: [NumberKind; 10] = [
    NumberKind::PremiumRate,
    NumberKind::TollFree,
    NumberKind::SharedCost,
    NumberKind::Voip,
    NumberKind::PersonalNumber,
    NumberKind::Pager,
    NumberKind::Uan,
    NumberKind::Voicemail,
    NumberKind::FixedLine,
    NumberKind::Mobile,
];
const FIXED_LINE: usize = 8;
const MOBILE: usize = 9;
/// The bit of a region's general pattern in its [`Judge`]'s labels, after the types' bits.
const GENERAL_BIT: u32 = KINDS.len() as u32;

/// More regions than the plans have (the provider's table has 245): the size of the tables of
/// built automata.
const MOST_REGIONS: usize = 256;

/// Each region's automata, built the first time they are needed. A race builds one twice at
/// worst; the first kept wins.
static LEADS: [OnceBox<Option<Automaton>>; MOST_REGIONS] = [const { OnceBox::new() }; _];
static JUDGES: [OnceBox<Judge>; MOST_REGIONS] = [const { OnceBox::new() }; _];
static FORMATS_LEADING: [OnceBox<Automaton>; MOST_REGIONS] = [const { OnceBox::new() }; _];

/// What judging a number of a region takes: one automaton of its general pattern and all its
/// types' patterns, and the lengths each type's numbers have.
#[derive(Debug)]
struct Judge {
    automaton: Automaton,
    lengths: [u32; KINDS.len()],
}

/// How a national number's length compares with the lengths a region's numbers have, as
/// libphonenumber's `testNumberLength` weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthFit {
    /// Some number of the region has this length.
    Possible,
    /// Only numbers dialled within an area have this length: the area code is missing.
    LocalOnly,
    /// Shorter than every number of the region.
    TooShort,
    /// Longer than every number of the region.
    TooLong,
    /// Between the shortest and the longest, and yet no number has it.
    Between,
}

/// A plans file (the one built in, or a calling code's pack) and the number its first region
/// has among all the regions the program knows, which numbers their automata.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plans {
    bytes: &'static [u8],
    first: usize,
    sections: &'static [Sections],
}

impl Plans {
    /// The plans that hold `code`'s regions, if any does.
    #[cfg_attr(not(feature = "on-demand"), expect(unused_variables, reason = "one file holds all"))]
    fn of(code: usize) -> Option<Self> {
        #[cfg(feature = "on-demand")]
        return packs::of(code);
        #[cfg(not(feature = "on-demand"))]
        Some(Self::built_in())
    }

    fn built_in() -> Self {
        let sections = BUILT_IN.get_or_init(|| Box::new(Self::find_sections(PLANS)));
        Self { bytes: PLANS, first: 0, sections }
    }

    /// Where each region's sections start in `bytes`: every section says where it ends, so
    /// each stream is read through once.
    fn find_sections(bytes: &'static [u8]) -> Vec<Sections> {
        // Plans of another layout have no region that can be read.
        if !bytes.starts_with(layout::MAGIC) {
            return Vec::new();
        }
        let count = usize::from(bytes.get(4).copied().unwrap_or(0));
        let mut starts = Reader::at(bytes, COLUMNS + 12 * count);
        let mut streams = [(); SECTIONS].map(|()| {
            let start = usize::try_from(starts.u32()).unwrap_or(usize::MAX);
            Reader::at(bytes, start)
        });
        let [strings, general, lead, kinds, types, formats, leading] = &mut streams;
        (0..count)
            .map(|_| {
                let sections = [
                    strings.position(),
                    general.position(),
                    lead.position(),
                    kinds.position(),
                    types.position(),
                    formats.position(),
                    leading.position(),
                ];
                Strings::read(strings);
                general.program();
                lead.program();
                for _ in 0..kinds.u8() {
                    kinds.u8();
                    kinds.u32();
                    types.program();
                }
                for _ in 0..formats.u8() {
                    format::Format::read(formats);
                    leading.program();
                }
                sections
            })
            .collect()
    }

    /// How many regions it holds: as many as it has sections found.
    fn count(self) -> usize {
        self.sections.len()
    }

    /// The index of `code`'s first region here.
    fn first_of(self, code: usize) -> Option<usize> {
        let index = self.bytes.get(CODE_INDEX + code).filter(|_| code < 1000)?;
        usize::from(*index).checked_sub(1).filter(|&index| index < self.count())
    }

    /// Region number `index` of these plans.
    fn region(self, index: usize) -> Region {
        let count = self.count();
        let calling_code = Reader::at(self.bytes, COLUMNS + 2 * index).u16();
        let mut id = Reader::at(self.bytes, COLUMNS + 2 * count + 2 * index);
        let id = [id.u8(), id.u8()];
        let lengths = Reader::at(self.bytes, COLUMNS + 4 * count + 4 * index).u32();
        let local_lengths = Reader::at(self.bytes, COLUMNS + 8 * count + 4 * index).u32();
        let sections = self.sections.get(index).copied().unwrap_or([usize::MAX; SECTIONS]);
        let index = self.first + index;
        Region { plans: self, index, calling_code, id, lengths, local_lengths, sections }
    }

    fn regions(self) -> impl Iterator<Item = Region> {
        (0..self.count()).map(move |index| self.region(index))
    }
}

/// One region's plan (a country or territory: `NZ`, `GG`): where its record is in the compiled
/// plans, with the few numbers every check needs. The rest is read when it is needed.
#[derive(Clone, Copy)]
pub(crate) struct Region {
    plans: Plans,
    /// Its number among all regions, which numbers its automata.
    index: usize,
    calling_code: u16,
    id: [u8; 2],
    /// The lengths its numbers can have, every type's together.
    lengths: u32,
    /// The lengths dialled only within an area.
    local_lengths: u32,
    /// Where its sections start in [`PLANS`]: strings, general pattern, leading digits, types,
    /// formats, formats' leading digits.
    sections: Sections,
}

const STRINGS: usize = 0;
const GENERAL: usize = 1;
const LEAD: usize = 2;
const KINDS_SECTION: usize = 3;
const TYPES: usize = 4;
const FORMATS: usize = 5;
const LEADING: usize = 6;
const SECTIONS: usize = 7;

/// A region's strings.
struct Strings {
    national_prefix: &'static str,
    program: &'static [u8],
    transform: &'static str,
    international_prefix: &'static str,
}

impl Strings {
    fn read(reader: &mut Reader) -> Self {
        let national_prefix = reader.str();
        let program = reader.counted();
        let transform = reader.str();
        let international_prefix = reader.str();
        Self { national_prefix, program, transform, international_prefix }
    }
}

impl Region {
    /// The main region of a calling code (`64` → New Zealand, `1` → the United States), when
    /// the plans have one.
    pub(crate) fn main_for(calling_code: &str) -> Option<Self> {
        let code: usize = calling_code.parse().ok()?;
        let plans = Plans::of(code)?;
        Some(plans.region(plans.first_of(code)?))
    }

    fn reader(self, section: usize) -> Reader {
        Reader::at(self.plans.bytes, self.sections.get(section).copied().unwrap_or(usize::MAX))
    }

    fn strings(self) -> Strings {
        Strings::read(&mut self.reader(STRINGS))
    }

    /// The automaton of the region's leading digits, when it has them.
    fn lead(self) -> Option<&'static Automaton> {
        let lead = LEADS.get(self.index)?.get_or_init(|| {
            let program = self.reader(LEAD).program();
            Box::new((!program.is_empty()).then(|| build(&[(program, Anchor::Prefix)])))
        });
        lead.as_ref()
    }

    fn judge(self) -> Option<&'static Judge> {
        Some(JUDGES.get(self.index)?.get_or_init(|| {
            let mut nfa = Nfa::new();
            nfa.add(self.reader(GENERAL).program(), Anchor::Whole, GENERAL_BIT);
            let mut lengths = [0; KINDS.len()];
            let mut kinds = self.reader(KINDS_SECTION);
            let mut types = self.reader(TYPES);
            for _ in 0..kinds.u8() {
                let index = kinds.u8();
                let type_lengths = kinds.u32();
                nfa.add(types.program(), Anchor::Whole, u32::from(index));
                if let Some(slot) = lengths.get_mut(usize::from(index)) {
                    *slot = type_lengths;
                }
            }
            Box::new(Judge { automaton: Automaton::build(&nfa), lengths })
        }))
    }

    /// The regions sharing this one's calling code, this one (the main one) first.
    pub(crate) fn siblings(self) -> impl Iterator<Item = Self> {
        let plans = self.plans;
        let first = plans.first_of(usize::from(self.calling_code)).unwrap_or(usize::MAX);
        (first..plans.count())
            .map(move |index| plans.region(index))
            .take_while(move |r| r.calling_code == self.calling_code)
    }

    /// The region's ISO 3166 id (`NZ`), which tests check the table's ids against (with every
    /// region's plan: the slim build has two).
    #[cfg(all(test, not(feature = "nz-au-only")))]
    pub(crate) fn id(self) -> [u8; 2] {
        self.id
    }

    /// The region's name in the provider's table (`New Zealand`); for the few regions the
    /// table has no row of (Guadeloupe, the Åland Islands …), its calling code's main country's.
    pub(crate) fn name(self) -> &'static str {
        let id = core::str::from_utf8(&self.id).ok();
        let code =
            |country: &&Country| country.country_code().digits().parse() == Ok(self.calling_code);
        let mut rows = countries().iter();
        let row = rows.clone().find(|country| country.region_id() == id && id.is_some());
        // The code's main row, as `country_of` decides it for a number of the code alone.
        row.or_else(|| rows.find(code).and_then(|any| country_of(any.country_code(), "")))
            .map_or("", Country::name)
    }

    /// The region of this calling code a national significant number belongs to, with its
    /// kind there: by the region's leading digits where it has them, else the first it is valid
    /// in.
    pub(crate) fn region_of(self, national: &str) -> Option<(Self, NumberKind)> {
        self.siblings().find_map(|region| match region.lead() {
            Some(lead) => {
                lead.accepts(national.as_bytes()).then(|| (region, region.kind_of(national)))
            }
            None => {
                let kind = region.kind_of(national);
                (kind != NumberKind::Unknown).then_some((region, kind))
            }
        })
    }

    /// What kind of number `national` is in this region; `Unknown` when it is not valid here.
    /// Only the patterns of types whose lengths fit are walked.
    pub(crate) fn kind_of(self, national: &str) -> NumberKind {
        let digits = national.as_bytes();
        if !has_length(self.lengths, digits.len()) {
            return NumberKind::Unknown;
        }
        let Some(judge) = self.judge() else { return NumberKind::Unknown };
        let label = judge.automaton.walk(digits).unwrap_or(0);
        if label & 1 << GENERAL_BIT == 0 {
            return NumberKind::Unknown;
        }
        let fits = |index: usize| {
            label & 1 << index != 0
                && judge
                    .lengths
                    .get(index)
                    .is_some_and(|&lengths| has_length(lengths, digits.len()))
        };
        if let Some(index) = (0..FIXED_LINE).find(|&index| fits(index)) {
            return KINDS.get(index).copied().unwrap_or(NumberKind::Unknown);
        }
        match (fits(FIXED_LINE), fits(MOBILE)) {
            (true, true) => NumberKind::FixedLineOrMobile,
            (true, false) => NumberKind::FixedLine,
            (false, true) => NumberKind::Mobile,
            (false, false) => NumberKind::Unknown,
        }
    }

    /// How `length` digits of a national number fit the region's lengths (see [`LengthFit`]).
    /// A region whose plan gives no lengths finds every length possible.
    pub(crate) fn length_fit(self, length: usize) -> LengthFit {
        if has_length(self.local_lengths, length) {
            return LengthFit::LocalOnly;
        }
        if self.lengths == 0 || has_length(self.lengths, length) {
            return LengthFit::Possible;
        }
        let shortest = self.lengths.trailing_zeros() as usize;
        let longest = 31 - self.lengths.leading_zeros() as usize;
        if length < shortest {
            LengthFit::TooShort
        } else if length > longest {
            LengthFit::TooLong
        } else {
            LengthFit::Between
        }
    }

    fn fits_general(self, digits: &[u8]) -> bool {
        self.judge()
            .and_then(|judge| judge.automaton.walk(digits))
            .is_some_and(|label| label & 1 << GENERAL_BIT != 0)
    }

    /// `digits` (a national number as dialled at home) without the national prefix — the
    /// trunk 0 of `09 264 5555` — or a carrier code, rewritten by the region's transform rule
    /// where it has one. As libphonenumber does: only when what is left can still be a number
    /// here, and not when the number was already valid with the prefix and is not without.
    pub(crate) fn strip_national_prefix(self, digits: &str) -> String {
        let bytes = digits.as_bytes();
        let strings = self.strings();
        let (end, slots) = if strings.program.is_empty() {
            let national_prefix = strings.national_prefix;
            if national_prefix.is_empty() || !digits.starts_with(national_prefix) {
                return digits.to_owned();
            }
            (national_prefix.len(), [prefix::UNSET; _])
        } else {
            match prefix::run(strings.program, bytes) {
                Some(found) => found,
                None => return digits.to_owned(),
            }
        };
        // A group captured (a match sets a group's two slots together): the transform rule
        // rewrites the prefix, carrier code and all; an empty rule rewrites it to nothing.
        let captured = slots[2..].iter().any(|&slot| slot != prefix::UNSET);
        let rest = digits.get(end..).unwrap_or_default();
        let stripped = if captured {
            expand(strings.transform, digits, &slots) + rest
        } else {
            rest.to_owned()
        };
        let viable = self.fits_general(bytes);
        if viable && !self.fits_general(stripped.as_bytes()) {
            return digits.to_owned();
        }
        // libphonenumber keeps the stripped number when its length is possible, or too long
        // (a later check says so); too short, local-only or between lengths, it keeps the
        // number as dialled.
        let length = stripped.len();
        let possible = self.lengths;
        let too_long = possible != 0 && length > 31 - possible.leading_zeros() as usize;
        if has_length(possible, length) && !has_length(self.local_lengths, length) || too_long {
            stripped
        } else {
            digits.to_owned()
        }
    }

    /// `national` written in one of the region's formats, or `None` when no format fits.
    pub(crate) fn format(self, national: &str, style: Style) -> Option<String> {
        format::format(self, national, style)
    }

    /// `partial`, a national number still being typed, grouped by the first format that it
    /// can still grow into; `None` when none can.
    pub(crate) fn format_partial(self, partial: &str, style: Style) -> Option<String> {
        format::format_partial(self, partial, style)
    }

    /// The national prefix (`0` in New Zealand; empty where there is none).
    pub(crate) fn national_prefix(self) -> &'static str {
        self.strings().national_prefix
    }

    /// The digits dialled before a country code to call abroad from here (`00` in New
    /// Zealand, `0011` in Australia, `011` in the United States); empty for the regions whose
    /// metadata gives only a pattern (Brazil, Colombia, South Korea: a carrier is chosen with
    /// it), where only a number written with `+` is read as international.
    pub(crate) fn international_prefix(self) -> &'static str {
        self.strings().international_prefix
    }

    /// The international prefix of every region of the plans, repeats and all (empty where a
    /// region has none).
    pub(crate) fn every_international_prefix() -> impl Iterator<Item = &'static str> {
        Plans::built_in().regions().map(Self::international_prefix)
    }

    /// The region's formats (their count, then the formats) and the automaton of their
    /// leading digits, format `n` accepting with bit `n`.
    fn formats(self) -> (Reader, Option<&'static Automaton>) {
        let leading = FORMATS_LEADING.get(self.index).map(|built| {
            built.get_or_init(|| {
                let mut nfa = Nfa::new();
                let count = self.reader(FORMATS).u8();
                let mut reader = self.reader(LEADING);
                for bit in 0..u32::from(count) {
                    nfa.add(reader.program(), Anchor::Prefix, bit);
                }
                Box::new(Automaton::build(&nfa))
            })
        });
        (self.reader(FORMATS), leading)
    }
}

/// A region is its id: the rest is read from the plans.
impl PartialEq for Region {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.calling_code == other.calling_code
    }
}

impl Eq for Region {}

impl core::fmt::Debug for Region {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Region({}, +{})",
            core::str::from_utf8(&self.id).unwrap_or("??"),
            self.calling_code
        )
    }
}

/// The automaton of `patterns`, pattern `n` accepting with bit `n`.
fn build(patterns: &[(&[u8], Anchor)]) -> Automaton {
    let mut nfa = Nfa::new();
    for (bit, &(program, anchor)) in (0..).zip(patterns) {
        nfa.add(program, anchor, bit);
    }
    Automaton::build(&nfa)
}

/// Whether the bit for `length` is set.
fn has_length(mask: u32, length: usize) -> bool {
    length < 32 && mask & (1 << length) != 0
}

/// A transform rule (`9$1`, `268$1`) with its groups filled in from `digits`.
fn expand(rule: &str, digits: &str, slots: &prefix::Slots) -> String {
    let mut out = String::with_capacity(rule.len() + digits.len());
    let mut bytes = rule.bytes();
    while let Some(byte) = bytes.next() {
        if byte != b'$' {
            out.push(char::from(byte));
            continue;
        }
        let group = usize::from(bytes.next().unwrap_or(b'0').wrapping_sub(b'0'));
        let (start, end) = (slots.get(2 * group).copied(), slots.get(2 * group + 1).copied());
        if let (Some(start), Some(end)) = (start, end) {
            out.push_str(digits.get(start..end).unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Region;

    #[test]
    fn only_calling_codes_of_up_to_three_digits_have_a_region() {
        assert!(Region::main_for("64").is_some());
        // Past the table of codes are the regions' offsets, not regions.
        assert!(Region::main_for("1000").is_none());
    }

    /// The review's verdicts are versioned by a hash of these bytes: all of them.
    #[cfg(feature = "serde")]
    #[test]
    fn the_compiled_plans_are_whole() {
        let plans = super::compiled();
        assert_eq!(plans, super::PLANS);
        assert!(
            plans.starts_with(super::layout::MAGIC) && plans.len() > 2_000,
            "{} bytes",
            plans.len()
        );
    }

    #[test]
    fn the_plans_file_is_named_by_its_hash() {
        assert_eq!(super::file_name(0x0123_4567_89ab_cdef), *b"plans-0123456789abcdef.bin");
        assert_eq!(super::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        // FNV-1a's published value for "a".
        assert_eq!(super::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let hash = super::fnv1a(include_bytes!("../../data/plans.bin"));
        assert_eq!(super::FILE_NAME.as_bytes(), super::file_name(hash));
    }

    /// Every automaton of every region builds, well within the bound on states, and the
    /// largest is printed with the time it took (`--nocapture`).
    #[test]
    fn every_regions_automata_build() {
        let plans = super::Plans::of(64).expect("built-in plans");
        assert!(plans.count() > 0 && plans.count() <= super::MOST_REGIONS);
        let mut largest = (0, "");
        for region in plans.regions() {
            let started = std::time::Instant::now();
            let judge = region.judge().expect("a judge");
            let states = judge.automaton.states();
            let formats = region.formats().1.expect("formats").states();
            let lead = region.lead().map_or(0, super::Automaton::states);
            let took = started.elapsed();
            assert!(states + formats + lead < 2_000, "{}: {states} states", region.name());
            if states + formats > largest.0 {
                largest = (states + formats, region.name());
                println!("{}: {states} + {formats} + {lead} states in {took:?}", region.name());
            }
        }
    }

    #[test]
    fn a_regions_international_prefix_is_its_one_literal_prefix_or_none() {
        let prefix = |code: &str| Region::main_for(code).map(Region::international_prefix);
        // New Zealand's preferred `00`, Australia's `0011`, the United States' `011`, the
        // United Kingdom's `00`; Brazil's is a pattern of carriers, and none is read.
        let cases = [("64", "00"), ("61", "0011"), ("1", "011"), ("44", "00"), ("55", "")];
        for (code, expected) in cases {
            assert_eq!(prefix(code), Some(expected), "+{code}");
        }
        assert!(Region::every_international_prefix().any(|p| p == "0011"));
        assert!(
            Region::every_international_prefix().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        );
    }

    #[test]
    fn a_length_is_weighed_against_every_length_of_the_region() {
        use super::LengthFit::{Between, LocalOnly, Possible, TooLong, TooShort};
        // New Zealand: 5 to 10 digits. Australia: 5 to 10, and 12. The United States: 10,
        // and 7 within an area (8 is short of 10: a local length counts only as itself). The
        // United Kingdom: 7, 9 and 10, and 4 to 6 and 8 within an area.
        let cases = [
            ("64", 4, TooShort),
            ("64", 5, Possible),
            ("64", 10, Possible),
            ("64", 11, TooLong),
            ("1", 6, TooShort),
            ("1", 7, LocalOnly),
            ("1", 8, TooShort),
            ("61", 11, Between),
            ("61", 12, Possible),
            ("61", 13, TooLong),
            ("1", 11, TooLong),
            ("44", 3, TooShort),
            ("44", 5, LocalOnly),
            ("44", 9, Possible),
            ("44", 11, TooLong),
        ];
        for (code, length, fit) in cases {
            let region = Region::main_for(code).expect("a plan");
            assert_eq!(region.length_fit(length), fit, "+{code}, {length} digits");
        }
    }

    #[test]
    fn a_region_is_its_id_and_calling_code() {
        let nz = Region::main_for("64").unwrap();
        assert_eq!(nz, Region::main_for("64").unwrap());
        assert_ne!(nz, Region::main_for("61").unwrap());
        // Canada shares +1 with the United States, and is not it.
        let us = Region::main_for("1").unwrap();
        let (canada, _) = us.region_of("6135550123").unwrap();
        assert_eq!(canada.name(), "Canada");
        assert_ne!(canada, us);
        assert_eq!(format!("{canada:?}"), "Region(CA, +1)");
    }
}
