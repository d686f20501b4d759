//! The one view of a failure that is not a field's: what went wrong, and a way to try again.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    session::{Session, SignedIn},
};

/// A failed fetch or save, with a retry button when `retry` is given.
#[component]
pub fn Problem(
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    // The session ended (idle too long, or signed out elsewhere): ask to sign in again.
    if matches!(error, ApiError::Refused { status: 401, .. }) {
        let session = Session::get();
        Effect::new(move |_| session.0.set(SignedIn::Nobody));
    }
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
