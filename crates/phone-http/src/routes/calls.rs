//! Phone systems (Phonedesk's extension): who is calling, the calls a phone system reports, and
//! the staff app's stream of them.

use std::{convert::Infallible, time::Duration};

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{FromRequest, OriginalUri, Request, State},
    http::{HeaderMap, HeaderValue},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures_util::{
    StreamExt,
    stream::{self, Stream},
};
use phone_model::{
    CallEvent, CallInput, CallReport, CallerLookup, ErrorBody, ThreeCxContact, ValidationError,
};
use phone_operations::{ApiError, ListQuery, Principal, calls::CallStream};

use crate::{
    AppState,
    auth::twilio,
    extract::{Body, Listed, unread_body},
    openapi::CallEventRequest,
};

/// Find who is calling: the customers with a number.
#[utoipa::path(
    get,
    path = "/callers",
    tag = "Phone Systems",
    operation_id = "callersList",
    params(
        ("number" = String, Query, description = "The caller's number in any written form the staff search reads: `+64211234567`, `0211234567`, `021 123 4567`, `0064 21 123 4567`, `+64 (0)21 123 4567`, `64211234567`."),
        ("format" = Option<String>, Query, description = "`3cx`: the answer as 3CX's CRM integration template (`docs/phone-systems/phonedesk-3cx.xml`) reads it, an array of contacts with the matched number in its type's field. Without it, `CallerLookup`."),
    ),
    responses(
        (status = 200, body = CallerLookup, description = "Phonedesk's extension: the customers of the caller's businesses who have the number, best first (those whose number is all the digits asked, then primary numbers, then the oldest), at most 10, each with the number that matched, its E.164 form, and the staff app's page of the customer. None: an unknown caller."),
        (status = 400, body = ErrorBody, description = "`number` is missing, or is no phone number; `format` is not `3cx`."),
    )
)]
pub async fn callers_list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Listed(query): Listed,
) -> Result<Response, ApiError> {
    let three_cx = match query.get("format").map(str::trim) {
        None | Some("" | "json") => false,
        Some(format) if format.eq_ignore_ascii_case("3cx") => true,
        Some(_) => return Err(ApiError::invalid(ValidationError::FormatInvalid)),
    };
    let number = query.get("number").map(str::to_owned);
    let found = state.ops().callers(principal, number, &state.public_url).await?;
    Ok(if three_cx {
        let contacts: Vec<ThreeCxContact> = found.callers.iter().map(ThreeCxContact::of).collect();
        Json(contacts).into_response()
    } else {
        Json(found).into_response()
    })
}

/// Report a call's event: a phone is ringing, was answered, or the call ended.
#[utoipa::path(
    post,
    path = "/calls",
    tag = "Phone Systems",
    operation_id = "callsCreate",
    params(
        ("clientId" = Option<String>, Query, description = "Twilio's callbacks only: the client whose Twilio auth token signs them."),
        ("businessId" = Option<String>, Query, description = "Twilio's callbacks only: the business called, for a client of several."),
    ),
    request_body(content = CallEventRequest, description = "Phonedesk's JSON, with a bearer token of an API client (a read-only one may report calls); or Twilio's status callback (`application/x-www-form-urlencoded`: `From`, `To`, `CallStatus`, `CallSid`) signed with `X-Twilio-Signature`, to `…/calls?clientId=…`."),
    responses(
        (status = 200, body = CallEvent, description = "Phonedesk's extension: the event as the staff who see the business are told of it, with the customers who have the caller's number. Kept a day (at most 10,000 a business)."),
        (status = 400, body = ErrorBody, description = "`from` or `state` is missing or invalid, or another member is too long; `businessId` is required for a client of several businesses, or names no business."),
    )
)]
pub async fn calls_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Reported(report): Reported,
) -> Result<Json<CallEvent>, ApiError> {
    Ok(Json(state.ops().calls_report(principal, report?, &state.public_url).await?))
}

/// A call event's body, read: Phonedesk's JSON, or Twilio's form.
#[derive(Debug)]
pub struct Reported(Result<CallReport, ApiError>);

impl<S: Send + Sync> FromRequest<S> for Reported {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !twilio::is_form(request.headers()) {
            let Body(sent) = Body::<CallInput>::from_request(request, state).await?;
            let report = sent.read.and_then(|input| CallReport::read(input.0).map_err(Into::into));
            return Ok(Self(report));
        }
        let uri = request.extensions().get::<OriginalUri>().map_or(request.uri(), |o| &o.0);
        let query = ListQuery::parse(uri.query());
        let business_id = query.get("businessId").map(str::to_owned);
        let bytes = Bytes::from_request(request, state).await.map_err(|e| unread_body(&e))?;
        let form: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        let pairs = form.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        Ok(Self(CallReport::from_twilio(pairs, business_id.as_deref()).map_err(Into::into)))
    }
}

/// Hear the caller's businesses' calls as they are reported: Server-Sent Events.
#[utoipa::path(
    get,
    path = "/callEvents",
    tag = "Phone Systems",
    operation_id = "callEventsStream",
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "The last event's `id`, which a reconnecting `EventSource` sends: the last minute's events after it are sent first."),
    ),
    responses(
        (status = 200, content_type = "text/event-stream", body = CallEvent, description = "Phonedesk's extension: one `call` event per reported event of the caller's businesses (its `id` the event's place, its `data` a `CallEvent`); a new stream first has the last minute's events of calls not yet ended. A comment every 15 seconds keeps proxies from closing it."),
        (status = 429, body = ErrorBody, description = "The caller has 8 streams open already."),
    )
)]
pub async fn call_events_stream(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let last = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok());
    let events = state.ops().call_events(principal, last).await?;
    let mut response = Sse::new(told(events)).keep_alive(KeepAlive::default()).into_response();
    // nginx would otherwise hold the stream's events in its buffer.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// A stream's events as Server-Sent Events: first how soon to reconnect, then each event.
fn told(events: CallStream) -> impl Stream<Item = Result<Event, Infallible>> {
    let reconnect = Event::default().retry(Duration::from_secs(1));
    let each = stream::unfold(events, |mut events| async move {
        let event = events.next().await?;
        let told = Event::default().id(event.seq.to_string()).event("call").data(&event.event);
        Some((Ok(told), events))
    });
    stream::iter([Ok(reconnect)]).chain(each)
}
