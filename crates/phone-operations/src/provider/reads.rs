//! The reads in gateway mode: passed on from the provider once the caller's businesses are
//! checked against the customer; a search and a list across several businesses from the copy.

use axum::http::Method;
use phone_model::{
    CustomerPage, CustomerResource, IfMatch, PhoneNumberChange, PhoneNumberPage,
    PhoneNumberResource,
};

use super::{check_known, customer_path, ended, known, read, versioned};
use crate::{
    ApiError, Condition, ListQuery, NumberIds, Operations, Principal, Reply,
    gateway::{Gateway, segment},
    local,
};

/// `GET /customers`: a search from the copy; else the provider's list, within the caller's
/// businesses (asked for by `businessId` when the caller has one business; from the copy when
/// it has several, since the provider's list would be everyone's).
pub(crate) async fn customers_list(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    query: ListQuery,
) -> Result<Reply<CustomerPage>, ApiError> {
    if query.get("search").is_some() {
        return local::customers_list(ops, principal, &query).await.map(Reply::Made);
    }
    let asked = query.get("businessId").map(str::trim).filter(|b| !b.is_empty());
    let path = match (principal.businesses().ids(), asked) {
        (None, _) => format!("/customers{}", query.as_sent()),
        (Some(_), Some(business)) => {
            principal.businesses().check_new_customer(business).map_err(ApiError::Refused)?;
            listed_within(&query, business)
        }
        (Some([only]), None) => listed_within(&query, only),
        (Some(_), None) => {
            return local::customers_list(ops, principal, &query).await.map(Reply::Made);
        }
    };
    Ok(Reply::Passed(gateway.send(&principal, Method::GET, &path, None).await?))
}

/// The provider's customer list for a caller of some businesses, within `business`: the query
/// made again from the parameters the contract knows, with one `businessId` (a caller's
/// `businessId=` or `BusinessId=OTHER` never reaches the provider).
fn listed_within(query: &ListQuery, business: &str) -> String {
    let mut path = format!("/customers?businessId={}", segment(business));
    for name in ["limit", "nextCursor", "externalReference"] {
        if let Some(value) = query.get(name) {
            path.push_str(&format!("&{name}={}", segment(value)));
        }
    }
    path
}

/// `GET /customers/{customerId}`.
pub(crate) async fn customers_get(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
) -> Result<Reply<CustomerResource>, ApiError> {
    ended(
        async {
            if let Some(fetched) = known(ops, gateway, principal, customer_id).await? {
                return Ok(Reply::Passed(fetched));
            }
            let path = customer_path(customer_id, None);
            Ok(Reply::Passed(gateway.send(principal, Method::GET, &path, None).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumberHistory`: the changes made through the gateway, from the copy, once the
/// customer is known there.
pub(crate) async fn phone_number_history(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    customer_id: String,
) -> Result<Reply<Vec<PhoneNumberChange>>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, &principal, &customer_id).await?;
            Ok(Reply::Made(local::phone_number_history(ops, principal, customer_id).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumbers`. (Reads leave the copy alone: the sync keeps it, and a write on every
/// read would cost every read.)
pub(crate) async fn phone_numbers_list(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
    query: &ListQuery,
) -> Result<Reply<PhoneNumberPage>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, principal, customer_id).await?;
            let path = format!("{}{}", customer_path(customer_id, Some(None)), query.as_sent());
            Ok(Reply::Passed(gateway.send(principal, Method::GET, &path, None).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumbers/{phoneNumberId}`, with its `ETag`, and `If-Match` compared.
pub(crate) async fn phone_numbers_get(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    ids: &NumberIds,
    condition: Condition,
) -> Result<Reply<PhoneNumberResource>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, principal, &ids.customer_id).await?;
            let path = customer_path(&ids.customer_id, Some(Some(&ids.phone_number_id)));
            let answer = gateway.send(principal, Method::GET, &path, None).await?;
            if let Some(number) = read::<PhoneNumberResource>(&answer) {
                let condition = condition.map_err(ApiError::invalid)?;
                IfMatch::check(condition.as_ref(), number.version()).map_err(ApiError::Refused)?;
            }
            Ok(Reply::Passed(versioned(answer)))
        }
        .await,
    )
}
