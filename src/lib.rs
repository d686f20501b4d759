//! The Phonedesk staff app: front-desk and support staff find a customer and keep their phone
//! numbers right. Compiled to WebAssembly with Trunk; `main.rs` only mounts [`App`].

pub mod api;
pub mod components;
pub mod display;
pub mod form;
pub mod notice;
pub mod pages;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::unsaved_changes::UnsavedChanges,
    notice::Notice,
    pages::{
        customer::CustomerPage,
        find_customer::FindCustomer,
        not_found::NotFound,
        phone_number::{AddPhoneNumber, EditPhoneNumber},
    },
};

/// The whole app: a header, and the page the URL names.
#[component]
pub fn App() -> impl IntoView {
    Notice::provide();
    UnsavedChanges::install();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="masthead">
                <a class="masthead__name" href="/" data-testid="product-name">"Phonedesk"</a>
                <span class="masthead__tagline">"Keep customers' phone numbers right."</span>
            </header>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=FindCustomer />
                    <Route path=path!("/customers/:customer_id") view=CustomerPage />
                    <Route path=path!("/customers/:customer_id/phone-numbers/new") view=AddPhoneNumber />
                    <Route path=path!("/customers/:customer_id/phone-numbers/:phone_number_id") view=EditPhoneNumber />
                </Routes>
            </main>
        </Router>
    }
}
