//! What an editor sees when someone else saved the number first (the server's 412): what the
//! other person changed, field by field, beside what this person typed, and the two ways on.

use leptos::prelude::*;
use phone_model::PhoneNumberResource;

use crate::form::PhoneForm;

/// The number as someone else left it, next to the version this person started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherChange {
    /// Who saved it (from the history), when known.
    pub actor: Option<String>,
    /// The number now; `None` when it was deleted.
    pub theirs: Option<PhoneNumberResource>,
}

/// The panel: a table of the fields the other person changed, and "apply mine on top" or
/// "discard mine".
#[component]
pub fn ChangedMeanwhile(
    change: OtherChange,
    /// The version this person's editing started from.
    before: PhoneForm,
    /// What is in the form now.
    mine: Signal<PhoneForm>,
    on_apply: Callback<()>,
    on_discard: Callback<()>,
    back_href: String,
) -> impl IntoView {
    let who = change.actor.clone().unwrap_or_else(|| "Someone else".to_owned());
    let Some(theirs) = change.theirs else {
        return view! {
            <div id="changed-meanwhile" class="changed-meanwhile" role="alert" tabindex="-1" data-testid="changed-meanwhile">
                <h2>{format!("{who} deleted this number while you were editing it")}</h2>
                <p>"Your change was not saved. "<a href=back_href>"Back to the customer"</a></p>
            </div>
        }
        .into_any();
    };
    // Every field either person changed: theirs to see, this person's own to be sure of what
    // saving on top will keep.
    let rows: Vec<_> = before
        .described()
        .into_iter()
        .zip(PhoneForm::from_saved(&theirs).described())
        .enumerate()
        .map(|(index, ((label, was), (_, now)))| {
            let typed = move || mine.with(|m| m.described()[index].1.clone());
            let (theirs_changed, started_with) = (was != now, was.clone());
            let mine_changed = Memo::new(move |_| typed() != started_with);
            let theirs_shown = if theirs_changed { now } else { "(unchanged)".to_owned() };
            let yours = move || if mine_changed.get() { typed() } else { "(unchanged)".to_owned() };
            view! {
                <tr hidden=move || !theirs_changed && !mine_changed.get()>
                    <th scope="row">{label}</th>
                    <td>{was}</td>
                    <td data-testid="theirs">{theirs_shown}</td>
                    <td data-testid="yours">{yours}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <div id="changed-meanwhile" class="changed-meanwhile" role="alert" tabindex="-1" data-testid="changed-meanwhile">
            <h2>{format!("{who} changed this number while you were editing it")}</h2>
            <p>"Your change is not saved yet, and nothing you typed is lost. What they changed:"</p>
            <table class="changed-meanwhile__table">
                <thead>
                    <tr><th scope="col">"Field"</th><th scope="col">"When you opened it"</th>
                        <th scope="col">"Their change"</th><th scope="col">"Yours"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="actions">
                <button type="button" class="button" data-testid="apply-mine" on:click=move |_| on_apply.run(())>
                    "Save my changes on top of theirs"
                </button>
                <button type="button" class="button button--secondary" data-testid="discard-mine" on:click=move |_| on_discard.run(())>
                    "Discard my changes"
                </button>
            </div>
        </div>
    }
    .into_any()
}
