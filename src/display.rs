//! How a saved number is shown: in international form with a `tel:` link where it can be read,
//! as it was typed where it cannot.

use phone_model::{ChangeAction, NumberKind, ParsedNumber, PhoneNumberChange, PhoneNumberResource};

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

/// What the form shows a number will be dialled as: its international form, its kind, and how
/// it is written within its country ("+61 2 9876 1111 · landline · (02) 9876 1111 within the
/// country"). A number that fits no range of its plan has no kind to name: the form's warning
/// says what is wrong with it.
pub fn preview(number: &ParsedNumber) -> String {
    let international = number.international();
    match number.kind() {
        NumberKind::Unknown => international,
        kind => format!(
            "{international} · {} · {} within the country",
            kind.description(),
            number.national()
        ),
    }
}

/// "John's home number" — how the delete dialog and notices name a number.
pub fn describe(number: &PhoneNumberResource) -> String {
    format!("{}'s {} number {}", number.phone_name, number.phone_type, dialable(number).0)
}

/// A moment (seconds since the epoch) as the browser writes dates where the person is, to the
/// minute: "7 Dec 2026, 9:41 am". (In the browser only: it asks the browser's `Intl`.)
pub fn moment(at: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    String::from(date.to_locale_string("en-NZ", &options))
}

/// `text` with its first letter a capital, for a sentence that starts with it.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What a change did, in a sentence after the actor's name ("changed John's mobile number …").
pub fn summarise(change: &PhoneNumberChange) -> String {
    match (change.action, &change.before, &change.after) {
        (ChangeAction::Created, _, Some(after)) => {
            let primary = if after.is_primary { ", as the primary" } else { "" };
            format!("added {}{primary}", describe(after))
        }
        (ChangeAction::Deleted, Some(before), _) => format!("deleted {}", describe(before)),
        (ChangeAction::MarkedSharedExpected, _, Some(after)) => {
            format!("marked {}, shared with another customer, as expected", describe(after))
        }
        (ChangeAction::UnmarkedSharedExpected, Some(before), _) => {
            format!("took back the mark on {}: shared, to be looked at again", describe(before))
        }
        (ChangeAction::Updated, Some(before), Some(after)) => {
            let mut differences = Vec::new();
            let (was, now) = (dialable(before).0, dialable(after).0);
            if was != now {
                differences.push(format!("number {was} → {now}"));
            }
            if before.phone_name != after.phone_name {
                differences.push(format!("contact {} → {}", before.phone_name, after.phone_name));
            }
            if before.phone_type != after.phone_type {
                differences.push(format!("type {} → {}", before.phone_type, after.phone_type));
            }
            match (before.is_primary, after.is_primary) {
                (false, true) => differences.push("made it the primary".to_owned()),
                (true, false) => differences.push("it is no longer the primary".to_owned()),
                _ => {}
            }
            format!("changed {}: {}", describe(before), differences.join("; "))
        }
        _ => format!("changed number {}", change.phone_number_id),
    }
}

/// What search covers in gateway mode: the provider's customers as of the last sync (at
/// `synced_at`, seconds since the epoch, seen `now`), and every change made through Phonedesk.
pub fn sync_status(synced_at: Option<i64>, now: f64) -> String {
    let Some(synced_at) = synced_at else {
        return "Search covers the changes made in Phonedesk; the first sync with the provider has not finished yet.".to_owned();
    };
    let minutes = ((now - synced_at as f64) / 60.0).max(0.0) as i64;
    let ago = match minutes {
        0 => "less than a minute ago".to_owned(),
        1..=59 => format!("{minutes} min ago"),
        _ => format!("{} h {} min ago", minutes / 60, minutes % 60),
    };
    format!(
        "Search covers the provider's customers as synced {ago}, and every change made in Phonedesk since."
    )
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
    fn a_change_says_what_changed() {
        let before = saved("09", "264 5555");
        let after = PhoneNumberResource {
            phone_number: "264 5556".to_owned(),
            is_primary: true,
            ..before.clone()
        };
        let change =
            |action, before: Option<&PhoneNumberResource>, after: Option<&PhoneNumberResource>| {
                summarise(&PhoneNumberChange {
                    phone_number_id: before.or(after).unwrap().phone_number_id.clone(),
                    at: 0,
                    actor: "eddie".to_owned(),
                    action,
                    before: before.cloned(),
                    after: after.cloned(),
                })
            };
        assert_eq!(
            change(ChangeAction::Created, None, Some(&before)),
            "added John's work number +64 9 264 5555"
        );
        assert_eq!(
            change(ChangeAction::Updated, Some(&before), Some(&after)),
            "changed John's work number +64 9 264 5555: number +64 9 264 5555 → +64 9 264 5556; made it the primary"
        );
        assert_eq!(
            change(ChangeAction::Deleted, Some(&after), None),
            "deleted John's work number +64 9 264 5556"
        );
        assert_eq!(
            change(ChangeAction::MarkedSharedExpected, None, Some(&before)),
            "marked John's work number +64 9 264 5555, shared with another customer, as expected"
        );
        assert_eq!(
            change(ChangeAction::UnmarkedSharedExpected, Some(&before), None),
            "took back the mark on John's work number +64 9 264 5555: shared, to be looked at again"
        );
    }

    #[test]
    fn the_preview_names_the_kind_only_of_a_number_that_has_one() {
        let read = |code: &str, number: &str| {
            let code = phone_model::CountryCode::stored(code).expect("a code of the table");
            preview(&ParsedNumber::parse(code, "", number).expect("a number"))
        };
        assert_eq!(
            read("+61", "02 9876 1111"),
            "+61 2 9876 1111 · landline · (02) 9876 1111 within the country"
        );
        assert_eq!(read("+64", "021123"), "+64 21123");
    }

    #[test]
    fn an_unreadable_number_is_shown_as_typed_without_a_link() {
        assert_eq!(dialable(&saved("", "12")), ("+64 12".to_owned(), None));
    }

    #[test]
    fn search_says_how_fresh_the_providers_customers_are() {
        let synced = 1_700_000_000;
        let at = |seconds: i64| sync_status(Some(synced), (synced + seconds) as f64);
        assert!(at(30).contains("as synced less than a minute ago"), "{}", at(30));
        assert!(at(150).contains("as synced 2 min ago"), "{}", at(150));
        assert!(at(3 * 3600 + 300).contains("as synced 3 h 5 min ago"));
        assert!(
            sync_status(None, 0.0).contains("the first sync with the provider has not finished")
        );
    }
}
