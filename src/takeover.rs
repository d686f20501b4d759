//! The app taking over from the page index.html painted while it downloaded (`#boot`, which
//! `src/boot.js` runs): whether that page already knew nobody is signed in, and, when it showed
//! the sign-in form, what the person typed there, which field they were in and whether they
//! sent it. The app's own sign-in page starts from that, so nothing typed is lost. And the
//! other way: what that page should paint on the next visit.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// What the person did in the sign-in form painted before the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedBefore {
    pub username: String,
    pub password: String,
    /// The id of the field the person was in, with where the caret was.
    pub focused: Option<(String, u32)>,
    /// They pressed Enter or Sign in.
    pub sent: bool,
}

thread_local! {
    static TYPED: RefCell<Option<TypedBefore>> = const { RefCell::new(None) };
    static NOBODY: Cell<bool> = const { Cell::new(false) };
}

/// Reads what the painted page knew and held, then removes it. Called once, as the app starts.
pub fn take_over() {
    let document = leptos::prelude::document();
    let Some(boot) = document.get_element_by_id("boot") else { return };
    NOBODY.set(boot.has_attribute("data-nobody-signed-in"));
    if let Some(form) = boot.query_selector("form").ok().flatten() {
        let input = |id: &str| {
            form.query_selector(&format!("#{id}"))
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<HtmlInputElement>().ok())
        };
        let value = |id: &str| input(id).map(|field| field.value()).unwrap_or_default();
        let focused = document
            .active_element()
            .filter(|active| form.contains(Some(active)))
            .and_then(|active| active.dyn_into::<HtmlInputElement>().ok())
            .map(|field| (field.id(), field.selection_start().ok().flatten().unwrap_or(0)));
        TYPED.set(Some(TypedBefore {
            username: value("username"),
            password: value("password"),
            focused,
            sent: form.has_attribute("data-submitted"),
        }));
    }
    boot.remove();
}

/// What index.html paints on the next visit, before its script asks the server: the loading
/// line for a browser someone is signed in on, else the sign-in form (its `<head>` reads this).
pub fn remember_signed_in(signed_in: bool) {
    let Ok(Some(storage)) = leptos::prelude::window().local_storage() else { return };
    let _ =
        if signed_in { storage.set_item(SIGNED_IN, "1") } else { storage.remove_item(SIGNED_IN) };
}

/// The key index.html's `<head>` script reads.
const SIGNED_IN: &str = "phonedesk.signed-in";

/// Whether the painted page learned that nobody is signed in: the app need not ask again.
pub fn nobody_signed_in() -> bool {
    NOBODY.get()
}

/// What was typed into the painted sign-in form, for the first sign-in page only.
pub fn typed_before() -> Option<TypedBefore> {
    TYPED.take()
}
