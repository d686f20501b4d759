//! The number itself: reading what a person typed, normalising it by its country's numbering
//! plan, and writing it out again in the plan's formats.

use alloc::{borrow::ToOwned, string::String};
use core::fmt;

use crate::{
    CountryCode, Invalidity, NumberKind,
    plan::{LengthFit, Region, Style},
    text::digits_of,
    typed::{Typed, split_extension},
};

/// The fewest national digits any country's numbers have (Niue, Tokelau).
const MIN_NATIONAL_DIGITS: usize = 4;

/// The most digits a national number has: libphonenumber's limit, which goes beyond E.164's 15
/// digits for the few long toll-free and UAN numbers some countries have (`+49 800 …`).
const MAX_NATIONAL_DIGITS: usize = 17;

/// Why a phone number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberError {
    /// A character the contract does not allow, such as `!`, `é` or `@`.
    InvalidCharacter(char),
    /// Nothing to dial: no digit or capital-letter word before the text after the number.
    NoDigits,
    /// A service code such as `*555` or `#123`: dialled as written, with no E.164 form.
    ServiceCode,
    /// Written in international form with another country's code (`+44 …` under `+64`, or
    /// `0044 …`: New Zealand's international prefix and the United Kingdom's code).
    OtherCountry,
    /// Too few digits for any number: under 4 after the country code (`123`).
    TooShort,
    /// Too many digits for any number: over 17 after the country code.
    TooLong,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter(c) => write!(f, "the character {c:?} is not allowed"),
            Self::NoDigits => f.write_str("there is no digit to dial"),
            Self::ServiceCode => f.write_str("a service code has no international form"),
            Self::OtherCountry => f.write_str("the number starts with another country code"),
            Self::TooShort => f.write_str("no number has so few digits"),
            Self::TooLong => f.write_str("no number has so many digits"),
        }
    }
}

impl core::error::Error for NumberError {}

/// A phone number read and normalised: its country code, its national significant number
/// (the digits after the country code, without a national prefix), and what its plan says of
/// it.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phone_model::{CountryCode, NumberKind, ParsedNumber};
/// let number = ParsedNumber::parse(CountryCode::NZ, "09", "264 5555")?;
/// assert_eq!(number.e164(), "+6492645555");
/// assert_eq!(number.national(), "09 264 5555");
/// assert_eq!(number.international(), "+64 9 264 5555");
/// assert_eq!(number.tel_uri(), "tel:+6492645555");
/// assert_eq!(number.kind(), NumberKind::FixedLine);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNumber {
    country_code: CountryCode,
    national: String,
    /// The plan of the calling code's main region, which formats its numbers.
    main: Option<Region>,
    /// The region the number belongs to, where one is found.
    region: Option<Region>,
    kind: NumberKind,
    area_code_ignored: bool,
    extension: Option<String>,
    note: Option<String>,
}

impl ParsedNumber {
    /// Reads a number as a person or a client sends it. The area code and the number are
    /// joined and the plan's national prefix is dropped, so under `+64` `"09"` + `"264 5555"`,
    /// `""` + `"09 264 5555"`, `"9"` + `"2645555"`, `""` + `"+64 9 264 5555"` and
    /// `""` + `"+64 (0)9 264 5555"` are one number. So is `""` + `"0064 9 264 5555"`: digits
    /// that start with the country's international prefix (`00` in New Zealand, `0011` in
    /// Australia, `011` in the United States), as its people dial abroad, are written with
    /// the country code, as if after `+`. A number written with `+` (or that prefix) is
    /// complete: an area code beside it is not added (see
    /// [`area_code_ignored`](Self::area_code_ignored)).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use phone_model::{CountryCode, NumberError, ParsedNumber};
    /// let dialled = ParsedNumber::parse(CountryCode::NZ, "", "0064 21 123 4567")?;
    /// assert_eq!(dialled.e164(), "+64211234567");
    /// let from_australia = ParsedNumber::parse(CountryCode::AU, "", "0011 64 21 123 4567");
    /// assert_eq!(from_australia, Err(NumberError::OtherCountry));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// - [`NumberError::InvalidCharacter`] for `"264 5555!"`;
    /// - [`NumberError::NoDigits`] for `"call me"` or `"ext 12"`;
    /// - [`NumberError::ServiceCode`] for `"*555"`;
    /// - [`NumberError::OtherCountry`] for `"+44 20 7946 0000"` or `"0044 20 7946 0000"`
    ///   under `+64` (see [`written_country`](crate::written_country) for the country);
    /// - [`NumberError::TooShort`] for `"123"` or `"0064 12"`;
    /// - [`NumberError::TooLong`] for eighteen digits.
    pub fn parse(
        country_code: CountryCode,
        area_code: &str,
        number: &str,
    ) -> Result<Self, NumberError> {
        let main = Region::main_for(country_code.digits());
        let typed = Typed::read(number)?.dialled_from(main);
        let strip = |digits: &str| match main {
            Some(region) => region.strip_national_prefix(digits),
            // Without a plan the national prefix is not known: the digits stay as dialled.
            None => digits.to_owned(),
        };
        let area = digits_of(area_code);
        let (national, area_code_ignored) = if typed.international {
            let rest = typed
                .digits
                .strip_prefix(country_code.digits())
                .ok_or(NumberError::OtherCountry)?;
            let national = strip(rest);
            let prefix = main.map_or("", Region::national_prefix);
            let area = area.strip_prefix(prefix).filter(|_| !prefix.is_empty()).unwrap_or(&area);
            let ignored = !national.starts_with(area);
            (national, ignored)
        } else {
            (strip(&(area + &typed.digits)), false)
        };
        if national.len() < MIN_NATIONAL_DIGITS {
            return Err(NumberError::TooShort);
        }
        if national.len() > MAX_NATIONAL_DIGITS {
            return Err(NumberError::TooLong);
        }
        let found = main.and_then(|main| main.region_of(&national));
        let region = found.map(|(region, _)| region);
        let kind = found.map_or(NumberKind::Unknown, |(_, kind)| kind);
        let (extension, note) = split_extension(typed.after);
        Ok(Self { country_code, national, main, region, kind, area_code_ignored, extension, note })
    }

    /// The country code it is dialled with.
    #[must_use]
    pub fn country_code(&self) -> CountryCode {
        self.country_code
    }

    /// The national significant number: the digits after the country code (`92645555`).
    #[must_use]
    pub fn national_significant_number(&self) -> &str {
        &self.national
    }

    /// The kind of number its country's plan says it is; [`NumberKind::Unknown`] when the
    /// number is not valid in the plan, or the country has none here.
    #[must_use]
    pub fn kind(&self) -> NumberKind {
        self.kind
    }

    /// Whether the number is valid in its country's plan (it has a known kind).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.kind != NumberKind::Unknown
    }

    /// The country whose numbering plan the number breaks: `Some` when the country has a plan
    /// here and the number fits none of its types.
    #[must_use]
    pub fn broken_plan(&self) -> Option<&'static str> {
        if self.is_valid() {
            return None;
        }
        self.region.or(self.main).map(Region::name)
    }

    /// Why the number is not valid in its country's plan: `None` when it is valid, or the
    /// country has no plan here to judge it by. Its length is weighed first, against every
    /// length its region's numbers have, as libphonenumber's `isPossibleNumberWithReason` does.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use phone_model::{CountryCode, Invalidity, ParsedNumber};
    /// let us = CountryCode::new("+1")?;
    /// let short = ParsedNumber::parse(us, "", "212 555")?;
    /// assert_eq!(short.invalidity(), Some(Invalidity::TooShort { country: Some("United States") }));
    /// let local = ParsedNumber::parse(us, "", "555 0123")?;
    /// assert_eq!(local.invalidity(), Some(Invalidity::NoAreaCode { country: "United States" }));
    /// let unused = ParsedNumber::parse(CountryCode::NZ, "09", "164 5555")?;
    /// assert_eq!(unused.invalidity(), Some(Invalidity::NotInPlan { country: "New Zealand" }));
    /// assert_eq!(ParsedNumber::parse(CountryCode::NZ, "09", "264 5555")?.invalidity(), None);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn invalidity(&self) -> Option<Invalidity> {
        if self.is_valid() {
            return None;
        }
        let region = self.region.or(self.main)?;
        let country = region.name();
        Some(match region.length_fit(self.national.len()) {
            LengthFit::TooShort => Invalidity::TooShort { country: Some(country) },
            LengthFit::TooLong => Invalidity::TooLong { country: Some(country) },
            LengthFit::LocalOnly => Invalidity::NoAreaCode { country },
            LengthFit::Between => Invalidity::InvalidLength { country },
            LengthFit::Possible => Invalidity::NotInPlan { country },
        })
    }

    /// Whether an area code was sent beside a number written with `+` and does not start its
    /// national number: the number was read as written, without it.
    #[must_use]
    pub fn area_code_ignored(&self) -> bool {
        self.area_code_ignored
    }

    /// The E.164 form (`+6492645555`): what a phone system dials, and the key for duplicates.
    #[must_use]
    pub fn e164(&self) -> String {
        let mut out = String::with_capacity(16);
        out.push_str(self.country_code.as_str());
        out.push_str(&self.national);
        out
    }

    /// The form dialled within the country, in its plan's format (`09 264 5555`,
    /// `0412 345 678`, `1800 123 456`, `020 7946 0958`). Where the plan has no format for the
    /// number, its national significant number; for a country without a plan here, the
    /// international form, since whether it dials a national prefix is not known.
    #[must_use]
    pub fn national(&self) -> String {
        match self.main {
            Some(main) => main
                .format(&self.national, Style::National)
                .unwrap_or_else(|| self.national.clone()),
            None => self.international(),
        }
    }

    /// The form dialled from abroad, grouped as its plan says (`+64 9 264 5555`).
    #[must_use]
    pub fn international(&self) -> String {
        let grouped = self.main.and_then(|main| main.format(&self.national, Style::International));
        let mut out = String::with_capacity(24);
        out.push_str(self.country_code.as_str());
        out.push(' ');
        out.push_str(grouped.as_deref().unwrap_or(&self.national));
        out
    }

    /// An RFC 3966 `tel:` URI, with the extension if there is one (`tel:+6492645555;ext=12`).
    #[must_use]
    pub fn tel_uri(&self) -> String {
        let mut out = String::from("tel:");
        out.push_str(&self.e164());
        if let Some(extension) = &self.extension {
            out.push_str(";ext=");
            out.push_str(extension);
        }
        out
    }

    /// The extension's digits, when the number is followed by one (`ext 12`, `x12`, `#12`).
    #[must_use]
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// Text after the number that is not an extension (`after 5pm`): kept, never dialled.
    #[must_use]
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

impl fmt::Display for ParsedNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.international())
    }
}
