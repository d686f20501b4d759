//! Add a phone number (`/customers/{customerId}/phone-numbers/new`) and edit one
//! (`/customers/{customerId}/phone-numbers/{phoneNumberId}`). Each page names the customer
//! (and the number being changed); a viewer, who may only read, is told so instead of being
//! given a form the server would refuse.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map, use_query_map},
};
use phone_model::{CountryCode, CustomerResource, PhoneType, Problem, Review};

use crate::{
    api,
    components::{
        page_heading::PageHeading,
        phone_number_form::{PhoneNumberForm, Submission},
        problem::{Loading, Problem},
    },
    display::describe,
    notice::Notice,
    pages::not_found::NoSuchCustomer,
    plans::Plans,
    session::Session,
    title,
};

fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).unwrap_or_default()))
}

/// Whether `path` is a page of this app (`/review?…`), not another site (`//evil.example`).
fn within_app(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

fn full_name(customer: &CustomerResource) -> String {
    format!("{} {}", customer.first_name, customer.last_name).trim().to_owned()
}

/// What a viewer sees on a page for changing numbers.
#[component]
fn ReadOnly(customer_id: String) -> impl IntoView {
    view! {
        <section class="card" data-testid="read-only">
            <PageHeading>"You can only read these numbers"</PageHeading>
            <p>"Your account may see customers' numbers but not change them. Ask an editor to make the change. "
                <a href=format!("/customers/{customer_id}")>"Back to the customer"</a></p>
        </section>
    }
}

#[component]
pub fn AddPhoneNumber() -> impl IntoView {
    title::set("Add a number");
    let customer_id = param("customer_id");
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });
    let notice = Notice::get();
    let navigate = use_navigate();
    let save = Action::new_local(move |sent: &Submission| {
        let (id, sent, navigate) = (customer_id.get_untracked(), sent.clone(), navigate.clone());
        async move {
            api::create_phone_number(&id, &sent.form, &sent.key).await?;
            notice.set("The number was added.");
            navigate(&format!("/customers/{id}"), NavigateOptions::default());
            Ok(())
        }
    });
    let session = Session::get();

    view! {
        <Transition fallback=|| view! { <Loading what="the customer" /> }>
            {move || Suspend::new(async move {
                match customer.await {
                    // Not known yet who is signed in: neither the form nor "only read".
                    Ok(_) if session.is_checking() => view! { <Loading what="the customer" /> }.into_any(),
                    Ok(_) if !session.can_edit() => view! { <ReadOnly customer_id=customer_id.get_untracked() /> }.into_any(),
                    Ok(customer) => {
                        let back = format!("/customers/{}", customer.customer_id);
                        view! {
                            <section class="card">
                                <p class="breadcrumb"><a href=back.clone()>{full_name(&customer)}</a></p>
                                <PageHeading>{format!("Add a number for {}", full_name(&customer))}</PageHeading>
                                <PhoneNumberForm saved=None save=save
                                    customer_id=customer.customer_id.clone() cancel_href=back />
                            </section>
                        }.into_any()
                    }
                    Err(error) if error.is_not_found() => view! { <NoSuchCustomer customer_id=customer_id.get_untracked() /> }.into_any(),
                    Err(error) => view! { <Problem error=error retry=Callback::new(move |()| customer.refetch()) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EditPhoneNumber() -> impl IntoView {
    title::set("Change a number");
    let customer_id = param("customer_id");
    let phone_number_id = param("phone_number_id");
    // Both at once: the page names the customer and the number.
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });
    let plans = Plans::get();
    let number = LocalResource::new(move || {
        let (customer, number) = (customer_id.get(), phone_number_id.get());
        async move { api::phone_number(&customer, &number).await }
    });
    // Opened from the review (`?problem=wrongType&back=…`): the problem it listed the number
    // for, the type it suggests (`&phoneType=mobile`), put in the form to check and save, and
    // the review's page to come back to.
    let query = use_query_map();
    let suggested_type = Memo::new(move |_| {
        query.with(|q| q.get("phoneType").and_then(|t| t.parse::<PhoneType>().ok()))
    });
    let suggested_country = Memo::new(move |_| {
        query.with(|q| q.get("countryCode").and_then(|c| CountryCode::new(&c).ok()))
    });
    let problem =
        Memo::new(move |_| query.with(|q| q.get("problem").and_then(|p| Problem::parse(&p))));
    let back_to = Memo::new(move |_| query.with(|q| q.get("back").filter(|b| within_app(b))));
    let notice = Notice::get();
    let navigate = use_navigate();
    let save = Action::new_local(move |sent: &Submission| {
        let (customer, number, sent, navigate) = (
            customer_id.get_untracked(),
            phone_number_id.get_untracked(),
            sent.clone(),
            navigate.clone(),
        );
        async move {
            api::update_phone_number(&customer, &number, &sent.form, sent.version).await?;
            notice.set("The number was saved.");
            let back = back_to.get_untracked().unwrap_or_else(|| format!("/customers/{customer}"));
            navigate(&back, NavigateOptions::default());
            Ok(())
        }
    });
    let session = Session::get();

    view! {
        <Transition fallback=|| view! { <Loading what="the number" /> }>
            {move || Suspend::new(async move {
                let to_customer = format!("/customers/{}", customer_id.get_untracked());
                let back = back_to.get_untracked().unwrap_or_else(|| to_customer.clone());
                let (found_customer, found_number) = (customer.await, number.await);
                match found_number.and_then(|number| Ok((found_customer?, number))) {
                    Ok(_) if session.is_checking() => view! { <Loading what="the number" /> }.into_any(),
                    Ok(_) if !session.can_edit() => view! { <ReadOnly customer_id=customer_id.get_untracked() /> }.into_any(),
                    Ok((customer, saved)) => {
                        let review_says = problem.get_untracked().map(|p| Review::of(&saved).message(p, &saved));
                        // Written as its plan writes it once the plans are here.
                        let heading = {
                            let saved = saved.clone();
                            move || { plans.track(); format!("Change {}", describe(&saved)) }
                        };
                        view! {
                            <section class="card">
                                <p class="breadcrumb"><a href=to_customer>{full_name(&customer)}</a></p>
                                <PageHeading>{heading}</PageHeading>
                                <PhoneNumberForm saved=Some(saved) save=save suggested_type=suggested_type.get_untracked()
                                    review_says=review_says suggested_country=suggested_country.get_untracked()
                                    customer_id=customer.customer_id.clone() cancel_href=back />
                            </section>
                        }.into_any()
                    }
                    Err(error) if error.is_not_found() => view! {
                        <section class="card" data-testid="no-such-number">
                            <PageHeading>"No such phone number"</PageHeading>
                            <p>"This customer has no phone number with that id. "<a href=back>"Back to the customer"</a></p>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <Problem error=error retry=Callback::new(move |()| { customer.refetch(); number.refetch(); }) /> }.into_any(),
                }
            })}
        </Transition>
    }
}
