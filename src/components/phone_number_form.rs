// Over 400 lines: the one form a person adds and edits numbers in, its fields, messages and
// saving states together, as the person sees them.
//! The add/edit phone number form: the shared rules checked in the browser, the server's
//! answer mapped onto the fields, and nothing typed ever lost.

use std::collections::BTreeSet;

use leptos::{html, prelude::*};
// No `maxlength` on the inputs: text cut short without a word hides the problem; the
// rules say what is too long instead.
use leptos_router::{NavigateOptions, hooks::use_navigate};
use phone_model::{
    Country, CountryCode, Field, PhoneNumberResource, PhoneType, ValidationError, Version,
};

use super::{
    changed_meanwhile::{ChangedMeanwhile, OtherChange},
    error_summary::ErrorSummary,
    form_field::{FormField, described_by},
    number_fields::{CountryCodeField, CountryFollowed, DialledAs, NumberField, PhoneTypeField},
    problem::Problem,
    unsaved_changes::UnsavedChanges,
};
use crate::{
    api::{self, ApiError},
    display::describe,
    focus::{focus_after_render, focus_element},
    form::{FIELDS, PhoneForm, Problems, element_id},
    notice::Notice,
    plans::Plans,
};

/// What the form asks its page to save: what was typed, and what makes sending it safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub form: PhoneForm,
    /// The attempt's `Idempotency-Key` (for an add): the same for as long as the same form is
    /// sent again, so a retry after a lost answer cannot add the number twice.
    pub key: String,
    /// The version the edit started from (for an edit): sent as `If-Match`.
    pub version: Option<Version>,
}

/// The form. `save` is run with what was typed once the shared rules pass (and any warnings
/// were seen); its result's 400 lands on the fields, a 412 shows what someone else changed,
/// anything else shows with a retry.
#[component]
pub fn PhoneNumberForm(
    /// The number being edited; `None` to add one.
    saved: Option<PhoneNumberResource>,
    save: Action<Submission, Result<(), ApiError>>,
    /// The customer whose number this is: a duplicate is looked up among theirs.
    customer_id: String,
    cancel_href: String,
    /// A type the review suggests for the number: the form starts with it, and says so.
    #[prop(default = None)]
    suggested_type: Option<PhoneType>,
    /// A country the review suggests for the number: the form starts with it, and says so.
    #[prop(default = None)]
    suggested_country: Option<CountryCode>,
    /// What the review said is wrong with the number, when the form was opened from it.
    #[prop(default = None)]
    review_says: Option<String>,
) -> impl IntoView {
    let editing = saved.as_ref().map(|n| n.phone_number_id.to_string());
    // The version this edit is based on: what was loaded, or, once this person chose to lay
    // their changes over someone else's, that person's version.
    let base = RwSignal::new(saved);
    // The form as the version it is based on has it: what "changed" is measured against.
    let started = Memo::new(move |_| {
        base.with(|b| b.as_ref().map(PhoneForm::from_saved).unwrap_or_default())
    });
    let form = RwSignal::new(started.get_untracked());
    if let Some(to) = suggested_type {
        form.update(|f| f.phone_type = to.as_str().to_owned());
    }
    if let Some(to) = suggested_country {
        form.update(|f| f.country_code = to.as_str().to_owned());
    }
    // A saved number is judged at once: what is wrong with it shows as the form opens, as it
    // does wherever else the number is shown. A new one's fields wait until they are left.
    let touched = RwSignal::new(if editing.is_some() {
        FIELDS.iter().map(|(field, _)| *field).collect()
    } else {
        BTreeSet::<Field>::new()
    });
    let submitted = RwSignal::new(false);
    let server_problems = RwSignal::new(Problems::default());
    // A number that cannot exist was shown to the person, who may save it anyway.
    let asked_anyway = RwSignal::new(false);
    // The pointer is down on the submit button: a field losing focus now must not show new
    // messages, which would move the button from under the pointer before the click lands.
    // The fields left meanwhile are marked once the press is over.
    let pressing = RwSignal::new(false);
    let left_while_pressing = StoredValue::new(Vec::<Field>::new());
    // The form as last sent, and the action's count of answers when this form was made: an
    // answer from before (the same page reused for another number) is not this form's.
    let sent = StoredValue::new(None::<PhoneForm>);
    let key = StoredValue::new(String::new());
    // Someone else's change, once the server refused this one for it (412).
    let other_change = RwSignal::new(None::<OtherChange>);
    let answers_before = save.version().get_untracked();
    let answer =
        Memo::new(
            move |_| {
                if save.version().get() > answers_before { save.value().get() } else { None }
            },
        );
    let summary_ref = NodeRef::<html::Div>::new();
    let is_edit = editing.is_some();
    let primary_locked = move || is_edit && base.with(|b| b.as_ref().is_some_and(|b| b.is_primary));
    let editing = StoredValue::new(editing);

    // Judged again when the numbering plans arrive: until then by the provider's rules alone.
    let plans = Plans::get();
    let validation = Memo::new(move |_| {
        plans.track();
        form.with(|f| editing.with_value(|id| f.check(id.as_deref())))
    });
    let local_errors = Memo::new(move |_| validation.with(Problems::errors_of));
    let implausible = Memo::new(move |_| validation.with(Problems::implausible_of));
    let hints = Memo::new(move |_| validation.with(Problems::hints_of));
    // The field to correct a number that cannot exist in (the number, or its area code).
    let first_implausible = move || {
        implausible
            .with_untracked(|p| p.all().first().map_or("phone-number", |(f, _)| element_id(*f)))
    };
    let summary = Signal::derive(move || {
        let mut all = local_errors.get();
        all.extend(&server_problems.get());
        all
    });

    let unsaved = UnsavedChanges::get();
    Effect::new(move |_| {
        unsaved.set(form.with(|f| *f != started.get()));
    });
    on_cleanup(move || unsaved.set(false));

    // The saved number a new one would duplicate, once the server said it exists.
    let duplicate = RwSignal::new(None::<PhoneNumberResource>);
    // The server's 400 lands on the fields, like the shared rules' errors do.
    Effect::new({
        let customer_id = customer_id.clone();
        move |_| {
            if let Some(Err(ApiError::Invalid(body))) = answer.get() {
                let problems = Problems::from_server(&body);
                let exists = problems.broke(ValidationError::PhoneNumberExists);
                server_problems.set(problems);
                focus_after_render(summary_ref);
                let Some(refused) = sent.get_value() else { return };
                if exists {
                    let customer_id = customer_id.clone();
                    leptos::task::spawn_local(async move {
                        if let Ok(saved) = api::phone_numbers(&customer_id).await {
                            // Only while the form is still there and holds what was refused
                            // (the person may have left or typed on while this was asked).
                            let found = editing.try_with_value(|id| {
                                refused.duplicate_of(&saved, id.as_deref()).cloned()
                            });
                            if form.try_with_untracked(|f| *f == refused) == Some(true) {
                                duplicate.set(found.flatten());
                            }
                        }
                    });
                }
            }
        }
    });
    // Refused because someone else saved first: fetch what they did, and who.
    Effect::new({
        let customer_id = customer_id.clone();
        move |_| {
            let Some(Err(error)) = answer.get() else { return };
            // 412: changed meanwhile; 404: deleted meanwhile (the number was there when the
            // form was opened).
            let gone = error.is_not_found();
            let Some(id) = editing.get_value().filter(|_| error.is_stale() || gone) else {
                return;
            };
            let customer_id = customer_id.clone();
            leptos::task::spawn_local(async move {
                let now =
                    if gone { Err(error) } else { api::phone_number(&customer_id, &id).await };
                let theirs = match now {
                    Ok(number) => Some(number),
                    Err(error) if error.is_not_found() => None,
                    // Neither answer: the refusal itself is shown, with Try again.
                    Err(_) => return,
                };
                let history = api::phone_number_history(&customer_id).await;
                let actor = history.ok().and_then(|h| {
                    h.changes
                        .into_iter()
                        .find(|c| c.phone_number_id.as_str() == id)
                        .map(|c| c.actor)
                });
                other_change.set(Some(OtherChange { actor, theirs }));
                request_animation_frame(|| focus_element("changed-meanwhile"));
            });
        }
    });

    // At each field, once it was left or the form submitted: its errors and the warnings
    // that the number cannot exist (both problems, shown alike), then the server's.
    let errors_of = move |field: Field| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let mut messages = Vec::new();
            if shown {
                messages.extend(local_errors.with(|p| p.of(field).to_vec()));
                messages.extend(implausible.with(|p| p.of(field).to_vec()));
            }
            messages.extend(server_problems.with(|p| p.of(field).to_vec()));
            messages
        })
    };
    let hints_of = move |field: Field| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            if shown { hints.with(|p| p.of(field).to_vec()) } else { Vec::new() }
        })
    };
    let touch = move |field: Field| {
        if pressing.get_untracked() {
            left_while_pressing.update_value(|fields| fields.push(field));
        } else {
            touched.update(|t| {
                t.insert(field);
            });
        }
    };
    // The press is over (saved, or let go elsewhere): the fields left meanwhile are marked.
    let released = move || {
        // Also run by a timer, which fires after the form is gone when the save left the page.
        if pressing.is_disposed() {
            return;
        }
        pressing.set(false);
        for field in left_while_pressing.with_value(Clone::clone) {
            touched.update(|t| {
                t.insert(field);
            });
        }
        left_while_pressing.set_value(Vec::new());
    };
    let edit = move |change: &dyn Fn(&mut PhoneForm)| {
        form.update(|f| change(f));
        // What the server said was about the old values.
        server_problems.set(Problems::default());
        duplicate.set(None);
        asked_anyway.set(false);
    };
    // A number typed with its own country code is that country's: the country field follows
    // it (the core decides which), and says so.
    let country_followed = RwSignal::new(None::<&'static Country>);
    let notice = Notice::get();
    let navigate = use_navigate();
    let back = cancel_href.clone();
    let discard_mine = {
        let (navigate, back) = (navigate.clone(), cancel_href.clone());
        move |()| {
            unsaved.set(false);
            notice.set("Your changes were discarded. The number is as the other person saved it.");
            navigate(&back, NavigateOptions::default());
        }
    };

    // Saving what is in the form, through every check: the submit button, and Try again
    // after a failure (the form may have changed since). `anyway`: the person chose to keep a
    // number that cannot exist.
    let attempt = move |anyway: bool| {
        released();
        if save.pending().get_untracked() {
            return;
        }
        submitted.set(true);
        other_change.set(None);
        if is_edit && form.with_untracked(|f| *f == started.get_untracked()) {
            // Nothing to save: say so, rather than "saved".
            unsaved.set(false);
            notice.set("Nothing was changed.");
            navigate(&back, NavigateOptions::default());
        } else if !local_errors.with_untracked(Problems::is_empty) {
            focus_after_render(summary_ref);
        } else if !anyway && !implausible.with_untracked(Problems::is_empty) {
            // A number that cannot exist is saved only on purpose, by its own button, which
            // never takes focus by itself: focus stays where the number is corrected, so
            // pressing Enter again asks again rather than saving.
            asked_anyway.set(true);
            let field = first_implausible();
            request_animation_frame(move || focus_element(field));
        } else {
            let body = form.get_untracked();
            // A new attempt gets a new key; the same form sent again keeps it.
            if sent.with_value(|sent| sent.as_ref() != Some(&body)) {
                key.set_value(api::new_idempotency_key());
            }
            sent.set_value(Some(body.clone()));
            let version = base.with_untracked(|b| b.as_ref().map(PhoneNumberResource::version));
            save.dispatch(Submission { form: body, key: key.get_value(), version });
        }
    };
    // Kept in one place the views can share (it holds the router's navigate, which is not
    // `Send`).
    let attempt = StoredValue::new_local(attempt);
    // Laying this person's changes over the other's: each field they typed keeps theirs.
    let apply_mine = move |()| {
        let Some(theirs) =
            other_change.with_untracked(|c| c.as_ref().and_then(|c| c.theirs.clone()))
        else {
            return;
        };
        let started = started.get_untracked();
        let merged = form.with_untracked(|mine| {
            PhoneForm::merged(mine, &started, &PhoneForm::from_saved(&theirs))
        });
        form.set(merged);
        base.set(Some(theirs));
        attempt.with_value(|attempt| attempt(asked_anyway.get_untracked()));
    };
    // Whether the number can exist is asked of the plans: a save made before they arrive waits
    // for them (a few seconds at most, then the server decides).
    let checking = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checking.set(!plans.settled());
        plans.when_settled(move || {
            if !checking.is_disposed() {
                checking.set(false);
                attempt.with_value(|attempt| attempt(false));
            }
        });
    };
    let action = if is_edit { "Save changes" } else { "Add number" };

    let name_errors = errors_of(Field::PhoneName);
    let type_errors = errors_of(Field::PhoneType);
    let type_warnings = hints_of(Field::PhoneType);
    let country_errors = errors_of(Field::CountryCode);
    let area_errors = errors_of(Field::AreaCode);
    let number_errors = errors_of(Field::PhoneNumber);
    let number_warnings = hints_of(Field::PhoneNumber);
    let primary_errors = errors_of(Field::IsPrimary);
    let no_warnings = Signal::derive(Vec::new);
    let country_code = Signal::derive(move || form.with(|f| f.country_code.clone()));

    view! {
        <form id="phone-form" class="phone-form" novalidate on:submit=on_submit data-testid="phone-form" tabindex="-1">
            {(review_says.is_some() || suggested_type.is_some() || suggested_country.is_some()).then(|| view! {
                <div class="suggestion" data-testid="suggestion">
                    {review_says.map(|message| view! { <p data-testid="review-says">{format!("The review says: {message}")}</p> })}
                    {suggested_type.map(|to| view! {
                        <p>{format!("The type {} is chosen below. Check the number, then save.", to.label())}</p>
                    })}
                    {suggested_country.map(|to| view! {
                        <p>{format!("The country code {} is chosen below. Check the number, then save.", to.as_str())}</p>
                    })}
                </div>
            })}
            <Show when=move || submitted.get() && !summary.get().is_empty()>
                <ErrorSummary problems=summary node_ref=summary_ref />
            </Show>
            {
                let back = cancel_href.clone();
                move || other_change.get().map(|change| view! {
                    <ChangedMeanwhile change=change before=started.get_untracked()
                        mine=Signal::derive(move || form.get())
                        on_apply=Callback::new(apply_mine) on_discard=Callback::new(discard_mine.clone())
                        back_href=back.clone() />
                })
            }
            {move || match answer.get() {
                Some(Err(error))
                    if !matches!(error, ApiError::Invalid(_))
                        && !(is_edit && (error.is_stale() || error.is_not_found())) =>
                {
                    Some(view! {
                        <Problem error=error retry=Callback::new(move |()| {
                            attempt.with_value(|attempt| attempt(asked_anyway.get_untracked()));
                        }) />
                    })
                }
                _ => None,
            }}

            <FormField id="phone-name" label="Contact name" hint="The person to ask for on this number."
                errors=name_errors warnings=no_warnings>
                <input id="phone-name" data-testid="phone-name" type="text" autocomplete="off"
                    aria-invalid=move || (!name_errors.get().is_empty()).then_some("true")
                    aria-describedby=move || described_by("phone-name", true, !name_errors.get().is_empty(), false)
                    prop:value=move || form.with(|f| f.phone_name.clone())
                    on:input=move |ev| edit(&|f| f.phone_name = event_target_value(&ev))
                    on:blur=move |_| touch(Field::PhoneName) />
            </FormField>

            <div class="field-row">
                <CountryCodeField value=country_code
                    on_change=Callback::new(move |text: String| edit(&|f| f.country_code = text.clone()))
                    on_leave=Callback::new(move |()| touch(Field::CountryCode))
                    errors=country_errors followed=country_followed />

                <FormField id="area-code" label="Area code" hint="Optional, with its 0: 09, 021."
                    errors=area_errors warnings=no_warnings>
                    <input id="area-code" data-testid="area-code" type="text" inputmode="tel" autocomplete="off"
                        class="input--short"
                        aria-invalid=move || (!area_errors.get().is_empty()).then_some("true")
                        aria-describedby=move || described_by("area-code", true, !area_errors.get().is_empty(), false)
                        prop:value=move || form.with(|f| f.area_code.clone())
                        on:input=move |ev| edit(&|f| f.area_code = event_target_value(&ev))
                        on:blur=move |_| touch(Field::AreaCode) />
                </FormField>
            </div>
            <CountryFollowed followed=country_followed now=true />

            <NumberField hint="Digits, spaces and - ( ) . /; an extension after it (ext 12) is kept."
                value=Signal::derive(move || form.with(|f| f.phone_number.clone()))
                on_change=Callback::new(move |typed: String| edit(&|f| f.phone_number = typed.clone()))
                on_leave=Callback::new(move |()| touch(Field::PhoneNumber))
                errors=number_errors warnings=number_warnings
                country=country_code
                on_country=Callback::new(move |code: String| form.update(|f| f.country_code = code))
                followed=country_followed />

            {move || duplicate.get().map(|saved| {
                let href = format!("/customers/{customer_id}/phone-numbers/{}", saved.phone_number_id);
                view! {
                    <p class="duplicate-of" data-testid="duplicate-of">
                        {format!("It is saved already, as {}. ", describe(&saved))}
                        <a href=href>"Open that number"</a>
                    </p>
                }
            })}

            <DialledAs validation=validation />

            <PhoneTypeField value=Signal::derive(move || form.with(|f| f.phone_type.clone()))
                on_choose=Callback::new(move |chosen: String| {
                    edit(&|f| f.phone_type = chosen.clone());
                    touch(Field::PhoneType);
                })
                on_leave=Callback::new(move |()| touch(Field::PhoneType))
                errors=type_errors warnings=type_warnings />

            <FormField id="is-primary" label="Primary number"
                hint=if primary_locked() { "This is the primary number. To change that, make another number primary." } else { "The number to try first." }
                errors=primary_errors warnings=no_warnings>
                <input id="is-primary" data-testid="is-primary" type="checkbox" class="checkbox"
                    disabled=primary_locked
                    aria-describedby="is-primary-hint"
                    prop:checked=move || form.with(|f| f.is_primary)
                    on:change=move |ev| edit(&|f| f.is_primary = event_target_checked(&ev)) />
            </FormField>

            <Show when=move || asked_anyway.get() && !implausible.with(Problems::is_empty)>
                <div class="warnings-confirm" role="alert" data-testid="warnings-confirm">
                    <p>{format!("This number can't exist as written. Correct it above, or select “{action} anyway” to keep it as it is.")}</p>
                    <button type="button" id="save-anyway" class="button button--secondary" data-testid="save-anyway"
                        disabled=move || save.pending().get()
                        on:click=move |_| attempt.with_value(|attempt| attempt(true))>
                        {format!("{action} anyway")}
                    </button>
                </div>
            </Show>

            // While someone else's change is shown, its panel has the one way to save.
            <div class="actions">
                <button type="submit" class="button" data-testid="save" disabled=move || save.pending().get()
                    hidden=move || other_change.with(Option::is_some)
                    on:pointerdown=move |ev| {
                        if ev.button() == 0 {
                            pressing.set(true);
                            // A press that never becomes a click (dragged off, or a touch the
                            // browser turned into a scroll) is over soon anyway.
                            set_timeout(released, std::time::Duration::from_secs(1));
                        }
                    }
                    on:pointercancel=move |_| released()>
                    {move || if save.pending().get() {
                        "Saving…"
                    } else if checking.get() {
                        "Checking the number…"
                    } else {
                        action
                    }}
                </button>
                <a class="button button--secondary" href=cancel_href data-testid="cancel" data-discards-changes=""
                    on:click=move |_| unsaved.set(false)>"Cancel"</a>
            </div>
        </form>
    }
}
