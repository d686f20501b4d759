//! Properties over any input: nothing panics, and a normalised number is already normal.

use phone_model::{
    CountryCode, Field, ParsedNumber, PhoneNumberInput, Value, countries, validate_create,
    validate_update,
};
use proptest::prelude::*;

/// Text a person might type into a phone form, and text nobody would.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9 ()+.-]{0,20}", "[0-9a-zA-Z #+()*_,;:./-]{0,80}", any::<String>(),]
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Absent),
        Just(Value::Null),
        Just(Value::Other),
        Just(Value::Conflicting),
        any::<bool>().prop_map(Value::Bool),
        any_text().prop_map(Value::Text),
    ]
}

fn any_country_code() -> impl Strategy<Value = CountryCode> {
    prop::sample::select(countries().to_vec())
        .prop_map(|c| CountryCode::new(c.code()).expect("codes of the table are valid"))
}

proptest! {
    #[test]
    fn validating_any_input_never_panics(
        values in prop::collection::vec(any_value(), 7),
        path in any_text(),
    ) {
        let input = PhoneNumberInput {
            phone_number_id: values[0].clone(),
            phone_name: values[1].clone(),
            country_code: values[2].clone(),
            area_code: values[3].clone(),
            phone_number: values[4].clone(),
            phone_type: values[5].clone(),
            is_primary: values[6].clone(),
        };
        let created = validate_create(&input);
        let _ = validate_update(&path, &input);
        // A reason exactly when the number's own fields are refused or it cannot exist; its
        // messages never panic.
        let number_fields = [Field::CountryCode, Field::AreaCode, Field::PhoneNumber];
        let refused = created.errors().iter().any(|e| number_fields.contains(&e.field()));
        let implausible = created.warnings().iter().any(|w| w.is_implausible());
        prop_assert_eq!(created.invalidity().is_some(), refused || implausible);
        if let Some(reason) = created.invalidity() {
            prop_assert!(!reason.message().is_empty() && !reason.plain_message().is_empty());
        }
        // Valid exactly when there is no error.
        prop_assert_eq!(created.errors().is_empty(), created.into_result().is_ok());
    }

    #[test]
    fn normalising_a_normalised_number_changes_nothing(
        code in any_country_code(),
        area in "[0-9]{0,4}",
        number in "[0-9 ()-]{1,16}",
    ) {
        // A valid number reads back the same from its forms. An invalid one need not: `+62
        // 00000000` keeps a zero after the trunk prefix comes off, and loses it when read again,
        // in libphonenumber as here.
        if let Ok(parsed) = ParsedNumber::parse(code, &area, &number).map_err(drop).and_then(|p| if p.is_valid() { Ok(p) } else { Err(()) }) {
            // The national form is read back only where the plan makes it unambiguous: a few
            // plans' formats write a 0 their parsing does not take off again (Gabon's
            // `0$1` with no national prefix), in libphonenumber as here.
            let mut forms = vec![parsed.international(), parsed.e164()];
            if [CountryCode::NZ, CountryCode::AU].contains(&code) {
                forms.push(parsed.national());
            }
            for written in forms {
                let again = ParsedNumber::parse(code, "", &written);
                prop_assert_eq!(again.as_ref(), Ok(&parsed), "{}", written);
            }
        }
    }
}
