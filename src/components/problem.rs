//! The one view of a failure that is not a field's: what went wrong, and a way to try again.

use leptos::prelude::*;

use crate::api::ApiError;

/// A failed fetch or save, with a retry button when `retry` is given.
#[component]
pub fn Problem(
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="problem" role="alert" data-testid="problem">
            <p>{error.to_string()}</p>
            {retry.map(|retry| view! {
                <button type="button" class="button button--secondary" data-testid="retry"
                    on:click=move |_| retry.run(())>
                    "Try again"
                </button>
            })}
        </div>
    }
}

/// What shows while something loads.
#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status" data-testid="loading">{format!("Loading {what}…")}</p> }
}
