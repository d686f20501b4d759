//! The page for a URL the app does not have.

use leptos::prelude::*;

use crate::{components::page_heading::PageHeading, title};

#[component]
pub fn NotFound() -> impl IntoView {
    title::set("Page not found");
    view! {
        <section class="card" data-testid="not-found">
            <PageHeading>"Page not found"</PageHeading>
            <p>"There is no page at this address. Check it, or "<a href="/">"find a customer"</a>"."</p>
        </section>
    }
}

/// The page for a customer of a business the person does not see: said in words, with the
/// way back, instead of the API's sentence and a Try again that can only fail again.
#[component]
pub fn ForeignCustomer(customer_id: String) -> impl IntoView {
    title::set("Another business's customer");
    view! {
        <section class="card" data-testid="foreign-customer">
            <PageHeading>"Another business's customer"</PageHeading>
            <p>{format!("Customer {customer_id} belongs to a business your account does not see. ")}
                <a href="/" data-testid="back-to-search">"Find a customer"</a>" of your businesses, or ask your manager for access."</p>
        </section>
    }
}

/// The page for a customer id that names nobody.
#[component]
pub fn NoSuchCustomer(customer_id: String) -> impl IntoView {
    title::set("No such customer");
    view! {
        <section class="card" data-testid="no-such-customer">
            <PageHeading>"No such customer"</PageHeading>
            <p>{format!("No customer has the id {customer_id}. ")}<a href="/">"Find a customer"</a>" by name, id or reference."</p>
        </section>
    }
}
