//! The Phonedesk staff app: front-desk and support staff find a customer and keep their phone
//! numbers right. Compiled to WebAssembly with Trunk; `main.rs` only mounts [`App`].

mod components;
mod number_check;

use leptos::prelude::*;

use components::number_check::NumberCheck;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="masthead">
            <h1 data-testid="product-name">"Phonedesk"</h1>
            <p class="tagline">"Keep customers' phone numbers right."</p>
        </header>
        <main class="page">
            <NumberCheck />
        </main>
    }
}
