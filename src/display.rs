//! How a saved number is shown: in international form with a `tel:` link where it can be read,
//! as it was typed where it cannot.

use phone_model::{ParsedNumber, PhoneNumberResource};

/// The number as staff read it, and the `tel:` URI to dial it (when it can be read).
pub fn dialable(number: &PhoneNumberResource) -> (String, Option<String>) {
    match ParsedNumber::parse(number.country_code, &number.area_code, &number.phone_number) {
        Ok(parsed) => {
            let mut shown = parsed.international();
            if let Some(extension) = parsed.extension() {
                shown.push_str(&format!(" ext. {extension}"));
            }
            (shown, Some(parsed.tel_uri()))
        }
        Err(_) => {
            let typed = [number.country_code.as_str(), &number.area_code, &number.phone_number]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (typed, None)
        }
    }
}

/// "John's home number" — how the delete dialog and notices name a number.
pub fn describe(number: &PhoneNumberResource) -> String {
    format!("{}'s {} number {}", number.phone_name, number.phone_type, dialable(number).0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn saved(area: &str, number: &str) -> PhoneNumberResource {
        serde_json::from_value(json!({
            "phoneNumberId": "1", "phoneName": "John", "countryCode": "+64", "areaCode": area,
            "phoneNumber": number, "phoneType": "work", "isPrimary": false
        }))
        .unwrap()
    }

    #[test]
    fn a_readable_number_is_international_with_a_tel_link() {
        assert_eq!(
            dialable(&saved("09", "264 5555 ext 12")),
            ("+64 9 264 5555 ext. 12".to_owned(), Some("tel:+6492645555;ext=12".to_owned()))
        );
        assert_eq!(describe(&saved("09", "264 5555")), "John's work number +64 9 264 5555");
    }

    #[test]
    fn an_unreadable_number_is_shown_as_typed_without_a_link() {
        assert_eq!(dialable(&saved("", "12")), ("+64 12".to_owned(), None));
    }
}
