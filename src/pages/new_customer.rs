//! A new customer (`/customers/new`): who they are and their first number, which becomes their
//! primary. Opened from the incoming-call banner with the caller's number as the phone system
//! sent it (`?number=+64211234567`), or from the find page with the number typed there. The
//! core's rules judge the form as the server will, and the server's 400 lands on the fields; a
//! viewer is told that only editors add customers.

use leptos::{html, prelude::*};
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use phone_model::{BusinessResource, Field, PhoneType, Warning};

use crate::{
    api::{self, ApiError},
    components::{
        error_summary::ErrorSummary,
        form_field::{FormField, described_by},
        number_fields::{
            CountryCodeField, CountryFollowed, DialledAs, NumberField, PhoneTypeField,
        },
        page_heading::PageHeading,
        problem::{Loading, Problem},
        unsaved_changes::UnsavedChanges,
    },
    focus::focus_after_render,
    form::Problems,
    notice::Notice,
    plans::Plans,
    session::{Session, SignedIn},
    title,
};

mod customer_form;

pub use customer_form::{CustomerForm, problems_of};

#[component]
pub fn NewCustomer() -> impl IntoView {
    title::set("New customer");
    let session = Session::get();
    // Read as the session changes: the page may show before the app knows who is signed in.
    let role = Memo::new(move |_| (session.is_checking(), session.can_edit()));
    let number = use_query_map().with_untracked(|q| q.get("number").unwrap_or_default());
    view! {
        <section class="card">
            <p class="breadcrumb"><a href="/">"Find a customer"</a></p>
            <PageHeading>"New customer"</PageHeading>
            {move || match role.get() {
                (true, _) => view! { <Loading what="the form" /> }.into_any(),
                (false, true) => view! { <NewCustomerForm number=number.clone() /> }.into_any(),
                (false, false) => view! {
                    <p data-testid="editors-only">"Only editors add customers. Ask an editor to add this customer"
                        {(!number.is_empty()).then(|| format!(", with the number {number}"))}"."</p>
                }.into_any(),
            }}
        </section>
    }
}

/// The form, its number filled in with `number`.
#[component]
fn NewCustomerForm(number: String) -> impl IntoView {
    let businesses: Vec<BusinessResource> = match Session::get().0.get_untracked() {
        SignedIn::As(me) => me.businesses,
        _ => Vec::new(),
    };
    let only = match businesses.as_slice() {
        [only] => only.business_id.clone(),
        _ => String::new(),
    };
    let (started, written) = CustomerForm::new(only, &number);
    let form = RwSignal::new(started.clone());
    let country_followed = RwSignal::new(written.filter(|_| !number.is_empty()));
    let touched = RwSignal::new(Vec::<Field>::new());
    let submitted = RwSignal::new(false);
    let server_problems = RwSignal::new(Problems::default());
    // The type follows the number's kind (a mobile is Mobile) until the person chooses one.
    let type_chosen = RwSignal::new(false);
    let key = StoredValue::new(String::new());
    let sent = StoredValue::new(None::<CustomerForm>);
    let summary_ref = NodeRef::<html::Div>::new();

    // Judged again when the numbering plans arrive: until then by the provider's rules alone.
    let plans = Plans::get();
    let errors = Memo::new(move |_| form.with(CustomerForm::errors));
    let number_check = Memo::new(move |_| {
        plans.track();
        form.with(CustomerForm::number)
    });
    Effect::new(move |_| {
        let decided = number_check
            .with(|v| v.number().and_then(|n| Warning::type_of(n.kind())))
            .map_or("", PhoneType::as_str);
        if !type_chosen.get_untracked()
            && form.with_untracked(|f| f.phone_number.phone_type != decided)
        {
            form.update(|f| f.phone_number.phone_type = decided.to_owned());
        }
    });
    let summary = Signal::derive(move || {
        let mut all = errors.get();
        all.extend(&server_problems.get());
        all
    });
    let errors_of = move |field: Field| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let mut messages =
                if shown { errors.with(|p| p.of(field).to_vec()) } else { Vec::new() };
            messages.extend(server_problems.with(|p| p.of(field).to_vec()));
            messages
        })
    };
    // Every warning about the number, never holding a save up: the server takes the number,
    // and the review lists it if it is wrong.
    let warnings_of = move |field: Field| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let all = number_check.with(|v| {
                let mut all = Problems::implausible_of(v);
                all.extend(&Problems::hints_of(v));
                all
            });
            if shown { all.of(field).to_vec() } else { Vec::new() }
        })
    };
    let touch = move |field: Field| touched.update(|t| t.push(field));
    let edit = move |change: &dyn Fn(&mut CustomerForm)| {
        form.update(|f| change(f));
        // What the server said was about the old values.
        server_problems.set(Problems::default());
    };

    let unsaved = UnsavedChanges::get();
    Effect::new(move |_| {
        let changed = form.with(|f| {
            !f.first_name.is_empty()
                || !f.last_name.is_empty()
                || !f.external_reference.is_empty()
                || f.phone_number.phone_number != started.phone_number.phone_number
        });
        unsaved.set(changed || type_chosen.get());
    });
    on_cleanup(move || unsaved.set(false));

    let notice = Notice::get();
    let navigate = use_navigate();
    let save = Action::new_local(move |(body, key): &(CustomerForm, String)| {
        let (body, key, navigate) = (body.clone(), key.clone(), navigate.clone());
        async move {
            let created = api::create_customer(&body, &key).await?;
            unsaved.set(false);
            notice.set("The customer was added.");
            navigate(
                &format!("/customers/{}", created.customer.customer_id),
                NavigateOptions::default(),
            );
            Ok::<_, ApiError>(())
        }
    });
    // The server's 400 lands on the fields, like the rules' errors do.
    Effect::new(move |_| {
        if let Some(Err(ApiError::Invalid(body))) = save.value().get() {
            server_problems.set(problems_of(body));
            focus_after_render(summary_ref);
        }
    });
    let attempt = move || {
        if save.pending().get_untracked() {
            return;
        }
        submitted.set(true);
        if !errors.with_untracked(Problems::is_empty) {
            focus_after_render(summary_ref);
            return;
        }
        let body = form.get_untracked();
        // A new attempt gets a new key; the same form sent again keeps it.
        if sent.with_value(|sent| sent.as_ref() != Some(&body)) {
            key.set_value(api::new_idempotency_key());
        }
        sent.set_value(Some(body.clone()));
        save.dispatch((body, key.get_value()));
    };
    // Whether the number can exist is asked of the plans: a save made before they arrive
    // waits for them (a few seconds at most), as the number form's does.
    let checking = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checking.set(!plans.settled());
        plans.when_settled(move || {
            if !checking.is_disposed() {
                checking.set(false);
                attempt();
            }
        });
    };

    let business_errors = errors_of(Field::BusinessId);
    let first_errors = errors_of(Field::FirstName);
    let last_errors = errors_of(Field::LastName);
    let reference_errors = errors_of(Field::ExternalReference);
    let country_errors = errors_of(Field::CountryCode);
    let number_errors = errors_of(Field::PhoneNumber);
    let number_warnings = warnings_of(Field::PhoneNumber);
    let type_errors = errors_of(Field::PhoneType);
    let type_warnings = warnings_of(Field::PhoneType);
    let no_warnings = Signal::derive(Vec::new);
    let invalid =
        |errors: Signal<Vec<String>>| move || (!errors.get().is_empty()).then_some("true");
    let chosen = form.get_untracked().business_id;
    let country_code = Signal::derive(move || form.with(|f| f.phone_number.country_code.clone()));

    view! {
        // Problems of fields the summary cannot link to go to the form as a whole: its id.
        <form id="phone-form" class="phone-form" novalidate on:submit=on_submit data-testid="customer-form" tabindex="-1">
            <Show when=move || submitted.get() && !summary.get().is_empty()>
                <ErrorSummary problems=summary node_ref=summary_ref />
            </Show>
            {move || match save.value().get() {
                Some(Err(error)) if !matches!(error, ApiError::Invalid(_)) => Some(view! {
                    <Problem error=error retry=Callback::new(move |()| attempt()) />
                }),
                _ => None,
            }}

            <FormField id="business" label="Business" errors=business_errors warnings=no_warnings>
                <select id="business" data-testid="business" aria-invalid=invalid(business_errors)
                    aria-describedby=move || described_by("business", false, !business_errors.get().is_empty(), false)
                    on:change=move |ev| { edit(&|f| f.business_id = event_target_value(&ev)); touch(Field::BusinessId); }>
                    {(businesses.len() != 1).then(|| view! { <option value="">"Choose a business"</option> })}
                    {businesses.into_iter().map(|b| {
                        let selected = b.business_id == chosen;
                        view! { <option value=b.business_id selected=selected>{b.name}</option> }
                    }).collect_view()}
                </select>
            </FormField>

            <div class="field-row">
                <FormField id="first-name" label="First name" errors=first_errors warnings=no_warnings>
                    <input id="first-name" data-testid="first-name" type="text" autocomplete="off" autofocus
                        aria-invalid=invalid(first_errors)
                        aria-describedby=move || described_by("first-name", false, !first_errors.get().is_empty(), false)
                        prop:value=move || form.with(|f| f.first_name.clone())
                        on:input=move |ev| edit(&|f| f.set_first_name(event_target_value(&ev)))
                        on:blur=move |_| touch(Field::FirstName) />
                </FormField>
                <FormField id="last-name" label="Last name" hint="Optional." errors=last_errors warnings=no_warnings>
                    <input id="last-name" data-testid="last-name" type="text" autocomplete="off"
                        aria-invalid=invalid(last_errors)
                        aria-describedby=move || described_by("last-name", true, !last_errors.get().is_empty(), false)
                        prop:value=move || form.with(|f| f.last_name.clone())
                        on:input=move |ev| edit(&|f| f.last_name = event_target_value(&ev))
                        on:blur=move |_| touch(Field::LastName) />
                </FormField>
            </div>

            <FormField id="external-reference" label="Reference" hint="Optional: the business's own id for the customer."
                errors=reference_errors warnings=no_warnings>
                <input id="external-reference" data-testid="external-reference" type="text" autocomplete="off"
                    class="input--short"
                    aria-invalid=invalid(reference_errors)
                    aria-describedby=move || described_by("external-reference", true, !reference_errors.get().is_empty(), false)
                    prop:value=move || form.with(|f| f.external_reference.clone())
                    on:input=move |ev| edit(&|f| f.external_reference = event_target_value(&ev))
                    on:blur=move |_| touch(Field::ExternalReference) />
            </FormField>

            <div class="field-row">
                <CountryCodeField value=country_code
                    on_change=Callback::new(move |text: String| edit(&|f| f.phone_number.country_code = text.clone()))
                    on_leave=Callback::new(move |()| touch(Field::CountryCode))
                    errors=country_errors followed=country_followed />
                <NumberField hint="With its area code: 021 123 4567, 09 264 5555."
                    value=Signal::derive(move || form.with(|f| f.phone_number.phone_number.clone()))
                    on_change=Callback::new(move |typed: String| edit(&|f| f.phone_number.phone_number = typed.clone()))
                    on_leave=Callback::new(move |()| touch(Field::PhoneNumber))
                    errors=number_errors warnings=number_warnings
                    country=country_code
                    on_country=Callback::new(move |code: String| edit(&|f| f.phone_number.country_code = code.clone()))
                    followed=country_followed />
            </div>
            <CountryFollowed followed=country_followed now=false />
            <DialledAs validation=number_check />

            // Chosen here, the type no longer follows the number's kind.
            <PhoneTypeField value=Signal::derive(move || form.with(|f| f.phone_number.phone_type.clone()))
                on_choose=Callback::new(move |chosen: String| {
                    type_chosen.set(true);
                    edit(&|f| f.phone_number.phone_type = chosen.clone());
                    touch(Field::PhoneType);
                })
                errors=type_errors warnings=type_warnings />
            <p class="hint">"This number becomes the customer's primary number."</p>

            <div class="actions">
                <button type="submit" class="button" data-testid="save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() {
                        "Saving…"
                    } else if checking.get() {
                        "Checking the number…"
                    } else {
                        "Add customer"
                    }}
                </button>
                <a class="button button--secondary" href="/" data-testid="cancel" data-discards-changes=""
                    on:click=move |_| unsaved.set(false)>"Cancel"</a>
            </div>
        </form>
    }
}
