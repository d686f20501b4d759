//! Reading request bodies and writing the phone number as the server sends it.

use phone_model::{
    BusinessResource, ErrorBody, Field, FieldMessage, GatewayStatus, Located, PhoneNumberInput,
    PhoneNumberResource, Role, SignIn, StaffSession, ValidationError, Value, validate_create,
};
use serde_json::json;

#[test]
fn a_body_of_the_older_sample_reads_like_the_current_one() {
    let older: PhoneNumberInput = serde_json::from_value(json!({
        "name": "john", "countryCode": "+64", "areaCode": "09", "phoneNumber": "264 5555",
        "type": "Home", "isPrimary": "true"
    }))
    .unwrap();
    let current: PhoneNumberInput = serde_json::from_value(json!({
        "phoneName": "john", "countryCode": "+64", "areaCode": "09", "phoneNumber": "264 5555",
        "phoneType": "Home", "isPrimary": true, "phoneNumberId": "55", "unknown": [1, {"a": 2}]
    }))
    .unwrap();
    let older = validate_create(&older).into_result().unwrap();
    let current = validate_create(&current).into_result().unwrap();
    assert_eq!(older, current);
}

#[test]
fn members_of_the_wrong_json_type_are_kept_for_validation_to_report() {
    let input: PhoneNumberInput = serde_json::from_value(json!({
        "phoneName": 5, "countryCode": null, "areaCode": {"x": 1}, "phoneNumber": [1],
        "phoneType": false, "isPrimary": 1.5
    }))
    .unwrap();
    assert_eq!(input.phone_name, Value::Other);
    assert_eq!(input.country_code, Value::Null);
    assert_eq!(input.phone_type, Value::Bool(false));
    let messages: Vec<_> = validate_create(&input).errors().iter().map(|e| e.message()).collect();
    assert_eq!(
        messages,
        [
            "PhoneName is invalid.",
            "CountryCode is required.",
            "AreaCode is invalid.",
            "PhoneNumber provided is invalid.",
            "PhoneType is invalid.",
            "IsPrimary is invalid.",
        ]
    );
}

#[test]
fn bodies_read_from_text_keep_each_kind_of_member() {
    // As the server reads them: from the bytes, where strings arrive borrowed and negative
    // numbers as i64.
    let input: PhoneNumberInput = serde_json::from_str(
        r#"{"phoneName":"Ann","countryCode":"+6\u0034","areaCode":null,"phoneNumber":-5,
            "phoneType":7,"isPrimary":true,"phoneNumberId":[1,{"a":2}]}"#,
    )
    .unwrap();
    assert_eq!(input.phone_name, Value::text("Ann"));
    assert_eq!(input.country_code, Value::text("+64"));
    assert_eq!(input.area_code, Value::Null);
    assert_eq!(input.phone_number, Value::Other);
    assert_eq!(input.phone_type, Value::Other);
    assert_eq!(input.is_primary, Value::Bool(true));
    assert_eq!(input.phone_number_id, Value::Other);
    // A new customer's phoneNumber that is not an object counts as missing, whatever it is.
    for nested in ["[1,[2]]", "\"021\"", "true", "-1", "1", "1.5", "null"] {
        let body = format!(r#"{{"firstName":"Jo","phoneNumber":{nested},"lastName":"Doe"}}"#);
        let customer: phone_model::CustomerInput = serde_json::from_str(&body).unwrap();
        assert_eq!(customer.phone_number, None, "{nested}");
        assert_eq!(customer.last_name, Value::text("Doe"), "{nested}: read past it");
    }
}

#[test]
fn a_body_that_is_not_an_object_does_not_read() {
    for body in ["[]", "\"text\"", "42", "null", "{", ""] {
        assert!(serde_json::from_str::<PhoneNumberInput>(body).is_err(), "{body}");
    }
}

#[test]
fn the_phone_number_is_sent_with_every_member_in_wire_spelling() {
    let sent: PhoneNumberResource = serde_json::from_value(json!({
        "phoneNumberId": "9999999", "phoneName": "john", "countryCode": "+64", "areaCode": "09",
        "phoneNumber": "264 5555", "phoneType": "Home", "isPrimary": true
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({
            "phoneNumberId": "9999999", "phoneName": "john", "countryCode": "+64", "areaCode": "09",
            "phoneNumber": "264 5555", "phoneType": "home", "isPrimary": true
        })
    );
    let bad_id = json!({
        "phoneNumberId": "12345678901", "phoneName": "john", "countryCode": "+64", "areaCode": "",
        "phoneNumber": "264 5555", "phoneType": "home", "isPrimary": true
    });
    assert!(serde_json::from_value::<PhoneNumberResource>(bad_id).is_err());
}

#[test]
fn the_staff_session_and_the_gateways_status_travel_in_wire_spelling() {
    let session = StaffSession {
        username: "sam".to_owned(),
        role: Role::Viewer,
        all_businesses: false,
        businesses: vec![BusinessResource { business_id: "b1".to_owned(), name: "Gym".to_owned() }],
        gateway: true,
    };
    let json = json!({
        "username": "sam", "role": "viewer", "allBusinesses": false,
        "businesses": [{"businessId": "b1", "name": "Gym"}], "gateway": true
    });
    assert_eq!(serde_json::to_value(&session).unwrap(), json);
    assert_eq!(serde_json::from_value::<StaffSession>(json).unwrap(), session);
    // Not yet synced: `syncedAt` is sent, as null.
    let upstream = Some("https://api.example".to_owned());
    let status = GatewayStatus { upstream, synced_at: None };
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!({"upstream": "https://api.example", "syncedAt": null})
    );
    // A server of its own data: no provider, no copy.
    let own = GatewayStatus { upstream: None, synced_at: None };
    assert_eq!(serde_json::to_value(&own).unwrap(), json!({"upstream": null, "syncedAt": null}));
}

#[test]
fn a_sign_in_reads_a_missing_member_as_empty_and_never_shows_its_password() {
    let sign_in: SignIn = serde_json::from_value(json!({"username": "sam"})).unwrap();
    assert_eq!((sign_in.username.as_str(), sign_in.password.as_str()), ("sam", ""));
    let typed = SignIn { username: "sam".to_owned(), password: "hunter2".to_owned() };
    assert_eq!(
        serde_json::to_value(&typed).unwrap(),
        json!({"username": "sam", "password": "hunter2"})
    );
    assert!(!format!("{typed:?}").contains("hunter2"), "{typed:?}");
}

#[test]
fn a_400_bodys_entries_are_read_back_as_the_rules_they_report() {
    let nested =
        Located { parent: Some(Field::PhoneNumber), error: ValidationError::PhoneNameRequired };
    let errors = [Located::from(ValidationError::PhoneNumberExists), nested];
    let body = ErrorBody::validation(&errors);
    let read: Vec<Option<Located>> = body.errors.iter().map(FieldMessage::located).collect();
    assert_eq!(read, errors.map(Some));
    let about: Vec<Option<Field>> = body.errors.iter().map(FieldMessage::about).collect();
    assert_eq!(about, [Some(Field::PhoneNumber), Some(Field::PhoneName)]);
    // A rule's message at another field, or a sentence no rule has, is no rule of the core's.
    let entry = |field: &str, message: &str| FieldMessage {
        field: field.to_owned(),
        message: message.to_owned(),
    };
    for (field, message) in [
        ("phoneName", "PhoneNumber provided already exists."),
        ("nowhere.phoneNumber", "PhoneNumber provided already exists."),
        ("phoneNumber", "PhoneNumber is already taken."),
    ] {
        assert_eq!(entry(field, message).located(), None, "{field}: {message}");
    }
}
