//! Phone systems (Phonedesk's extension): who is calling, and the calls a phone system reports.
//!
//! `GET /callers?number=…` answers the customers who have a number, in any written form;
//! `POST /calls` takes a call's event (ringing, answered, ended) in Phonedesk's JSON or as
//! Twilio's status callback; the staff app is told of each event by Server-Sent Events. The
//! rules of those requests are here, with the shapes the server and the app share.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{
    CustomerQuery, Listing, PhoneNumberResource, Refusal, ValidationError, Value, reversed_digits,
    stored_duplicate_key, text::utf16_len,
};

mod wire;

pub use wire::{CallEvent, Caller, CallerLookup, ThreeCxContact};

/// The most UTF-16 code units of `number`, `from`, `to`, `extension` and `callId`: a number in
/// any written form, or a phone system's id for a call or a line, with room to spare.
pub const CALL_TEXT_MAX: usize = 64;

/// The most callers a lookup answers: more customers than this with one number is a number
/// shared by too many to say who is calling.
pub const CALLERS_MAX: usize = 10;

/// How long a call's events are kept (milliseconds): a day.
pub const CALL_EVENTS_KEPT_MS: i64 = 24 * 60 * 60 * 1000;

/// The most events kept per business: the newest, however busy a day.
pub const CALL_EVENTS_PER_BUSINESS: i64 = 10_000;

/// How far back a reconnecting stream is caught up (milliseconds): a ring lasts under a minute,
/// and an older event would tell staff of a call already gone.
pub const CALL_REPLAY_MS: i64 = 60 * 1000;

/// Where a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CallState {
    /// A phone is ringing.
    Ringing,
    /// Someone picked up.
    Answered,
    /// The call is over (hung up, missed, busy or failed).
    Ended,
}

impl CallState {
    /// Every state, in a call's order.
    pub const ALL: [Self; 3] = [Self::Ringing, Self::Answered, Self::Ended];

    /// As the wire spells it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ringing => "ringing",
            Self::Answered => "answered",
            Self::Ended => "ended",
        }
    }

    /// The state a body names, in any letter case.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The state of Twilio's `CallStatus`: `queued` and `ringing` ring, `in-progress` is
    /// answered, and `completed`, `busy`, `failed`, `no-answer` and `canceled` are over.
    ///
    /// ```
    /// use phone_model::CallState;
    /// assert_eq!(CallState::from_twilio("in-progress"), Some(CallState::Answered));
    /// assert_eq!(CallState::from_twilio("no-answer"), Some(CallState::Ended));
    /// assert_eq!(CallState::from_twilio("dancing"), None);
    /// ```
    #[must_use]
    pub fn from_twilio(status: &str) -> Option<Self> {
        match status {
            "queued" | "ringing" | "initiated" => Some(Self::Ringing),
            "in-progress" | "answered" => Some(Self::Answered),
            "completed" | "busy" | "failed" | "no-answer" | "canceled" => Some(Self::Ended),
            _ => None,
        }
    }
}

/// A call event's body as sent: its members by name. Any JSON object reads, whatever its
/// members hold, so that [`CallReport::read`] can report every problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallInput(pub Vec<(String, Value)>);

impl<'de> Deserialize<'de> for CallInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CallInputVisitor)
    }
}

/// Collects the members of a call event.
struct CallInputVisitor;

impl<'de> serde::de::Visitor<'de> for CallInputVisitor {
    type Value = CallInput;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(ValidationError::BodyInvalid.message())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<CallInput, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Value>()? {
            members.push(member);
        }
        Ok(CallInput(members))
    }
}

/// A call's event as a phone system reported it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallReport {
    /// Who is calling, as sent (a number in any written form, or `anonymous`).
    pub from: String,
    /// The number called, as sent (`""` when not sent).
    pub to: String,
    /// The extension or user that is ringing (`""` when not sent).
    pub extension: String,
    /// Where the call is.
    pub state: CallState,
    /// The phone system's id of the call, which joins its events; without one, a call is
    /// known by its caller's number.
    pub call_id: Option<String>,
    /// The business named, as sent (blank when none was).
    pub business_id: Option<String>,
}

impl CallReport {
    /// Checks a call event's members, gathered by name (any letter case): `from` and `state`
    /// are required, and every text is at most [`CALL_TEXT_MAX`] code units.
    ///
    /// ```
    /// use phone_model::{CallReport, CallState, ValidationError, Value};
    /// let report = CallReport::read([
    ///     ("from", Value::text("021 123 4567")),
    ///     ("state", Value::text("ringing")),
    /// ])
    /// .unwrap();
    /// assert_eq!(report.state, CallState::Ringing);
    /// let missing = CallReport::read([("state", Value::text("rang"))]);
    /// assert_eq!(missing, Err(vec![ValidationError::FromRequired, ValidationError::StateInvalid]));
    /// ```
    ///
    /// # Errors
    /// Every rule broken, in the members' order: `from`, `to`, `extension`, `state`, `callId`,
    /// `businessId`.
    pub fn read<K: AsRef<str>>(
        members: impl IntoIterator<Item = (K, Value)>,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut slots: [Value; 6] = Default::default();
        for (name, value) in members {
            let at = ["from", "to", "extension", "state", "callId", "businessId"]
                .iter()
                .position(|wanted| name.as_ref().eq_ignore_ascii_case(wanted));
            if let Some(at) = at {
                slots[at] = value;
            }
        }
        let [from, to, extension, state, call_id, business_id] = slots;
        let mut errors = Vec::new();
        let from = text(
            from,
            Some(ValidationError::FromRequired),
            ValidationError::FromInvalid,
            &mut errors,
        );
        let to = text(to, None, ValidationError::ToInvalid, &mut errors).unwrap_or_default();
        let extension = text(extension, None, ValidationError::ExtensionInvalid, &mut errors)
            .unwrap_or_default();
        let state = text(
            state,
            Some(ValidationError::StateRequired),
            ValidationError::StateInvalid,
            &mut errors,
        );
        let state = state.and_then(|state| {
            let read = CallState::parse(&state);
            if read.is_none() {
                errors.push(ValidationError::StateInvalid);
            }
            read
        });
        let call_id = text(call_id, None, ValidationError::CallIdInvalid, &mut errors);
        let business_id = match business_id {
            Value::Text(text) if utf16_len(text.trim()) <= CALL_TEXT_MAX => Some(text),
            Value::Absent | Value::Null => None,
            _ => {
                errors.push(ValidationError::BusinessIdInvalid);
                None
            }
        };
        match (from, state) {
            (Some(from), Some(state)) if errors.is_empty() => {
                Ok(Self { from, to, extension, state, call_id, business_id })
            }
            _ => Err(errors),
        }
    }

    /// Reads Twilio's status callback (its form's `From`, `To`, `CallStatus` and `CallSid`,
    /// with `businessId` from the callback's URL) as a call event.
    ///
    /// ```
    /// use phone_model::{CallReport, CallState};
    /// let form = [("CallSid", "CA42"), ("From", "+64211234567"), ("To", "+6492645555"),
    ///             ("CallStatus", "in-progress")];
    /// let report = CallReport::from_twilio(form, None).unwrap();
    /// assert_eq!((report.state, report.call_id.as_deref()), (CallState::Answered, Some("CA42")));
    /// ```
    ///
    /// # Errors
    /// As [`read`](Self::read): a missing `From` or `CallStatus`, or a status Twilio does not
    /// send, is refused on `from` or `state`.
    pub fn from_twilio<'a>(
        form: impl IntoIterator<Item = (&'a str, &'a str)>,
        business_id: Option<&str>,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut members: Vec<(&str, Value)> = Vec::new();
        for (name, value) in form {
            let member = match name {
                "From" => "from",
                "To" => "to",
                "CallSid" => "callId",
                "CallStatus" => {
                    let state = CallState::from_twilio(value).map(CallState::as_str);
                    members.push(("state", Value::text(state.unwrap_or(value))));
                    continue;
                }
                _ => continue,
            };
            members.push((member, Value::text(value)));
        }
        if let Some(business_id) = business_id {
            members.push(("businessId", Value::text(business_id)));
        }
        Self::read(members)
    }

    /// The business the event is of: the one named, or the caller's only one.
    ///
    /// ```
    /// use phone_model::{Businesses, CallReport, CallState, Refusal, ValidationError};
    /// let report = |named: Option<&str>| CallReport {
    ///     from: "021 123 4567".into(), to: String::new(), extension: String::new(),
    ///     state: CallState::Ringing, call_id: None, business_id: named.map(Into::into),
    /// };
    /// let physio = Businesses::only(["1001"]);
    /// assert_eq!(report(None).business(&physio), Ok(Ok("1001".to_owned())));
    /// assert_eq!(report(Some("1002")).business(&physio), Err(Refusal::CustomerAccessDenied));
    /// let both = Businesses::only(["1001", "1002"]);
    /// assert_eq!(report(None).business(&both), Ok(Err(ValidationError::BusinessIdRequired)));
    /// ```
    ///
    /// # Errors
    /// [`Refusal::CustomerAccessDenied`] for a business not the caller's; within `Ok`,
    /// [`ValidationError::BusinessIdRequired`] when none was named and the caller has several
    /// (or every one).
    pub fn business(
        &self,
        businesses: &crate::Businesses,
    ) -> Result<Result<String, ValidationError>, Refusal> {
        let named = self.business_id.as_deref().map(str::trim).filter(|id| !id.is_empty());
        Ok(match (businesses.listing(named)?, named) {
            (Listing::Within(business), _) | (Listing::AsAsked, Some(business)) => {
                Ok(String::from(business))
            }
            (Listing::AsAsked | Listing::Several(_), _) => Err(ValidationError::BusinessIdRequired),
        })
    }
}

/// A member's text, trimmed: `required` when it is absent, `null` or blank, `invalid` when it
/// is not a string or longer than [`CALL_TEXT_MAX`].
fn text(
    value: Value,
    required: Option<ValidationError>,
    invalid: ValidationError,
    errors: &mut Vec<ValidationError>,
) -> Option<String> {
    match value {
        Value::Text(text) if !text.trim().is_empty() => {
            if utf16_len(text.trim()) <= CALL_TEXT_MAX {
                return Some(String::from(text.trim()));
            }
            errors.push(invalid);
        }
        Value::Absent | Value::Null | Value::Text(_) => errors.extend(required),
        _ => errors.push(invalid),
    }
    None
}

/// Where a customer whose `number` matched a lookup of `ending` (see [`caller_number`]) comes
/// among the callers: those whose number is all of the digits asked first (fewest digits
/// beyond them), then primary numbers; the smaller, the better. Equals keep the search's
/// order, the oldest first.
///
/// ```
/// # let json = r#"{"phoneNumberId":"7","phoneName":"Aroha","countryCode":"+64","areaCode":"","phoneNumber":"021 123 4567","phoneType":"mobile","isPrimary":true}"#;
/// let number: phone_model::PhoneNumberResource = serde_json::from_str(json).unwrap();
/// let ending = phone_model::caller_number(Some("+64 21 123 4567")).unwrap();
/// assert_eq!(phone_model::caller_order(&ending, &number), (0, false));
/// ```
#[must_use]
pub fn caller_order(ending: &str, number: &PhoneNumberResource) -> (usize, bool) {
    let digits = reversed_digits(&stored_duplicate_key(number));
    (digits.len().saturating_sub(ending.len()), !number.is_primary)
}

/// The reversed digits a caller lookup's `number` must end a customer's number with (see
/// [`CustomerQuery`]): the number in any written form the staff search reads.
///
/// ```
/// use phone_model::{ValidationError, caller_number};
/// assert_eq!(caller_number(Some("+64 21 123 4567")), Ok("76543211246".to_owned()));
/// assert_eq!(caller_number(Some("0211234567")), Ok("765432112".to_owned()));
/// assert_eq!(caller_number(None), Err(ValidationError::NumberRequired));
/// assert_eq!(caller_number(Some("Aroha")), Err(ValidationError::NumberInvalid));
/// ```
///
/// # Errors
/// [`ValidationError::NumberRequired`] when there is none (or only white space);
/// [`ValidationError::NumberInvalid`] for text that is no number, or too long.
pub fn caller_number(number: Option<&str>) -> Result<String, ValidationError> {
    let number = number.map(str::trim).filter(|n| !n.is_empty());
    let number = number.ok_or(ValidationError::NumberRequired)?;
    if utf16_len(number) > CALL_TEXT_MAX {
        return Err(ValidationError::NumberInvalid);
    }
    CustomerQuery::parse(number).number.ok_or(ValidationError::NumberInvalid)
}
