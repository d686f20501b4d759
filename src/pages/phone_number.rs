//! Add a phone number (`/customers/{customerId}/phone-numbers/new`) and edit one
//! (`/customers/{customerId}/phone-numbers/{phoneNumberId}`).

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use crate::{
    api,
    components::{
        phone_number_form::PhoneNumberForm,
        problem::{Loading, Problem},
    },
    form::PhoneForm,
    notice::Notice,
    pages::not_found::NoSuchCustomer,
    title,
};

fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).unwrap_or_default()))
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
    let save = Action::new_local(move |form: &PhoneForm| {
        let (id, body, navigate) = (customer_id.get_untracked(), form.clone(), navigate.clone());
        async move {
            api::create_phone_number(&id, &body).await?;
            notice.set("The number was added.");
            navigate(&format!("/customers/{id}"), NavigateOptions::default());
            Ok(())
        }
    });

    view! {
        <Transition fallback=|| view! { <Loading what="the customer" /> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(customer) => view! {
                        <section class="card">
                            <p class="breadcrumb"><a href=format!("/customers/{}", customer.customer_id)>
                                {format!("{} {}", customer.first_name, customer.last_name)}</a></p>
                            <h1>"Add a phone number"</h1>
                            <PhoneNumberForm initial=PhoneForm::default() editing=None save=save
                                cancel_href=format!("/customers/{}", customer.customer_id) />
                        </section>
                    }.into_any(),
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
    let number = LocalResource::new(move || {
        let (customer, number) = (customer_id.get(), phone_number_id.get());
        async move { api::phone_number(&customer, &number).await }
    });
    let notice = Notice::get();
    let navigate = use_navigate();
    let save = Action::new_local(move |form: &PhoneForm| {
        let (customer, number, body, navigate) = (
            customer_id.get_untracked(),
            phone_number_id.get_untracked(),
            form.clone(),
            navigate.clone(),
        );
        async move {
            api::update_phone_number(&customer, &number, &body).await?;
            notice.set("The number was saved.");
            navigate(&format!("/customers/{customer}"), NavigateOptions::default());
            Ok(())
        }
    });

    view! {
        <Transition fallback=|| view! { <Loading what="the number" /> }>
            {move || Suspend::new(async move {
                let back = format!("/customers/{}", customer_id.get_untracked());
                match number.await {
                    Ok(saved) => view! {
                        <section class="card">
                            <p class="breadcrumb"><a href=back.clone()>"Back to the customer"</a></p>
                            <h1>"Edit a phone number"</h1>
                            <PhoneNumberForm initial=PhoneForm::from_saved(&saved)
                                editing=Some(saved.phone_number_id.to_string()) save=save cancel_href=back />
                        </section>
                    }.into_any(),
                    Err(error) if error.is_not_found() => view! {
                        <section class="card" data-testid="no-such-number">
                            <h1>"No such phone number"</h1>
                            <p>"This customer has no phone number with that id. "<a href=back>"Back to the customer"</a></p>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <Problem error=error retry=Callback::new(move |()| number.refetch()) /> }.into_any(),
                }
            })}
        </Transition>
    }
}
