//! A phone number request as it arrived: every member as sent, before any rule is applied.

use alloc::string::String;

/// One member's value as it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Value {
    /// The member was not sent.
    #[default]
    Absent,
    /// The member was `null`.
    Null,
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// Anything else: a number, an array, an object.
    Other,
    /// The member and its alias were both sent, with different values.
    Conflicting,
}

impl Value {
    /// Text, from a form field.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// The text, as sent; `""` for any other value.
    #[must_use]
    pub fn as_text(&self) -> &str {
        match self {
            Self::Text(text) => text,
            _ => "",
        }
    }
}

/// The members of a create or update request. Build it from a form with struct syntax and
/// [`Value::text`], or from a decoded body with [`PhoneNumberInput::from_members`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PhoneNumberInput {
    /// `phoneNumberId` in a body: ignored on create, must match the path on update.
    pub phone_number_id: Value,
    /// `phoneName`, or its alias `name`.
    pub phone_name: Value,
    /// `countryCode`.
    pub country_code: Value,
    /// `areaCode`.
    pub area_code: Value,
    /// `phoneNumber`.
    pub phone_number: Value,
    /// `phoneType`, or its aliases `type` and `phonetype`.
    pub phone_type: Value,
    /// `isPrimary`.
    pub is_primary: Value,
}

impl PhoneNumberInput {
    /// A stored number's members, as a request to create it would send them: how a stored
    /// number is judged again (the review) and keyed (a mirror of the provider's numbers).
    #[cfg(feature = "serde")]
    #[must_use]
    pub fn stored(number: &crate::PhoneNumberResource) -> Self {
        Self {
            phone_name: Value::text(&number.phone_name),
            country_code: Value::text(number.country_code.as_str()),
            area_code: Value::text(&number.area_code),
            phone_number: Value::text(&number.phone_number),
            phone_type: Value::text(number.phone_type.as_str()),
            is_primary: Value::Bool(number.is_primary),
            ..Self::default()
        }
    }

    /// Gathers the members of a request body. Names match in any letter case, as the
    /// provider's server matches them (so `phonetype` is `phoneType`); the older names `name`
    /// and `type` are aliases; members the object does not have are ignored. A member sent
    /// twice (directly or by alias) with different values becomes [`Value::Conflicting`].
    ///
    /// ```
    /// use phone_model::{PhoneNumberInput, Value};
    /// let input = PhoneNumberInput::from_members([
    ///     ("name", Value::text("John")),
    ///     ("phonetype", Value::text("Home")),
    ///     ("colour", Value::text("blue")),
    /// ]);
    /// assert_eq!(input.phone_name, Value::text("John"));
    /// assert_eq!(input.phone_type, Value::text("Home"));
    /// ```
    #[must_use]
    pub fn from_members<K: AsRef<str>>(members: impl IntoIterator<Item = (K, Value)>) -> Self {
        let mut input = Self::default();
        for (name, value) in members {
            let is = |wanted: &str| name.as_ref().eq_ignore_ascii_case(wanted);
            let slot = if is("phoneNumberId") {
                &mut input.phone_number_id
            } else if is("phoneName") || is("name") {
                &mut input.phone_name
            } else if is("countryCode") {
                &mut input.country_code
            } else if is("areaCode") {
                &mut input.area_code
            } else if is("phoneNumber") {
                &mut input.phone_number
            } else if is("phoneType") || is("type") {
                &mut input.phone_type
            } else if is("isPrimary") {
                &mut input.is_primary
            } else {
                continue;
            };
            merge(slot, value);
        }
        input
    }
}

/// Puts a member's value in its slot. `null` or absence beside a value is no disagreement.
fn merge(slot: &mut Value, value: Value) {
    match (&*slot, &value) {
        (_, Value::Absent | Value::Null) if *slot != Value::Absent => {}
        (Value::Absent | Value::Null, _) => *slot = value,
        (old, new) if old == new => {}
        _ => *slot = Value::Conflicting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_that_disagrees_conflicts_and_one_that_agrees_does_not() {
        let agree = PhoneNumberInput::from_members([
            ("phoneName", Value::text("John")),
            ("name", Value::text("John")),
        ]);
        assert_eq!(agree.phone_name, Value::text("John"));
        let disagree = PhoneNumberInput::from_members([
            ("phoneType", Value::text("home")),
            ("type", Value::text("work")),
        ]);
        assert_eq!(disagree.phone_type, Value::Conflicting);
        let with_null = PhoneNumberInput::from_members([
            ("name", Value::Null),
            ("phoneName", Value::text("John")),
            ("NAME", Value::Absent),
        ]);
        assert_eq!(with_null.phone_name, Value::text("John"));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_stored_number_is_judged_again_with_every_member() {
        let stored: crate::PhoneNumberResource = serde_json::from_value(serde_json::json!({
            "phoneNumberId": "7", "phoneName": "Ann", "countryCode": "+64", "areaCode": "9",
            "phoneNumber": "264 5555", "phoneType": "work", "isPrimary": true
        }))
        .unwrap();
        let input = PhoneNumberInput::stored(&stored);
        assert_eq!(
            input,
            PhoneNumberInput::from_members([
                ("phoneName", Value::text("Ann")),
                ("countryCode", Value::text("+64")),
                ("areaCode", Value::text("9")),
                ("phoneNumber", Value::text("264 5555")),
                ("phoneType", Value::text("work")),
                ("isPrimary", Value::Bool(true)),
            ])
        );
    }
}
