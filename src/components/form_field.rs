//! A labelled form field with its hint, errors and warnings tied to the input for assistive
//! technology (`aria-describedby`, `aria-invalid`).

use leptos::prelude::*;

/// The ids an input should name in `aria-describedby`: its hint, error and warning, each
/// only when shown.
pub fn described_by(id: &str, hint: bool, errors: bool, warnings: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (errors, "error"), (warnings, "warning")]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, part)| format!("{id}-{part}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The label, hint, messages and (as children) the input of one field.
#[component]
pub fn FormField(
    /// The input's id.
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] errors: Signal<Vec<String>>,
    #[prop(into)] warnings: Signal<Vec<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field--error=move || !errors.get().is_empty()>
            <label class="field__label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{hint}</p> })}
            <Show when=move || !errors.get().is_empty()>
                <p class="field__error" id=format!("{id}-error") data-testid=format!("{id}-error")>
                    {move || errors.get().into_iter().map(|e| view! { <span class="field__message">{e}</span> }).collect_view()}
                </p>
            </Show>
            {children()}
            <Show when=move || !warnings.get().is_empty()>
                <p class="field__warning" id=format!("{id}-warning") data-testid=format!("{id}-warning")>
                    {move || warnings.get().into_iter().map(|w| view! { <span class="field__message">{w}</span> }).collect_view()}
                </p>
            </Show>
        </div>
    }
}
