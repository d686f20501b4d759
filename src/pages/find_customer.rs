//! Find a customer (`/`): one search box, results as you type, from any clue: a name, a phone
//! number in any written form, a customer id or reference, a business's name.
//!
//! The search lives in the URL (`?q=…`, and `&from=…` for a later page, `&business=…` for one
//! business), so Back, reload and a shared link come back to the same results.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use phone_model::{CustomerPage, CustomerQuery, CustomerResource, SEARCH_TOO_SHORT};
use wasm_bindgen::JsCast;

use crate::{
    api::{self, ApiError},
    components::{
        number_marks::NumberMarks,
        phone_number_list::Dial,
        problem::{Loading, Problem},
    },
    display,
    focus::{self, focus_element, focus_when},
    plans::Plans,
    session::Session,
    title,
};

/// How long typing must pause before the search runs.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// What the URL says to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Search {
    text: String,
    business: String,
    from: String,
}

impl Search {
    /// The app's URL for this search (`/` for none).
    fn url(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("q", &self.text), ("business", &self.business), ("from", &self.from)]
        {
            if !value.is_empty() {
                parts.push(format!("{name}={}", api::encode(value)));
            }
        }
        if parts.is_empty() { "/".to_owned() } else { format!("/?{}", parts.join("&")) }
    }
}

#[component]
pub fn FindCustomer() -> impl IntoView {
    title::set("Find a customer");
    let query = use_query_map();
    let search = Memo::new(move |_| {
        query.with(|q| Search {
            text: q.get("q").unwrap_or_default().trim().to_owned(),
            business: q.get("business").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
        })
    });
    // What is in the box: the URL's search, until the person types.
    let typed = RwSignal::new(search.get_untracked().text);
    // Read as the session changes: the page may show before the app knows who is signed in.
    let session = Session::get();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // A search still waiting when the page is left must not run on the page that is gone.
    on_cleanup(move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });
    // Enter before the results came: open the customer if they turn out to be the only one.
    let open_single = RwSignal::new(false);
    // Each answer with the search it answers: while a new one loads, the resource still
    // holds the last.
    let plans = Plans::get();
    let results = LocalResource::new(move || {
        let search = search.get();
        async move {
            // Too short to mean anything: nothing is asked, and the page says why.
            let page = if search.text.is_empty() || CustomerQuery::parse(&search.text).too_short() {
                Ok(None)
            } else {
                let within = Some(search.business.as_str()).filter(|b| !b.is_empty());
                let from = Some(search.from.as_str()).filter(|f| !f.is_empty());
                // Matched numbers are shown as their plans write them.
                plans.after(api::search_customers(&search.text, within, from)).await.map(Some)
            };
            (search, page)
        }
    });
    let navigate = use_navigate();
    // Typing changes the URL in place (no history entry a keystroke); a new search starts at
    // its first page.
    let go = {
        let navigate = navigate.clone();
        move |search: Search| {
            let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
            navigate(&search.url(), options);
        }
    };
    let search_now = {
        let go = go.clone();
        move |text: String| {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            pending.set_value(None);
            go(Search {
                text: text.trim().to_owned(),
                from: String::new(),
                ..search.get_untracked()
            });
        }
    };
    let on_input = {
        let search_now = search_now.clone();
        move |ev| {
            let text = event_target_value(&ev);
            typed.set(text.clone());
            open_single.set(false);
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let search_now = search_now.clone();
            let handle = set_timeout_with_handle(move || search_now(text), DEBOUNCE).ok();
            pending.set_value(handle);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        // Enter opens the one customer found (at once, or when the search answers).
        "Enter" => {
            ev.prevent_default();
            open_single.set(true);
            let text = typed.get_untracked();
            if text.trim() != search.get_untracked().text {
                search_now(text);
            }
        }
        "ArrowDown" => {
            ev.prevent_default();
            focus_result(0);
        }
        _ => {}
    };
    // Back, Forward or a link changed the search: the box shows it, unless the person is
    // still typing.
    Effect::new(move |_| {
        let text = search.get().text;
        if pending.get_value().is_none() && typed.get_untracked().trim() != text {
            typed.set(text);
        }
    });
    // Enter waits for the answer to what was typed, never an earlier search's.
    Effect::new(move |_| {
        if !open_single.get() {
            return;
        }
        let Some((answered, page)) = results.get() else { return };
        // The URL may not have caught up with the box yet: the answer must be to both.
        if answered != search.get() || answered.text != typed.get().trim() {
            return;
        }
        open_single.set(false);
        if let Ok(Some(page)) = page
            && let [only] = page.customers.as_slice()
        {
            navigate(&format!("/customers/{}", only.customer_id), NavigateOptions::default());
        }
    });

    // Asked again with each search, so the answer says how fresh the results are; only of a
    // gateway, once the app knows it is one.
    let gateway = Memo::new(move |_| session.is_gateway());
    let synced = LocalResource::new(move || {
        search.track();
        let gateway = gateway.get();
        async move { if gateway { api::gateway_synced_at().await } else { None } }
    });

    view! {
        <section class="card">
            <div class="card__header">
                <h1>"Find a customer"</h1>
                // As on the customer page, its place is kept while the app asks who is signed in.
                {move || if session.can_edit() {
                    Some(view! {
                        <a class="button button--secondary" href=move || new_customer_url(&typed.get())
                            data-testid="new-customer">"New customer"</a>
                    }.into_any())
                } else if session.is_checking() {
                    Some(view! { <span class="button button--placeholder" aria-hidden="true">"New customer"</span> }.into_any())
                } else {
                    None
                }}
            </div>
            <form role="search" on:submit=|ev| ev.prevent_default()>
                <label for="customer-search" class="field__label">"Name, phone number, customer id or reference"</label>
                <input id="customer-search" data-testid="customer-search" type="search" autocomplete="off"
                    autofocus prop:value=move || typed.get() on:input=on_input on:keydown=on_keydown />
                {move || {
                    let choices = session.businesses_to_choose();
                    let go = go.clone();
                    (!choices.is_empty()).then(|| view! {
                        <label for="business-filter" class="field__label">"Business"</label>
                        <select id="business-filter" data-testid="business-filter"
                            on:change=move |ev| go(Search {
                                business: event_target_value(&ev),
                                from: String::new(),
                                ..search.get_untracked()
                            })>
                            // `selected` on the option (not the select's value, set before its
                            // options exist): a business from the URL shows as chosen.
                            <option value="" selected=move || search.get().business.is_empty()>"All my businesses"</option>
                            {choices.into_iter().map(|b| {
                                let id = b.business_id.clone();
                                view! {
                                    <option value=b.business_id.clone() selected=move || search.get().business == id>{b.name}</option>
                                }
                            }).collect_view()}
                        </select>
                    })
                }}
            </form>
            {move || synced.get().flatten().map(|synced_at| view! {
                <p class="hint" data-testid="sync-status">{display::sync_status(synced_at, js_sys::Date::now() / 1000.0)}</p>
            })}
            <div class="results" aria-live="polite" data-testid="results">
                <Transition fallback=|| view! { <Loading what="customers" /> }>
                    {move || Suspend::new(async move {
                        let (answered, page) = results.await;
                        results_view(page, answered)
                    })}
                </Transition>
            </div>
        </section>
    }
}

/// The new customer page, with what was typed in the search box as the number when it is one
/// (a caller's number, looked up and not found).
fn new_customer_url(typed: &str) -> String {
    let typed = typed.trim();
    if CustomerQuery::parse(typed).number.is_some() {
        format!("/customers/new?number={}", api::encode(typed))
    } else {
        "/customers/new".to_owned()
    }
}

fn results_view(result: Result<Option<CustomerPage>, ApiError>, search: Search) -> AnyView {
    match result {
        Ok(None) if search.text.is_empty() => view! {
            <p class="hint">"Type a name, a phone number, a customer id or a reference."</p>
        }
        .into_any(),
        Ok(None) => view! {
            <p class="hint" data-testid="too-short">{SEARCH_TOO_SHORT}</p>
        }
        .into_any(),
        Ok(Some(page)) if page.customers.is_empty() => view! {
            <p class="empty" data-testid="no-match">{format!("No customer matches “{}”.", search.text)}</p>
        }
        .into_any(),
        Ok(Some(page)) => {
            let next = page.response_metadata.next_cursor.clone().filter(|_| page.response_metadata.has_next);
            let count = page.customers.len();
            view! {
                <ul class="customers" data-testid="customer-results">
                    {page.customers.into_iter().enumerate().map(|(index, c)| result_item(index, count, c)).collect_view()}
                </ul>
                <nav class="pager" aria-label="More results">
                    {(!search.from.is_empty()).then(|| {
                        let first = Search { from: String::new(), ..search.clone() };
                        view! { <a href=first.url() data-testid="first-results" on:click=|_| focus_first_result_soon()>"First results"</a> }
                    })}
                    {next.map(|cursor| {
                        let more = Search { from: cursor, ..search.clone() };
                        view! { <a href=more.url() data-testid="more-results" on:click=|_| focus_first_result_soon()>"More results"</a> }
                    })}
                </nav>
            }
            .into_any()
        }
        Err(error) => view! { <Problem error=error /> }.into_any(),
    }
}

/// One result: the name (a link, which the arrow keys move between), the number the search
/// matched, marked (beside the primary, when it is another), then what tells two customers of
/// one name apart: their primary number, business, id and reference. The row is no link of
/// its own: each number is a `tel:` link beside the name's (links cannot nest), which Tab
/// reaches after the name and the arrow keys pass over.
fn result_item(index: usize, count: usize, customer: CustomerResource) -> impl IntoView {
    let primary = customer.primary_phone_number.clone();
    let matched = customer.matched_phone_number.clone();
    let primary_matched = matched
        .as_ref()
        .zip(primary.as_ref())
        .is_some_and(|(m, p)| m.phone_number_id == p.phone_number_id);
    let other_matched = matched.filter(|_| !primary_matched);
    let reference = if customer.external_reference.is_empty() {
        String::new()
    } else {
        format!(" · Ref. {}", customer.external_reference)
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" if index + 1 < count => {
            ev.prevent_default();
            focus_result(index + 1);
        }
        "ArrowUp" => {
            ev.prevent_default();
            if index == 0 {
                focus_element("customer-search");
            } else {
                focus_result(index - 1);
            }
        }
        _ => {}
    };
    view! {
        <li class="customer">
            <a href=format!("/customers/{}", customer.customer_id) data-testid="customer-link" on:keydown=on_keydown>
                {format!("{} {}", customer.first_name, customer.last_name)}
            </a>
            {other_matched.map(|number| view! {
                <span class="customer__number customer__number--matched" data-testid="matched-number">
                    <span class="customer__matched">"Matched"</span>" "
                    <Dial number=number.clone() class="customer__dial" test_id="matched-dial" />
                    {format!(" · {}'s {}", number.phone_name, number.phone_type.label().to_lowercase())}
                    <NumberMarks number=number.clone() />
                </span>
            })}
            {primary.map(|number| view! {
                <span class="customer__number" class:customer__number--matched=primary_matched data-testid="customer-number">
                    {primary_matched.then(|| view! { <span class="customer__matched">"Matched"</span>" " })}
                    <Dial number=number.clone() class="customer__dial" test_id="customer-dial" />
                    <span class="customer__primary">" · primary"</span>
                    <NumberMarks number=number.clone() />
                </span>
            })}
            <span class="customer__meta">
                {format!("{} · Customer {}{reference}", customer.business.name, customer.customer_id)}
            </span>
        </li>
    }
}

/// After a link to another page of results: the link itself goes as the results render
/// again, so focus goes to the new page's first result once it is there.
fn focus_first_result_soon() {
    const FIRST: &str = "[data-testid=customer-link]";
    let old = focus::find(FIRST);
    focus_when(move || focus::find(FIRST).filter(|first| Some(first) != old.as_ref()));
}

/// Moves the focus to the `index`th result's link.
fn focus_result(index: usize) {
    let links = document().query_selector_all("[data-testid=customer-link]").ok();
    let link = links.and_then(|links| links.item(u32::try_from(index).ok()?));
    focus::focus(link.and_then(|node| node.dyn_into().ok()));
}
