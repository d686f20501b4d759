//! The country field: a combobox (the WAI-ARIA "list autocomplete" pattern) over the
//! provider's country table. Typing a name ("Australia", "united k", "UK") or a code ("+61",
//! "61") offers the countries the core's [`country_choices`] ranks, New Zealand and Australia
//! first, as the embeddable element's picker does; the arrow keys move through them, Enter or
//! a click takes one, Escape closes the list. What is saved is the country code; a code typed
//! straight in is taken as it is.

use leptos::prelude::*;
use phone_model::country_choices;

/// The input (id `country-code`) and its list. `value` is the field's text, `on_change` gets
/// each new text (typed, or the code of a country taken), `on_leave` runs when focus leaves.
#[component]
pub fn CountryField(
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    on_leave: Callback<()>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] described_by: Signal<Option<String>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // The list follows what was typed, not the code a choice put in the box.
    let typed = RwSignal::new(String::new());
    let choices = Memo::new(move |_| country_choices(&typed.get()));
    let count = move || choices.with(Vec::len);
    let take = move |index: usize| {
        if let Some(country) = choices.with(|c| c.get(index).copied()) {
            on_change.run(country.code().to_owned());
        }
        open.set(false);
        active.set(None);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            open.set(true);
            if let Some(last) = count().checked_sub(1) {
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1).min(last))));
            }
        }
        "ArrowUp" => {
            ev.prevent_default();
            active.update(|a| *a = a.and_then(|i| i.checked_sub(1)));
        }
        "Enter" if open.get_untracked() => {
            if let Some(index) = active.get_untracked() {
                ev.prevent_default();
                take(index);
            }
        }
        "Escape" => {
            open.set(false);
            active.set(None);
        }
        _ => {}
    };

    view! {
        <div class="combobox">
            <input id="country-code" data-testid="country-code" type="text" role="combobox"
                aria-autocomplete="list" aria-controls="country-listbox"
                aria-expanded=move || (open.get() && count() > 0).to_string()
                aria-activedescendant=move || active.get().map(|i| format!("country-option-{i}"))
                autocomplete="off" class="input--short"
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || described_by.get()
                prop:value=move || value.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    typed.set(text.clone());
                    on_change.run(text);
                    open.set(true);
                    active.set(None);
                }
                on:keydown=on_keydown
                on:blur=move |_| {
                    open.set(false);
                    active.set(None);
                    on_leave.run(());
                } />
            <ul id="country-listbox" role="listbox" aria-label="Countries" class="combobox__list"
                data-testid="country-options" hidden=move || !open.get() || count() == 0
                // A press anywhere in the list (an option, its scroll bar) keeps focus in the box.
                on:mousedown=|ev| ev.prevent_default()>
                {move || choices.get().into_iter().enumerate().map(|(index, country)| view! {
                    <li id=format!("country-option-{index}") role="option" class="combobox__option"
                        class:combobox__option--active=move || active.get() == Some(index)
                        aria-selected=move || (active.get() == Some(index)).to_string()
                        data-testid="country-option"
                        on:mousedown=move |_| take(index)>
                        {format!("{} {}", country.name(), country.code())}
                    </li>
                }).collect_view()}
            </ul>
            // Nothing offered is said, rather than shown as an empty list.
            <p class="combobox__none" role="status" data-testid="no-country"
                hidden=move || { !open.get() || count() > 0 || typed.with(|t| t.trim().is_empty()) }>
                {move || format!("No country is called “{}”: type its name or code (+44).", typed.get().trim())}
            </p>
        </div>
    }
}
