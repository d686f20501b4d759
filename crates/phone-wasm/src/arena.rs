//! The shipped module's allocator: a bump allocator rewound after every call.
//!
//! A call allocates a few small strings and frees them all before the next (`abi.rs` holds
//! only the input buffer and the last answer), so a general allocator's free lists buy
//! nothing: dlmalloc was 4.9 KB of the module's code. Here memory is taken from the top of the
//! arena and given back all at once: `abi::input` resets the arena and marks the top above its
//! buffer, and every function rewinds to that mark first. The arena is the memory grown past
//! what the module starts with; it never shrinks, so it stays as large as the largest call
//! needed.
//!
//! To come: whatever must outlive calls (a plan pack added at run time) is allocated, then
//! `keep` would move the arena's base above it.
#![allow(unsafe_code)]

use core::{
    alloc::{GlobalAlloc, Layout},
    arch::wasm32,
    ptr,
    sync::atomic::{AtomicUsize, Ordering::Relaxed},
};

#[global_allocator]
static ARENA: Arena = Arena;

/// A WebAssembly page, the unit memory grows by.
const PAGE: usize = 65_536;

/// Where the arena starts (0 until the first allocation), where the allocations of a call
/// start, the next free byte, and the end of memory.
static BASE: AtomicUsize = AtomicUsize::new(0);
static MARK: AtomicUsize = AtomicUsize::new(0);
static TOP: AtomicUsize = AtomicUsize::new(0);
static END: AtomicUsize = AtomicUsize::new(0);

/// Frees everything: nothing allocated may be in use.
pub(crate) fn reset() {
    TOP.store(BASE.load(Relaxed), Relaxed);
}

/// Makes the top the point `rewind` returns to.
pub(crate) fn mark() {
    MARK.store(TOP.load(Relaxed), Relaxed);
}

/// Frees everything allocated since `mark`: none of it may be in use.
pub(crate) fn rewind() {
    TOP.store(MARK.load(Relaxed), Relaxed);
}

struct Arena;

// SAFETY: one thread (wasm32 without `atomics`); every block is aligned as asked, lies in
// memory no other block overlaps until a rewind, and a rewind happens only when `abi.rs` holds
// nothing allocated after the mark.
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(layout.size(), layout.align()).map_or(ptr::null_mut(), |at| at as *mut u8)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // The last block goes back at once (a string that moves as it grows leaves less
        // behind); the rest at the next rewind.
        if block as usize + layout.size() == TOP.load(Relaxed) {
            TOP.store(block as usize, Relaxed);
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let at = block as usize;
        // The last block grows or shrinks in place.
        if at + layout.size() == TOP.load(Relaxed) {
            return match at.checked_add(new_size).and_then(grow_to) {
                Some(end) => {
                    TOP.store(end, Relaxed);
                    block
                }
                None => ptr::null_mut(),
            };
        }
        // SAFETY: `GlobalAlloc::realloc`'s contract gives a valid alignment and a non-zero
        // size that does not overflow when rounded up to it.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as `alloc` is always safe to call with a valid layout.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks are at least this long, and the new one lies above the old.
            unsafe { ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size)) };
        }
        moved
    }
}

/// A block of `size` bytes aligned to `align` (a power of two) from the top; its address.
fn bump(size: usize, align: usize) -> Option<usize> {
    let mut top = TOP.load(Relaxed);
    if top == 0 {
        // First use: the arena starts where the module's memory ends.
        top = wasm32::memory_size(0) * PAGE;
        for start in [&BASE, &MARK, &END] {
            start.store(top, Relaxed);
        }
    }
    let start = top.checked_add(align - 1)? & !(align - 1);
    let end = grow_to(start.checked_add(size)?)?;
    TOP.store(end, Relaxed);
    Some(start)
}

/// Grows memory to reach `end` if it does not yet; `end`, or `None` when memory cannot grow.
fn grow_to(end: usize) -> Option<usize> {
    if end > END.load(Relaxed) {
        let pages = (end - END.load(Relaxed)).div_ceil(PAGE);
        let before = wasm32::memory_grow(0, pages);
        if before == usize::MAX {
            return None;
        }
        END.store((before + pages) * PAGE, Relaxed);
    }
    Some(end)
}
