// Over 400 lines: each problem's rule beside its table test, so a rule and its cases are read
// together.
//! The data-quality review (Phonedesk's extension): what a stored number looks like under
//! today's plans and rules. A number saved long ago, by a client that ignored the warnings, or
//! before a plan changed is judged exactly as a new one would be ([`validate_create`]), and
//! what is wrong is named, counted and, where the fix is mechanical, suggested.
//!
//! One problem needs the other rows, not the number alone: a number another customer has too
//! ([`Problem::Shared`], information rather than an error: a family's or an office's number).
//! The server keeps that one up to date as numbers change; the rest come from [`Review::of`].

use alloc::{borrow::ToOwned, format, string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{
    Country, CountryCode, NumberKind, PhoneNumberInput, PhoneNumberResource, PhoneType,
    ValidationError, Warning, code_country::country_of, conditions::fnv1a, validate_create,
    written_country,
};

/// What can be wrong with a stored number, in the order the review lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Problem {
    /// The number fits no number of its country's plan, or has a length none can have.
    #[serde(rename = "notInPlan")]
    NotInPlan,
    /// It is written with another country's code than the one it is saved under (`+44 …`
    /// saved as New Zealand): it dials as that country's.
    #[serde(rename = "otherCountry")]
    OtherCountry,
    /// Its type contradicts its kind: a mobile saved as home, a landline saved as mobile.
    #[serde(rename = "wrongType")]
    WrongType,
    /// Its country code is not one of the provider's table (any more).
    #[serde(rename = "unknownCountryCode")]
    UnknownCountry,
    /// Another customer has the same number: shown as information, not an error.
    #[serde(rename = "sharedNumber")]
    Shared,
}

impl Problem {
    /// Every problem, in the review's order.
    pub const ALL: [Self; 5] =
        [Self::NotInPlan, Self::OtherCountry, Self::WrongType, Self::UnknownCountry, Self::Shared];

    /// The bit that marks it in a stored verdict. Bits are stored: a new problem takes a new
    /// bit, whatever its place in the review's order.
    #[must_use]
    pub const fn bit(self) -> i64 {
        match self {
            Self::NotInPlan => 1,
            Self::OtherCountry => 16,
            Self::WrongType => 2,
            Self::UnknownCountry => 4,
            Self::Shared => 8,
        }
    }

    /// Its name on the wire (the review's `problem` parameter and member).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotInPlan => "notInPlan",
            Self::OtherCountry => "otherCountry",
            Self::WrongType => "wrongType",
            Self::UnknownCountry => "unknownCountryCode",
            Self::Shared => "sharedNumber",
        }
    }

    /// The problem of a wire name.
    ///
    /// ```
    /// use phone_model::Problem;
    /// assert_eq!(Problem::parse("wrongType"), Some(Problem::WrongType));
    /// assert_eq!(Problem::parse("WRONGTYPE"), None);
    /// ```
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// A heading for staff, for a group of numbers with this problem.
    #[must_use]
    pub const fn heading(self) -> &'static str {
        match self {
            Self::NotInPlan => "Numbers that cannot exist as written",
            Self::OtherCountry => "Numbers saved under another country",
            Self::WrongType => "Types that contradict the number",
            Self::UnknownCountry => "Countries that can no longer be chosen",
            Self::Shared => "Numbers shared with another customer",
        }
    }

    /// Whether it is information only (nothing to fix).
    #[must_use]
    pub const fn is_information(self) -> bool {
        matches!(self, Self::Shared)
    }
}

/// The review of one number: its problems (all but [`Problem::Shared`]), what it dials as,
/// the type its kind decides, when that differs from the saved one, and the country it is
/// written for, when that differs from the saved one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    bits: i64,
    kind: Option<NumberKind>,
    plan_message: Option<String>,
    /// The type to change to, when its kind decides it (`mobile` for a mobile saved as home).
    pub suggested_type: Option<PhoneType>,
    /// The country to change to, when the number is written with another country's code of
    /// the provider's table (the United Kingdom for `+44 20 7946 0958` saved as New Zealand).
    pub suggested_country: Option<&'static Country>,
}

impl Review {
    /// Judges a stored number by the rules a new one meets.
    ///
    /// ```
    /// # let json = r#"{"phoneNumberId":"1234567","phoneName":"Tama","countryCode":"+64","areaCode":"","phoneNumber":"021 444 5566","phoneType":"home","isPrimary":true}"#;
    /// use phone_model::{PhoneNumberResource, PhoneType, Problem, Review};
    /// let number: PhoneNumberResource = serde_json::from_str(json).unwrap();
    /// let review = Review::of(&number);
    /// assert!(review.has(Problem::WrongType));
    /// assert_eq!(review.suggested_type, Some(PhoneType::Mobile));
    /// assert_eq!(review.message(Problem::WrongType, &number), "Saved as Home, dials as a mobile number: change the type to Mobile?");
    /// ```
    #[must_use]
    pub fn of(number: &PhoneNumberResource) -> Self {
        let input = PhoneNumberInput::stored(number);
        let validation = validate_create(&input);
        let mut bits = 0;
        if validation.errors().contains(&ValidationError::CountryCodeInvalid) {
            bits |= Problem::UnknownCountry.bit();
        }
        let implausible = validation.warnings().iter().copied().find(|w| w.is_implausible());
        if implausible.is_some() {
            bits |= Problem::NotInPlan.bit();
        }
        let kind = validation.number().map(crate::ParsedNumber::kind);
        let mut suggested_type = None;
        if validation.warnings().iter().any(|w| matches!(w, Warning::TypeMismatch { .. })) {
            bits |= Problem::WrongType.bit();
            suggested_type = kind.and_then(Warning::type_of);
        }
        let mut suggested_country = None;
        if validation.warnings().contains(&Warning::OtherCountry) {
            bits |= Problem::OtherCountry.bit();
            suggested_country = written_country(number.country_code, &number.phone_number);
        }
        let plan_message = implausible.map(Warning::plain_message);
        Self { bits, kind, plan_message, suggested_type, suggested_country }
    }

    /// Its problems as a stored verdict: each problem's [`Problem::bit`].
    #[must_use]
    pub const fn bits(&self) -> i64 {
        self.bits
    }

    /// Whether it has `problem` (never [`Problem::Shared`], which needs the other rows).
    #[must_use]
    pub const fn has(&self, problem: Problem) -> bool {
        self.bits & problem.bit() != 0
    }

    /// What staff read about `problem` on `number`, in plain words, with the fix where one is
    /// known.
    #[must_use]
    pub fn message(&self, problem: Problem, number: &PhoneNumberResource) -> String {
        let saved = number.phone_type.label();
        match problem {
            Problem::NotInPlan => self.plan_message.clone().unwrap_or_else(|| {
                "This number cannot exist as written: check the digits.".to_owned()
            }),
            Problem::WrongType => {
                let dials = self.kind.map_or("number of another kind", NumberKind::description);
                match self.suggested_type {
                    Some(to) => format!(
                        "Saved as {saved}, dials as a {dials}: change the type to {}?",
                        to.label()
                    ),
                    None => format!(
                        "Saved as {saved}, dials as a {dials}: change the type to Home or Work?"
                    ),
                }
            }
            Problem::OtherCountry => {
                let saved = country_name(number.country_code);
                match self.suggested_country {
                    Some(to) => format!(
                        "Saved as {saved}, dials as {0}: change the country to {0} ({1})?",
                        to.name(),
                        to.code()
                    ),
                    None => format!(
                        "Saved as {saved}, written with another country's code: check the country and the number."
                    ),
                }
            }
            Problem::UnknownCountry => format!(
                "{} can no longer be chosen as a country: choose the country again.",
                number.country_code.as_str()
            ),
            Problem::Shared => {
                "Another customer has this number too: a shared family or office number?".to_owned()
            }
        }
    }
}

/// A country's name in the provider's table (`New Zealand` for `+64`), or its code where the
/// table no longer has it.
fn country_name(code: CountryCode) -> &'static str {
    country_of(code, "").map_or(code.as_str(), Country::name)
}

/// The data-quality review as the server sends it (`GET /phoneNumberReview`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberReview {
    /// Every problem, in the review's order, with how many of the caller's numbers have it.
    pub problems: Vec<ProblemCount>,
    /// A page of the numbers with the problem asked for, oldest first (none when no
    /// `problem` was asked for).
    pub phone_numbers: Vec<ReviewedNumber>,
    /// Where the next page starts, as every list has it.
    pub response_metadata: crate::ResponseMetadata,
}

/// How many numbers have a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProblemCount {
    pub problem: Problem,
    /// The heading staff read for it.
    pub heading: String,
    /// Whether it is information, with nothing to fix.
    pub information: bool,
    pub count: i64,
}

/// A number of the review, with what is wrong and how it could be put right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReviewedNumber {
    pub problem: Problem,
    /// What is wrong, in plain words, with the fix where one is known.
    pub message: String,
    /// Whose number it is.
    pub customer: crate::CustomerResource,
    pub phone_number: PhoneNumberResource,
    /// The type its kind decides, for a mechanical fix (`mobile` for a mobile saved as home).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_phone_type: Option<PhoneType>,
    /// The country code it is written with, for a mechanical fix (`+44` for `+44 20 7946 0958`
    /// saved as New Zealand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_country_code: Option<CountryCode>,
    /// For a shared number: the other customers who have it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<crate::CustomerResource>,
    /// For a shared number marked as expected (listed with `expected=true`): who marked it,
    /// and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<crate::SharedNumberMark>,
}

impl ReviewedNumber {
    /// The review's item for `number` of `customer` under `problem`, judged by the core.
    #[must_use]
    pub fn new(
        problem: Problem,
        customer: crate::CustomerResource,
        phone_number: PhoneNumberResource,
        shared_with: Vec<crate::CustomerResource>,
    ) -> Self {
        let review = Review::of(&phone_number);
        let suggested_phone_type = review.suggested_type.filter(|_| problem == Problem::WrongType);
        let suggested_country_code = review
            .suggested_country
            .filter(|_| problem == Problem::OtherCountry)
            .map(Country::country_code);
        Self {
            problem,
            message: review.message(problem, &phone_number),
            customer,
            phone_number,
            suggested_phone_type,
            suggested_country_code,
            shared_with,
            expected: None,
        }
    }
}

/// Bumped whenever [`Review::of`]'s rules change, so that stored verdicts are made again.
const RULES: u8 = 2;

/// The version of the verdicts [`Review::of`] gives: of its rules, the compiled plans and the
/// provider's country table, so that a server keeping verdicts knows when to make them again
/// (after `cargo xtask metadata` compiles a new release of the plans, the table changes, or the
/// rules do).
#[must_use]
pub fn verdicts_version() -> String {
    let table = crate::countries().iter().flat_map(|c| c.code().bytes().chain(c.name().bytes()));
    version_of(RULES, crate::plan::compiled(), table)
}

/// The version of verdicts made by `rules`, `plans` and the country `table`'s bytes.
fn version_of(rules: u8, plans: &[u8], table: impl Iterator<Item = u8>) -> String {
    let data = fnv1a(plans.iter().copied().chain([0xFF]).chain(table));
    format!("{rules}:{data:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(country: &str, area: &str, digits: &str, phone_type: &str) -> PhoneNumberResource {
        serde_json::from_value(serde_json::json!({
            "phoneNumberId": "1234567", "phoneName": "A", "countryCode": "+64", "areaCode": area,
            "phoneNumber": digits, "phoneType": phone_type, "isPrimary": true
        }))
        .map(|n: PhoneNumberResource| PhoneNumberResource {
            country_code: crate::CountryCode::stored(country).expect("a code"),
            ..n
        })
        .expect("a number")
    }

    fn customer() -> crate::CustomerResource {
        serde_json::from_value(serde_json::json!({
            "customerId": "5075447896", "firstName": "Ann", "lastName": "", "externalReference": "",
            "business": {"businessId": "3333333", "name": "Kiwi Physio"}
        }))
        .expect("a customer")
    }

    #[test]
    fn each_problem_is_found_and_a_clean_number_has_none() {
        assert_eq!(Review::of(&number("+64", "09", "264 5555", "home")).bits(), 0);
        assert_eq!(
            Review::of(&number("+64", "021", "123 4567", "work")).bits(),
            0,
            "a work mobile is fine"
        );
        let impossible = Review::of(&number("+64", "03", "111 1111", "home"));
        assert!(impossible.has(Problem::NotInPlan), "{impossible:?}");
        let landline_as_mobile = Review::of(&number("+64", "09", "264 5555", "mobile"));
        assert!(landline_as_mobile.has(Problem::WrongType));
        assert_eq!(landline_as_mobile.suggested_type, None, "home or work: a person decides");
        let toll_free_at_home = Review::of(&number("+64", "", "0800 123 456", "home"));
        assert_eq!(toll_free_at_home.suggested_type, Some(PhoneType::Work));
        let dropped = Review::of(&number("+999", "", "264 5555", "home"));
        assert!(dropped.has(Problem::UnknownCountry), "{dropped:?}");
    }

    #[test]
    fn problems_are_bits_of_a_verdict_with_a_heading_and_only_a_shared_number_is_information() {
        // Bits are stored: a problem keeps its bit wherever the review lists it.
        let bits: Vec<i64> = Problem::ALL.iter().map(|p| p.bit()).collect();
        assert_eq!(bits, [1, 16, 2, 4, 8]);
        let names: Vec<&str> = Problem::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            ["notInPlan", "otherCountry", "wrongType", "unknownCountryCode", "sharedNumber"]
        );
        for problem in Problem::ALL {
            let json = serde_json::to_value(problem).expect("a problem serialises");
            assert_eq!(json, problem.as_str(), "the wire name and the parameter agree");
            assert_eq!(Problem::parse(problem.as_str()), Some(problem));
        }
        let headings: Vec<&str> = Problem::ALL.iter().map(|p| p.heading()).collect();
        assert_eq!(
            headings,
            [
                "Numbers that cannot exist as written",
                "Numbers saved under another country",
                "Types that contradict the number",
                "Countries that can no longer be chosen",
                "Numbers shared with another customer",
            ]
        );
        let information: Vec<bool> = Problem::ALL.iter().map(|p| p.is_information()).collect();
        assert_eq!(information, [false, false, false, false, true]);
        // A number with one problem has that one only.
        let impossible = Review::of(&number("+64", "03", "111 1111", "home"));
        assert_eq!(impossible.bits(), Problem::NotInPlan.bit());
        let has: Vec<bool> = Problem::ALL.iter().map(|&p| impossible.has(p)).collect();
        assert_eq!(has, [true, false, false, false, false], "{impossible:?}");
    }

    #[test]
    fn a_number_written_with_another_countrys_code_is_saved_under_another_country() {
        let cases = [
            // (saved as, area, number, suggested, message)
            (
                "+64",
                "",
                "+44 20 7946 0958",
                Some("+44"),
                "Saved as New Zealand, dials as United Kingdom: change the country to United Kingdom (+44)?",
            ),
            (
                "+64",
                "",
                "0044 20 7946 0958",
                Some("+44"),
                "Saved as New Zealand, dials as United Kingdom: change the country to United Kingdom (+44)?",
            ),
            (
                "+61",
                "",
                "0011 64 21 123 4567",
                Some("+64"),
                "Saved as Australia, dials as New Zealand: change the country to New Zealand (+64)?",
            ),
            (
                "+64",
                "",
                "+1 684 633 1234",
                Some("+1"),
                "Saved as New Zealand, dials as American Samoa: change the country to American Samoa (+1)?",
            ),
            (
                "+64",
                "09",
                "+999 123 4567",
                None,
                "Saved as New Zealand, written with another country's code: check the country and the number.",
            ),
        ];
        for (saved, area, digits, suggested, message) in cases {
            let number = number(saved, area, digits, "work");
            let review = Review::of(&number);
            assert_eq!(review.bits(), Problem::OtherCountry.bit(), "{digits}: {review:?}");
            let suggested_code = review.suggested_country.map(|c| c.code());
            assert_eq!(suggested_code, suggested, "{digits}");
            assert_eq!(review.message(Problem::OtherCountry, &number), message, "{digits}");
            let item =
                ReviewedNumber::new(Problem::OtherCountry, customer(), number.clone(), Vec::new());
            assert_eq!(item.suggested_country_code.map(CountryCode::as_str), suggested);
            // Listed under another problem, the number carries no country to change to.
            let other = ReviewedNumber::new(Problem::Shared, customer(), number, Vec::new());
            assert_eq!(other.suggested_country_code, None);
        }
        // Its own country's code, written either way, is no problem.
        for digits in ["+64 21 123 4567", "0064 21 123 4567"] {
            assert_eq!(Review::of(&number("+64", "", digits, "mobile")).bits(), 0, "{digits}");
        }
    }

    #[test]
    fn a_country_the_table_dropped_is_to_be_chosen_again() {
        let dropped = number("+999", "", "264 5555", "home");
        assert_eq!(
            Review::of(&dropped).message(Problem::UnknownCountry, &dropped),
            "+999 can no longer be chosen as a country: choose the country again."
        );
    }

    #[test]
    fn the_verdicts_version_changes_with_the_rules_the_plans_and_the_table() {
        let table = || b"+64New Zealand".iter().copied();
        let base = version_of(1, b"plans", table());
        assert_eq!(base, version_of(1, b"plans", table()));
        assert_ne!(base, version_of(2, b"plans", table()));
        assert_ne!(base, version_of(1, b"plans!", table()));
        assert_ne!(base, version_of(1, b"plans", b"+64New Zealand ".iter().copied()));
        assert!(verdicts_version().starts_with(&format!("{RULES}:")));
    }
}
