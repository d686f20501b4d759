//! Plans that arrive while the program runs, for the builds that carry none: the embeddable
//! module's on-demand build, where a page adds each calling code's pack (the plans file of that
//! code's regions alone, cut by `cargo xtask embed`) when a number of the code is first judged,
//! and the staff app, which fetches every region's plans in one file after its first paint.
//! Until a calling code's plans are added, it has no plan, as in a build without it: its
//! numbers are held to the length limits alone, and the code is remembered as wanted.

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

/// Adds a plans file: a calling code's pack, or the plans of several calling codes (the staff
/// app fetches every region's in one file, [`super::FILE_NAME`]). Each calling code it holds is
/// judged by it from then on, unless a file added before holds that code. How many calling
/// codes it holds, or `None` when `bytes` are not a plans file or hold more regions than the
/// program has room left for. Adding a file again changes nothing.
pub fn add(bytes: Vec<u8>) -> Option<usize> {
    let mut distinct = calling_codes(&bytes)?;
    let count = distinct.len();
    distinct.dedup();
    let slot = |code: u16| PACKS.get(usize::from(code));
    if distinct.iter().all(|&code| slot(code).is_some_and(|slot| slot.get().is_some())) {
        return Some(distinct.len());
    }
    let first = REGIONS.fetch_add(count, Ordering::Relaxed);
    if first + count > MOST_REGIONS {
        return None;
    }
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let sections = Box::leak(Plans::find_sections(bytes).into_boxed_slice());
    let plans = Plans { bytes, first, sections };
    for &code in &distinct {
        // Should two callers race, the first plans kept win; the others' bytes stay unused.
        let _ = slot(code).map(|slot| slot.set(Box::new(plans)));
    }
    Some(distinct.len())
}

/// The calling code of each region of a plans file, in order (a code's regions are together).
fn calling_codes(bytes: &[u8]) -> Option<Vec<u16>> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    let count = usize::from(*bytes.get(4)?);
    (0..count)
        .map(|index| {
            let at = COLUMNS + 2 * index;
            Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
        })
        .collect()
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
        assert_eq!(super::add(b"PDPX".to_vec()), None);
        assert_eq!(super::add(new_zealand()), Some(1));
        assert_eq!(mobile().kind(), NumberKind::Mobile);
        assert_eq!(mobile().international(), "+64 21 123 4567");
        assert_eq!(super::add(new_zealand()), Some(1), "again changes nothing");
        assert_eq!(super::wanted().count(), 0);

        // A file of several calling codes adds those it holds; New Zealand keeps its pack.
        let australia = || ParsedNumber::parse(CountryCode::AU, "", "0412 345 678").unwrap();
        assert_eq!(australia().kind(), NumberKind::Unknown);
        let slim = include_bytes!("../../data/plans-nz-au.bin").to_vec();
        assert_eq!(super::add(slim), Some(2));
        assert_eq!(australia().kind(), NumberKind::Mobile);
        assert_eq!(australia().international(), "+61 412 345 678");
        assert_eq!(mobile().kind(), NumberKind::Mobile);
    }
}
