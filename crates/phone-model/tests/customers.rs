//! A new customer's rules and messages, and the list parameters'.

use phone_model::{
    CUSTOMER_TEXT_MAX, CustomerInput, ErrorBody, PageSize, SEARCH_MAX, ValidationError,
    customer_search, validate_new_customer,
};
use serde_json::json;

fn body_of(input: serde_json::Value) -> serde_json::Value {
    let input: CustomerInput = serde_json::from_value(input).unwrap();
    match validate_new_customer(&input).0 {
        Ok(customer) => json!({"ok": customer.first_name()}),
        Err(errors) => {
            serde_json::to_value(ErrorBody::validation(&errors)).unwrap()["errors"].clone()
        }
    }
}

#[test]
fn a_customer_with_one_valid_number_is_accepted_and_it_becomes_primary() {
    let input: CustomerInput = serde_json::from_value(json!({
        "businessId": "3333333", "firstName": " John ", "lastName": "Doe",
        "externalReference": "abc1453", "customerType": "Individual",
        "phoneNumber": {"phoneName": "John", "countryCode": "+64", "areaCode": "09",
                        "phoneNumber": "264 5555", "phoneType": "home"}
    }))
    .unwrap();
    let customer = validate_new_customer(&input).0.unwrap();
    assert_eq!(customer.business_id(), "3333333");
    assert_eq!(customer.first_name(), "John");
    assert_eq!(customer.last_name(), "Doe");
    assert_eq!(customer.external_reference(), "abc1453");
    assert_eq!(customer.phone_number().is_primary(), Some(true));
}

#[test]
fn names_of_exactly_forty_characters_are_kept_and_blank_ones_are_missing() {
    let at_limit = "x".repeat(CUSTOMER_TEXT_MAX);
    let accepted = body_of(json!({"businessId": "1", "firstName": format!(" {at_limit} "),
        "phoneNumber": {"phoneName": "Jo", "countryCode": "+64", "areaCode": "9",
                        "phoneNumber": "264 5555", "phoneType": "home"}}));
    assert_eq!(accepted, json!({"ok": at_limit}));
    let blank = body_of(json!({"businessId": " ", "firstName": "\t",
        "phoneNumber": {"phoneName": "Jo", "countryCode": "+64", "areaCode": "9",
                        "phoneNumber": "264 5555", "phoneType": "home"}}));
    assert_eq!(
        blank,
        json!([
            {"field": "businessId", "message": "BusinessId is required."},
            {"field": "firstName", "message": "FirstName is required."},
        ])
    );
}

#[test]
fn a_search_of_up_to_a_hundred_code_units_is_accepted_trimmed() {
    let at_limit = "é".repeat(SEARCH_MAX);
    assert_eq!(customer_search(Some(&format!(" {at_limit} "))), Ok(Some(at_limit.as_str())));
    assert_eq!(customer_search(None), Ok(None));
    // 😀 is two UTF-16 code units, as the provider counts.
    let over = "😀".repeat(SEARCH_MAX / 2) + "a";
    assert_eq!(customer_search(Some(&over)), Err(ValidationError::SearchTooLong));
}

#[test]
fn each_customer_message_names_its_field_and_nested_fields_carry_their_path() {
    let cases = [
        (
            json!({}),
            json!([
                {"field": "businessId", "message": "BusinessId is required."},
                {"field": "firstName", "message": "FirstName is required."},
                {"field": "phoneNumber", "message": "PhoneNumber is required."},
            ]),
        ),
        (
            json!({"businessId": 5, "firstName": "x".repeat(41), "lastName": "y".repeat(41),
                   "externalReference": "z".repeat(41), "phoneNumber": "021 123 4567"}),
            json!([
                {"field": "businessId", "message": "BusinessId is invalid."},
                {"field": "firstName", "message": "FirstName must not exceed 40 characters."},
                {"field": "lastName", "message": "LastName must not exceed 40 characters."},
                {"field": "externalReference", "message": "ExternalReference must not exceed 40 characters."},
                {"field": "phoneNumber", "message": "PhoneNumber is required."},
            ]),
        ),
        (
            json!({"businessId": "1", "firstName": "Jo", "phoneNumber": {"phoneType": "pager"}}),
            json!([
                {"field": "phoneNumber.phoneName", "message": "PhoneName is required."},
                {"field": "phoneNumber.countryCode", "message": "CountryCode is required."},
                {"field": "phoneNumber.phoneNumber", "message": "PhoneNumber is required."},
                {"field": "phoneNumber.phoneType", "message": "PhoneType is invalid."},
            ]),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(body_of(input.clone()), expected, "{input}");
    }
}

#[test]
fn list_limits_default_to_and_are_capped_at_fifty() {
    let cases = [
        (None, Ok(50)),
        (Some("1"), Ok(1)),
        (Some("50"), Ok(50)),
        (Some("51"), Ok(50)),
        (Some("9223372036854775807"), Ok(50)),
        (Some("9223372036854775808"), Err("Limit is invalid.")),
        (Some("0"), Err("Limit is invalid.")),
        (Some("-1"), Err("Limit is invalid.")),
        (Some("1.5"), Err("Limit is invalid.")),
        // Rust reads a sign; the API's integer does not have one.
        (Some("+5"), Err("Limit is invalid.")),
        (Some("ten"), Err("Limit is invalid.")),
        (Some(""), Err("Limit is invalid.")),
    ];
    for (limit, expected) in cases {
        let got = PageSize::from_limit(limit).map(PageSize::get).map_err(|e| e.message());
        assert_eq!(got, expected, "{limit:?}");
    }
    assert_eq!(ValidationError::NextCursorInvalid.field().wire_name(), "nextCursor");
    assert_eq!(ValidationError::NextCursorInvalid.message(), "NextCursor is invalid.");
    assert_eq!(
        ValidationError::ExternalReferenceExists.message(),
        "ExternalReference exists for the provided BusinessId."
    );
}
