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
}

impl Field {
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
        }
    }
}
