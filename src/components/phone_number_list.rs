//! A customer's phone numbers: each with its type, contact name, international form as a
//! `tel:` link and a clear primary marker, and what can be done with it; and that link,
//! [`Dial`], wherever else the app shows a number.

use leptos::prelude::*;
use phone_model::PhoneNumberResource;

use super::number_marks::NumberMarks;
use crate::{display::dialable, session::Session};

/// The list. `busy` disables the actions while a change is being saved.
#[component]
pub fn PhoneNumberList(
    customer_id: String,
    numbers: Vec<PhoneNumberResource>,
    on_make_primary: Callback<PhoneNumberResource>,
    on_delete: Callback<PhoneNumberResource>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    if numbers.is_empty() {
        return view! { <p class="empty" data-testid="no-numbers">"This customer has no phone numbers yet."</p> }.into_any();
    }
    // Marks when the list is on screen, for the benchmark of the time to a painted list.
    request_animation_frame(|| {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("phone-list-painted");
        }
    });
    // A viewer sees the numbers, and is not offered changes the server would refuse. Read as
    // the session changes: the list may be on screen before the app knows who is signed in.
    let session = Session::get();
    let items = numbers
        .into_iter()
        .map(|number| {
            let id = number.phone_number_id.to_string();
            let primary = number.is_primary;
            let actions = {
                let (customer_id, number) = (customer_id.clone(), number.clone());
                move || {
                    session.can_edit().then(|| {
                        actions(&customer_id, number.clone(), busy, on_make_primary, on_delete)
                    })
                }
            };
            view! {
                <li class="number" class:number--primary=primary data-testid="phone-number" data-id=id>
                    <div class="number__main">
                        <span class="number__type">{number.phone_type.label()}</span>
                        {primary.then(|| view! { <span class="badge" data-testid="primary-marker">"Primary"</span> })}
                        <span class="number__name">{number.phone_name.clone()}</span>
                        <Dial number=number.clone() class="number__dial" />
                        <NumberMarks number=number.clone() />
                    </div>
                    {actions}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="numbers" data-testid="phone-numbers">{items}</ul> }.into_any()
}

/// A number as staff read it: a `tel:` link in its E.164 form, which a click dials, where it
/// can be read; as it was typed, plain text, where it cannot (a link would dial something
/// else than what is shown).
#[component]
pub fn Dial(
    number: PhoneNumberResource,
    class: &'static str,
    #[prop(default = "dial")] test_id: &'static str,
) -> impl IntoView {
    match dialable(&number) {
        (shown, Some(tel)) => {
            view! { <a class=class href=tel data-testid=test_id>{shown}</a> }.into_any()
        }
        (shown, None) => view! { <span class=class data-testid=test_id>{shown}</span> }.into_any(),
    }
}

/// What an editor can do with one number: edit it, and make it primary or delete it (the
/// primary number says why it cannot be deleted instead).
fn actions(
    customer_id: &str,
    number: PhoneNumberResource,
    busy: Signal<bool>,
    on_make_primary: Callback<PhoneNumberResource>,
    on_delete: Callback<PhoneNumberResource>,
) -> impl IntoView + use<> {
    let id = number.phone_number_id.to_string();
    let edit_href = format!("/customers/{customer_id}/phone-numbers/{id}");
    // Each button names the number it acts on, for a screen reader's list of buttons; the
    // name starts with the visible words, so speech input ("click Make primary") finds it.
    let label = format!("Edit {}'s {} number", number.phone_name, number.phone_type);
    let shown = dialable(&number).0;
    let (make_primary, delete) = (format!("Make primary: {shown}"), format!("Delete {shown}"));
    let choices = if number.is_primary {
        view! {
            <p class="number__reason" data-testid="primary-reason">
                "The primary number can't be deleted. Make another number primary first."
            </p>
        }
        .into_any()
    } else {
        let (for_primary, for_delete) = (number.clone(), number);
        view! {
            <button type="button" class="button button--secondary" data-testid="make-primary"
                aria-label=make_primary disabled=move || busy.get()
                on:click=move |_| on_make_primary.run(for_primary.clone())>
                "Make primary"
            </button>
            <button type="button" class="button button--danger" id=format!("delete-{id}") data-testid="delete"
                aria-label=delete disabled=move || busy.get()
                on:click=move |_| on_delete.run(for_delete.clone())>
                "Delete"
            </button>
        }
        .into_any()
    };
    view! {
        <div class="number__actions">
            <a class="button button--secondary" href=edit_href data-testid="edit" aria-label=label>"Edit"</a>
            {choices}
        </div>
    }
}
