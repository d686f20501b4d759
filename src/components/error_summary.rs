//! The error summary at the top of a form (the GOV.UK Design System pattern): every problem,
//! each a link to its field; it receives focus when the form is submitted with problems.

use leptos::{html, prelude::*};

use crate::{
    focus::focus_element,
    form::{Problems, element_id},
};

/// The summary of `problems`; render it only when there are some.
#[component]
pub fn ErrorSummary(problems: Signal<Problems>, node_ref: NodeRef<html::Div>) -> impl IntoView {
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=node_ref
            aria-labelledby="error-summary-title" data-testid="error-summary">
            <h2 id="error-summary-title" class="error-summary__title">"There is a problem"</h2>
            <ul class="error-summary__list">
                {move || problems.get().all().iter().map(|(field, message)| {
                    let id = element_id(*field);
                    view! {
                        <li>
                            <a href=format!("#{id}") on:click=move |ev| {
                                // Move focus to the field itself, not just scroll to it.
                                ev.prevent_default();
                                focus_element(id);
                            }>{message.clone()}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
