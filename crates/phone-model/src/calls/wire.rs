//! The shapes phone systems and the staff app read: a caller found, a lookup's answer, a call's
//! event, and a caller as 3CX's CRM integration reads a contact.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use super::CallState;
use crate::{BusinessResource, PhoneNumberResource, PhoneType};

/// A customer who has the number looked up: who they are, which of their numbers matched,
/// and where the staff app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    /// The customer's id.
    pub customer_id: String,
    /// Their business.
    pub business: BusinessResource,
    /// First name.
    pub first_name: String,
    /// Last name; `""` when there is none.
    pub last_name: String,
    /// The business's own id for the customer; `""` when there is none.
    pub external_reference: String,
    /// The number that matched.
    pub phone_number: PhoneNumberResource,
    /// That number in E.164 form (`+64211234567`), or as stored when it cannot be read.
    pub e164: String,
    /// The customer's page in the staff app.
    pub url: String,
}

/// The answer of `GET /callers`: the customers with the number, best match first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CallerLookup {
    /// The number as asked.
    pub number: String,
    /// At most [`CALLERS_MAX`](super::CALLERS_MAX): those whose number is all of the digits asked first, then
    /// primary numbers, then the oldest.
    pub callers: Vec<Caller>,
}

/// A call's event, as the staff app is told of it (its place in the stream is its
/// Server-Sent Events `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CallEvent {
    /// The call it is of: the phone system's id, or the caller's number.
    pub call_id: String,
    /// The business called.
    pub business: BusinessResource,
    /// Who is calling, as the phone system sent it.
    pub from: String,
    /// The number called, as sent (`""` when not sent).
    pub to: String,
    /// The extension or user ringing (`""` when not sent).
    pub extension: String,
    /// Where the call is.
    pub state: CallState,
    /// When it was reported (milliseconds since the epoch).
    pub at: i64,
    /// The business's customers with the caller's number, best first (none: unknown caller).
    pub callers: Vec<Caller>,
}

/// A caller as 3CX's CRM integration reads a contact (`GET /callers?format=3cx`, and the
/// template in `docs/phone-systems/`): the matched number, in E.164 form, in the field of its
/// type, so that 3CX finds the number it looked up in the contact it gets back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreeCxContact {
    /// The customer's id.
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The business's name.
    pub company_name: String,
    /// A mobile number.
    pub phone_mobile: String,
    /// A work number.
    pub phone_business: String,
    /// A home number.
    pub phone_home: String,
    /// An emergency contact's number.
    pub phone_other: String,
    /// A fax number.
    pub fax_business: String,
    /// The customer's page in the staff app.
    pub contact_url: String,
}

impl ThreeCxContact {
    /// The contact of a caller.
    ///
    /// ```
    /// # let json = r#"{"customerId":"42","business":{"businessId":"1","name":"Physio Plus"},"firstName":"Aroha","lastName":"Ngata","externalReference":"","phoneNumber":{"phoneNumberId":"7","phoneName":"Aroha","countryCode":"+64","areaCode":"","phoneNumber":"021 123 4567","phoneType":"mobile","isPrimary":true},"e164":"+64211234567","url":"https://desk.example/customers/42"}"#;
    /// let caller: phone_model::Caller = serde_json::from_str(json).unwrap();
    /// let contact = phone_model::ThreeCxContact::of(&caller);
    /// assert_eq!((contact.phone_mobile.as_str(), contact.phone_home.as_str()), ("+64211234567", ""));
    /// ```
    #[must_use]
    pub fn of(caller: &Caller) -> Self {
        let mut contact = Self {
            id: caller.customer_id.clone(),
            first_name: caller.first_name.clone(),
            last_name: caller.last_name.clone(),
            company_name: caller.business.name.clone(),
            phone_mobile: String::new(),
            phone_business: String::new(),
            phone_home: String::new(),
            phone_other: String::new(),
            fax_business: String::new(),
            contact_url: caller.url.clone(),
        };
        let field = match caller.phone_number.phone_type {
            PhoneType::Mobile => &mut contact.phone_mobile,
            PhoneType::Work => &mut contact.phone_business,
            PhoneType::Home => &mut contact.phone_home,
            PhoneType::Emergency => &mut contact.phone_other,
            PhoneType::Fax => &mut contact.fax_business,
        };
        field.clone_from(&caller.e164);
        contact
    }
}
