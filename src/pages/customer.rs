//! A customer (`/customers/{customerId}`): who they are and every phone number, with the
//! actions to add, edit, delete and make primary. The list is fetched again after every change,
//! so it always shows the server's truth.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use phone_model::{CustomerResource, PhoneNumberHistory, PhoneNumberResource};

use super::not_found::{ForeignCustomer, NoSuchCustomer};
use crate::{
    api::{self, ApiError},
    components::{
        delete_dialog::DeleteDialog,
        page_heading::PageHeading,
        phone_number_list::PhoneNumberList,
        problem::{Loading, Problem},
    },
    display::{capitalise, describe, moment, summarise},
    focus::{self, focus_when},
    form::PhoneForm,
    notice::{Notice, NoticeArea},
    plans::Plans,
    session::Session,
    title,
};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let customer_id = Memo::new(move |_| params.with(|p| p.get("customer_id").unwrap_or_default()));
    // All three requests leave at once: waiting for the customer before asking for their
    // numbers would add a round trip to every visit.
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });
    // Numbers are shown as their plans write them: the lists wait for the plans too.
    let plans = Plans::get();
    let numbers = LocalResource::new(move || {
        let id = customer_id.get();
        async move { plans.after(api::phone_numbers(&id)).await }
    });
    let history = LocalResource::new(move || {
        let id = customer_id.get();
        async move { plans.after(api::phone_number_history(&id)).await }
    });

    view! {
        <NoticeArea />
        <Transition fallback=|| view! { <Loading what="the customer" /> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(customer) => {
                        title::set(format!("{} {}", customer.first_name, customer.last_name).trim());
                        view! { <CustomerDetails customer=customer numbers=numbers history=history /> }.into_any()
                    }
                    Err(error) if error.is_not_found() => {
                        view! { <NoSuchCustomer customer_id=customer_id.get_untracked() /> }.into_any()
                    }
                    Err(error) if error.is_foreign() => {
                        view! { <ForeignCustomer customer_id=customer_id.get_untracked() /> }.into_any()
                    }
                    Err(error) => view! { <Problem error=error retry=Callback::new(move |()| customer.refetch()) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Who the customer is, their numbers and the history of changes to them.
#[component]
fn CustomerDetails(
    customer: CustomerResource,
    numbers: LocalResource<Result<Vec<PhoneNumberResource>, ApiError>>,
    history: LocalResource<Result<PhoneNumberHistory, ApiError>>,
) -> impl IntoView {
    let customer_id = customer.customer_id.clone();
    let notice = Notice::get();
    let to_delete = RwSignal::new(None::<PhoneNumberResource>);
    let change_error = RwSignal::new(None::<(ApiError, Option<Callback<()>>)>);

    // A change the server answered reloads the list (it has the truth, even on a refusal); one
    // that never reached it leaves the list as it is, and says so once, with Try again.
    let make_primary = Action::new_local({
        let id = customer_id.clone();
        move |number: &PhoneNumberResource| {
            let (id, number) = (id.clone(), number.clone());
            async move {
                let body = PhoneForm { is_primary: true, ..PhoneForm::from_saved(&number) };
                let version = Some(number.version());
                let result =
                    api::update_phone_number(&id, number.phone_number_id.as_str(), &body, version)
                        .await;
                (number, result.map(|_| ()))
            }
        }
    });
    let delete = Action::new_local({
        let id = customer_id.clone();
        move |number: &PhoneNumberResource| {
            let (id, number) = (id.clone(), number.clone());
            async move {
                let result = api::delete_phone_number(
                    &id,
                    number.phone_number_id.as_str(),
                    number.version(),
                )
                .await;
                (number, result)
            }
        }
    });
    // Until the list has been drawn again after a change, its buttons carry the versions from
    // before it: a second change clicked meanwhile would be refused as stale.
    let reloading = RwSignal::new(false);
    Effect::new(move |_| {
        numbers.track();
        reloading.set(false);
    });
    let changes =
        [(make_primary, "is now the primary number.", false), (delete, "was deleted.", true)];
    for (action, done, deletes) in changes {
        Effect::new(move |_| {
            let Some((number, result)) = action.value().get() else { return };
            // The answer alone is what this follows: what it does (the notice, focus, the
            // reload) must not make it run again.
            untrack(move || {
                let answered = match result {
                    Ok(()) => {
                        change_error.set(None);
                        notice.set(format!("{} {done}", capitalise(&describe(&number))));
                        focus_next_step(&number, deletes, numbers);
                        true
                    }
                    Err(error) => {
                        let answered = !matches!(error, ApiError::Network);
                        // Someone else changed the number first: the list reloads with their
                        // change, to be looked at before trying again; retrying the old one
                        // would only be refused again.
                        let retry = (!error.is_stale()).then(|| {
                            Callback::new(move |()| {
                                action.dispatch(number.clone());
                            })
                        });
                        change_error.set(Some((error, retry)));
                        answered
                    }
                };
                if answered {
                    reloading.set(true);
                    numbers.refetch();
                    history.refetch();
                }
            });
        });
    }
    let busy = Signal::derive(move || {
        make_primary.pending().get() || delete.pending().get() || reloading.get()
    });
    let session = Session::get();
    let add_href = format!("/customers/{customer_id}/phone-numbers/new");
    let full_name = format!("{} {}", customer.first_name, customer.last_name);

    view! {
        <section class="card" aria-labelledby="customer-name">
            <p class="breadcrumb"><a href="/">"Find a customer"</a></p>
            <PageHeading id="customer-name" test_id="customer-name">{full_name.trim().to_owned()}</PageHeading>
            <dl class="facts">
                <dt>"Customer id"</dt><dd data-testid="customer-id">{customer.customer_id.clone()}</dd>
                <dt>"External reference"</dt>
                <dd>{if customer.external_reference.is_empty() { "—".to_owned() } else { customer.external_reference.clone() }}</dd>
                <dt>"Business"</dt><dd>{customer.business.name.clone()}</dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="numbers-title">
            <div class="card__header">
                <h2 id="numbers-title" tabindex="-1">"Phone numbers"</h2>
                // Its place is kept while the app asks who is signed in, so that the list below
                // does not move when the answer comes.
                {move || if session.can_edit() {
                    Some(view! { <a class="button" href=add_href.clone() data-testid="add-number">"Add a number"</a> }.into_any())
                } else if session.is_checking() {
                    Some(view! { <span class="button button--placeholder" aria-hidden="true">"Add a number"</span> }.into_any())
                } else {
                    None
                }}
            </div>
            {move || change_error.get().map(|(error, retry)| match retry {
                Some(retry) => view! { <Problem error=error retry=retry /> }.into_any(),
                None => view! { <Problem error=error /> }.into_any(),
            })}
            <Transition fallback=|| view! { <Loading what="phone numbers" /> }>
                {
                    let customer_id = customer_id.clone();
                    move || {
                        let customer_id = customer_id.clone();
                        Suspend::new(async move {
                            match numbers.await {
                                Ok(list) => view! {
                                    <PhoneNumberList customer_id=customer_id numbers=list busy=busy
                                        on_make_primary=Callback::new(move |n| { make_primary.dispatch(n); })
                                        on_delete=Callback::new(move |n| to_delete.set(Some(n))) />
                                }.into_any(),
                                Err(error) => view! { <Problem error=error retry=Callback::new(move |()| numbers.refetch()) /> }.into_any(),
                            }
                        })
                    }
                }
            </Transition>
        </section>
        // The history comes on screen only after the numbers above it: shown before them, it
        // would jump down the page when they arrive.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let _ = numbers.await;
                view! { <History history=history /> }
            })}
        </Transition>
        <DeleteDialog number=to_delete on_confirm=Callback::new(move |n| { delete.dispatch(n); }) />
    }
}

/// Who changed which number, and when.
#[component]
fn History(history: LocalResource<Result<PhoneNumberHistory, ApiError>>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <Transition fallback=|| view! { <Loading what="the history" /> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(history) if history.changes.is_empty() => {
                            view! { <p class="empty">"No changes yet."</p> }.into_any()
                        }
                        Ok(history) => view! {
                            <ul class="history" data-testid="history">
                                {history.changes.into_iter().map(|change| view! {
                                    <li class="history__item">
                                        <span class="history__when">{moment(change.at)}</span>
                                        " "<strong>{change.actor.clone()}</strong>" "{summarise(&change)}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <Problem error=error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// After a change, focus goes to where the person carries on, once the list shows it: the
/// number just made primary; after a delete, the number that took its place in the list (or
/// the one before it, when it was the last).
fn focus_next_step(
    number: &PhoneNumberResource,
    deleted: bool,
    numbers: LocalResource<Result<Vec<PhoneNumberResource>, ApiError>>,
) {
    let id = number.phone_number_id.as_str();
    let row = |id: &str| format!("[data-testid=phone-number][data-id=\"{id}\"]");
    let selector = if deleted {
        let list = numbers.get_untracked().and_then(Result::ok).unwrap_or_default();
        let ids: Vec<&str> = list.iter().map(|n| n.phone_number_id.as_str()).collect();
        let at = ids.iter().position(|other| *other == id);
        let next = at.and_then(|at| ids.get(at + 1).or_else(|| ids.get(at.checked_sub(1)?)));
        let Some(next) = next else { return };
        // Once the deleted number has left the list.
        format!(
            "[data-testid=phone-numbers]:not(:has({})) {} [data-testid=edit]",
            row(id),
            row(next)
        )
    } else {
        format!("{}.number--primary [data-testid=edit]", row(id))
    };
    focus_when(move || focus::find(&selector));
}
