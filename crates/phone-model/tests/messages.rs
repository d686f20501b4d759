//! Every message of the contract, asserted to the letter, each from an input that breaks its rule.

use phone_model::{
    ErrorBody, Field, PhoneNumberInput, ValidationError, Value, validate_create, validate_update,
};

/// A request that breaks no rule, to spoil one member at a time.
fn valid() -> PhoneNumberInput {
    PhoneNumberInput {
        phone_name: Value::text("John"),
        country_code: Value::text("+64"),
        area_code: Value::text("09"),
        phone_number: Value::text("264 5555"),
        phone_type: Value::text("Home"),
        is_primary: Value::Bool(true),
        ..PhoneNumberInput::default()
    }
}

/// The (field, message) pairs that validating `input` as a create gives.
#[track_caller]
fn create_errors(input: &PhoneNumberInput) -> Vec<(&'static str, &'static str)> {
    validate_create(input).errors().iter().map(|e| (e.field().wire_name(), e.message())).collect()
}

#[test]
fn a_valid_request_gives_its_members_trimmed_and_its_number_read() {
    let mut input = valid();
    input.phone_name = Value::text("  Jo  ");
    input.area_code = Value::text(" 09 ");
    input.phone_number = Value::text(" 264 5555 ");
    let valid = validate_create(&input).into_result().unwrap();
    assert_eq!(
        (valid.phone_name(), valid.area_code(), valid.phone_number(), valid.is_primary()),
        ("Jo", "09", "264 5555", Some(true))
    );
    assert_eq!(valid.number().map(|n| n.e164()).as_deref(), Some("+6492645555"));
}

#[test]
fn each_member_may_be_exactly_as_long_as_its_limit() {
    use phone_model::{AREA_CODE_MAX, PHONE_NAME_MAX, PHONE_NUMBER_MAX};
    let mut input = valid();
    input.phone_name = Value::text("n".repeat(PHONE_NAME_MAX));
    input.area_code = Value::text("9".repeat(AREA_CODE_MAX));
    input.phone_number = Value::text(format!("264 5555 {}", "x".repeat(PHONE_NUMBER_MAX - 9)));
    assert_eq!(create_errors(&input), []);
}

#[test]
fn is_primary_is_required_to_create_optional_to_update_and_may_be_a_word() {
    let mut input = valid();
    input.is_primary = Value::Absent;
    assert_eq!(create_errors(&input), [("isPrimary", "IsPrimary is required.")]);
    let update = validate_update("1234567", &input).into_result().unwrap();
    assert_eq!(update.is_primary(), None, "an update without it leaves it");
    input.is_primary = Value::text(" False ");
    assert_eq!(validate_create(&input).into_result().unwrap().is_primary(), Some(false));
    input.is_primary = Value::text("maybe");
    assert_eq!(
        validate_create(&input).into_result().map(|_| ()),
        Err(vec![ValidationError::IsPrimaryInvalid]),
        "every other member valid, and still refused"
    );
    // An update's body may leave its id out, or repeat the path's.
    input.is_primary = Value::Bool(true);
    for id in [Value::Absent, Value::Null, Value::text(" 1234567 ")] {
        input.phone_number_id = id.clone();
        assert!(validate_update("1234567", &input).errors().is_empty(), "{id:?}");
    }
}

#[test]
fn the_valid_request_has_no_errors() {
    assert_eq!(create_errors(&valid()), []);
}

#[test]
fn each_contract_message_comes_from_the_rule_it_names() {
    let cases: Vec<(&str, PhoneNumberInput, &str, &str)> = vec![
        (
            "missing name",
            PhoneNumberInput { phone_name: Value::Absent, ..valid() },
            "phoneName",
            "PhoneName is required.",
        ),
        (
            "white-space name",
            PhoneNumberInput { phone_name: Value::text(" \t "), ..valid() },
            "phoneName",
            "PhoneName is required.",
        ),
        (
            "51 characters",
            PhoneNumberInput { phone_name: Value::text("a".repeat(51)), ..valid() },
            "phoneName",
            "PhoneName must not exceed 50 characters.",
        ),
        (
            "26 emoji are 52 UTF-16 code units",
            PhoneNumberInput { phone_name: Value::text("😀".repeat(26)), ..valid() },
            "phoneName",
            "PhoneName must not exceed 50 characters.",
        ),
        (
            "null country code",
            PhoneNumberInput { country_code: Value::Null, ..valid() },
            "countryCode",
            "CountryCode is required.",
        ),
        (
            "five-character country code",
            PhoneNumberInput { country_code: Value::text("+6400"), ..valid() },
            "countryCode",
            "CountryCode must not exceed 4 characters.",
        ),
        (
            "five-character area code",
            PhoneNumberInput { area_code: Value::text("09999"), ..valid() },
            "areaCode",
            "AreaCode must not exceed 4 characters.",
        ),
        (
            "empty number",
            PhoneNumberInput { phone_number: Value::text(""), ..valid() },
            "phoneNumber",
            "PhoneNumber is required.",
        ),
        (
            "letters only",
            PhoneNumberInput { phone_number: Value::text("abcdefg"), ..valid() },
            "phoneNumber",
            "PhoneNumber provided is invalid.",
        ),
        (
            "a character the contract does not allow",
            PhoneNumberInput { phone_number: Value::text("264 5555!"), ..valid() },
            "phoneNumber",
            "PhoneNumber provided is invalid.",
        ),
        (
            "76 characters",
            PhoneNumberInput { phone_number: Value::text("1".repeat(76)), ..valid() },
            "phoneNumber",
            "PhoneNumber must not exceed 75 characters.",
        ),
        (
            "missing type",
            PhoneNumberInput { phone_type: Value::Absent, ..valid() },
            "phoneType",
            "PhoneType is required.",
        ),
        (
            "unknown type",
            PhoneNumberInput { phone_type: Value::text("cell"), ..valid() },
            "phoneType",
            "PhoneType is invalid.",
        ),
    ];
    for (case, input, field, message) in cases {
        assert_eq!(create_errors(&input), [(field, message)], "{case}");
    }
}

#[test]
fn an_update_whose_ids_disagree_has_an_invalid_id() {
    let body_differs = PhoneNumberInput { phone_number_id: Value::text("2"), ..valid() };
    let path_bad = valid();
    for (path, input) in [("1", &body_differs), ("12345678901", &path_bad), ("x1", &path_bad)] {
        let errors: Vec<_> = validate_update(path, input)
            .errors()
            .iter()
            .map(|e| (e.field().wire_name(), e.message()))
            .collect();
        assert_eq!(errors, [("phoneNumberId", "PhoneNumberId is invalid.")], "path {path}");
    }
}

#[test]
fn the_messages_of_rules_the_server_enforces_are_the_contracts() {
    let cases = [
        (ValidationError::PhoneNumberExists, "phoneNumber", "PhoneNumber provided already exists."),
        (
            ValidationError::PrimaryRequired,
            "isPrimary",
            "Each customer must have 1 primary phone number.",
        ),
        (
            ValidationError::PrimaryDeletion,
            "phoneNumberId",
            "Deletion of Primary phone number is not allowed.",
        ),
    ];
    for (error, field, message) in cases {
        assert_eq!((error.field().wire_name(), error.message()), (field, message));
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn rules_the_provider_does_not_name_use_its_sentence_style() {
    let cases: Vec<(PhoneNumberInput, &str, &str)> = vec![
        (
            PhoneNumberInput { country_code: Value::text("+999"), ..valid() },
            "countryCode",
            "CountryCode is invalid.",
        ),
        (
            PhoneNumberInput { is_primary: Value::text("yes"), ..valid() },
            "isPrimary",
            "IsPrimary is invalid.",
        ),
        (
            PhoneNumberInput { is_primary: Value::Absent, ..valid() },
            "isPrimary",
            "IsPrimary is required.",
        ),
        (
            PhoneNumberInput { phone_name: Value::Other, ..valid() },
            "phoneName",
            "PhoneName is invalid.",
        ),
        (
            PhoneNumberInput { area_code: Value::text("ab"), ..valid() },
            "areaCode",
            "AreaCode is invalid.",
        ),
        (
            PhoneNumberInput::from_members([
                ("phoneName", Value::text("John")),
                ("name", Value::text("Jane")),
                ("countryCode", Value::text("+64")),
                ("phoneNumber", Value::text("09 264 5555")),
                ("phoneType", Value::text("home")),
                ("isPrimary", Value::Bool(true)),
            ]),
            "phoneName",
            "PhoneName must not be sent twice with different values.",
        ),
    ];
    for (input, field, message) in cases {
        assert_eq!(create_errors(&input), [(field, message)], "{message}");
    }
    assert_eq!(ValidationError::BodyInvalid.field(), Field::Body);
    assert_eq!(ValidationError::BodyInvalid.message(), "Body must be a JSON object.");
}

#[test]
fn every_failure_is_reported_at_once_in_the_providers_order() {
    let input = PhoneNumberInput {
        phone_number_id: Value::text("7"),
        phone_name: Value::text("x".repeat(60)),
        country_code: Value::Absent,
        area_code: Value::text("12345"),
        phone_number: Value::text(format!("{}é", "1".repeat(80))),
        phone_type: Value::text("pager"),
        is_primary: Value::text("maybe"),
    };
    let errors: Vec<_> =
        validate_update("8", &input).errors().iter().map(|e| e.message()).collect();
    assert_eq!(
        errors,
        [
            "PhoneNumberId is invalid.",
            "PhoneName must not exceed 50 characters.",
            "CountryCode is required.",
            "AreaCode must not exceed 4 characters.",
            "PhoneNumber provided is invalid.",
            "PhoneNumber must not exceed 75 characters.",
            "PhoneType is invalid.",
            "IsPrimary is invalid.",
        ]
    );
}

#[test]
fn the_validation_body_has_the_contracts_shape() {
    let body = ErrorBody::validation(&[ValidationError::PhoneTypeRequired]);
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "errorCode": "validation",
            "message": "Unable to process request due to validation errors.",
            "errors": [{"field": "phoneType", "message": "PhoneType is required."}]
        })
    );
}

#[test]
fn every_refusal_has_the_contracts_status_and_body() {
    use phone_model::{DELETED_MESSAGE, Refusal};
    use serde_json::json;
    let cases = [
        (
            Refusal::Unauthorized,
            401,
            json!({"message": "Authorization has been denied for this request."}),
        ),
        (
            Refusal::CustomerAccessDenied,
            403,
            json!({
                "errorCode": "customer_access_denied",
                "message": "Unable to process this request as you do not have access to the customer associated to this request."
            }),
        ),
        (Refusal::NotFound, 404, json!({"message": "The requested resource could not be found."})),
        (
            Refusal::TooManyRequests,
            429,
            json!({"message": "You have exceeded the maximum limit of request allowed. Please try your request again in a moment."}),
        ),
        (
            Refusal::Internal,
            500,
            json!({"message": "Something went wrong while processing your request. We’re sorry for the trouble. We’ve been notified of the error and will correct it as soon as possible. Please try your request again in a moment."}),
        ),
        (
            Refusal::Validation,
            400,
            json!({"errorCode": "validation", "message": "Unable to process request due to validation errors."}),
        ),
    ];
    for (refusal, status, body) in cases {
        assert_eq!(refusal.status(), status);
        assert_eq!(serde_json::to_value(ErrorBody::refusal(refusal)).unwrap(), body, "{refusal:?}");
    }
    // Our own refusals: the contract fixes only the status and the `{"message"}` shape.
    for (refusal, status) in [
        (Refusal::MethodNotAllowed, 405),
        (Refusal::PayloadTooLarge, 413),
        (Refusal::UnsupportedMediaType, 415),
        (Refusal::Unavailable, 503),
    ] {
        assert_eq!(refusal.status(), status);
        assert!(refusal.message().ends_with('.') && refusal.error_code().is_none());
    }
    // Gateway mode's: the provider gave no answer.
    for (refusal, status, code) in [
        (Refusal::UpstreamUnreachable, 502, "provider_unreachable"),
        (Refusal::UpstreamTimedOut, 504, "provider_timeout"),
    ] {
        assert_eq!((refusal.status(), refusal.error_code()), (status, Some(code)));
        assert!(
            refusal.message().starts_with("Unable to process this request as the provider's API")
        );
    }
    // Phonedesk's extensions' refusals, with their codes.
    for (refusal, status, code) in [
        (Refusal::PreconditionFailed, 412, "precondition_failed"),
        (Refusal::IdempotencyKeyReused, 422, "idempotency_key_reused"),
        (Refusal::ForeignOrigin, 403, "origin_refused"),
    ] {
        assert_eq!((refusal.status(), refusal.error_code()), (status, Some(code)));
        assert_eq!(refusal.to_string(), refusal.message());
        assert!(refusal.message().starts_with("Unable to process this request as"));
    }
    assert_eq!(DELETED_MESSAGE, "Phone number successfully deleted");
}
