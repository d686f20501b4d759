//! What a valid phone number is, in the words of the provider's Phone Number API.
//!
//! One crate judges a number for the server, the staff app and the embeddable validator, so a
//! number is judged the same everywhere. It does no I/O.
//!
//! ```
//! use phone_model::{PhoneNumberInput, ValidationError, Value, validate_create};
//!
//! // A request as the staff app's form or a client's JSON body gives it.
//! let input = PhoneNumberInput {
//!     phone_name: Value::text("  "),
//!     country_code: Value::text("+64"),
//!     area_code: Value::text(""),
//!     phone_number: Value::text("021 123 4567"),
//!     phone_type: Value::text("HOME"),
//!     is_primary: Value::text("true"),
//!     ..PhoneNumberInput::default()
//! };
//! let validation = validate_create(&input);
//!
//! // Every error at once, in the provider's words and order.
//! assert_eq!(validation.errors(), [ValidationError::PhoneNameRequired]);
//! assert_eq!(validation.errors()[0].to_string(), "PhoneName is required.");
//!
//! // The number itself is read even so, and formatted.
//! let number = validation.number().expect("a New Zealand mobile");
//! assert_eq!(number.international(), "+64 21 123 4567");
//! ```
//!
//! Errors ([`ValidationError`]) block saving. Warnings ([`Warning`]) — a number that does not
//! fit its country's numbering plan, a type that contradicts the number — never do: the
//! provider accepts such numbers, and plans change. The plans are Google libphonenumber's
//! metadata for every country of the provider's table, compiled into token programs by
//! `cargo xtask metadata` (release and provenance in `data/libphonenumber/NOTICE.md`), from
//! which a country's automata are built the first time one of its numbers is judged.
//!
//! With the default `serde` feature, [`PhoneNumberInput`] reads a request body and the wire
//! types ([`PhoneNumberResource`], [`ErrorBody`]) are available; without it the rules compile
//! alone, for the small embeddable module.

// Without serde (the embeddable module's build) the crate needs only `core` and `alloc`, so the
// module can leave out the standard library's panic and formatting machinery.
#![cfg_attr(not(any(test, feature = "serde")), no_std)]

extern crate alloc;

mod as_you_type;
mod business;
#[cfg(feature = "serde")]
mod calls;
mod code_country;
mod conditions;
mod country;
mod country_choices;
mod customer;
mod error;
#[cfg(feature = "serde")]
mod expected;
mod field;
mod id;
#[cfg(feature = "serde")]
pub mod import;
mod input;
mod invalidity;
mod kind;
mod number;
mod page;
mod phone_type;
mod plan;
mod precedence;
mod primary;
mod refusal;
#[cfg(feature = "serde")]
mod review;
mod role;
mod search;
#[cfg(feature = "serde")]
mod staff_wire;
mod tenancy;
mod text;
mod typed;
mod validation;
mod warning;
#[cfg(feature = "serde")]
mod wire;
mod written;

/// The plans as a file of their own, and adding plans while the program runs (the builds that
/// carry none: the embeddable module's on-demand build, the staff app).
pub mod plans {
    pub use crate::plan::FILE_NAME;
    #[cfg(feature = "on-demand")]
    pub use crate::plan::packs::{add, wanted};
}

pub use as_you_type::format_as_you_type;
pub use business::BusinessId;
#[cfg(feature = "serde")]
pub use calls::{
    CALL_EVENTS_KEPT_MS, CALL_EVENTS_PER_BUSINESS, CALL_REPLAY_MS, CALL_TEXT_MAX, CALLERS_MAX,
    CallEvent, CallInput, CallReport, CallState, Caller, CallerLookup, ThreeCxContact,
    caller_number, caller_order,
};
pub use conditions::{EarlierAttempt, KeyUse, key_use};
pub use conditions::{IDEMPOTENCY_KEY_MAX, IdempotencyKey, IfMatch, Version};
pub use country::{Country, CountryCode, countries};
pub use country_choices::{COUNTRY_CHOICES, country_choices, country_choices_named};
pub use customer::{
    CUSTOMER_TEXT_MAX, CustomerInput, Located, NewCustomer, SEARCH_MAX, customer_search,
    validate_new_customer,
};
pub use error::ValidationError;
#[cfg(feature = "serde")]
pub use expected::{SharedNumberMark, plan_shared_mark, review_expected};
pub use field::Field;
pub use id::PhoneNumberId;
pub use input::{PhoneNumberInput, Value};
pub use invalidity::Invalidity;
pub use kind::NumberKind;
pub use number::{NumberError, ParsedNumber};
pub use page::PageSize;
pub use phone_type::PhoneType;
pub use precedence::{Refused, first_refusal};
pub use primary::{CreateFacts, Outcome, UpdateFacts, plan_create, plan_delete, plan_update};
pub use refusal::{DELETED_MESSAGE, Refusal};
#[cfg(feature = "serde")]
pub use review::{
    PhoneNumberReview, Problem, ProblemCount, Review, ReviewedNumber, verdicts_version,
};
pub use role::Role;
pub use search::{
    CustomerQuery, MatchRank, SEARCH_LABELS, SEARCH_TOO_SHORT, SEARCH_WORDS_MAX, customer_document,
    fold, match_rank, reversed_digits, typo_anchors,
};
#[cfg(feature = "serde")]
pub use staff_wire::{GatewayStatus, SignIn, StaffSession};
pub use tenancy::Businesses;
pub use tenancy::Listing;
#[cfg(feature = "serde")]
pub use validation::stored_duplicate_key;
pub use validation::{
    AREA_CODE_MAX, PHONE_NAME_MAX, PHONE_NUMBER_MAX, ValidPhoneNumber, Validation, validate_create,
    validate_update,
};
pub use warning::Warning;
#[cfg(feature = "serde")]
pub use wire::{
    BusinessResource, ChangeAction, CreatedCustomer, CustomerPage, CustomerResource, ErrorBody,
    FieldMessage, MessageBody, PhoneNumberChange, PhoneNumberHistory, PhoneNumberPage,
    PhoneNumberResource, ResponseMetadata,
};
pub use written::written_country;
