//! Twilio's status callbacks: a `POST /calls` form that Twilio signs with `X-Twilio-Signature`
//! instead of sending a bearer token. The callback's URL names the client
//! (`…/calls?clientId=…`); the signature is HMAC-SHA1, keyed with the client's Twilio auth token
//! (`phone-server client twilio`), over the URL as Twilio requested it (the server's public URL
//! and the request's path and query) followed by each form parameter's name and value, sorted
//! by name; base64.

use axum::{
    body::{Body, Bytes},
    extract::{OriginalUri, Request},
    http::{HeaderMap, Uri, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use phone_model::Refusal;
use phone_operations::{ApiError, ListQuery, Principal};
use sha1::Sha1;

use crate::{AppState, extract::unread_body};

/// The header Twilio signs its requests with.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// The largest callback read: Twilio's status callbacks are a few dozen short parameters.
const BODY_LIMIT: usize = 16 * 1024;

/// Whether a request is to be authenticated as Twilio's: signed, and with no bearer token.
pub fn signed(headers: &HeaderMap) -> bool {
    headers.contains_key(SIGNATURE_HEADER) && !headers.contains_key(header::AUTHORIZATION)
}

/// Whether a request's body is declared a form, as Twilio's callbacks are.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).is_some_and(|value| {
        value.to_str().is_ok_and(|v| v.starts_with("application/x-www-form-urlencoded"))
    })
}

/// The client a signed callback is from, once its signature holds; the request comes back
/// with its body read, for the handler to read again.
pub async fn principal(
    state: &AppState,
    request: Request,
) -> (Result<(Principal, Option<String>), Response>, Request) {
    let (parts, body) = request.into_parts();
    // Twilio's callbacks are forms; anything else is no callback of Twilio's.
    if !is_form(&parts.headers) {
        let refused = Err(ApiError::Refused(Refusal::Unauthorized).into_response());
        return (refused, Request::from_parts(parts, Body::empty()));
    }
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let refused = Err(unread_body(&error).into_response());
            return (refused, Request::from_parts(parts, Body::empty()));
        }
    };
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |o| &o.0).clone();
    let signature = parts.headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let signature = signature.map(str::to_owned);
    let found = verified(state, &uri, signature, &bytes).await;
    (found, Request::from_parts(parts, Body::from(bytes)))
}

/// The signed client, or 401.
async fn verified(
    state: &AppState,
    uri: &Uri,
    signature: Option<String>,
    body: &Bytes,
) -> Result<(Principal, Option<String>), Response> {
    let unauthorized = || ApiError::Refused(Refusal::Unauthorized).into_response();
    let query = ListQuery::parse(uri.query());
    let client_id = query.get("clientId").ok_or_else(unauthorized)?.to_owned();
    let signature = signature.ok_or_else(unauthorized)?;
    let id = client_id.clone();
    let found = state
        .ops
        .small_read(move |store| Ok((store.twilio_auth_token(&id)?, store.client_access(&id)?)))
        .await
        .map_err(IntoResponse::into_response)?;
    let (Some(token), Some(access)) = found else { return Err(unauthorized()) };
    let url = format!("{}{}", state.public_url, uri.path_and_query().map_or("", |p| p.as_str()));
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    if !signature_holds(&token, &url, &form, &signature) {
        let url: String = url.chars().take(200).collect();
        tracing::warn!(client = %client_id, %url, "refused: X-Twilio-Signature does not hold");
        return Err(unauthorized());
    }
    let client =
        Principal::Client { id: client_id, businesses: access.businesses, read_only: true };
    Ok((client, None))
}

/// The signature Twilio sends for a request to `url` with `form`'s parameters.
pub fn signature(token: &str, url: &str, form: &[(String, String)]) -> String {
    STANDARD.encode(mac(token, url, form).finalize().into_bytes())
}

/// Whether `sent` is the signature of the request, compared in constant time.
fn signature_holds(token: &str, url: &str, form: &[(String, String)], sent: &str) -> bool {
    let Ok(sent) = STANDARD.decode(sent.trim()) else { return false };
    mac(token, url, form).verify_slice(&sent).is_ok()
}

/// HMAC-SHA1 with `token` over the URL, then each parameter's name and value, sorted by name
/// (and by value, for a name sent twice).
fn mac(token: &str, url: &str, form: &[(String, String)]) -> Hmac<Sha1> {
    let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key");
    mac.update(url.as_bytes());
    let mut sorted: Vec<&(String, String)> = form.iter().collect();
    sorted.sort();
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Twilio's webhook security documentation: auth token `12345`,
    /// this URL and these parameters. Twilio's page has given it with two callers over the
    /// years, each with its signature; both are checked.
    #[test]
    fn the_signature_is_twilios_documented_example() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        for (caller, expected) in [
            ("+14158675310", "GvWf1cFY/Q7PnoempGyD5oXAezc="),
            ("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ] {
            let form: Vec<(String, String)> = [
                ("CallSid", "CA1234567890ABCDE"),
                ("Caller", caller),
                ("Digits", "1234"),
                ("From", caller),
                ("To", "+18005551212"),
            ]
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
            assert_eq!(signature("12345", url, &form), expected);
            assert!(signature_holds("12345", url, &form, expected));
            assert!(!signature_holds("12346", url, &form, expected), "another token");
            let other_url = "https://mycompany.com/myapp.php?foo=1&bar=3";
            assert!(!signature_holds("12345", other_url, &form, expected), "another URL");
            let mut changed = form.clone();
            changed[2].1 = "1235".to_owned();
            assert!(!signature_holds("12345", url, &changed, expected), "another parameter");
            assert!(!signature_holds("12345", url, &form, "not base64!"), "garbage");
        }
    }
}
