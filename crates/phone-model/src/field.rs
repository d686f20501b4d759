//! The fields of a phone number request, named as they travel on the wire.

/// A field that a validation message is about, in the provider's order.
///
/// Within a phone number, the order of the variants is the order in which the provider lists
/// its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// The request body as a whole (it is not a JSON object).
    Body,
    /// `phoneNumberId`: the path's id, or one sent in a body.
    PhoneNumberId,
    /// `phoneName`: the person to contact.
    PhoneName,
    /// `countryCode`, such as `+64`.
    CountryCode,
    /// `areaCode`, such as `09`.
    AreaCode,
    /// `phoneNumber`, the number itself.
    PhoneNumber,
    /// `phoneType`: emergency, fax, home, mobile or work.
    PhoneType,
    /// `isPrimary`.
    IsPrimary,
    /// `businessId` of a customer.
    BusinessId,
    /// `firstName` of a customer.
    FirstName,
    /// `lastName` of a customer.
    LastName,
    /// `externalReference` of a customer: the business's own id for them.
    ExternalReference,
    /// The `limit` query parameter of a list.
    Limit,
    /// The `nextCursor` query parameter of a list.
    NextCursor,
    /// The `search` query parameter of the customer list (Phonedesk's extension).
    Search,
    /// The `problem` query parameter of the data-quality review (Phonedesk's extension).
    Problem,
    /// The `expected` query parameter of the data-quality review (Phonedesk's extension).
    Expected,
    /// The `If-Match` header of a conditional update or delete (Phonedesk's extension).
    IfMatch,
    /// The `Idempotency-Key` header of a create (Phonedesk's extension).
    IdempotencyKey,
    /// The `number` query parameter of a caller lookup (Phonedesk's extension).
    Number,
    /// `from` of a call event: who is calling (Phonedesk's extension).
    From,
    /// `to` of a call event: the number called.
    To,
    /// `extension` of a call event: the extension or user ringing.
    Extension,
    /// `state` of a call event: ringing, answered or ended.
    State,
    /// `callId` of a call event: the phone system's id of the call.
    CallId,
    /// The `format` query parameter of a caller lookup.
    Format,
}

impl Field {
    /// Every field, in the order above.
    pub const ALL: [Self; 26] = [
        Self::Body,
        Self::PhoneNumberId,
        Self::PhoneName,
        Self::CountryCode,
        Self::AreaCode,
        Self::PhoneNumber,
        Self::PhoneType,
        Self::IsPrimary,
        Self::BusinessId,
        Self::FirstName,
        Self::LastName,
        Self::ExternalReference,
        Self::Limit,
        Self::NextCursor,
        Self::Search,
        Self::Problem,
        Self::Expected,
        Self::IfMatch,
        Self::IdempotencyKey,
        Self::Number,
        Self::From,
        Self::To,
        Self::Extension,
        Self::State,
        Self::CallId,
        Self::Format,
    ];

    /// The field of a member name as [`wire_name`](Self::wire_name) spells it; `None` for any
    /// other name (`PhoneName`, `phoneNumber.phoneName`).
    ///
    /// ```
    /// use phone_model::Field;
    /// assert_eq!(Field::from_wire_name("areaCode"), Some(Field::AreaCode));
    /// assert_eq!(Field::from_wire_name("AreaCode"), None);
    /// ```
    #[must_use]
    pub fn from_wire_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.wire_name() == name)
    }

    /// The member name on the wire, as the provider spells it in its error bodies.
    ///
    /// ```
    /// assert_eq!(phone_model::Field::PhoneName.wire_name(), "phoneName");
    /// ```
    #[must_use]
    pub const fn wire_name(self) -> &'static str {
        match self {
            Self::Body => "body",
            Self::PhoneNumberId => "phoneNumberId",
            Self::PhoneName => "phoneName",
            Self::CountryCode => "countryCode",
            Self::AreaCode => "areaCode",
            Self::PhoneNumber => "phoneNumber",
            Self::PhoneType => "phoneType",
            Self::IsPrimary => "isPrimary",
            Self::BusinessId => "businessId",
            Self::FirstName => "firstName",
            Self::LastName => "lastName",
            Self::ExternalReference => "externalReference",
            Self::Limit => "limit",
            Self::NextCursor => "nextCursor",
            Self::Search => "search",
            Self::Problem => "problem",
            Self::Expected => "expected",
            Self::IfMatch => "If-Match",
            Self::IdempotencyKey => "Idempotency-Key",
            Self::Number => "number",
            Self::From => "from",
            Self::To => "to",
            Self::Extension => "extension",
            Self::State => "state",
            Self::CallId => "callId",
            Self::Format => "format",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_read_back_from_its_wire_name_and_the_list_is_in_order() {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(Field::from_wire_name(field.wire_name()), Some(field));
            if let Some(next) = Field::ALL.get(i + 1) {
                assert!(field < *next, "{field:?} before {next:?}");
            }
        }
    }
}
