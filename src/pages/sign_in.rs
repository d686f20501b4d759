//! Signing in: every page asks for it until the server knows who this is.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::{
    api::{self, ApiError},
    components::page_heading::PageHeading,
    focus::focus_element,
    session::{Session, SignedIn},
    takeover, title,
};

#[component]
pub fn SignIn() -> impl IntoView {
    title::set("Sign in");
    let session = Session::get();
    // The first sign-in page starts from the one painted before the app, if a person used it.
    let before = takeover::typed_before().unwrap_or_default();
    let (username, set_username) = signal(before.username.clone());
    let (password, set_password) = signal(before.password.clone());
    let sign_in = Action::new_local(move |(name, secret): &(String, String)| {
        let (name, secret) = (name.clone(), secret.clone());
        async move {
            let me = api::sign_in(name, secret).await?;
            session.0.set(SignedIn::As(me));
            Ok::<(), ApiError>(())
        }
    });
    // A field left empty is said before asking the server, which could only answer that the
    // password is wrong.
    let missing = RwSignal::new(None::<&'static str>);
    let failure = move || {
        if let Some(message) = missing.get() {
            return Some(message.to_owned());
        }
        match sign_in.value().get() {
            Some(Err(ApiError::Refused { message, .. })) => Some(message),
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        }
    };

    let send = move || {
        let (name, secret) = (username.get_untracked(), password.get_untracked());
        let empty = if name.trim().is_empty() {
            Some(("username", "Enter your user name."))
        } else if secret.is_empty() {
            Some(("password", "Enter your password."))
        } else {
            None
        };
        missing.set(empty.map(|(_, message)| message));
        match empty {
            Some((field, _)) => focus_element(field),
            None => {
                sign_in.dispatch((name, secret));
            }
        }
    };
    // Where the person was, caret and all, so typing goes on where it was; and what they sent
    // is sent.
    if let Some((field, caret)) = before.focused {
        request_animation_frame(move || {
            if let Some(input) = document()
                .get_element_by_id(&field)
                .and_then(|element| element.dyn_into::<HtmlInputElement>().ok())
            {
                let _ = input.focus();
                let _ = input.set_selection_range(caret, caret);
            }
        });
    }
    if before.sent {
        send();
    }

    view! {
        <section class="card sign-in">
            <PageHeading>"Sign in"</PageHeading>
            <form data-testid="sign-in-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                send();
            }>
                {move || failure().map(|message| view! { <p class="problem" role="alert" data-testid="sign-in-error">{message}</p> })}
                <div class="field">
                    <label class="field__label" for="username">"User name"</label>
                    <input id="username" data-testid="username" type="text" autocomplete="username" autofocus
                        prop:value=move || username.get() on:input=move |ev| set_username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label class="field__label" for="password">"Password"</label>
                    <input id="password" data-testid="password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| set_password.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button" data-testid="sign-in" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
