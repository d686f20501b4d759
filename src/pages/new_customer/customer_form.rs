//! The new customer form as data: what was typed, the request it makes, and its problems,
//! judged by the core's rules as the server judges them. Plain functions, tested natively.

use phone_model::{
    Country, CountryCode, CustomerInput, ErrorBody, Field, PhoneNumberInput, Validation, Value,
    validate_new_customer, written_country,
};

use crate::form::{PhoneForm, Problems};

/// What a person typed into the new customer form; sent as it is, in the contract's member
/// names. The number's contact name is the first name: the person to ask for is the customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerForm {
    pub business_id: String,
    pub first_name: String,
    pub last_name: String,
    pub external_reference: String,
    pub phone_number: PhoneForm,
}

impl CustomerForm {
    /// A new customer of `business_id` (empty: to be chosen) whose number is written as
    /// `number`: under the country it is written with (`+44 …`), New Zealand when it names none.
    pub fn new(business_id: String, number: &str) -> (Self, Option<&'static Country>) {
        let mut phone =
            PhoneForm { phone_number: number.trim().to_owned(), ..PhoneForm::default() };
        phone.is_primary = true;
        let written = CountryCode::new(&phone.country_code)
            .ok()
            .and_then(|selected| written_country(selected, number));
        if let Some(country) = written {
            phone.country_code = country.code().to_owned();
        }
        let form = Self {
            business_id,
            first_name: String::new(),
            last_name: String::new(),
            external_reference: String::new(),
            phone_number: phone,
        };
        (form, written)
    }

    /// Sets the first name, and with it the number's contact name.
    pub fn set_first_name(&mut self, first_name: String) {
        self.phone_number.phone_name = first_name.trim().to_owned();
        self.first_name = first_name;
    }

    fn input(&self) -> CustomerInput {
        let phone = &self.phone_number;
        CustomerInput {
            business_id: Value::text(&self.business_id),
            first_name: Value::text(&self.first_name),
            last_name: Value::text(&self.last_name),
            external_reference: Value::text(&self.external_reference),
            phone_number: Some(PhoneNumberInput {
                phone_name: Value::text(&phone.phone_name),
                country_code: Value::text(&phone.country_code),
                area_code: Value::text(&phone.area_code),
                phone_number: Value::text(&phone.phone_number),
                phone_type: Value::text(&phone.phone_type),
                is_primary: Value::Bool(true),
                ..PhoneNumberInput::default()
            }),
        }
    }

    /// The core's errors, in the app's words at each field: read as the server's 400 for them
    /// would be, so that both land alike.
    pub fn errors(&self) -> Problems {
        let errors = validate_new_customer(&self.input()).0.err().unwrap_or_default();
        problems_of(ErrorBody::validation(&errors))
    }

    /// The number's own verdict: its warnings, and how it will be dialled.
    pub fn number(&self) -> Validation {
        self.phone_number.check(None)
    }
}

/// The problems of a 400 body. The contact name is the first name's: its problems are the
/// first name's, said there.
pub fn problems_of(mut body: ErrorBody) -> Problems {
    body.errors.retain(|entry| entry.about() != Some(Field::PhoneName));
    Problems::from_server(&body)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_number_from_the_phone_system_is_filled_in_under_its_country() {
        let (form, followed) = CustomerForm::new(String::new(), "+64211234567");
        assert_eq!(form.phone_number.country_code, "+64");
        assert_eq!(form.phone_number.phone_number, "+64211234567");
        assert!(followed.is_none(), "New Zealand already");
        let (form, followed) = CustomerForm::new(String::new(), "+44 20 7946 0958");
        assert_eq!(form.phone_number.country_code, "+44");
        assert_eq!(followed.map(Country::name), Some("United Kingdom"));
    }

    #[test]
    fn an_empty_form_has_the_apps_words_at_each_field_and_none_for_the_contact_name() {
        let (form, _) = CustomerForm::new(String::new(), "");
        let problems = form.errors();
        assert_eq!(problems.of(Field::BusinessId), ["Choose a business."]);
        assert_eq!(problems.of(Field::FirstName), ["Enter a first name."]);
        assert_eq!(problems.of(Field::PhoneNumber), ["Enter the number."]);
        assert_eq!(problems.of(Field::PhoneType), ["Choose a type."]);
        assert_eq!(problems.of(Field::PhoneName), [] as [String; 0]);
        assert_eq!(problems.all().len(), 4);
    }

    #[test]
    fn a_filled_form_makes_the_contracts_body_and_passes_the_rules() {
        let (mut form, _) = CustomerForm::new("3333333".to_owned(), "021 123 4567");
        form.set_first_name(" Aroha ".to_owned());
        form.last_name = "Ngata".to_owned();
        form.phone_number.phone_type = "mobile".to_owned();
        assert!(form.errors().is_empty(), "{:?}", form.errors());
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            json!({"businessId": "3333333", "firstName": " Aroha ", "lastName": "Ngata",
                   "externalReference": "", "phoneNumber": {"phoneName": "Aroha",
                   "countryCode": "+64", "areaCode": "", "phoneNumber": "021 123 4567",
                   "phoneType": "mobile", "isPrimary": true}})
        );
    }
}
