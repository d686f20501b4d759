//! Leaving a form with unsaved changes asks first: following a link inside the app, and closing
//! or reloading the tab.
//!
//! One guard for the whole app, installed once by the app: forms only say whether they have
//! unsaved changes, so no listener outlives the form that needed it.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

/// What the browser asks before the app follows a link away from unsaved changes.
const QUESTION: &str = "You have unsaved changes. Leave this page and lose them?";

/// Whether the form on screen has unsaved changes.
#[derive(Debug, Clone, Copy)]
pub struct UnsavedChanges(RwSignal<bool>);

impl UnsavedChanges {
    /// The app's guard (provided by [`install`](Self::install), or [`provide`](Self::provide)).
    ///
    /// # Panics
    /// Outside the app, or a test that provides it.
    pub fn get() -> Self {
        expect_context()
    }

    /// Provides a guard that asks nothing of the browser: the context alone.
    pub fn provide() -> Self {
        let guard = Self(RwSignal::new(false));
        provide_context(guard);
        guard
    }

    /// Says whether there are unsaved changes now.
    pub fn set(self, unsaved: bool) {
        self.0.set(unsaved);
    }

    /// Installs the guard for the app's lifetime and provides it to every page.
    pub fn install() -> Self {
        let guard = Self::provide();
        let unsaved = guard.0;

        // Links: in the capture phase, before the router's own click handler, which leaves
        // alone a click whose default was prevented.
        let on_click =
            Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
                // A link marked `data-discards-changes` (a form's Cancel) says what it does:
                // asking again would only make the person say it twice.
                let leaves = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("a[href]").ok().flatten())
                    .filter(|a| !a.has_attribute("data-discards-changes"))
                    .and_then(|a| a.get_attribute("href"))
                    .is_some_and(|href| !href.starts_with('#'));
                if leaves && unsaved.get_untracked() && !confirmed() {
                    ev.prevent_default();
                    ev.stop_propagation();
                }
            });
        let _ = window().add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
        // The app never unmounts, so neither does its guard.
        on_click.forget();

        let on_unload = Closure::<dyn FnMut(web_sys::BeforeUnloadEvent)>::new(
            move |ev: web_sys::BeforeUnloadEvent| {
                if unsaved.get_untracked() {
                    ev.prevent_default();
                    ev.set_return_value(QUESTION);
                }
            },
        );
        let _ = window()
            .add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
        on_unload.forget();
        guard
    }
}

fn confirmed() -> bool {
    window().confirm_with_message(QUESTION).unwrap_or(true)
}
