//! A quick check of a New Zealand number, with the same rules as the server.

use leptos::prelude::*;

use crate::number_check::{Verdict, verdict};

/// One input; under it, the number as it will be dialled or the provider's message.
#[component]
pub(crate) fn NumberCheck() -> impl IntoView {
    let (number, set_number) = signal(String::new());
    let result = move || match verdict(&number.get()) {
        Verdict::Empty => {
            view! { <p class="hint">"Type a number, such as 09 264 5555."</p> }.into_any()
        }
        Verdict::Dialable {
            international,
            warnings,
        } => view! {
            <p class="verdict verdict--ok" data-testid="check-result">{international}</p>
            <ul class="warnings">
                {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
        Verdict::Refused(message) => {
            view! { <p class="verdict verdict--error" data-testid="check-result">{message}</p> }
                .into_any()
        }
    };
    view! {
        <section class="card" aria-labelledby="check-heading">
            <h2 id="check-heading">"Check a New Zealand number"</h2>
            <label for="check-number">"Phone number"</label>
            <input
                id="check-number"
                data-testid="check-number"
                type="tel"
                autocomplete="off"
                maxlength="75"
                on:input=move |ev| set_number.set(event_target_value(&ev))
            />
            <div aria-live="polite">{result}</div>
        </section>
    }
}
