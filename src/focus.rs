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

/// Focuses what `ready` finds, once it finds something: from the next frame on, as the view is
/// drawn again with the server's answer, and again while the frames last if drawing drops
/// focus to the body (the page may render more than once). Stops after about two seconds, or
/// as soon as the person moves focus elsewhere. (A list drawn again may keep its elements and
/// change what they show, so `ready` says what the new state looks like, not which element is
/// new.)
pub fn focus_when(ready: impl Fn() -> Option<web_sys::Element> + 'static) {
    let active = document().active_element();
    wait(std::rc::Rc::new(ready), active, FRAMES);
}

fn wait(
    ready: std::rc::Rc<dyn Fn() -> Option<web_sys::Element>>,
    active: Option<web_sys::Element>,
    frames_left: u32,
) {
    request_animation_frame(move || {
        let now = document().active_element();
        let body: Option<web_sys::Element> = document().body().map(Into::into);
        let found = ready();
        let dropped =
            now.is_none() || now == body || now.as_ref().is_some_and(|e| !e.is_connected());
        let ours = now.is_some() && now == found;
        if (dropped || now == active) && found.is_some() {
            focus(found);
        }
        if frames_left > 0 && (dropped || ours || now == active) {
            wait(ready, active, frames_left - 1);
        }
    });
}

/// Focuses a form's error summary (or any element) once the view has rendered it.
pub fn focus_after_render(node: NodeRef<leptos::html::Div>) {
    request_animation_frame(move || {
        if let Some(element) = node.try_get_untracked().flatten() {
            let _ = element.focus();
        }
    });
}
