//! What each column of an imported spreadsheet holds: guessed from its heading by name and
//! the synonyms spreadsheets use ("Mobile", "Cell", "Phone 2", "Surname"), and changed by a
//! person before the dry run when the guess is wrong.

use std::string::String;

use serde::{Deserialize, Serialize};

use crate::PhoneType;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Column {
    /// Phonedesk's (the provider's) customer id: the row is that customer.
    CustomerId,
    /// The business's own id for the customer (`externalReference`).
    ExternalReference,
    FirstName,
    LastName,
    /// First and last name in one cell: the last word is the last name.
    FullName,
    /// A number whose type the column says.
    Mobile,
    Home,
    Work,
    Fax,
    Emergency,
    /// A number of no stated type: the row's `phoneType` column says it, else its kind
    /// (a mobile number is `mobile`, any other `home`).
    Phone,
    /// The type of the row's `phone` numbers (`Mobile`, `home`…).
    PhoneType,
    /// Whether the row's first number is the customer's primary (`yes`, `true`, `1`, `x`).
    Primary,
    /// The country code the row's numbers are dialled with, when they are written without one
    /// (`+61`, `61`).
    CountryCode,
}

impl Column {
    /// Every column, in the order a mapping's choices list them.
    pub const ALL: [Self; 14] = [
        Self::CustomerId,
        Self::ExternalReference,
        Self::FirstName,
        Self::LastName,
        Self::FullName,
        Self::Mobile,
        Self::Home,
        Self::Work,
        Self::Fax,
        Self::Emergency,
        Self::Phone,
        Self::PhoneType,
        Self::Primary,
        Self::CountryCode,
    ];

    /// The column a heading names, by its words and their common synonyms, ignoring case,
    /// punctuation and a trailing number ("Phone 2", "Mobile#1"); `None` when it names none
    /// of them (the column is left out).
    ///
    /// ```
    /// use phone_model::import::Column;
    /// assert_eq!(Column::for_heading("Cell"), Some(Column::Mobile));
    /// assert_eq!(Column::for_heading("Phone 2"), Some(Column::Phone));
    /// assert_eq!(Column::for_heading("SURNAME"), Some(Column::LastName));
    /// assert_eq!(Column::for_heading("Date of birth"), None);
    /// ```
    #[must_use]
    pub fn for_heading(heading: &str) -> Option<Self> {
        let words: String = heading
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let numbered = words.trim_end_matches(|c: char| c.is_ascii_digit());
        let named = |words: &str| {
            SYNONYMS.iter().find(|(_, names)| names.contains(&words)).map(|(column, _)| *column)
        };
        named(&words).or_else(|| named(numbered))
    }

    /// The phone type the column says its numbers are; `None` for a column of no stated type,
    /// or one that holds no numbers.
    #[must_use]
    pub const fn phone_type(self) -> Option<PhoneType> {
        match self {
            Self::Mobile => Some(PhoneType::Mobile),
            Self::Home => Some(PhoneType::Home),
            Self::Work => Some(PhoneType::Work),
            Self::Fax => Some(PhoneType::Fax),
            Self::Emergency => Some(PhoneType::Emergency),
            _ => None,
        }
    }

    /// Whether it holds phone numbers.
    #[must_use]
    pub const fn holds_numbers(self) -> bool {
        matches!(self, Self::Phone) || self.phone_type().is_some()
    }
}

/// Each column's names, as a heading folds them (lower case, letters and digits only, no
/// trailing number).
const SYNONYMS: [(Column, &[&str]); 14] = [
    (Column::CustomerId, &["customerid", "phonedeskid", "id"]),
    (
        Column::ExternalReference,
        &[
            "externalreference",
            "reference",
            "ref",
            "memberid",
            "membernumber",
            "memberno",
            "clientid",
            "clientnumber",
            "accountnumber",
            "account",
        ],
    ),
    (Column::FirstName, &["firstname", "first", "givenname", "forename", "forenames"]),
    (Column::LastName, &["lastname", "last", "surname", "familyname"]),
    (Column::FullName, &["name", "fullname", "customername", "customer", "membername", "contact"]),
    (
        Column::Mobile,
        &["mobile", "mobilephone", "mobilenumber", "mob", "cell", "cellphone", "cellular"],
    ),
    (Column::Home, &["home", "homephone", "homenumber", "phonehome", "hometelephone"]),
    (Column::Work, &["work", "workphone", "worknumber", "businessphone", "office", "officephone"]),
    (Column::Fax, &["fax", "faxnumber", "facsimile"]),
    (Column::Emergency, &["emergency", "emergencyphone", "emergencycontactphone", "ice"]),
    (
        Column::Phone,
        &[
            "phone",
            "e164",
            "phonenumber",
            "phoneno",
            "telephone",
            "tel",
            "otherphone",
            "contactnumber",
            "contactphone",
            "number",
        ],
    ),
    (Column::PhoneType, &["phonetype", "type", "numbertype"]),
    (Column::Primary, &["primary", "isprimary", "primaryphone", "main"]),
    (Column::CountryCode, &["countrycode", "country", "dialcode"]),
];

/// The most columns that may hold numbers: a customer has a handful, and each number of each
/// row is judged and reported, so a file of 100 number columns would be a report 100 times
/// the file's size.
pub const NUMBER_COLUMNS_MAX: usize = 10;

/// Which column each heading is, by the heading's position; `None` leaves it out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mapping(pub Vec<Option<Column>>);

impl Mapping {
    /// The mapping the headings' names suggest. A column only one heading may be (all but the
    /// numbers) goes to the first heading that names it.
    #[must_use]
    pub fn guess(headings: &[String]) -> Self {
        let mut taken = Vec::new();
        let columns = headings
            .iter()
            .map(|heading| {
                let column = Column::for_heading(heading)?;
                if !column.holds_numbers() && taken.contains(&column) {
                    return None;
                }
                taken.push(column);
                Some(column)
            })
            .collect();
        Self(columns)
    }

    /// The guess, fitted to the file's `rows`: a "Customer ID" column whose cells are not
    /// Phonedesk's ids (digits, at most 10) is another system's, so it is read as the
    /// reference when no other column is, and otherwise left out.
    ///
    /// ```
    /// use phone_model::import::{Column, Mapping};
    /// let headings = ["Customer ID".to_owned(), "Mobile".to_owned()];
    /// let rows = [vec!["C001".to_owned(), "021 123 4567".to_owned()]];
    /// let fitted = Mapping::guess(&headings).fitted(rows.iter().map(Vec::as_slice));
    /// assert_eq!(fitted.column(0), Some(Column::ExternalReference));
    /// ```
    #[must_use]
    pub fn fitted<'a>(mut self, rows: impl IntoIterator<Item = &'a [String]>) -> Self {
        let Some(at) = self.position(Column::CustomerId) else { return self };
        let ours = |id: &str| id.len() <= 10 && id.bytes().all(|b| b.is_ascii_digit());
        let theirs = rows.into_iter().filter_map(|row| row.get(at)).any(|cell| {
            let cell = cell.trim();
            !cell.is_empty() && !ours(cell)
        });
        if theirs {
            let referenced = self.position(Column::ExternalReference).is_some();
            self.0[at] = (!referenced).then_some(Column::ExternalReference);
        }
        self
    }

    /// How many columns hold numbers.
    #[must_use]
    pub fn number_columns(&self) -> usize {
        self.0.iter().flatten().filter(|column| column.holds_numbers()).count()
    }

    /// The column of the heading at `index`.
    #[must_use]
    pub fn column(&self, index: usize) -> Option<Column> {
        self.0.get(index).copied().flatten()
    }

    /// The index of the first heading that is `column`.
    #[must_use]
    pub fn position(&self, column: Column) -> Option<usize> {
        self.0.iter().position(|c| *c == Some(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheets_headings_are_read_by_their_synonyms() {
        let headings =
            ["Member No", "First Name", "Surname", "Mobile", "Home Phone", "Phone 2", "Notes"];
        let headings: Vec<String> = headings.iter().map(|h| (*h).into()).collect();
        let expected = [
            Some(Column::ExternalReference),
            Some(Column::FirstName),
            Some(Column::LastName),
            Some(Column::Mobile),
            Some(Column::Home),
            Some(Column::Phone),
            None,
        ];
        assert_eq!(Mapping::guess(&headings).0, expected);
    }

    #[test]
    fn a_second_heading_for_a_name_is_left_out_but_numbers_may_repeat() {
        let headings: Vec<String> =
            ["Surname", "Last name", "Phone", "Phone 2"].iter().map(|h| (*h).into()).collect();
        let guessed = Mapping::guess(&headings);
        assert_eq!(
            guessed.0,
            [Some(Column::LastName), None, Some(Column::Phone), Some(Column::Phone)]
        );
    }
}
