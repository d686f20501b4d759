//! The module's exports, over its linear memory: the only `unsafe` of the module besides the
//! allocator's, and what `package/phone_wasm_api.js` calls.
//!
//! A call: the JavaScript asks `input` for a buffer of at least the bytes it needs (once, and
//! again only when an argument is longer than any before), writes each text argument into it
//! as UTF-8 one after the other, and calls a function with their lengths in bytes. A function
//! that answers text returns the address of its answer's UTF-8 and puts its length in bytes
//! where `answer_length` says. The answer lives until the next call; the input buffer until a
//! longer one is asked for.
//!
//! No wasm-bindgen: its glue (4 KB of JavaScript gzipped, and the shims on this side) did what
//! these few lines and the JavaScript's `TextEncoder`/`TextDecoder` do, for one string in and
//! one out per call.

#![allow(unsafe_code)]

use alloc::{string::String, vec::Vec};
use core::{
    cell::Cell,
    sync::atomic::{AtomicU32, Ordering},
};

/// The buffer the JavaScript writes the arguments into, and the last answer.
static INPUT: Shared<Vec<u8>> = Shared(Cell::new(Vec::new()));
static ANSWER: Shared<String> = Shared(Cell::new(String::new()));

/// The last answer's length in bytes, at an address the JavaScript learns once.
static LENGTH: AtomicU32 = AtomicU32::new(0);

/// A cell for the module's one thread.
struct Shared<T>(Cell<T>);

// SAFETY: the module is built for wasm32 without the `atomics` feature: one thread, no
// shared memory, so no other thread can see the cell.
unsafe impl<T> Sync for Shared<T> {}

/// Frees the last answer: called first by every function.
fn start() {
    drop(ANSWER.0.take());
}

/// The arguments, `lengths` bytes each, from the input buffer; `None` when the lengths run
/// past the buffer or a text is not UTF-8 (neither happens with the JavaScript's `TextEncoder`).
fn with_arguments<const N: usize, R>(
    lengths: [usize; N],
    call: impl FnOnce([&str; N]) -> R,
) -> Option<R> {
    let input = INPUT.0.take();
    let mut texts = [""; N];
    let mut at: usize = 0;
    let mut complete = true;
    for (text, length) in texts.iter_mut().zip(lengths) {
        match at.checked_add(length).and_then(|end| input.get(at..end)).map(core::str::from_utf8) {
            Some(Ok(read)) => *text = read,
            _ => complete = false,
        }
        at = at.saturating_add(length);
    }
    let result = complete.then(|| call(texts));
    INPUT.0.set(input);
    result
}

/// Keeps `text` as the answer, its length where `answer_length` says, and returns its address.
/// `None` (arguments that could not be read, which the JavaScript never causes) is empty.
fn answer(text: Option<String>) -> *const u8 {
    let text = text.unwrap_or_default();
    LENGTH.store(u32::try_from(text.len()).unwrap_or(u32::MAX), Ordering::Relaxed);
    let at = text.as_ptr();
    ANSWER.0.set(text);
    at
}

/// Where each answer's length is, as a 32-bit number: asked once.
#[unsafe(no_mangle)]
pub extern "C" fn answer_length() -> *const u32 {
    LENGTH.as_ptr()
}

/// A buffer of at least `capacity` bytes for the arguments; its address. The JavaScript asks
/// again only for a longer one.
#[unsafe(no_mangle)]
pub extern "C" fn input(capacity: usize) -> *mut u8 {
    drop(ANSWER.0.take());
    drop(INPUT.0.take());
    let mut buffer = alloc::vec![0; capacity];
    let at = buffer.as_mut_ptr();
    INPUT.0.set(buffer);
    at
}

/// `validatePhoneNumber`: the packed fields, `packed` bytes.
#[unsafe(no_mangle)]
pub extern "C" fn validate(packed: usize) -> *const u8 {
    start();
    answer(with_arguments([packed], |[fields]| crate::validate_phone_number(fields)))
}

/// `checkNumber`: the country code and the number; `plain` is 1 for plain words.
#[unsafe(no_mangle)]
pub extern "C" fn check(country_code: usize, number: usize, plain: u32) -> *const u8 {
    start();
    answer(with_arguments([country_code, number], |[code, number]| {
        crate::check_number(code, number, plain != 0)
    }))
}

/// `formatPhoneNumber`: the country code, the area code and the number.
#[unsafe(no_mangle)]
pub extern "C" fn format(country_code: usize, area_code: usize, number: usize) -> *const u8 {
    start();
    answer(with_arguments([country_code, area_code, number], |[code, area, number]| {
        crate::format_phone_number(code, area, number)
    }))
}

/// `isValidNumber`: the country code and the number; 1 for valid, else 0.
#[unsafe(no_mangle)]
pub extern "C" fn is_valid(country_code: usize, number: usize) -> u32 {
    start();
    let valid = with_arguments([country_code, number], |[code, number]| {
        crate::is_valid_number(code, number)
    });
    u32::from(valid == Some(true))
}

/// `formatAsYouType`: the country code and the text typed.
#[unsafe(no_mangle)]
pub extern "C" fn as_you_type(country_code: usize, text: usize) -> *const u8 {
    start();
    answer(with_arguments([country_code, text], |[code, text]| {
        crate::format_as_you_type(code, text)
    }))
}

/// `writtenCountry`: the country code and the number.
#[unsafe(no_mangle)]
pub extern "C" fn written(country_code: usize, number: usize) -> *const u8 {
    start();
    answer(with_arguments([country_code, number], |[code, number]| {
        crate::written_country(code, number)
    }))
}

/// `countryChoices`: what was typed, and the page's names of the table's rows.
#[unsafe(no_mangle)]
pub extern "C" fn choices(typed: usize, names: usize) -> *const u8 {
    start();
    answer(with_arguments([typed, names], |[typed, names]| crate::country_choices(typed, names)))
}

/// `countryCodes`: the provider's table.
#[unsafe(no_mangle)]
pub extern "C" fn countries() -> *const u8 {
    start();
    answer(Some(crate::country_codes()))
}

/// The error messages `validate`'s letters stand for.
#[unsafe(no_mangle)]
pub extern "C" fn messages() -> *const u8 {
    start();
    answer(Some(crate::messages()))
}

/// The on-demand build's `addPlans`: the input buffer's first `length` bytes are a calling
/// code's pack, kept for the page's life; how many calling codes it holds, or 0 when they are
/// not a pack.
#[cfg(feature = "on-demand")]
#[unsafe(no_mangle)]
pub extern "C" fn add_plans(length: usize) -> u32 {
    start();
    let input = INPUT.0.take();
    let pack = input.get(..length).map(<[u8]>::to_vec);
    INPUT.0.set(input);
    pack.and_then(phone_model::plans::add)
        .map_or(0, |codes| u32::try_from(codes).unwrap_or(u32::MAX))
}

/// The on-demand build's calling codes wanted since the last ask (`plans_wanted`).
#[cfg(feature = "on-demand")]
#[unsafe(no_mangle)]
pub extern "C" fn plans_wanted() -> *const u8 {
    start();
    answer(Some(crate::plans_wanted()))
}
