//! Demonstration data: seventeen customers of two businesses, with New Zealand and Australian
//! numbers of every type, so a new installation has something to find. Every number goes
//! through the same rules as a request does.

use phone_model::{
    Businesses, CustomerInput, PhoneNumberInput, Value, validate_create, validate_new_customer,
};

use phone_store::{Change, OperationError, Store};

/// Who the audit trail says added the demonstration numbers.
const ACTOR: &str = "demo data";

/// (business id, name)
pub const BUSINESSES: [(&str, &str); 2] =
    [("3333333", "Debitsuccess 24/7 Fitness"), ("4444444", "Harbourside Physio")];

/// (business, first name, last name, external reference, numbers); the first number becomes the
/// primary. A number is (contact name, country code, area code, number, type).
type DemoNumber = (&'static str, &'static str, &'static str, &'static str, &'static str);
const CUSTOMERS: &[(&str, &str, &str, &str, &[DemoNumber])] = &[
    (
        "3333333",
        "John",
        "Doe",
        "abc1453",
        &[
            ("John", "+64", "09", "264 5555", "home"),
            ("John", "+64", "021", "123 4567", "mobile"),
            ("Office", "+64", "09", "377 8899", "work"),
        ],
    ),
    (
        "3333333",
        "Aroha",
        "Ngata",
        "abc1454",
        &[
            ("Aroha", "+64", "", "027 345 6789", "mobile"),
            ("Mum", "+64", "07", "838 1234", "emergency"),
        ],
    ),
    (
        "3333333",
        "Liam",
        "O'Connor",
        "abc1455",
        &[
            ("Liam", "+64", "03", "345 6789", "home"),
            ("Liam", "+64", "", "022 987 6543", "mobile"),
            ("Fax", "+64", "03", "345 6790", "fax"),
        ],
    ),
    ("3333333", "Mere", "Tipene", "abc1456", &[("Mere", "+64", "", "0800 123 456", "work")]),
    (
        "3333333",
        "Sophie",
        "Wilson",
        "abc1457",
        &[
            ("Sophie", "+64", "04", "470 1234", "home"),
            ("Partner", "+64", "", "021 555 0199", "emergency"),
        ],
    ),
    ("3333333", "Hemi", "Walker", "abc1458", &[("Hemi", "+64", "06", "835 4321", "home")]),
    (
        "3333333",
        "Chloe",
        "Nguyen",
        "abc1459",
        &[
            ("Chloe", "+61", "", "0412 345 678", "mobile"),
            ("Chloe", "+64", "", "029 123 4567", "mobile"),
        ],
    ),
    (
        "4444444",
        "Jack",
        "Smith",
        "HP-001",
        &[
            ("Jack", "+61", "02", "9876 5432", "home"),
            ("Jack", "+61", "", "0423 456 789", "mobile"),
        ],
    ),
    (
        "4444444",
        "Olivia",
        "Brown",
        "HP-002",
        &[
            ("Olivia", "+61", "03", "9123 4567", "work"),
            ("Reception", "+61", "", "1300 123 456", "work"),
        ],
    ),
    (
        "4444444",
        "Noah",
        "Taylor",
        "HP-003",
        &[
            ("Noah", "+61", "07", "3123 4567", "home"),
            ("Fax", "+61", "07", "3123 4568", "fax"),
            ("Sister", "+61", "", "0400 111 222", "emergency"),
        ],
    ),
    ("4444444", "Isla", "Martin", "HP-004", &[("Isla", "+61", "08", "8123 4567", "home")]),
    // What the data-quality review finds on a fresh machine: a mobile saved as a home number,
    // a landline saved as a mobile, a number no New Zealand number can be, and a flat's number
    // that two customers share with John.
    ("3333333", "Tama", "Parata", "abc1460", &[("Tama", "+64", "", "021 444 5566", "home")]),
    ("3333333", "Grace", "Clarke", "abc1461", &[("Grace", "+64", "03", "111 1111", "home")]),
    ("3333333", "Ruby", "Kereama", "abc1462", &[("Flat", "+64", "09", "264 5555", "home")]),
    ("4444444", "Leo", "Harris", "HP-006", &[("Leo", "+61", "02", "9555 1234", "mobile")]),
    ("4444444", "Maia", "Young", "HP-007", &[("Maia", "+61", "", "0411 222 333", "home")]),
    (
        "4444444",
        "Charlotte",
        "King",
        "HP-005",
        &[
            ("Charlotte", "+61", "", "1800 123 456", "work"),
            ("Charlotte", "+61", "", "0498 765 432", "mobile"),
        ],
    ),
];

/// Seeds the demonstration data into a new, empty database; a database that holds anything is
/// left alone. Returns whether it seeded.
///
/// # Errors
/// When the database refuses a write (a demo number the rules refuse is a bug, reported too).
pub fn seed_if_empty(store: &Store) -> Result<bool, OperationError> {
    if !store.is_empty()? {
        return Ok(false);
    }
    seed(store)?;
    Ok(true)
}

fn seed(store: &Store) -> Result<(), OperationError> {
    for (id, name) in BUSINESSES {
        store.put_business(id, name)?;
    }
    for &(business, first, last, reference, numbers) in CUSTOMERS {
        let [first_number, more @ ..] = numbers else {
            continue;
        };
        let input = CustomerInput {
            business_id: Value::text(business),
            first_name: Value::text(first),
            last_name: Value::text(last),
            external_reference: Value::text(reference),
            phone_number: Some(phone_input(first_number)),
        };
        let customer =
            validate_new_customer(&input).0.map_err(|errors| invalid(errors[0].error))?;
        let change = Change { actor: ACTOR, at: phone_operations::now() };
        let created =
            store.create_customer(&customer, &Businesses::All, &change, None)?.into_inner();
        for number in more {
            let valid = validate_create(&phone_input(number))
                .into_result()
                .map_err(|errors| invalid(errors[0]))?;
            let id = &created.customer.customer_id;
            store.create_phone_number(id, &Businesses::All, &valid, &change, None)?;
        }
    }
    Ok(())
}

fn phone_input(&(name, country, area, number, phone_type): &DemoNumber) -> PhoneNumberInput {
    PhoneNumberInput {
        phone_name: Value::text(name),
        country_code: Value::text(country),
        area_code: Value::text(area),
        phone_number: Value::text(number),
        phone_type: Value::text(phone_type),
        is_primary: Value::Bool(false),
        ..PhoneNumberInput::default()
    }
}

fn invalid(error: phone_model::ValidationError) -> OperationError {
    OperationError::Invalid(error)
}
