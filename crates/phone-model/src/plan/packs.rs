//! Plans that arrive while the program runs, for the embeddable module's on-demand build: it
//! carries no plan, and a page adds each calling code's pack (the plans file of that code's
//! regions alone, cut by `cargo xtask embed`) when a number of the code is first judged. Until
//! its pack is added, a calling code has no plan, as in a build without it: its numbers are
//! held to the length limits alone, and the code is remembered as wanted.

use alloc::{boxed::Box, vec::Vec};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use once_cell::race::OnceBox;

use super::{COLUMNS, MOST_REGIONS, Plans, layout::MAGIC};

/// Each calling code's pack, once added.
static PACKS: [OnceBox<Plans>; 1000] = [const { OnceBox::new() }; _];
/// The calling codes a number needed the plans of since [`wanted`] last said.
static WANTED: [AtomicBool; 1000] = [const { AtomicBool::new(false) }; _];
/// How many regions the packs added so far hold: where the next pack's are numbered from.
static REGIONS: AtomicUsize = AtomicUsize::new(0);

/// The plans of calling code `code`, once its pack is added; until then it is wanted.
pub(super) fn of(code: usize) -> Option<Plans> {
    let pack = PACKS.get(code)?.get().copied();
    if pack.is_none()
        && let Some(wanted) = WANTED.get(code)
    {
        wanted.store(true, Ordering::Relaxed);
    }
    pack
}

/// Adds a calling code's pack; its calling code, or `None` when `bytes` are not a pack (not a
/// plans file, or one of regions of several calling codes). Adding a code's pack again
/// changes nothing.
pub fn add(bytes: Vec<u8>) -> Option<u16> {
    let (code, count) = calling_code(&bytes)?;
    let slot = PACKS.get(usize::from(code))?;
    if slot.get().is_some() {
        return Some(code);
    }
    let first = REGIONS.fetch_add(count, Ordering::Relaxed);
    if first + count > MOST_REGIONS {
        return None;
    }
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let sections = Box::leak(Plans::find_sections(bytes).into_boxed_slice());
    // Should two callers race, the first pack kept wins; the other's bytes stay unused.
    let _ = slot.set(Box::new(Plans { bytes, first, sections }));
    Some(code)
}

/// The one calling code of a plans file's regions, and how many they are.
fn calling_code(bytes: &[u8]) -> Option<(u16, usize)> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    let count = usize::from(*bytes.get(4)?);
    let code_of = |index: usize| {
        let at = COLUMNS + 2 * index;
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
    };
    let code = code_of(0)?;
    (0..count).all(|index| code_of(index) == Some(code)).then_some((code, count))
}

/// The calling codes whose plans a number needed, and did not have, since the last call.
pub fn wanted() -> impl Iterator<Item = u16> {
    (0_u16..1000).filter(|&code| {
        WANTED.get(usize::from(code)).is_some_and(|wanted| wanted.swap(false, Ordering::Relaxed))
    })
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use crate::{CountryCode, NumberKind, ParsedNumber};

    /// New Zealand's pack, as `cargo xtask metadata` writes it for these tests.
    fn new_zealand() -> Vec<u8> {
        include_bytes!("../../data/pack-64.bin").to_vec()
    }

    #[test]
    fn a_calling_code_is_judged_by_its_pack_once_added() {
        let mobile = || ParsedNumber::parse(CountryCode::NZ, "", "021 123 4567").unwrap();
        // No plan yet: read, but not judged, and the code is wanted once.
        assert_eq!(mobile().kind(), NumberKind::Unknown);
        assert_eq!(super::wanted().collect::<Vec<_>>(), [64]);
        assert_eq!(super::wanted().count(), 0);

        assert_eq!(super::add(b"PDP2 not a pack".to_vec()), None);
        let slim = include_bytes!("../../data/plans-nz-au.bin").to_vec();
        assert_eq!(super::add(slim), None, "two calling codes are not one pack");
        assert_eq!(super::add(new_zealand()), Some(64));
        assert_eq!(mobile().kind(), NumberKind::Mobile);
        assert_eq!(mobile().international(), "+64 21 123 4567");
        assert_eq!(super::add(new_zealand()), Some(64), "again changes nothing");
        assert_eq!(super::wanted().count(), 0);
    }
}
