//! The shipped module's allocator: blocks of a power of two bytes, each size with a free list.
//!
//! dlmalloc, the allocator std uses on wasm, was 4.9 KB of the module's code. The module's
//! allocations are few and small, but not all of them die with the call that makes them: a
//! region's automata are built during the first call that needs them and kept for the life
//! of the page. So blocks are freed one by one, as in any allocator, into a list per size (a
//! freed block's first word points to the next free one); a block is taken from its size's
//! list, else from the top of memory, which grows a page at a time. Rounding every size up to
//! a power of two wastes at most half a block and needs no headers, no splitting and no
//! merging.
#![allow(unsafe_code)]

use core::{
    alloc::{GlobalAlloc, Layout},
    arch::wasm32,
    ptr,
    sync::atomic::{AtomicUsize, Ordering::Relaxed},
};

#[global_allocator]
static ALLOCATOR: Blocks = Blocks;

/// A WebAssembly page, the unit memory grows by.
const PAGE: usize = 65_536;
/// The smallest block: room for the free list's link.
const SMALLEST: usize = 8;
/// Blocks are aligned to their size up to this, so that a freed block suits any layout of
/// its size (no type of the module asks for more).
const MOST_ALIGN: usize = 4096;

/// Each size's free list: the address of its first free block (`1 << n` bytes), or 0.
static FREE: [AtomicUsize; usize::BITS as usize] = [const { AtomicUsize::new(0) }; _];
/// The next byte never handed out, and the end of memory (0 until the first allocation).
static TOP: AtomicUsize = AtomicUsize::new(0);
static END: AtomicUsize = AtomicUsize::new(0);

struct Blocks;

/// The size of the blocks that hold `layout`, as the power of two's exponent; `None` for an
/// alignment above [`MOST_ALIGN`].
fn size_of(layout: Layout) -> Option<usize> {
    if layout.align() > MOST_ALIGN {
        return None;
    }
    let size = layout.size().max(layout.align()).max(SMALLEST).checked_next_power_of_two()?;
    Some(size.trailing_zeros() as usize)
}

// SAFETY: one thread (wasm32 without `atomics`); a block is handed out once until it is
// freed, aligned to its size up to `MOST_ALIGN` (at least the layout's alignment, by
// `size_of`), and at least as long as its layout.
unsafe impl GlobalAlloc for Blocks {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(size) = size_of(layout) else { return ptr::null_mut() };
        let Some(free) = FREE.get(size) else { return ptr::null_mut() };
        let block = free.load(Relaxed);
        if block != 0 {
            // SAFETY: a free block's first word is the next free block of its size.
            free.store(unsafe { (block as *const usize).read() }, Relaxed);
            return block as *mut u8;
        }
        top(1 << size).map_or(ptr::null_mut(), |at| at as *mut u8)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(free) = size_of(layout).and_then(|size| FREE.get(size)) else { return };
        // SAFETY: the block is this size's, no longer in use, and at least a word long.
        unsafe { (block as *mut usize).write(free.load(Relaxed)) };
        free.store(block as usize, Relaxed);
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `GlobalAlloc::realloc`'s contract gives a valid alignment and a non-zero
        // size that does not overflow when rounded up to it.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if size_of(new_layout) == size_of(layout) {
            return block;
        }
        // SAFETY: as `alloc` is always safe to call with a valid layout.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks are at least this long, and distinct.
            unsafe { ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size)) };
            // SAFETY: the old block is the caller's, and no longer used.
            unsafe { self.dealloc(block, layout) };
        }
        moved
    }
}

/// A new block of `size` bytes (a power of two) from the top of memory; its address.
fn top(size: usize) -> Option<usize> {
    let mut top = TOP.load(Relaxed);
    if top == 0 {
        // First use: the blocks start where the module's memory ends.
        top = wasm32::memory_size(0) * PAGE;
        END.store(top, Relaxed);
    }
    let align = size.min(MOST_ALIGN);
    let start = top.checked_add(align - 1)? & !(align - 1);
    let end = start.checked_add(size)?;
    if end > END.load(Relaxed) {
        let pages = (end - END.load(Relaxed)).div_ceil(PAGE);
        let before = wasm32::memory_grow(0, pages);
        if before == usize::MAX {
            return None;
        }
        END.store((before + pages) * PAGE, Relaxed);
    }
    TOP.store(end, Relaxed);
    Some(start)
}
