//! The reads in gateway mode: passed on from the provider once the caller's businesses are
//! checked against the customer; a search and a list across several businesses from the copy.

use axum::http::Method;
use bytes::Bytes;
use phone_model::{
    CustomerPage, CustomerResource, Listing, PhoneNumberChange, PhoneNumberPage,
    PhoneNumberResource, first_refusal,
};
use serde_json::Value;

use super::{
    check_known, customer_path, ended, known, read, refused, refused_or_unreadable, versioned,
};
use crate::{
    ApiError, Condition, ListQuery, NumberIds, Operations, Principal, Reply,
    gateway::{Answered, Gateway, segment, succeeded},
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
    let listing =
        principal.businesses().listing(query.get("businessId")).map_err(ApiError::Refused)?;
    let path = match listing {
        Listing::AsAsked => format!("/customers{}", query.as_sent()),
        Listing::Within(business) => listed_within(&query, business),
        Listing::Several(_) => {
            return local::customers_list(ops, principal, &query).await.map(Reply::Made);
        }
    };
    let answer = gateway.send(&principal, Method::GET, &path, None).await?;
    shown(answer, &listing)
}

/// The provider's list with only the customers `listing` shows, as given when it has no others;
/// a success that cannot be read as a list is not passed on (a 502), as it might be anyone's.
fn shown(mut answer: Answered, listing: &Listing<'_>) -> Result<Reply<CustomerPage>, ApiError> {
    if matches!(listing, Listing::AsAsked) || !succeeded(&answer) {
        return Ok(Reply::Passed(answer));
    }
    let mut page = read::<Value>(&answer).unwrap_or_default();
    let Some(customers) = page.get_mut("customers").and_then(Value::as_array_mut) else {
        return ended(Err(refused_or_unreadable(answer)));
    };
    let given = customers.len();
    customers.retain(|c| listing.shows(c.pointer("/business/businessId").and_then(Value::as_str)));
    if customers.len() != given {
        tracing::warn!(given, shown = customers.len(), "the provider listed others' customers");
        answer.body = Bytes::from(serde_json::to_vec(&page).expect("a JSON value serialises"));
    }
    Ok(Reply::Passed(answer))
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
                let version = Ok(Some(number.version()));
                first_refusal(version, &condition, Vec::new()).map_err(refused)?;
            }
            Ok(Reply::Passed(versioned(answer)))
        }
        .await,
    )
}
