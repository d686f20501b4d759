//! Where focus goes when the app moves to another page: to the new page's heading, which a
//! screen reader then reads out, so a keyboard user starts at the top of what changed
//! instead of wherever the last page left focus (often the body, 20 Tabs away). A page with
//! a field marked `autofocus` (the search box) gets that field instead.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// How many animation frames (about two seconds) to look after focus on a new page: its
/// heading comes once its data has, and may render again after.
const FRAMES: u32 = 120;

/// A page's `<h1>`, focusable by script (`tabindex="-1"`), for [`FollowPageMoves`].
#[component]
pub fn PageHeading(
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] test_id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! { <h1 class="page-heading" tabindex="-1" id=id data-testid=test_id>{children()}</h1> }
}

/// Moves focus on each change of page after the first (not on a change of its query, as
/// typing a search makes). Inside the router, whose location it follows.
#[component]
pub fn FollowPageMoves() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            // The old page may stay on screen until the new one is ready: wait for a target
            // that is not the old page's.
            focus_new_page(target(), FRAMES);
        }
        path
    });
}

/// Focuses the page on screen as a new page is (its autofocus field, or else its heading), once
/// it has rendered: after signing in or out, which changes the page without changing the URL.
pub fn focus_page() {
    focus_new_page(None, FRAMES);
}

/// The page's autofocus field, or else its heading.
fn target() -> Option<web_sys::Element> {
    let main = document().get_element_by_id("main")?;
    let find = |selector| main.query_selector(selector).ok().flatten();
    // A page's own field: not the autofocus button of a dialog that is closed.
    find("input[autofocus]").or_else(|| find("h1[tabindex]"))
}

/// From the next frame on, focuses the new page's target (not `old`) as soon as it is there,
/// and again while the frames last if a re-render drops focus to the body (as the page
/// renders again when its data or the session arrives); never once the person has moved it.
fn focus_new_page(old: Option<web_sys::Element>, frames_left: u32) {
    request_animation_frame(move || {
        let active = document().active_element();
        let dropped = active.is_none() || active == document().body().map(Into::into);
        if dropped
            && let Some(found) = target().filter(|found| Some(found) != old.as_ref())
            && let Ok(element) = found.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = element.focus();
        }
        if frames_left > 0 && (dropped || active == target()) {
            focus_new_page(old, frames_left - 1);
        }
    });
}
