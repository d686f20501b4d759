//! Request bodies as the OpenAPI document describes them. The server reads bodies leniently
//! (phone-model's `PhoneNumberInput` keeps wrong types for validation to report), so these
//! types exist only to document the contract's shapes; no request is parsed into them.
#![expect(dead_code, reason = "these types describe bodies for the document; none is built")]

use utoipa::ToSchema;

/// A phone number to add (`POST …/phoneNumbers`). Also accepted: `name` for `phoneName`,
/// `type` for `phoneType`, member names in any letter case, `isPrimary` as `"true"`/`"false"`.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct AddPhoneNumberRequest {
    /// The person to contact; at most 50 characters.
    #[schema(max_length = 50, example = "john")]
    pub phone_name: String,
    /// One of the provider's country codes.
    #[schema(max_length = 4, example = "+64")]
    pub country_code: String,
    /// Written with the trunk 0.
    #[schema(max_length = 4, example = "09")]
    pub area_code: Option<String>,
    /// Letters, digits, space and `# + - ( ) * _ , ; : . /`.
    #[schema(max_length = 75, example = "264 5555")]
    pub phone_number: String,
    /// emergency, fax, home, mobile or work, in any case.
    #[schema(example = "Home")]
    pub phone_type: String,
    /// `true` makes it the primary and demotes the others.
    pub is_primary: bool,
}

/// A phone number's new fields (`PUT …/phoneNumbers/{phoneNumberId}`); `isPrimary` optional.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct UpdatePhoneNumberRequest {
    /// The person to contact; at most 50 characters.
    #[schema(max_length = 50)]
    pub phone_name: String,
    /// One of the provider's country codes.
    #[schema(max_length = 4)]
    pub country_code: String,
    /// Written with the trunk 0.
    #[schema(max_length = 4)]
    pub area_code: Option<String>,
    /// Letters, digits, space and `# + - ( ) * _ , ; : . /`.
    #[schema(max_length = 75)]
    pub phone_number: String,
    /// emergency, fax, home, mobile or work, in any case.
    pub phone_type: String,
    /// `true` makes it the primary; `false` on the primary is refused; absent changes nothing.
    pub is_primary: Option<bool>,
    /// If sent, it must equal the path's.
    pub phone_number_id: Option<String>,
}

/// A new customer with exactly one phone number (`POST /customers`).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct CreateCustomerRequest {
    /// An existing business.
    #[schema(example = "3333333")]
    pub business_id: String,
    /// At most 40 characters.
    #[schema(max_length = 40, example = "John")]
    pub first_name: String,
    /// At most 40 characters.
    #[schema(max_length = 40, example = "Doe")]
    pub last_name: Option<String>,
    /// The business's own id for the customer; unique within the business.
    #[schema(max_length = 40, example = "abc1453")]
    pub external_reference: Option<String>,
    /// The customer's first number; it becomes the primary.
    pub phone_number: AddPhoneNumberRequest,
}

/// A call's event (`POST /calls`, Phonedesk's extension). Member names in any letter case.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct CallEventRequest {
    /// Who is calling: a number in any written form, or `anonymous`; at most 64 characters.
    #[schema(max_length = 64, example = "+64211234567")]
    pub from: String,
    /// The number called.
    #[schema(max_length = 64, example = "+6492645555")]
    pub to: Option<String>,
    /// The extension or user that is ringing.
    #[schema(max_length = 64, example = "201")]
    pub extension: Option<String>,
    /// `ringing`, `answered` or `ended`.
    #[schema(example = "ringing")]
    pub state: String,
    /// The phone system's id of the call, which joins its events (without one, the caller's
    /// number does).
    #[schema(max_length = 64)]
    pub call_id: Option<String>,
    /// The business called: required for a client of several businesses.
    pub business_id: Option<String>,
}
