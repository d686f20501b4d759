//! Each page's title ("Aroha Ngata — Phonedesk", "Add a number — Phonedesk"): what a browser's
//! tabs, history and bookmarks show, and what a screen reader announces on arrival.

/// Names the page the person is on.
pub fn set(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} — Phonedesk"));
}
