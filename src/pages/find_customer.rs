//! Find a customer (`/`): one search box, results as you type.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use phone_model::CustomerPage;

use crate::{
    api::{self, ApiError},
    components::problem::{Loading, Problem},
    session::Session,
    title,
};

/// How long typing must pause before the search runs.
const DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn FindCustomer() -> impl IntoView {
    title::set("Find a customer");
    let (query, set_query) = signal(String::new());
    let (searched, set_searched) = signal(String::new());
    // A person who sees several businesses can search one of them; empty is every one.
    let (business, set_business) = signal(String::new());
    // Read as the session changes: the page may show before the app knows who is signed in.
    let session = Session::get();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let results = LocalResource::new(move || {
        let text = searched.get();
        let business = business.get();
        async move {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                let within = Some(business.as_str()).filter(|b| !b.is_empty());
                api::search_customers(text.trim(), within).await.map(Some)
            }
        }
    });
    let navigate = use_navigate();

    let on_input = move |ev| {
        let text = event_target_value(&ev);
        set_query.set(text.clone());
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || set_searched.set(text), DEBOUNCE).ok();
        pending.set_value(handle);
    };
    // Enter on a customer id opens that customer straight away.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let text = query.get_untracked().trim().to_owned();
        if ev.key() == "Enter" && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            ev.prevent_default();
            navigate(&format!("/customers/{text}"), NavigateOptions::default());
        }
    };

    view! {
        <section class="card">
            <h1>"Find a customer"</h1>
            <form role="search" on:submit=|ev| ev.prevent_default()>
                <label for="customer-search" class="field__label">"Name, customer id or external reference"</label>
                <input id="customer-search" data-testid="customer-search" type="search" autocomplete="off"
                    autofocus prop:value=move || query.get() on:input=on_input on:keydown=on_keydown />
                {move || {
                    let choices = session.businesses_to_choose();
                    (!choices.is_empty()).then(|| view! {
                        <label for="business-filter" class="field__label">"Business"</label>
                        <select id="business-filter" data-testid="business-filter"
                            on:change=move |ev| set_business.set(event_target_value(&ev))>
                            <option value="">"All my businesses"</option>
                            {choices.into_iter().map(|b| view! {
                                <option value=b.business_id.clone()>{b.name}</option>
                            }).collect_view()}
                        </select>
                    })
                }}
            </form>
            <div class="results" aria-live="polite" data-testid="results">
                <Transition fallback=|| view! { <Loading what="customers" /> }>
                    {move || Suspend::new(async move {
                        let text = searched.get();
                        results_view(results.await, text)
                    })}
                </Transition>
            </div>
        </section>
    }
}

fn results_view(result: Result<Option<CustomerPage>, ApiError>, text: String) -> AnyView {
    match result {
        Ok(None) => view! { <p class="hint">"Type a name, a customer id or an external reference."</p> }.into_any(),
        Ok(Some(page)) if page.customers.is_empty() => {
            view! { <p class="empty" data-testid="no-match">{format!("No customer matches “{}”.", text.trim())}</p> }.into_any()
        }
        Ok(Some(page)) => view! {
            <ul class="customers" data-testid="customer-results">
                {page.customers.into_iter().map(|c| view! {
                    <li class="customer">
                        <a href=format!("/customers/{}", c.customer_id) data-testid="customer-link">
                            {format!("{} {}", c.first_name, c.last_name)}
                        </a>
                        <span class="customer__meta">
                            {format!("Customer {} · Ref. {} · {}", c.customer_id,
                                if c.external_reference.is_empty() { "—" } else { &c.external_reference },
                                c.business.name)}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
        Err(error) => view! { <Problem error=error /> }.into_any(),
    }
}
