//! What an export writes for each number: the columns a person reads, which an import of the
//! same file reads back (its headings are the importer's own), so exporting and importing
//! again adds nothing.

use std::{string::String, vec::Vec};

use crate::{ParsedNumber, PhoneNumberResource, Problem};

/// The export's headings, in its columns' order. "E.164", "Type" and "Primary" are read back
/// as a number, its type and whether it is primary.
pub const EXPORT_HEADINGS: [&str; 14] = [
    "Customer ID",
    "Reference",
    "First name",
    "Last name",
    "Phone number ID",
    "Phone name",
    "Country code",
    "Area code",
    "Phone number as saved",
    "E.164",
    "National",
    "Type",
    "Primary",
    "Review",
];

/// `cell` as a CSV export writes it: text a person typed that Excel would run as a formula
/// (starting `=`, `+`, `-`, `@`, a tab or a carriage return) behind a `'`, which Excel shows
/// as text. Only for the text columns: a number's `+` is its own, and an import puts a lost
/// one back.
///
/// ```
/// use phone_model::import::csv_text_cell;
/// assert_eq!(csv_text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(csv_text_cell("Aroha"), "Aroha");
/// ```
#[must_use]
pub fn csv_text_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.starts_with(FORMULA_STARTS) {
        true => std::borrow::Cow::Owned(["'", cell].concat()),
        false => std::borrow::Cow::Borrowed(cell),
    }
}

/// What starts a formula in Excel.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The columns of [`EXPORT_HEADINGS`] that hold text a person typed (reference, names, the
/// phone's name): those [`csv_text_cell`] guards.
pub const EXPORT_TEXT_COLUMNS: [usize; 4] = [1, 2, 3, 5];

/// `cell` as an import reads it: a `'` that a CSV export put before a formula's first
/// character is taken off again.
#[must_use]
pub fn imported_text_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A customer as an export names them.
#[derive(Debug, Clone, Copy)]
pub struct ExportedCustomer<'a> {
    pub customer_id: &'a str,
    pub external_reference: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

/// The cells of one number's row, in [`EXPORT_HEADINGS`]' order. A number that cannot be
/// read has no E.164 or national form.
#[must_use]
pub fn export_row(
    customer: ExportedCustomer<'_>,
    number: &PhoneNumberResource,
    problems: &[Problem],
) -> Vec<String> {
    let parsed =
        ParsedNumber::parse(number.country_code, &number.area_code, &number.phone_number).ok();
    let review: Vec<&str> = problems.iter().map(|problem| problem.heading()).collect();
    Vec::from([
        customer.customer_id.into(),
        customer.external_reference.into(),
        customer.first_name.into(),
        customer.last_name.into(),
        number.phone_number_id.as_str().into(),
        number.phone_name.clone(),
        number.country_code.as_str().into(),
        number.area_code.clone(),
        number.phone_number.clone(),
        parsed.as_ref().map(ParsedNumber::e164).unwrap_or_default(),
        parsed.as_ref().map(ParsedNumber::national).unwrap_or_default(),
        number.phone_type.label().into(),
        if number.is_primary { "Yes" } else { "No" }.into(),
        review.join("; "),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Column, Mapping};

    #[test]
    fn an_exports_headings_are_read_back_as_its_number_type_and_primary() {
        let headings: Vec<String> = EXPORT_HEADINGS.map(String::from).into();
        let mapping = Mapping::guess(&headings);
        let at = |heading| EXPORT_HEADINGS.iter().position(|h| *h == heading).unwrap();
        assert_eq!(mapping.column(at("Customer ID")), Some(Column::CustomerId));
        assert_eq!(mapping.column(at("E.164")), Some(Column::Phone));
        assert_eq!(mapping.column(at("Type")), Some(Column::PhoneType));
        assert_eq!(mapping.column(at("Primary")), Some(Column::Primary));
        let numbers: Vec<_> = (0..headings.len())
            .filter_map(|i| mapping.column(i))
            .filter(|c| c.holds_numbers())
            .collect();
        assert_eq!(numbers, [Column::Phone], "one number per row: {mapping:?}");
    }
}
