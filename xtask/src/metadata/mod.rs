//! `cargo xtask metadata`: compiles libphonenumber's metadata
//! (`crates/phone-model/data/libphonenumber/PhoneNumberMetadata.xml`) into the plans
//! `phone-model` carries, so that a newer release is one file swap and one command.
//!
//! Writes, in `crates/phone-model/data/`:
//! - `plans.bin`: every region whose calling code is in the provider's table;
//! - `plans-nz-au.bin`: New Zealand and Australia only, for the slim embeddable module;
//! - `pack-64.bin`: New Zealand's pack, as the on-demand module fetches it (see [`packs`]), for
//!   the core's tests of adding one;
//! - `example-numbers.tsv`: the file's example number of each type, for the self-test.
//!
//! The layout of the plans, which `phone-model`'s `plan/mod.rs` reads: like with like, so that
//! it compresses well (each pattern beside the same kind of pattern of the region before).
//!
//! - `PDP2`, then `u8` the number of regions `N`;
//! - 1000 bytes: for each calling code 0–999, 1 + the index of its first region, or 0;
//! - four columns of `N` numbers: each region's calling code (`u16`), id (2 bytes), the lengths
//!   its numbers can have and those dialled only locally (`u32` bit sets, every type's
//!   together); the regions are by calling code, the main region of a shared code first, then
//!   the others in the file's order;
//! - seven `u32`: where each stream below starts, from the start of the file;
//! - seven streams, each the regions' sections of one kind, in the regions' order. Every
//!   section says where it ends (the core finds each region's by reading them once):
//!   1. strings: national prefix, the `nationalPrefixForParsing` program (its length, then
//!      its bytes; empty when the national prefix itself is what is stripped), transform rule,
//!      international prefix (digits; empty where the file gives only a pattern);
//!   2. the general pattern;
//!   3. the region's leading digits (matched at the start; empty when it has none);
//!   4. `u8` the number of types, each as its index (`u8`, see [`territory::TYPES`]) and
//!      possible lengths (`u32` bit set);
//!   5. the types' patterns, in that order;
//!   6. `u8` the number of formats, each as its groups (`u8` count, then the fewest and most
//!      digits of each), format, national rule (`$1` for the first group) and international
//!      form (`u8` 0 as nationally, 1 none, 2 the string that follows);
//!   7. each format's last leading digits (matched at the start; empty for every number).
//!
//! Strings are a `u8` length and the bytes. Patterns are token programs (`tokens.rs`), each
//! ended by a newline: the text of what the metadata says, not automata, so they compress like
//! text (a length before each would not); the core builds an automaton from them the first
//! time a number needs it.

// The layout the core reads, from the core itself: one definition, no crate dependency (the
// core embeds the plans this module writes).
#[path = "../../../crates/phone-model/src/plan/layout.rs"]
mod layout;
mod program;
mod territory;
mod tokens;

use std::{collections::BTreeSet, fs, path::PathBuf};

use territory::{Intl, Territory};

use crate::{Result, root};

fn data_dir() -> PathBuf {
    root().join("crates/phone-model/data")
}

/// The regions of the slim module.
const SLIM: [&str; 2] = ["NZ", "AU"];

/// Regenerates the compiled plans and prints their sizes.
///
/// # Errors
/// When the XML cannot be read or a pattern cannot be compiled.
pub(crate) fn run_metadata() -> Result {
    for (name, bytes) in generate()? {
        let path = data_dir().join(name);
        fs::write(&path, &bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

/// Every file this command writes, with its contents.
fn generate() -> Result<Vec<(&'static str, Vec<u8>)>> {
    let territories = territories()?;
    let slim: Vec<&Territory> =
        territories.iter().filter(|t| SLIM.contains(&t.id.as_str())).collect();
    let all: Vec<&Territory> = territories.iter().collect();
    let new_zealand: Vec<&Territory> = territories.iter().filter(|t| t.id == "NZ").collect();
    Ok(vec![
        ("plans.bin", plans(&all)?),
        ("plans-nz-au.bin", plans(&slim)?),
        ("pack-64.bin", plans(&new_zealand)?),
        ("example-numbers.tsv", examples(&all).into_bytes()),
    ])
}

/// Each calling code's pack for the module's on-demand build: the plans of its regions alone,
/// in the layout of the whole.
///
/// # Errors
/// When the XML cannot be read or a pattern cannot be compiled.
pub(crate) fn packs() -> Result<Vec<(u16, Vec<u8>)>> {
    let territories = territories()?;
    let mut packs = Vec::new();
    for group in territories.chunk_by(|a, b| a.calling_code == b.calling_code) {
        let regions: Vec<&Territory> = group.iter().collect();
        packs.push((group[0].calling_code, plans(&regions)?));
    }
    Ok(packs)
}

/// The regions whose calling code is in the provider's table, by calling code: the main
/// region of a shared code first, then the file's order.
fn territories() -> Result<Vec<Territory>> {
    let xml = fs::read_to_string(data_dir().join("libphonenumber/PhoneNumberMetadata.xml"))?;
    let codes = provider_codes()?;
    let mut territories: Vec<Territory> =
        territory::read(&xml)?.into_iter().filter(|t| codes.contains(&t.calling_code)).collect();
    territories.sort_by_key(|t| (t.calling_code, !t.main_for_code));
    Ok(territories)
}

/// The calling codes of the provider's table (`country-codes.csv`).
fn provider_codes() -> Result<BTreeSet<u16>> {
    let csv = fs::read_to_string(data_dir().join("country-codes.csv"))?;
    let mut codes = BTreeSet::new();
    for line in csv.lines().skip(1) {
        let code = line.split(',').find(|f| f.starts_with('+')).ok_or("a row without a code")?;
        codes.insert(code[1..].parse()?);
    }
    Ok(codes)
}

fn plans(territories: &[&Territory]) -> Result<Vec<u8>> {
    let mut out = layout::MAGIC.to_vec();
    out.push(u8::try_from(territories.len())?);
    let mut index = [0_u8; 1000];
    for (i, territory) in territories.iter().enumerate().rev() {
        index[usize::from(territory.calling_code)] = u8::try_from(i + 1)?;
    }
    out.extend(index);
    // The columns of the regions' numbers, then the streams of their sections.
    let mut columns: [Vec<u8>; 4] = Default::default();
    let mut streams: [Vec<u8>; 7] = Default::default();
    for territory in territories {
        let (numbers, sections) =
            region(territory).map_err(|e| format!("{}: {e}", territory.id))?;
        for (column, number) in columns.iter_mut().zip(numbers) {
            column.extend(number);
        }
        for (stream, section) in streams.iter_mut().zip(sections) {
            stream.extend(section);
        }
    }
    out.extend(columns.concat());
    let mut start = out.len() + 4 * streams.len();
    for stream in &streams {
        out.extend(u32::try_from(start)?.to_le_bytes());
        start += stream.len();
    }
    out.extend(streams.concat());
    Ok(out)
}

/// A region's numbers (calling code, id, lengths, local lengths) and its seven sections.
type Region = ([Vec<u8>; 4], [Vec<u8>; 7]);

fn region(t: &Territory) -> Result<Region> {
    let mut strings = Vec::new();
    string(&mut strings, &t.national_prefix)?;
    let program = match &t.prefix_for_parsing {
        Some(pattern) => program::compile(pattern)?,
        None => Vec::new(),
    };
    varint(&mut strings, program.len());
    strings.extend(program);
    string(&mut strings, t.transform_rule.as_deref().unwrap_or(""))?;
    string(&mut strings, t.international_prefix.as_deref().unwrap_or(""))?;
    let general = pattern(&t.general)?;
    let lead = pattern(t.leading_digits.as_deref().unwrap_or(""))?;
    let mut kinds = vec![u8::try_from(t.types.len())?];
    let mut types = Vec::new();
    for desc in &t.types {
        kinds.push(u8::try_from(desc.index)?);
        kinds.extend(desc.lengths.to_le_bytes());
        types.extend(pattern(&desc.pattern)?);
    }
    // The core reads a format's leading digits as bit `n` of a `u32` label, and splits a number
    // into at most 8 groups: the data must stay within both.
    if t.formats.len() > 32 || t.formats.iter().any(|f| f.groups.len() > 8) {
        return Err("more than 32 formats, or a format of more than 8 groups".into());
    }
    let mut formats = vec![u8::try_from(t.formats.len())?];
    let mut leading = Vec::new();
    for format in &t.formats {
        formats.push(u8::try_from(format.groups.len())?);
        for &(min, max) in &format.groups {
            formats.extend([min, max]);
        }
        ascii(&mut formats, &format.format)?;
        ascii(&mut formats, format.national_rule.as_deref().unwrap_or(""))?;
        match &format.intl {
            Intl::Same => formats.push(0),
            Intl::None => formats.push(1),
            Intl::Other(text) => {
                formats.push(2);
                ascii(&mut formats, text)?;
            }
        }
        leading.extend(pattern(format.leading_digits.as_deref().unwrap_or(""))?);
    }

    let lengths = t.types.iter().fold(0, |mask, desc| mask | desc.lengths);
    // As libphonenumber builds its general description: a length some type dials nationally is
    // not "local only", even if another type dials it only locally.
    let local_lengths = t.types.iter().fold(0, |mask, desc| mask | desc.local_lengths) & !lengths;
    let numbers = [
        t.calling_code.to_le_bytes().to_vec(),
        t.id.as_bytes().to_vec(),
        lengths.to_le_bytes().to_vec(),
        local_lengths.to_le_bytes().to_vec(),
    ];
    Ok((numbers, [strings, general, lead, kinds, types, formats, leading]))
}

/// A pattern's token program and its end.
fn pattern(pattern: &str) -> Result<Vec<u8>> {
    let mut program = if pattern.is_empty() { Vec::new() } else { tokens::compile(pattern)? };
    program.push(layout::token::END);
    Ok(program)
}

/// LEB128: seven bits a byte, low first, bit 7 set on every byte but the last.
fn varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push(u8::try_from(value & 0x7f).expect("seven bits") | 0x80);
        value >>= 7;
    }
    out.push(u8::try_from(value).expect("seven bits"));
}

/// A format's string: ASCII only, since the core renders formats byte by byte.
fn ascii(out: &mut Vec<u8>, text: &str) -> Result {
    if !text.is_ascii() {
        return Err(format!("the format {text:?} is not ASCII").into());
    }
    string(out, text)
}

/// A string: its length in one byte, then its bytes.
fn string(out: &mut Vec<u8>, text: &str) -> Result {
    out.push(u8::try_from(text.len())?);
    out.extend(text.as_bytes());
    Ok(())
}

/// `+64\tNZ\tmobile\t211234567` for every example number, with a header line.
fn examples(territories: &[&Territory]) -> String {
    let mut out = String::from("calling code\tregion\ttype\texample\n");
    for t in territories {
        for desc in &t.types {
            if let Some(example) = &desc.example {
                let kind = territory::TYPES[desc.index];
                out.push_str(&format!("+{}\t{}\t{kind}\t{example}\n", t.calling_code, t.id));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packs hold every region of the whole plans, each in a file of its calling code.
    #[test]
    fn the_packs_split_the_plans_by_calling_code() {
        let packs = packs().expect("the metadata compiles");
        let whole = fs::read(data_dir().join("plans.bin")).expect("the plans");
        let regions: usize = packs.iter().map(|(_, pack)| usize::from(pack[4])).sum();
        assert_eq!(regions, usize::from(whole[4]));
        for (code, pack) in &packs {
            assert!(pack.starts_with(layout::MAGIC));
            assert_eq!(pack[5 + usize::from(*code)], 1, "+{code} starts its pack");
            assert_eq!(pack[5..1005].iter().filter(|&&i| i != 0).count(), 1, "+{code} alone");
        }
        let new_zealand = &packs.iter().find(|(code, _)| *code == 64).expect("+64").1;
        assert!(new_zealand.len() < 2_500, "{} bytes", new_zealand.len());
    }

    #[test]
    fn the_compiled_plans_are_those_of_the_vendored_metadata() {
        for (name, bytes) in generate().expect("the metadata compiles") {
            let committed = fs::read(data_dir().join(name)).unwrap_or_default();
            assert!(
                committed == bytes,
                "crates/phone-model/data/{name} is not what the XML compiles to: run `cargo xtask metadata`"
            );
        }
    }
}
