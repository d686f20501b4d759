//! The operations answered by the database: the core's rules decide, the store applies what
//! they decide in one transaction.

use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerQuery, CustomerResource,
    PhoneNumberChange, PhoneNumberInput, PhoneNumberPage, PhoneNumberResource, Refusal, Refused,
    ValidationError, Warning, customer_search, first_refusal, validate_create,
    validate_new_customer, validate_update,
};
use phone_store::{Answer, Change, CustomerFilter, OperationError};

use crate::{
    ApiError, Condition, Keyed, ListQuery, NumberIds, Operations, Principal, Reply, Sent, now,
};

pub(crate) async fn customers_list(
    ops: &Operations,
    principal: Principal,
    query: &ListQuery,
) -> Result<CustomerPage, ApiError> {
    let text = |name| query.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let search = customer_search(query.get("search")).map_err(ApiError::invalid)?;
    let filter = CustomerFilter {
        business_id: text("businessId"),
        external_reference: text("externalReference"),
        search: search.map(CustomerQuery::parse),
    };
    // A cursor continues only the list it came from: the same filters. (A search's cursor is
    // a place in its order of tiers, which cursors from before that order never were.)
    let kind = if search.is_some() { "customer search" } else { "customers" };
    let list = format!(
        "{kind}:{}\0{}\0{}",
        filter.business_id.as_deref().unwrap_or_default(),
        filter.external_reference.as_deref().unwrap_or_default(),
        search.unwrap_or_default()
    );
    let keys = ops.keys.ring();
    let cursors = keys.cursors(list, now());
    let (size, after) = cursors.requested_page(query)?;
    // Asking for a business outside the caller's is asking for its customers: refused.
    if let Some(business_id) = &filter.business_id {
        principal.businesses().check_new_customer(business_id).map_err(ApiError::Refused)?;
    }
    let page = ops
        .blocking(move |store| Ok(store.customers(&filter, principal.businesses(), after, size)?))
        .await?;
    Ok(CustomerPage { customers: page.items, response_metadata: cursors.metadata(page.next_after) })
}

pub(crate) async fn customers_create(
    ops: &Operations,
    principal: Principal,
    sent: Sent<CustomerInput>,
    key: Option<Keyed>,
) -> Result<(Vec<Warning>, Reply<Answer<CreatedCustomer>>), ApiError> {
    let (customer, warnings) = validate_new_customer(&sent.read?);
    let customer = customer.map_err(ApiError::Validation)?;
    let attempt = key.map(|key| key.attempt(&principal));
    let created = ops
        .blocking(move |store| {
            let actor = principal.actor();
            let change = Change { actor: &actor, at: now() };
            Ok(store.create_customer(
                &customer,
                principal.businesses(),
                &change,
                attempt.as_ref(),
            )?)
        })
        .await?;
    Ok((warnings, Reply::Made(created)))
}

pub(crate) async fn customers_get(
    ops: &Operations,
    principal: Principal,
    customer_id: String,
) -> Result<CustomerResource, ApiError> {
    ops.blocking(move |store| Ok(store.customer(&customer_id, principal.businesses())?)).await
}

pub(crate) async fn phone_number_history(
    ops: &Operations,
    principal: Principal,
    customer_id: String,
) -> Result<Vec<PhoneNumberChange>, ApiError> {
    ops.blocking(move |store| Ok(store.phone_number_history(&customer_id, principal.businesses())?))
        .await
}

pub(crate) async fn phone_numbers_list(
    ops: &Operations,
    principal: Principal,
    customer_id: String,
    query: &ListQuery,
) -> Result<PhoneNumberPage, ApiError> {
    let keys = ops.keys.ring();
    let cursors = keys.cursors(format!("phoneNumbers:{customer_id}"), now());
    let (size, after) = match cursors.requested_page(query) {
        Ok(page) => page,
        Err(errors) => return Err(refuse(ops, &principal, customer_id, None, errors).await),
    };
    let page = ops
        .small_read(move |store| {
            Ok(store.phone_numbers(&customer_id, principal.businesses(), after, size)?)
        })
        .await?;
    Ok(PhoneNumberPage {
        phone_numbers: page.items,
        response_metadata: cursors.metadata(page.next_after),
    })
}

pub(crate) async fn phone_numbers_create(
    ops: &Operations,
    principal: Principal,
    customer_id: String,
    sent: Sent<PhoneNumberInput>,
    key: Option<Keyed>,
) -> Result<(Vec<Warning>, Reply<Answer<PhoneNumberResource>>), ApiError> {
    let validation = validate_create(&sent.read?);
    let warnings = validation.warnings().to_vec();
    let number = match validation.into_result() {
        Ok(number) => number,
        Err(errors) => return Err(refuse(ops, &principal, customer_id, None, errors).await),
    };
    let attempt = key.map(|key| key.attempt(&principal));
    let created = ops
        .blocking(move |store| {
            let actor = principal.actor();
            let change = Change { actor: &actor, at: now() };
            Ok(store.create_phone_number(
                &customer_id,
                principal.businesses(),
                &number,
                &change,
                attempt.as_ref(),
            )?)
        })
        .await?;
    Ok((warnings, Reply::Made(created)))
}

pub(crate) async fn phone_numbers_get(
    ops: &Operations,
    principal: Principal,
    ids: NumberIds,
    condition: Condition,
) -> Result<Reply<PhoneNumberResource>, ApiError> {
    let NumberIds { customer_id, phone_number_id } = ids;
    let number = ops
        .small_read(move |store| {
            Ok(store.phone_number(&customer_id, &phone_number_id, principal.businesses())?)
        })
        .await?;
    first_refusal(Ok(Some(number.version())), &condition, Vec::new()).map_err(refused)?;
    Ok(Reply::Made(number))
}

pub(crate) async fn phone_numbers_update(
    ops: &Operations,
    principal: Principal,
    ids: NumberIds,
    condition: Condition,
    sent: Sent<PhoneNumberInput>,
) -> Result<(Vec<Warning>, Reply<PhoneNumberResource>), ApiError> {
    let input = sent.read?;
    let NumberIds { customer_id, phone_number_id } = ids;
    let validation = validate_update(&phone_number_id, &input);
    let warnings = validation.warnings().to_vec();
    let (number, condition) = match (validation.into_result(), condition) {
        (Ok(number), Ok(condition)) => (number, condition),
        (result, condition) => {
            let errors = result.err().unwrap_or_default();
            let number = Some((phone_number_id, condition));
            return Err(refuse(ops, &principal, customer_id, number, errors).await);
        }
    };
    let updated = ops
        .blocking(move |store| {
            let actor = principal.actor();
            let change = Change { actor: &actor, at: now() };
            Ok(store.update_phone_number(
                &customer_id,
                &phone_number_id,
                principal.businesses(),
                &number,
                &change,
                condition.as_ref(),
            )?)
        })
        .await?;
    Ok((warnings, Reply::Made(updated)))
}

pub(crate) async fn phone_numbers_delete(
    ops: &Operations,
    principal: Principal,
    ids: NumberIds,
    condition: Condition,
) -> Result<(), ApiError> {
    let NumberIds { customer_id, phone_number_id } = ids;
    let condition = match condition {
        Ok(condition) => condition,
        malformed => {
            let number = Some((phone_number_id, malformed));
            return Err(refuse(ops, &principal, customer_id, number, Vec::new()).await);
        }
    };
    ops.blocking(move |store| {
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.delete_phone_number(
            &customer_id,
            &phone_number_id,
            principal.businesses(),
            &change,
            condition.as_ref(),
        )?)
    })
    .await
}

/// A request that broke rules (its body's `errors`, or a malformed `If-Match`): the refusal
/// that comes first by the core's [`first_refusal`], once what it names — the customer, or its
/// phone number and the request's `If-Match` — has been looked up. (A body that is not JSON at
/// all, or too large, was refused before: 415, 413 or 400 `Body`.)
async fn refuse(
    ops: &Operations,
    principal: &Principal,
    customer_id: String,
    phone_number: Option<(String, Condition)>,
    errors: Vec<ValidationError>,
) -> ApiError {
    let businesses = principal.businesses().clone();
    let found = ops
        .blocking(move |store| {
            Ok(match phone_number {
                Some((id, condition)) => {
                    let current = store.phone_number(&customer_id, &id, &businesses);
                    first_refusal(current.map(|number| Some(number.version())), &condition, errors)
                }
                None => {
                    let customer = store.customer(&customer_id, &businesses).map(|_| None);
                    first_refusal(customer, &Ok(None), errors)
                }
            })
        })
        .await;
    match found {
        Ok(Err(first)) => refused(first),
        Ok(Ok(())) => ApiError::Internal("a refusal asked for a request that broke no rule".into()),
        Err(error) => error,
    }
}

/// The contract's answer for the refusal that comes first.
fn refused(first: Refused<OperationError>) -> ApiError {
    match first {
        Refused::Target(error) => error.into(),
        Refused::PreconditionFailed => ApiError::Refused(Refusal::PreconditionFailed),
        Refused::Invalid(errors) => errors.into(),
    }
}
