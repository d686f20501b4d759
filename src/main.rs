fn main() {
    console_error_panic_hook::set_once();
    // The frame index.html painted while the app downloaded gives way to the app's own, which
    // starts from what a person typed into it.
    phonedesk::takeover::take_over();
    leptos::mount::mount_to_body(phonedesk::App);
}
