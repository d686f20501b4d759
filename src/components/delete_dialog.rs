//! Asking before a number is deleted: a modal dialog that names the number. Focus moves into
//! it, Escape cancels, and focus returns to the button that opened it.

use leptos::{html, prelude::*};
use phone_model::PhoneNumberResource;

use crate::{display::describe, focus::focus_element};

/// The dialog; it is open while `number` holds the number to delete.
#[component]
pub fn DeleteDialog(
    number: RwSignal<Option<PhoneNumberResource>>,
    on_confirm: Callback<PhoneNumberResource>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // The button that opened the dialog, to give focus back to.
    let opener = StoredValue::new(None::<String>);

    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        match number.get() {
            Some(target) if !element.open() => {
                opener.set_value(Some(format!("delete-{}", target.phone_number_id)));
                let _ = element.show_modal();
                // The safe choice first. (Not `autofocus`: a browser keeps an autofocus
                // element it could not focus, and may give it focus later, anywhere.)
                focus_element("cancel-delete");
            }
            None if element.open() => element.close(),
            _ => {}
        }
    });
    let cancel = move || number.set(None);
    let on_close = move |_| {
        number.set(None);
        if let Some(id) = opener.get_value() {
            focus_element(&id);
        }
    };

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="delete-title" aria-describedby="delete-description"
            data-testid="delete-dialog" on:close=on_close
            on:cancel=move |ev: leptos::ev::Event| { ev.prevent_default(); cancel(); }>
            <h2 id="delete-title">"Delete this number?"</h2>
            <p id="delete-description" data-testid="delete-description">
                {move || number.get().map(|n| format!("Delete {}? This cannot be undone.", describe(&n)))}
            </p>
            <div class="actions">
                <button type="button" class="button button--danger" data-testid="confirm-delete"
                    on:click=move |_| {
                        if let Some(target) = number.get_untracked() {
                            number.set(None);
                            on_confirm.run(target);
                        }
                    }>"Delete"</button>
                <button type="button" id="cancel-delete" class="button button--secondary" data-testid="cancel-delete"
                    on:click=move |_| cancel()>"Cancel"</button>
            </div>
        </dialog>
    }
}
