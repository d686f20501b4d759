fn main() {
    console_error_panic_hook::set_once();
    // The frame index.html painted while the app downloaded gives way to the app's own.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(phonedesk::App);
}
