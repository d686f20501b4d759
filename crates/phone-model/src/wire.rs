// Over 400 lines: the contract's JSON shapes and the one reader of a request body that keeps
// what was wrong with it; split, a shape and how it is read would be apart.
//! The JSON shapes of the contract: the phone number the server sends, the error bodies, and
//! reading a request body into a [`PhoneNumberInput`] without losing what was wrong with it.

use core::fmt;

use serde::{
    Deserialize, Deserializer, Serialize,
    de::{self, IgnoredAny, MapAccess, Visitor},
};

use crate::{
    CountryCode, CustomerInput, Field, Located, PhoneNumberId, PhoneNumberInput, PhoneType,
    Refusal, ValidationError, Value,
};

/// A phone number as the server sends it. Every member is always sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberResource {
    /// Assigned by the server.
    pub phone_number_id: PhoneNumberId,
    /// The person to contact.
    pub phone_name: String,
    /// From the provider's table.
    pub country_code: CountryCode,
    /// `""` when the number has none.
    pub area_code: String,
    /// As it was sent, with any text after the number.
    pub phone_number: String,
    /// Sent lower-case.
    pub phone_type: PhoneType,
    /// Exactly one number of each customer is primary.
    pub is_primary: bool,
}

impl PhoneNumberResource {
    /// Its version: the `ETag` the server sends with it, and what `If-Match` compares.
    ///
    /// ```
    /// # let json = r#"{"phoneNumberId":"1234567","phoneName":"Ann","countryCode":"+64","areaCode":"9","phoneNumber":"264 5555","phoneType":"home","isPrimary":true}"#;
    /// let number: phone_model::PhoneNumberResource = serde_json::from_str(json).unwrap();
    /// let demoted = phone_model::PhoneNumberResource { is_primary: false, ..number.clone() };
    /// assert_ne!(number.version(), demoted.version());
    /// ```
    #[must_use]
    pub fn version(&self) -> crate::Version {
        crate::Version::of(&[
            self.phone_number_id.as_str(),
            &self.phone_name,
            self.country_code.as_str(),
            &self.area_code,
            &self.phone_number,
            self.phone_type.as_str(),
            if self.is_primary { "true" } else { "false" },
        ])
    }
}

/// A customer as the server sends it: the fields a staff member needs to find and recognise
/// them, in the provider's shapes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerResource {
    /// Assigned by the server: digits.
    pub customer_id: String,
    /// The business the customer belongs to, nested as the provider nests it.
    pub business: BusinessResource,
    /// First name.
    pub first_name: String,
    /// Last name; `""` when there is none.
    pub last_name: String,
    /// The business's own id for the customer; `""` when there is none.
    pub external_reference: String,
    /// Phonedesk's extension, in search results only (`GET /customers?search=…`): the
    /// customer's primary number, so that two customers of one name can be told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_phone_number: Option<PhoneNumberResource>,
    /// Phonedesk's extension, in search results only, when the customer was found by one of
    /// their phone numbers: the number the query's digits matched (the primary too, when it
    /// is the one), so that the app can show why the customer was found. Of several, the one
    /// the query is most of (the shortest), then the primary, then the oldest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_phone_number: Option<PhoneNumberResource>,
}

/// A business, as nested in a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BusinessResource {
    /// The business's id.
    pub business_id: String,
    /// Its name.
    pub name: String,
}

/// A customer just created, with its one phone number (`POST /customers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedCustomer {
    /// The customer.
    #[serde(flatten)]
    pub customer: CustomerResource,
    /// Its primary phone number.
    pub phone_number: PhoneNumberResource,
}

/// Where a list goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResponseMetadata {
    /// Pass as `nextCursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Whether there is a next page.
    pub has_next: bool,
}

/// A page of a customer's phone numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberPage {
    /// The numbers, oldest first.
    pub phone_numbers: Vec<PhoneNumberResource>,
    /// Where the list goes on.
    pub response_metadata: ResponseMetadata,
}

/// A page of customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerPage {
    /// The customers, oldest first.
    pub customers: Vec<CustomerResource>,
    /// Where the list goes on.
    pub response_metadata: ResponseMetadata,
}

/// What happened to a phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    /// It was added.
    Created,
    /// Its fields changed, or it became (or stopped being) the primary.
    Updated,
    /// It was deleted.
    Deleted,
    /// Phonedesk's extension: someone marked it, shared with other customers, as expected (a
    /// family's or an office's number); `after` is the number as it was then.
    #[serde(rename = "markedSharedExpected")]
    MarkedSharedExpected,
    /// Phonedesk's extension: someone took that mark back; `before` is the number as it was.
    #[serde(rename = "unmarkedSharedExpected")]
    UnmarkedSharedExpected,
}

/// One change to a phone number, for the audit trail: who, when, and the values before and
/// after (Phonedesk's extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberChange {
    /// The number changed.
    pub phone_number_id: PhoneNumberId,
    /// When, in seconds since 1970-01-01 UTC.
    pub at: i64,
    /// Who: a staff member's name, or `client <id>` for an API client.
    pub actor: String,
    /// What happened.
    pub action: ChangeAction,
    /// The number before (absent when created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<PhoneNumberResource>,
    /// The number after (absent when deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<PhoneNumberResource>,
}

/// A customer's phone number history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneNumberHistory {
    /// The changes, newest first (at most 200).
    pub changes: Vec<PhoneNumberChange>,
}

/// The body of a successful delete: `{"message": "Phone number successfully deleted"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageBody {
    /// The sentence.
    pub message: String,
}

/// An error body of the contract: `{"message"}`, with `errorCode` and `errors` where the
/// contract has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// `validation` for a 400; `customer_access_denied` for a 403.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The provider's sentence.
    pub message: String,
    /// One entry per failed rule (400 only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldMessage>,
}

/// One failed rule of a 400 body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldMessage {
    /// The member, in wire spelling (`phoneName`).
    pub field: String,
    /// The provider's message (`PhoneName is required.`).
    pub message: String,
}

impl FieldMessage {
    /// The core's rule this entry reports, and the object its field is in: read back from a
    /// 400 body, whose entries are the rules' messages at their fields' paths. `None` when
    /// the message is no rule's, or the field not its rule's (a provider's newer sentence).
    ///
    /// ```
    /// use phone_model::{ErrorBody, Field, ValidationError};
    /// let body = ErrorBody::validation(&[ValidationError::PhoneNumberExists]);
    /// let read = body.errors[0].located().map(|l| (l.parent, l.error));
    /// assert_eq!(read, Some((None, ValidationError::PhoneNumberExists)));
    /// ```
    #[must_use]
    pub fn located(&self) -> Option<Located> {
        let error = ValidationError::from_message(&self.message)?;
        let (parent, field) = match self.field.split_once('.') {
            Some((parent, field)) => (Some(Field::from_wire_name(parent)?), field),
            None => (None, self.field.as_str()),
        };
        (field == error.field().wire_name()).then_some(Located { parent, error })
    }

    /// The field the entry is about: the last of its path (`phoneName` of
    /// `phoneNumber.phoneName`); `None` for a name that is no field of the contract's.
    ///
    /// ```
    /// # let entry = |field: &str| phone_model::FieldMessage { field: field.to_owned(), message: String::new() };
    /// use phone_model::Field;
    /// assert_eq!(entry("phoneNumber.phoneName").about(), Some(Field::PhoneName));
    /// assert_eq!(entry("nickname").about(), None);
    /// ```
    #[must_use]
    pub fn about(&self) -> Option<Field> {
        Field::from_wire_name(self.field.rsplit('.').next().unwrap_or_default())
    }
}

impl ErrorBody {
    /// The 400 body for these errors, in the order given; each may be a [`ValidationError`]
    /// or a [`Located`] one (`phoneNumber.phoneName`).
    ///
    /// ```
    /// use phone_model::{ErrorBody, ValidationError};
    /// let body = ErrorBody::validation(&[ValidationError::PhoneNameRequired]);
    /// assert_eq!(body.errors[0].field, "phoneName");
    /// assert_eq!(body.errors[0].message, "PhoneName is required.");
    /// ```
    #[must_use]
    pub fn validation<E: Into<Located> + Copy>(errors: &[E]) -> Self {
        Self {
            errors: errors
                .iter()
                .map(|&e| {
                    let located: Located = e.into();
                    FieldMessage {
                        field: located.path(),
                        message: located.error.message().to_owned(),
                    }
                })
                .collect(),
            ..Self::refusal(Refusal::Validation)
        }
    }

    /// The body of a refusal, without field errors.
    ///
    /// ```
    /// use phone_model::{ErrorBody, Refusal};
    /// let body = ErrorBody::refusal(Refusal::Unauthorized);
    /// assert_eq!(body.message, "Authorization has been denied for this request.");
    /// assert_eq!(body.error_code, None);
    /// ```
    #[must_use]
    pub fn refusal(refusal: Refusal) -> Self {
        Self {
            error_code: refusal.error_code().map(str::to_owned),
            message: refusal.message().to_owned(),
            errors: Vec::new(),
        }
    }
}

// By hand: serde's derive would ask `'de: 'static` because of the `&'static str` inside.
impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Reads a code as a server sent it (see [`CountryCode::stored`]): a client must be able to read
/// any number a server keeps, whatever the table says today.
impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::stored(&text)
            .ok_or_else(|| de::Error::custom("a country code is + and 1 to 3 digits"))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Reads any JSON value, keeping only what the rules need to know of it.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Text(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Value, E> {
        Ok(Value::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Value, E> {
        Ok(Value::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Ok(Value::Other)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }
}

impl<'de> Deserialize<'de> for PhoneNumberInput {
    /// Reads a request body: any JSON object is accepted here, whatever its members hold, so
    /// that validation can report every problem in the contract's words. Anything that is not
    /// an object fails; report that as [`ValidationError::BodyInvalid`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(InputVisitor)
    }
}

/// Collects the members of a request object.
struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = PhoneNumberInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ValidationError::BodyInvalid.message())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PhoneNumberInput, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Value>()? {
            members.push(member);
        }
        Ok(PhoneNumberInput::from_members(members))
    }
}

/// A new customer's `phoneNumber` member: an object, or anything else (which counts as missing).
struct NestedPhoneNumber(Option<PhoneNumberInput>);

impl<'de> Deserialize<'de> for NestedPhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(NestedVisitor)?;
        Ok(Self(value))
    }
}

/// Reads a nested phone number object, and consumes anything else.
struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Option<PhoneNumberInput>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a phone number object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        InputVisitor.visit_map(map).map(Some)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ValueVisitor.visit_seq(seq).map(|_| None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl<'de> Deserialize<'de> for CustomerInput {
    /// Reads a new customer's body; like [`PhoneNumberInput`], any object reads.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CustomerVisitor)
    }
}

/// Collects the members of a new customer.
struct CustomerVisitor;

impl<'de> Visitor<'de> for CustomerVisitor {
    type Value = CustomerInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ValidationError::BodyInvalid.message())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CustomerInput, A::Error> {
        let mut input = CustomerInput::default();
        while let Some(name) = map.next_key::<String>()? {
            let slot = match name.to_ascii_lowercase().as_str() {
                "phonenumber" => {
                    input.phone_number = map.next_value::<NestedPhoneNumber>()?.0;
                    continue;
                }
                "businessid" => &mut input.business_id,
                "firstname" => &mut input.first_name,
                "lastname" => &mut input.last_name,
                "externalreference" => &mut input.external_reference,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value()?;
        }
        Ok(input)
    }
}
