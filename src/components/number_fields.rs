//! The fields of a phone number that the number form and the new customer form share: its
//! country (which follows a number written with its own code), the number, how it will be
//! dialled, and its type. Each form lays them out and keeps what they say in its own form; a
//! field reads its text from a signal and hands what is typed to a callback.

use leptos::prelude::*;
use phone_model::{Country, CountryCode, PhoneType, Validation, written_country};

use super::{
    country_field::CountryField,
    form_field::{FormField, described_by},
};
use crate::display::preview;

/// The country a number typed as `typed` is written in, when it names one with its own code
/// (`+44 20 …`) other than `selected`'s; the core decides which.
pub fn followed_country(selected: &str, typed: &str) -> Option<&'static Country> {
    CountryCode::new(selected.trim()).ok().and_then(|code| written_country(code, typed))
}

/// `aria-invalid` for a field with `errors`: present only while it has some.
fn invalid(errors: Signal<Vec<String>>) -> impl Fn() -> Option<&'static str> {
    move || (!errors.get().is_empty()).then_some("true")
}

/// The country code, by a country's name or its code. A change the person makes ends what
/// `followed` says.
#[component]
pub fn CountryCodeField(
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    on_leave: Callback<()>,
    errors: Signal<Vec<String>>,
    /// The country the number's own code chose, shown by `CountryFollowed`.
    followed: RwSignal<Option<&'static Country>>,
) -> impl IntoView {
    view! {
        <FormField id="country-code" label="Country code" hint="Type a country or its code: +64 is New Zealand."
            errors=errors warnings=Signal::derive(Vec::new)>
            <CountryField value=value
                on_change=Callback::new(move |text: String| {
                    followed.set(None);
                    on_change.run(text);
                })
                on_leave=on_leave
                invalid=Signal::derive(move || !errors.get().is_empty())
                described_by=Signal::derive(move || described_by("country-code", true, !errors.get().is_empty(), false)) />
        </FormField>
    }
}

/// The number. Typed with its own country code, the country follows it: `on_country` gets the
/// new code, and `followed` the country.
#[component]
pub fn NumberField(
    hint: &'static str,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    on_leave: Callback<()>,
    errors: Signal<Vec<String>>,
    warnings: Signal<Vec<String>>,
    /// The country code selected now, which a number written with another's changes.
    #[prop(into)]
    country: Signal<String>,
    on_country: Callback<String>,
    followed: RwSignal<Option<&'static Country>>,
) -> impl IntoView {
    view! {
        <FormField id="phone-number" label="Number" hint=hint errors=errors warnings=warnings>
            <input id="phone-number" data-testid="phone-number" type="text" inputmode="tel" autocomplete="off"
                aria-invalid=invalid(errors)
                aria-describedby=move || described_by("phone-number", true, !errors.get().is_empty(), !warnings.get().is_empty())
                prop:value=move || value.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    on_change.run(typed.clone());
                    if let Some(country) = followed_country(&country.get_untracked(), &typed) {
                        on_country.run(country.code().to_owned());
                        followed.set(Some(country));
                    }
                }
                on:blur=move |_| on_leave.run(()) />
        </FormField>
    }
}

/// Says which country the number's own code chose, once it has. `now`: the country changed as
/// the person typed (a new customer's may have come with the number the form opened with).
#[component]
pub fn CountryFollowed(followed: RwSignal<Option<&'static Country>>, now: bool) -> impl IntoView {
    let is = if now { "is now" } else { "is" };
    move || {
        followed.get().map(|country| {
            view! {
                <p class="hint country-followed" role="status" data-testid="country-followed">
                    {format!("The country {is} {} ({}), as the number is written with its code.", country.name(), country.code())}
                </p>
            }
        })
    }
}

/// How the number will be dialled, as the rules read it; a dash until they can.
#[component]
pub fn DialledAs(#[prop(into)] validation: Signal<Validation>) -> impl IntoView {
    view! {
        <p class="preview" data-testid="preview" aria-live="polite">
            <span class="preview__label">"Dialled as "</span>
            {move || validation.with(|v| v.number().map_or_else(|| "—".to_owned(), preview))}
        </p>
    }
}

/// The number's type. `on_choose` gets each choice; `on_leave`, when given, runs as the field
/// loses focus.
#[component]
pub fn PhoneTypeField(
    #[prop(into)] value: Signal<String>,
    on_choose: Callback<String>,
    #[prop(optional)] on_leave: Option<Callback<()>>,
    errors: Signal<Vec<String>>,
    warnings: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <FormField id="phone-type" label="Type" errors=errors warnings=warnings>
            <select id="phone-type" data-testid="phone-type"
                aria-invalid=invalid(errors)
                aria-describedby=move || described_by("phone-type", false, !errors.get().is_empty(), !warnings.get().is_empty())
                prop:value=move || value.get()
                on:change=move |ev| on_choose.run(event_target_value(&ev))
                on:blur=move |_| {
                    if let Some(on_leave) = on_leave {
                        on_leave.run(());
                    }
                }>
                <option value="">"Choose a type"</option>
                {PhoneType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
            </select>
        </FormField>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn assert_follows(selected: &str, typed: &str, expected: Option<&str>) {
        let followed = followed_country(selected, typed).map(Country::name);
        assert_eq!(followed, expected, "{typed:?} under {selected:?}");
    }

    #[test]
    fn the_country_follows_a_number_written_with_another_countrys_code() {
        for (selected, typed, expected) in [
            ("+64", "+44 20 7946 0958", Some("United Kingdom")),
            (" +64 ", "+44 20 7946 0958", Some("United Kingdom")),
            ("+64", "+64 21 123 4567", None),
            ("+64", "021 123 4567", None),
            ("", "+44 20 7946 0958", None),
            ("Narnia", "+44 20 7946 0958", None),
        ] {
            assert_follows(selected, typed, expected);
        }
    }
}
