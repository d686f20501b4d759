//! The phone number form as data: what was typed, the request it makes, and the problems to
//! show at each field — from the shared rules before saving, or from the server's 400 after.
//! Plain functions, tested natively; the components only render them.

use std::collections::BTreeMap;

use phone_model::{
    ErrorBody, Field, PhoneNumberInput, PhoneNumberResource, Validation, ValidationError, Value,
    validate_create, validate_update,
};

/// What a person typed into the phone number form; sent as it is, in the contract's member
/// names, as the body of a create or an update (a typed body: no JSON tree in the wasm).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneForm {
    pub phone_name: String,
    pub phone_type: String,
    pub country_code: String,
    pub area_code: String,
    pub phone_number: String,
    pub is_primary: bool,
}

impl Default for PhoneForm {
    /// A new number: New Zealand first, as most of our customers are there.
    fn default() -> Self {
        Self {
            phone_name: String::new(),
            phone_type: String::new(),
            country_code: "+64".to_owned(),
            area_code: String::new(),
            phone_number: String::new(),
            is_primary: false,
        }
    }
}

impl PhoneForm {
    /// The form for editing a saved number.
    pub fn from_saved(number: &PhoneNumberResource) -> Self {
        Self {
            phone_name: number.phone_name.clone(),
            phone_type: number.phone_type.as_str().to_owned(),
            country_code: number.country_code.as_str().to_owned(),
            area_code: number.area_code.clone(),
            phone_number: number.phone_number.clone(),
            is_primary: number.is_primary,
        }
    }

    fn input(&self) -> PhoneNumberInput {
        PhoneNumberInput {
            phone_name: Value::text(&self.phone_name),
            country_code: Value::text(&self.country_code),
            area_code: Value::text(&self.area_code),
            phone_number: Value::text(&self.phone_number),
            phone_type: Value::text(&self.phone_type),
            is_primary: Value::Bool(self.is_primary),
            ..PhoneNumberInput::default()
        }
    }

    /// The saved number (of `saved`, other than `editing`) that this one would duplicate, by
    /// the core's rule of what one number is.
    pub fn duplicate_of<'a>(
        &self,
        saved: &'a [PhoneNumberResource],
        editing: Option<&str>,
    ) -> Option<&'a PhoneNumberResource> {
        let key = |form: &Self, id: Option<&str>| {
            form.check(id).into_result().ok().map(|number| number.duplicate_key())
        };
        let mine = key(self, editing)?;
        saved.iter().filter(|n| Some(n.phone_number_id.as_str()) != editing).find(|n| {
            key(&Self::from_saved(n), Some(n.phone_number_id.as_str())).as_ref() == Some(&mine)
        })
    }

    /// Each field as staff read it, in the form's order: its label and value.
    pub fn described(&self) -> [(&'static str, String); 6] {
        let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
        let phone_type = self
            .phone_type
            .parse::<phone_model::PhoneType>()
            .map_or_else(|_| self.phone_type.clone(), |t| t.label().to_owned());
        let or_none = |text: &str| if text.is_empty() { "—".to_owned() } else { text.to_owned() };
        [
            ("Contact name", or_none(&self.phone_name)),
            ("Country code", or_none(&self.country_code)),
            ("Area code", or_none(&self.area_code)),
            ("Number", or_none(&self.phone_number)),
            ("Type", phone_type),
            ("Primary number", yes_no(self.is_primary)),
        ]
    }

    /// `mine` — typed over `base` — laid over `theirs`, a later version of `base`: each part
    /// this person changed keeps their value, every other part takes the other person's. The
    /// number itself (country code, area code and digits) is one part: half of each person's
    /// would be a number neither of them typed.
    pub fn merged(mine: &Self, base: &Self, theirs: &Self) -> Self {
        let pick = |m: &String, b: &String, t: &String| if m == b { t.clone() } else { m.clone() };
        let number =
            |f: &Self| (f.country_code.clone(), f.area_code.clone(), f.phone_number.clone());
        let (country_code, area_code, phone_number) =
            if number(mine) == number(base) { number(theirs) } else { number(mine) };
        Self {
            phone_name: pick(&mine.phone_name, &base.phone_name, &theirs.phone_name),
            phone_type: pick(&mine.phone_type, &base.phone_type, &theirs.phone_type),
            country_code,
            area_code,
            phone_number,
            is_primary: if mine.is_primary == base.is_primary {
                theirs.is_primary
            } else {
                mine.is_primary
            },
        }
    }

    /// The shared rules' verdict: for a new number, or for an edit of `editing`.
    pub fn check(&self, editing: Option<&str>) -> Validation {
        match editing {
            Some(id) => validate_update(id, &self.input()),
            None => validate_create(&self.input()),
        }
    }
}

/// The form's fields, in the order they appear — the order the provider lists its messages
/// in, so the error summary reads top to bottom — with the id of the element of each.
pub const FIELDS: [(Field, &str); 6] = [
    (Field::PhoneName, "phone-name"),
    (Field::CountryCode, "country-code"),
    (Field::AreaCode, "area-code"),
    (Field::PhoneNumber, "phone-number"),
    (Field::PhoneType, "phone-type"),
    (Field::IsPrimary, "is-primary"),
];

/// The element id for a field; problems of fields the form does not have (the body, the id)
/// belong to the form as a whole.
pub fn element_id(field: Field) -> &'static str {
    FIELDS.iter().find(|(f, _)| *f == field).map_or("phone-form", |(_, id)| id)
}

/// Messages by their field, each field's in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    by_field: BTreeMap<Field, Vec<String>>,
    /// (field, message) in the order they were reported, for the error summary.
    in_order: Vec<(Field, String)>,
    /// The core's rules that were broken, where the problem is one: what the form acts on
    /// (a number the customer has already), rather than on its words.
    broken: Vec<ValidationError>,
}

impl Problems {
    fn push(&mut self, field: Field, message: String) {
        self.by_field.entry(field).or_default().push(message.clone());
        self.in_order.push((field, message));
    }

    /// The errors of a validation, in the app's words.
    pub fn errors_of(validation: &Validation) -> Self {
        let mut problems = Self::default();
        for error in validation.errors() {
            problems.push(error.field(), error.plain_message().to_owned());
            problems.broken.push(*error);
        }
        problems
    }

    /// The warnings that say the number cannot exist as written: saving one takes a
    /// deliberate "anyway".
    pub fn implausible_of(validation: &Validation) -> Self {
        Self::warnings_where(validation, true)
    }

    /// The other warnings: hints, which never hold a save up.
    pub fn hints_of(validation: &Validation) -> Self {
        Self::warnings_where(validation, false)
    }

    fn warnings_where(validation: &Validation, implausible: bool) -> Self {
        let mut problems = Self::default();
        for warning in validation.warnings().iter().filter(|w| w.is_implausible() == implausible) {
            problems.push(warning.field(), warning.plain_message());
        }
        problems
    }

    /// The server's 400 body, field by field (a nested `phoneNumber.x` counts as `x`; a field
    /// the contract does not have, as the body's), in the app's words where the core knows
    /// the rule (as it knows every one of the contract's).
    pub fn from_server(body: &ErrorBody) -> Self {
        let mut problems = Self::default();
        for entry in &body.errors {
            let broken = entry.located().map(|located| located.error);
            let message =
                broken.map_or_else(|| entry.message.clone(), |e| e.plain_message().to_owned());
            problems.push(entry.about().unwrap_or(Field::Body), message);
            problems.broken.extend(broken);
        }
        problems
    }

    /// Adds `other`'s problems after these.
    pub fn extend(&mut self, other: &Self) {
        for (field, message) in &other.in_order {
            self.push(*field, message.clone());
        }
        self.broken.extend_from_slice(&other.broken);
    }

    /// The messages of one field.
    pub fn of(&self, field: Field) -> &[String] {
        self.by_field.get(&field).map_or(&[], Vec::as_slice)
    }

    /// Every (field, message), in the order reported.
    pub fn all(&self) -> &[(Field, String)] {
        &self.in_order
    }

    /// Whether one of the problems is `rule` broken.
    pub fn broke(&self, rule: ValidationError) -> bool {
        self.broken.contains(&rule)
    }

    pub fn is_empty(&self) -> bool {
        self.in_order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use phone_model::FieldMessage;
    use serde_json::json;

    use super::*;

    fn filled() -> PhoneForm {
        PhoneForm {
            phone_name: "John".to_owned(),
            phone_type: "home".to_owned(),
            area_code: "09".to_owned(),
            phone_number: "264 5555".to_owned(),
            ..PhoneForm::default()
        }
    }

    #[test]
    fn a_merge_keeps_what_this_person_changed_and_takes_the_rest_from_the_other() {
        let base = filled();
        let mine = PhoneForm { phone_name: "Johnny".to_owned(), ..base.clone() };
        let theirs = PhoneForm {
            phone_type: "work".to_owned(),
            phone_name: "Jon".to_owned(),
            is_primary: true,
            ..base.clone()
        };
        let merged = PhoneForm::merged(&mine, &base, &theirs);
        assert_eq!(
            merged,
            PhoneForm {
                phone_name: "Johnny".to_owned(),
                phone_type: "work".to_owned(),
                is_primary: true,
                ..base.clone()
            }
        );
        // Nothing typed: theirs, whole.
        assert_eq!(PhoneForm::merged(&base, &base, &theirs), theirs);
        // The number is one part: their area code never goes with my digits.
        let my_digits = PhoneForm { phone_number: "555 0000".to_owned(), ..base.clone() };
        let their_area = PhoneForm { area_code: "04".to_owned(), ..base.clone() };
        assert_eq!(PhoneForm::merged(&my_digits, &base, &their_area), my_digits);
        assert_eq!(PhoneForm::merged(&base, &base, &their_area), their_area);
        assert_eq!(theirs.described()[4], ("Type", "Work".to_owned()));
        assert_eq!(theirs.described()[5], ("Primary number", "Yes".to_owned()));
    }

    #[test]
    fn a_filled_form_makes_the_contracts_body_and_passes_the_rules() {
        let form = filled();
        assert!(form.check(None).errors().is_empty());
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            json!({"phoneName": "John", "countryCode": "+64", "areaCode": "09",
                   "phoneNumber": "264 5555", "phoneType": "home", "isPrimary": false})
        );
    }

    #[test]
    fn an_empty_form_has_the_apps_words_at_each_field() {
        let problems = Problems::errors_of(&PhoneForm::default().check(None));
        assert_eq!(problems.of(Field::PhoneName), ["Enter a contact name."]);
        assert_eq!(problems.of(Field::PhoneNumber), ["Enter the number."]);
        assert_eq!(problems.of(Field::PhoneType), ["Choose a type."]);
        assert_eq!(problems.of(Field::CountryCode), [] as [String; 0]);
        assert_eq!(problems.all().len(), 3);
        assert!(problems.broke(ValidationError::PhoneNameRequired));
    }

    #[test]
    fn a_server_400_lands_on_its_fields_and_unknown_fields_on_the_form() {
        let entry = |field: &str, message: &str| FieldMessage {
            field: field.to_owned(),
            message: message.to_owned(),
        };
        let body = ErrorBody {
            error_code: Some("validation".to_owned()),
            message: "Unable to process request due to validation errors.".to_owned(),
            errors: vec![
                entry("phoneNumber", "PhoneNumber provided already exists."),
                entry("body", "Body is not valid JSON."),
                entry("nickname", "Nickname is not a member we know."),
            ],
        };
        let problems = Problems::from_server(&body);
        assert_eq!(problems.of(Field::PhoneNumber), ["This customer already has this number."]);
        assert!(problems.broke(ValidationError::PhoneNumberExists), "what the form acts on");
        assert_eq!(problems.of(Field::Body)[1], "Nickname is not a member we know.");
        assert_eq!(element_id(Field::PhoneNumber), "phone-number");
        assert_eq!(element_id(Field::Body), "phone-form");
        // A message of the rule's, but at another field, is not the rule: kept as it was said.
        let moved = ErrorBody {
            errors: vec![entry("phoneName", "PhoneNumber provided already exists.")],
            ..body
        };
        let problems = Problems::from_server(&moved);
        assert!(!problems.broke(ValidationError::PhoneNumberExists));
        assert_eq!(problems.of(Field::PhoneName), ["PhoneNumber provided already exists."]);
    }

    #[test]
    fn warnings_are_kept_apart_from_errors_and_a_number_that_cannot_exist_from_hints() {
        let form = PhoneForm { phone_type: "mobile".to_owned(), ..filled() };
        let validation = form.check(None);
        assert!(Problems::errors_of(&validation).is_empty());
        assert!(Problems::implausible_of(&validation).is_empty());
        assert_eq!(
            Problems::hints_of(&validation).of(Field::PhoneType),
            ["This looks like a landline, not a mobile number."]
        );
        // The number the issue saw saved as "+64 6555".
        let wrong = PhoneForm {
            area_code: "06".to_owned(),
            phone_number: "555 abcd".to_owned(),
            ..filled()
        };
        let validation = wrong.check(None);
        assert!(Problems::errors_of(&validation).is_empty());
        let implausible = Problems::implausible_of(&validation);
        assert!(!implausible.is_empty(), "{validation:?}");
        assert!(implausible.of(Field::PhoneNumber).iter().all(|m| !m.contains("PhoneNumber")));
        assert_eq!(
            Problems::hints_of(&validation).of(Field::PhoneNumber),
            ["The text after the number is kept, but not dialled."]
        );
    }

    #[test]
    fn the_number_a_form_duplicates_is_found_however_either_was_written() {
        let saved: Vec<PhoneNumberResource> = serde_json::from_value(json!([
            {"phoneNumberId": "11", "phoneName": "Aroha", "countryCode": "+64", "areaCode": "",
             "phoneNumber": "021 123 4567", "phoneType": "mobile", "isPrimary": true},
            {"phoneNumberId": "12", "phoneName": "Home", "countryCode": "+64", "areaCode": "09",
             "phoneNumber": "264 5555", "phoneType": "home", "isPrimary": false}
        ]))
        .unwrap();
        let typed =
            PhoneForm { area_code: "9".to_owned(), phone_number: "2645555".to_owned(), ..filled() };
        assert_eq!(
            typed.duplicate_of(&saved, None).map(|n| n.phone_number_id.as_str()),
            Some("12")
        );
        // Editing that number itself duplicates nothing.
        assert_eq!(typed.duplicate_of(&saved, Some("12")), None);
        let other = PhoneForm { phone_number: "264 5556".to_owned(), ..filled() };
        assert_eq!(other.duplicate_of(&saved, None), None);
    }

    #[test]
    fn a_saved_number_fills_the_form_as_it_was_saved() {
        let saved: PhoneNumberResource = serde_json::from_value(json!({
            "phoneNumberId": "12", "phoneName": "John", "countryCode": "+61", "areaCode": "",
            "phoneNumber": "0412 345 678", "phoneType": "mobile", "isPrimary": true
        }))
        .unwrap();
        let form = PhoneForm::from_saved(&saved);
        assert_eq!((form.country_code.as_str(), form.is_primary), ("+61", true));
        assert!(form.check(Some("12")).errors().is_empty());
    }
}
