//! The core's warnings, told to API callers. A warning never blocks a write (the provider
//! accepts such numbers), so the answer is the contract's 201 or 200 as it is; each warning
//! goes beside it as a `Warning` header, the way Kubernetes tells API warnings:
//! `Warning: 299 phonedesk "PhoneNumber starts with a country code other than CountryCode."`
//! (RFC 7234's code 299, "miscellaneous persistent warning"; the agent is this server). One
//! place makes the headers, for a server of its own and for the gateway alike.

use axum::{
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use phone_model::Warning;

/// Adds one `Warning` header to `headers` for each of `warnings`, in the core's order.
pub fn tell(headers: &mut HeaderMap, warnings: &[Warning]) {
    for warning in warnings {
        headers.append(header::WARNING, value(&warning.message()));
    }
}

/// `299 phonedesk "<message>"`: the message as an RFC 9110 quoted-string, its `"` and `\`
/// escaped. A country's name may be written in letters beyond ASCII (`Curaçao`): they go as
/// their UTF-8 bytes, which RFC 9110 lets a field carry (obs-text), as Kubernetes sends them.
fn value(message: &str) -> HeaderValue {
    let mut text = String::from("299 phonedesk \"");
    for c in message.chars().filter(|c| !c.is_control()) {
        if matches!(c, '"' | '\\') {
            text.push('\\');
        }
        text.push(c);
    }
    text.push('"');
    HeaderValue::from_bytes(text.as_bytes())
        .expect("no control characters are left, and a field may carry any other byte")
}

/// An answer with the warnings of the request it answers.
#[derive(Debug)]
pub struct Warned<T>(pub Vec<Warning>, pub T);

impl<T: IntoResponse> IntoResponse for Warned<T> {
    fn into_response(self) -> Response {
        let mut response = self.1.into_response();
        tell(response.headers_mut(), &self.0);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_is_a_quoted_string_of_its_message_with_quotes_and_backslashes_escaped() {
        let cases = [
            ("Plain.", "299 phonedesk \"Plain.\""),
            (r#"Says "hi" \ bye."#, r#"299 phonedesk "Says \"hi\" \\ bye.""#),
            ("Line\nbreak.", "299 phonedesk \"Linebreak.\""),
        ];
        for (message, expected) in cases {
            assert_eq!(value(message).as_bytes(), expected.as_bytes(), "{message:?}");
        }
        assert_eq!(value("Curaçao.").as_bytes(), "299 phonedesk \"Curaçao.\"".as_bytes());
    }

    #[test]
    fn each_warning_is_a_header_of_its_own_in_order() {
        let mut headers = HeaderMap::new();
        tell(&mut headers, &[Warning::OtherCountry, Warning::TrailingText]);
        let values: Vec<&[u8]> =
            headers.get_all(header::WARNING).iter().map(HeaderValue::as_bytes).collect();
        assert_eq!(
            values,
            [
                &b"299 phonedesk \"PhoneNumber starts with a country code other than CountryCode.\""[..],
                &b"299 phonedesk \"PhoneNumber has text after the number, which is kept but not dialled.\""[..],
            ]
        );
        tell(&mut headers, &[]);
        assert_eq!(headers.get_all(header::WARNING).iter().count(), 2, "none added for none");
    }
}
