//! Where focus goes when something on screen changes: the place of the person's next step, so
//! that a keyboard or screen-reader user never has to find their way back from the top of the
//! page (the body) after an action.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How many animation frames (about two seconds) to wait for what is to be focused: it comes
/// once the server has answered and the view has rendered again.
const FRAMES: u32 = 120;

/// Focuses the element with this id, if the page has it.
pub fn focus_element(id: &str) {
    focus(document().get_element_by_id(id));
}

/// Focuses `element`, if there is one and it can take focus.
pub fn focus(element: Option<web_sys::Element>) {
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// The first element of the page matching `selector`.
pub fn find(selector: &str) -> Option<web_sys::Element> {
    document().query_selector(selector).ok().flatten()
}

/// Once the view that shows `selector` now has been drawn again (the element found now is
/// gone from the page, or there was none and one has come), focuses the first match of
/// `selector`, or of `otherwise` when `selector` matches nothing then. Gives up after about
/// two seconds, and never takes focus the person has moved meanwhile.
pub fn focus_after_redraw(selector: String, otherwise: &'static str) {
    let old = find(&selector);
    let active = document().active_element();
    wait_for_redraw(old, active, selector, otherwise, FRAMES);
}

fn wait_for_redraw(
    old: Option<web_sys::Element>,
    active: Option<web_sys::Element>,
    selector: String,
    otherwise: &'static str,
    frames_left: u32,
) {
    request_animation_frame(move || {
        let now = document().active_element();
        let moved = now != active && now != document().body().map(Into::into) && now.is_some();
        if moved && now.as_ref().is_some_and(|e| e.is_connected()) {
            return;
        }
        let redrawn = match &old {
            Some(old) => !old.is_connected(),
            None => find(&selector).is_some(),
        };
        if redrawn {
            focus(find(&selector).or_else(|| find(otherwise)));
        } else if frames_left > 0 {
            wait_for_redraw(old, active, selector, otherwise, frames_left - 1);
        }
    });
}
