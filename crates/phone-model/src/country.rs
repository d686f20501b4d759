//! The provider's table of country codes, and the country code a number is dialled with.

use core::fmt;

use crate::{ValidationError, code_country::country_of, text::utf16_len};

/// One row of the provider's country-code table, packed (8 bytes, where five references
/// took 36): its texts are places in tables of them all, generated at build time with it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Where its name is in `NAMES`: start and length.
    name: (u16, u8),
    /// Its code's index in `CODES`.
    code: u8,
    /// Where its area codes are in `AREA_CODES`: start and how many.
    area_codes: (u8, u8),
    /// Its ISO 3166 region id in the plans, from `data/country-regions.csv`: the index of its
    /// two letters in `REGION_IDS`, or `NO_REGION`.
    region: u8,
    /// Whether it is the row its code means alone, where several share the code (from the
    /// same file, held to the plans' main regions by a test). Read through `country_of`.
    pub(crate) main: bool,
}

/// Every row's name, one after another (generated at build time).
static NAMES: &str = include!(concat!(env!("OUT_DIR"), "/names.rs"));

/// Every row's area codes, one list after another (generated at build time).
static AREA_CODES: &[&str] = include!(concat!(env!("OUT_DIR"), "/area_codes.rs"));

/// The region ids of the rows that have one, two letters each (generated at build time).
static REGION_IDS: &str = include!(concat!(env!("OUT_DIR"), "/region_ids.rs"));

/// A row's `region` when it has none (as `build.rs` writes it).
const NO_REGION: u8 = 255;

/// `len` bytes of `text` from `start`, or `""` where that is not whole characters of it: the
/// tables are generated with their places, so never; no panic path in the module for it.
const fn text_at(text: &'static str, start: usize, len: usize) -> &'static str {
    let Some((_, rest)) = text.split_at_checked(start) else { return "" };
    match rest.split_at_checked(len) {
        Some((found, _)) => found,
        None => "",
    }
}

impl Country {
    /// The country's name in English (`New Zealand`).
    #[must_use]
    pub const fn name(&self) -> &'static str {
        text_at(NAMES, self.name.0 as usize, self.name.1 as usize)
    }

    /// Its country code with the plus (`+64`).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match CODES.split_at_checked(self.code as usize) {
            Some((_, [code, ..])) => code,
            _ => "",
        }
    }

    /// Its country code, as the rules take it.
    ///
    /// ```
    /// let nz = phone_model::countries().iter().find(|c| c.name() == "New Zealand");
    /// assert_eq!(nz.map(|c| c.country_code()), Some(phone_model::CountryCode::NZ));
    /// ```
    #[must_use]
    pub const fn country_code(&self) -> CountryCode {
        CountryCode(self.code())
    }

    /// The area codes that pick it out among the countries sharing its code (`684` for
    /// American Samoa under `+1`); empty for most countries.
    #[must_use]
    pub const fn area_codes(&self) -> &'static [&'static str] {
        let (start, len) = (self.area_codes.0 as usize, self.area_codes.1 as usize);
        let Some((_, rest)) = AREA_CODES.split_at_checked(start) else { return &[] };
        match rest.split_at_checked(len) {
            Some((found, _)) => found,
            None => &[],
        }
    }

    /// Its ISO 3166 region id (`NZ`, `US`, `GB`), as libphonenumber's plans know it, for
    /// naming it in a page's language (`Intl.DisplayNames`). `None` for the rows the plans
    /// have no region for: Antarctica, the Netherlands Antilles (dissolved; its code's
    /// regions are Curaçao and the Caribbean Netherlands), Pitcairn and Vatican City (whose
    /// `+379` is unused; the plans put it under `+39`).
    ///
    /// ```
    /// let id = |name: &str| {
    ///     phone_model::countries().iter().find(|c| c.name() == name).and_then(|c| c.region_id())
    /// };
    /// assert_eq!(id("New Zealand"), Some("NZ"));
    /// assert_eq!(id("Ivory Coast"), Some("CI"));
    /// assert_eq!(id("Antarctica"), None);
    /// ```
    #[must_use]
    pub const fn region_id(&self) -> Option<&'static str> {
        if self.region == NO_REGION {
            return None;
        }
        Some(text_at(REGION_IDS, self.region as usize * 2, 2))
    }

    /// Whether it is the country a number of its code alone is saved as: the main one of the
    /// countries sharing the code (the United States under `+1`, the United Kingdom under
    /// `+44`), and every country with a code of its own. A country picker that is typed "1"
    /// picks this one.
    ///
    /// ```
    /// let main = |name: &str| {
    ///     phone_model::countries().iter().find(|c| c.name() == name).is_some_and(|c| c.is_main_for_code())
    /// };
    /// assert!(main("United States") && main("United Kingdom") && main("New Zealand"));
    /// assert!(!main("Canada") && !main("Guernsey"));
    /// ```
    #[must_use]
    pub fn is_main_for_code(&self) -> bool {
        country_of(self.country_code(), "") == Some(self)
    }
}

/// As the unpacked row it stands for.
impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Country")
            .field("name", &self.name())
            .field("code", &self.code())
            .field("area_codes", &self.area_codes())
            .field("region", &self.region_id())
            .field("main", &self.main)
            .finish()
    }
}

/// The provider's table, in its order (by country name), generated from
/// `data/country-codes.csv` at build time.
static COUNTRIES: &[Country] = include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// The table's distinct codes, sorted by their digits as text (generated at build time).
static CODES: &[&str] = include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// Every country of the provider's table, in the table's order.
///
/// ```
/// let nz = phone_model::countries().iter().find(|c| c.name() == "New Zealand");
/// assert_eq!(nz.map(|c| c.code()), Some("+64"));
/// ```
#[must_use]
pub fn countries() -> &'static [Country] {
    COUNTRIES
}

/// A country code of the provider's table, such as `+64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "+64"))]
pub struct CountryCode(&'static str);

impl CountryCode {
    /// The longest country code the contract allows, in UTF-16 code units.
    pub const MAX_LEN: usize = 4;

    /// New Zealand, `+64`.
    pub const NZ: Self = Self("+64");
    /// Australia, `+61`.
    pub const AU: Self = Self("+61");

    /// Checks a country code against the provider's table. The plus may be left out.
    ///
    /// ```
    /// # fn main() -> Result<(), phone_model::ValidationError> {
    /// use phone_model::CountryCode;
    /// assert_eq!(CountryCode::new("+64")?, CountryCode::NZ);
    /// assert_eq!(CountryCode::new(" 61")?.as_str(), "+61");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// - [`ValidationError::CountryCodeRequired`] for `""` and `"   "`;
    /// - [`ValidationError::CountryCodeTooLong`] for `"+6400"`;
    /// - [`ValidationError::CountryCodeInvalid`] for `"+999"`, `"NZ"` and `"+"`.
    pub fn new(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValidationError::CountryCodeRequired);
        }
        if utf16_len(text) > Self::MAX_LEN {
            return Err(ValidationError::CountryCodeTooLong);
        }
        let digits = text.strip_prefix('+').unwrap_or(text);
        CODES
            .binary_search_by(|&code| Self(code).digits().cmp(digits))
            .ok()
            .and_then(|i| CODES.get(i))
            .map(|code| Self(code))
            .ok_or(ValidationError::CountryCodeInvalid)
    }

    /// A country code as stored or sent by a server: any `+` and 1 to 3 digits, whether or not
    /// the provider's table has it today, so that data saved under an older table is still
    /// read as it was saved (a code dropped from the table must not make a list unreadable).
    ///
    /// ```
    /// use phone_model::CountryCode;
    /// assert_eq!(CountryCode::stored("+64"), Some(CountryCode::NZ));
    /// assert_eq!(CountryCode::stored("+999").map(CountryCode::as_str), Some("+999"));
    /// assert_eq!(CountryCode::stored("64"), None);
    /// // Not a leading zero, a second sign or a fourth digit, though Rust would parse them.
    /// for text in ["+064", "++5", "+1000"] {
    ///     assert_eq!(CountryCode::stored(text), None, "{text}");
    /// }
    /// ```
    #[cfg(feature = "serde")]
    #[must_use]
    pub fn stored(text: &str) -> Option<Self> {
        static EVERY_CODE: &[&str] = include!(concat!(env!("OUT_DIR"), "/every_code.rs"));
        let digits = text.strip_prefix('+')?;
        let number: usize = digits.parse().ok().filter(|_| {
            (1..=3).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0')
        })?;
        EVERY_CODE.get(number.checked_sub(1)?).map(|code| Self(code))
    }

    /// The code with its plus (`+64`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The code's digits (`64`).
    #[must_use]
    pub fn digits(self) -> &'static str {
        // Every code has its plus; `strip_prefix` rather than `[1..]` keeps str's slicing panic,
        // and its formatting, out of the embeddable module.
        self.0.strip_prefix('+').unwrap_or(self.0)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn row(name: &str) -> &'static Country {
        countries().iter().find(|c| c.name() == name).expect("a row of the table")
    }

    #[test]
    fn a_row_names_its_region_and_whether_it_is_its_codes_main_country() {
        let cases = [
            ("New Zealand", Some("NZ"), true),
            ("Australia", Some("AU"), true),
            ("Cocos Islands", Some("CC"), false),
            ("United States", Some("US"), true),
            ("Canada", Some("CA"), false),
            ("American Samoa", Some("AS"), false),
            ("United Kingdom", Some("GB"), true),
            ("Guernsey", Some("GG"), false),
            ("Russia", Some("RU"), true),
            ("Kazakhstan", Some("KZ"), false),
            ("Curacao", Some("CW"), true),
            // The table has no row for Guadeloupe, the plans' main region of +590.
            ("Saint Barthelemy", Some("BL"), true),
            ("Saint Martin", Some("MF"), false),
            ("Netherlands Antilles", None, false),
            ("Pitcairn", None, false),
            // A code of its own, which no plan has: still the main (only) row of its code.
            ("Vatican", None, true),
        ];
        for (name, region, main) in cases {
            let country = row(name);
            assert_eq!((country.region_id(), country.is_main_for_code()), (region, main), "{name}");
        }
    }

    /// The ids are ours (`data/country-regions.csv`): each must be a region the plans have
    /// under the row's code, and the main row of a code the plans' main region where the table
    /// has a row for it (it has none for Guadeloupe, main under `+590`: its first row is).
    #[cfg(not(feature = "nz-au-only"))]
    #[test]
    fn every_region_id_is_a_region_of_the_plans_under_the_rows_code() {
        use crate::plan::Region;
        for country in countries() {
            let main = Region::main_for(country.country_code().digits());
            if let Some(id) = country.region_id() {
                let main = main.expect("a row with a region has a plan");
                let found = main.siblings().find(|r| r.id() == id.as_bytes());
                assert!(found.is_some(), "{}: no {id} under {}", country.name(), country.code());
            }
            let main_has_row = |main: Region| {
                countries()
                    .iter()
                    .any(|c| c.region_id().is_some_and(|id| main.id() == id.as_bytes()))
            };
            if let (Some(id), Some(main)) = (country.region_id(), main.filter(|&m| main_has_row(m)))
            {
                let is_main = main.id() == id.as_bytes();
                assert_eq!(country.is_main_for_code(), is_main, "{}", country.name());
            }
        }
    }

    /// The packed rows read back whole: the texts at each row's places are the table's.
    #[test]
    fn every_packed_row_reads_back_its_texts() {
        let rows = countries();
        assert_eq!(rows.len(), 240);
        let first = (rows[0].name(), rows[0].code(), rows[0].region_id());
        assert_eq!(first, ("Afghanistan", "+93", Some("AF")));
        let last = rows.last().map(|c| (c.name(), c.code(), c.region_id()));
        assert_eq!(last, Some(("Zimbabwe", "+263", Some("ZW"))));
        assert_eq!(row("American Samoa").area_codes(), ["684"]);
        assert_eq!(row("Dominican Republic").area_codes(), ["809", "829", "849"]);
        let names: usize = rows.iter().map(|c| c.name().len()).sum();
        assert_eq!(names, NAMES.len(), "every name is one row's, whole");
        let areas: usize = rows.iter().map(|c| c.area_codes().len()).sum();
        assert_eq!(areas, AREA_CODES.len(), "every area code is one row's");
        for country in rows {
            assert_eq!(
                CountryCode::new(country.code()).map(CountryCode::as_str),
                Ok(country.code())
            );
            assert!(!country.name().is_empty());
            assert!(country.area_codes().iter().all(|a| a.bytes().all(|b| b.is_ascii_digit())));
            let id = country.region_id().unwrap_or("ZZ");
            assert!(id.len() == 2 && id.bytes().all(|b| b.is_ascii_uppercase()), "{id}");
        }
    }

    #[test]
    fn a_row_debugs_as_the_row_it_stands_for() {
        assert_eq!(
            format!("{:?}", row("American Samoa")),
            r#"Country { name: "American Samoa", code: "+1", area_codes: ["684"], region: Some("AS"), main: false }"#
        );
    }

    #[test]
    fn every_code_has_one_main_country() {
        for country in countries() {
            let code = country.code();
            let mains = countries().iter().filter(|c| c.code() == code && c.is_main_for_code());
            assert_eq!(mains.count(), 1, "{code}");
        }
    }
}
