//! A short notice after a change ("Number added."), shown on the next page and announced to
//! screen readers.

use leptos::prelude::*;

/// The app's one pending notice, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Notice(RwSignal<Option<String>>);

impl Notice {
    pub fn provide() -> Self {
        let notice = Self(RwSignal::new(None));
        provide_context(notice);
        notice
    }

    /// The app's notice.
    ///
    /// # Panics
    /// Outside the app, or a test that provides it.
    pub fn get() -> Self {
        expect_context()
    }

    pub fn set(self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }

    pub fn clear(self) {
        self.0.set(None);
    }

    pub fn message(self) -> Option<String> {
        self.0.get()
    }
}

/// Where notices appear: a polite live region, present before any notice so that screen
/// readers announce what is put into it.
#[component]
pub fn NoticeArea() -> impl IntoView {
    let notice = Notice::get();
    on_cleanup(move || notice.clear());
    view! {
        <div class="notice-area" role="status" aria-live="polite" data-testid="notice">
            {move || notice.message().map(|message| view! { <p class="notice">{message}</p> })}
        </div>
    }
}
