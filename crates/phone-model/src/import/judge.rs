//! Each row of an imported file judged as the API would judge its writes, and against what
//! the business has: the customer it is (by id, by reference, else by name and number), the
//! numbers it would add, and what a person should know first (what Excel did, duplicates,
//! numbers stored already or shared, customers left with no primary or two).
//!
//! The dry run and the apply judge rows alike, one after another, so that a row sees what
//! the rows before it made: the apply then writes what its verdict says.

// Over 400 lines: one row's verdict is one pass, in the order a person reads the report
// (customer, each number, primaries, what applying does), clearest kept whole.

use std::{collections::HashMap, format, string::String, vec::Vec};

use super::{
    Column, ExcelDamage, Finding, FindingCount, FindingKind, ImportCounts, Mapping, ReportRow,
    RowAction, Undone, imported_text_cell, undo_excel,
};
use crate::{
    CountryCode, CustomerInput, NumberKind, ParsedNumber, PhoneNumberInput, PhoneType, Value,
    validate_create, validate_new_customer, written_country,
};

/// A customer the business has, as the import matches rows to them.
#[derive(Debug, Clone, Default)]
pub struct StoredCustomer {
    pub customer_id: String,
    pub first_name: String,
    pub last_name: String,
    pub external_reference: String,
    /// The duplicate keys of their numbers (`stored_duplicate_key`).
    pub number_keys: Vec<String>,
}

/// A customer the judge knows: stored, or made by an earlier row of the file.
#[derive(Debug)]
struct Known {
    /// `None` for one made by the file, until the apply has made it.
    id: Option<String>,
    first_name: String,
    last_name: String,
    /// Their numbers' duplicate keys, and whether each came from the file.
    numbers: Vec<(String, bool)>,
    /// The row that made one of their numbers primary.
    primary_row: Option<u32>,
}

impl Known {
    fn label(&self) -> String {
        name_label(&self.first_name, &self.last_name)
    }
}

fn name_label(first: &str, last: &str) -> String {
    match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first} {last}"),
        (true, true) => String::from("(no name)"),
        _ => format!("{first}{last}"),
    }
}

/// A customer the file makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomerRow {
    pub first_name: String,
    pub last_name: String,
    pub external_reference: String,
}

/// What a row is, and what applying it writes.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub report: ReportRow,
    /// The customer it writes to (see [`Judge::customer_id`]), unless it is refused.
    pub customer: Option<usize>,
    /// The customer to make, first, with `writes[0]` as their primary number.
    pub new_customer: Option<NewCustomerRow>,
    /// The numbers to add, as the API's requests would send them, each with the column
    /// (counted from 0) it came from: what it is, however many of the row's other numbers
    /// are written with it.
    pub writes: Vec<(usize, PhoneNumberInput)>,
}

/// Judges a file's rows, one after another, for one business.
#[derive(Debug)]
pub struct Judge {
    business_id: String,
    headings: Vec<String>,
    mapping: Mapping,
    country_code: CountryCode,
    customers: Vec<Known>,
    by_id: HashMap<String, usize>,
    by_reference: HashMap<String, Vec<usize>>,
    /// The first customer known to have each number.
    by_number: HashMap<String, usize>,
    counts: ImportCounts,
    findings: HashMap<FindingKind, u32>,
}

impl Judge {
    /// A judge for a file of `headings` read by `mapping`, whose numbers are dialled with
    /// `country_code` unless a row says otherwise, imported into `business_id`, which has
    /// `stored`.
    pub fn new(
        business_id: &str,
        headings: Vec<String>,
        mapping: Mapping,
        country_code: CountryCode,
        stored: impl IntoIterator<Item = StoredCustomer>,
    ) -> Self {
        let mut judge = Self {
            business_id: business_id.into(),
            headings,
            mapping,
            country_code,
            customers: Vec::new(),
            by_id: HashMap::new(),
            by_reference: HashMap::new(),
            by_number: HashMap::new(),
            counts: ImportCounts::default(),
            findings: HashMap::new(),
        };
        for customer in stored {
            let at = judge.customers.len();
            judge.by_id.insert(customer.customer_id.clone(), at);
            judge.know(at, &customer.external_reference, &customer.number_keys);
            judge.customers.push(Known {
                id: Some(customer.customer_id),
                first_name: customer.first_name,
                last_name: customer.last_name,
                numbers: customer.number_keys.into_iter().map(|key| (key, false)).collect(),
                primary_row: None,
            });
        }
        judge
    }

    fn know(&mut self, at: usize, reference: &str, keys: &[String]) {
        if !reference.is_empty() {
            self.by_reference.entry(reference.into()).or_default().push(at);
        }
        for key in keys {
            self.by_number.entry(key.clone()).or_insert(at);
        }
    }

    /// The id of a customer a verdict writes to: `None` for one the file makes, until
    /// [`Judge::made`] says it was made.
    #[must_use]
    pub fn customer_id(&self, customer: usize) -> Option<&str> {
        self.customers.get(customer)?.id.as_deref()
    }

    /// Records that the customer a verdict makes was made, with `id`.
    pub fn made(&mut self, customer: usize, id: String) {
        if let Some(known) = self.customers.get_mut(customer) {
            self.by_id.insert(id.clone(), customer);
            known.id = Some(id);
        }
    }

    /// The totals of the rows judged so far.
    #[must_use]
    pub fn counts(&self) -> ImportCounts {
        let findings = FindingKind::ALL
            .into_iter()
            .filter_map(|kind| Some(FindingCount { kind, count: *self.findings.get(&kind)? }))
            .collect();
        ImportCounts { findings, ..self.counts.clone() }
    }

    /// Judges row `row`, `cells` in the headings' order; `accept_repairs` says whether the
    /// numbers Excel mangled are saved as repaired (a dry run shows what they would do).
    pub fn judge(&mut self, row: u32, cells: &[String], accept_repairs: bool) -> Verdict {
        let cell = |column: Column| {
            let at = self.mapping.position(column)?;
            Some(imported_text_cell(cells.get(at)?.trim())).filter(|text| !text.is_empty())
        };
        let (first_name, last_name) = match (cell(Column::FirstName), cell(Column::LastName)) {
            (None, None) => split_name(cell(Column::FullName).unwrap_or_default()),
            (first, last) => (first.unwrap_or_default().into(), last.unwrap_or_default().into()),
        };
        let reference = cell(Column::ExternalReference).unwrap_or_default().to_owned();
        let mut findings = Vec::new();
        let refuse = |findings: &mut Vec<Finding>, heading, written: Option<&str>, message| {
            findings.push(Finding {
                kind: FindingKind::Error,
                heading,
                written: written.map(Into::into),
                repaired: None,
                damage: Vec::new(),
                message,
            });
        };
        let heading = |column: Column| Some(self.headings[self.mapping.position(column)?].clone());
        let country_code = match cell(Column::CountryCode) {
            None => self.country_code,
            Some(text) => {
                let code = if text.starts_with('+') { text.into() } else { format!("+{text}") };
                match CountryCode::new(&code) {
                    Ok(code) => code,
                    Err(error) => {
                        let message = error.plain_message().into();
                        refuse(&mut findings, heading(Column::CountryCode), Some(text), message);
                        self.country_code
                    }
                }
            }
        };
        let row_type = match cell(Column::PhoneType).map(str::parse::<PhoneType>) {
            Some(Ok(phone_type)) => Some(phone_type),
            Some(Err(error)) => {
                let written = cell(Column::PhoneType);
                refuse(
                    &mut findings,
                    heading(Column::PhoneType),
                    written,
                    error.plain_message().into(),
                );
                None
            }
            None => None,
        };
        let mut customer = match (cell(Column::CustomerId), reference.as_str()) {
            (Some(id), _) => match self.by_id.get(id) {
                Some(at) => Some(*at),
                None => {
                    let message = format!("No customer of this business has the id {id}.");
                    refuse(&mut findings, heading(Column::CustomerId), Some(id), message);
                    None
                }
            },
            (None, "") => None,
            (None, reference) => match self.by_reference.get(reference).map(Vec::as_slice) {
                None => None,
                Some([one]) => Some(*one),
                Some(several) => {
                    let message = format!(
                        "{} customers of this business have this reference: give the row a customer id.",
                        several.len()
                    );
                    refuse(
                        &mut findings,
                        heading(Column::ExternalReference),
                        Some(reference),
                        message,
                    );
                    None
                }
            },
        };
        let phone_name = name_label(&first_name, &last_name);
        // The row's numbers, as the API would be sent them, with their duplicate keys.
        let mut numbers: Vec<(usize, Option<String>, String, PhoneNumberInput)> = Vec::new();
        for (at, written) in cells.iter().enumerate() {
            let Some(column) = self.mapping.column(at).filter(|column| column.holds_numbers())
            else {
                continue;
            };
            let written = written.trim();
            if written.is_empty() {
                continue;
            }
            let heading = Some(self.headings[at].clone());
            let (text, code) = match undo_excel(written, country_code) {
                Undone::AsWritten => (written.to_owned(), country_code),
                Undone::DigitsLost => {
                    let message = format!(
                        "Excel wrote this number as {written} and its last digits are lost: type the number again."
                    );
                    refuse(&mut findings, heading, Some(written), message);
                    continue;
                }
                Undone::Repaired { number, country_code, damage } => {
                    findings.push(repaired(
                        heading.clone(),
                        written,
                        &number,
                        damage,
                        accept_repairs,
                    ));
                    if !accept_repairs {
                        continue;
                    }
                    (number, country_code)
                }
            };
            // A number written with another country's code is that country's, as the staff
            // app's country field takes it.
            let code = written_country(code, &text).map_or(code, |country| country.country_code());
            let phone_type = column.phone_type().or(row_type).unwrap_or_else(|| {
                let kind = ParsedNumber::parse(code, "", &text).map(|number| number.kind());
                if kind == Ok(NumberKind::Mobile) { PhoneType::Mobile } else { PhoneType::Home }
            });
            let input = PhoneNumberInput {
                phone_name: Value::text(phone_name.clone()),
                country_code: Value::text(code.as_str()),
                area_code: Value::text(""),
                phone_number: Value::text(text),
                phone_type: Value::text(phone_type.as_str()),
                is_primary: Value::Bool(false),
                ..PhoneNumberInput::default()
            };
            let validation = validate_create(&input);
            for warning in validation.warnings() {
                findings.push(noted(
                    FindingKind::Warning,
                    heading.clone(),
                    written,
                    warning.plain_message(),
                ));
            }
            match validation.into_result() {
                Ok(valid) => numbers.push((at, heading, valid.duplicate_key(), input)),
                Err(errors) => {
                    for error in errors {
                        refuse(
                            &mut findings,
                            heading.clone(),
                            Some(written),
                            error.plain_message().into(),
                        );
                    }
                }
            }
        }
        // Without an id or a reference, a row is a customer the business has when one of its
        // numbers is theirs and so is the name.
        if customer.is_none() && cell(Column::CustomerId).is_none() && reference.is_empty() {
            customer = numbers.iter().find_map(|(_, _, key, _)| {
                let at = *self.by_number.get(key)?;
                let known = &self.customers[at];
                let same = known.first_name.eq_ignore_ascii_case(&first_name)
                    && known.last_name.eq_ignore_ascii_case(&last_name);
                same.then_some(at)
            });
        }
        // What the customer has, or the row gave already, adds nothing.
        let mut writes = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for (at, heading, key, input) in numbers {
            let written = input.phone_number.as_text().to_owned();
            let had = customer.and_then(|at| {
                self.customers[at].numbers.iter().find(|(k, _)| *k == key).map(|(_, file)| *file)
            });
            if keys.contains(&key) || had == Some(true) {
                let message = String::from("The file has this number for this customer already.");
                findings.push(noted(FindingKind::DuplicateInFile, heading, &written, message));
                continue;
            }
            if had == Some(false) {
                let message = String::from("The customer has this number already.");
                findings.push(noted(FindingKind::AlreadyStored, heading, &written, message));
                continue;
            }
            if let Some(other) = self.by_number.get(&key).filter(|other| Some(**other) != customer)
            {
                let message = format!("{} has this number too.", self.customers[*other].label());
                findings.push(noted(FindingKind::SharedNumber, heading, &written, message));
            }
            keys.push(key);
            writes.push((at, input));
        }
        let claims_primary = cell(Column::Primary).is_some_and(is_yes);
        // Only a row that writes can make a second primary; a claim is kept either way, so that
        // a file applied again is judged as it was the first time.
        let earlier = customer.filter(|_| claims_primary && !writes.is_empty());
        if let Some(earlier) = earlier.and_then(|at| self.customers[at].primary_row) {
            let message =
                format!("Row {earlier} makes another of this customer's numbers primary.");
            findings.push(noted_row(FindingKind::TwoPrimaries, message));
        }
        let new_customer = customer.is_none().then(|| NewCustomerRow {
            first_name: first_name.clone(),
            last_name: last_name.clone(),
            external_reference: reference.clone(),
        });
        if let Some(new) = &new_customer {
            match writes.first() {
                None if !findings.iter().any(|f| f.kind.refuses()) => {
                    let message = String::from(
                        "The customer would have no primary number: none of the row's numbers can be saved.",
                    );
                    findings.push(noted_row(FindingKind::NoPrimary, message));
                }
                None => {}
                Some((_, primary)) => {
                    let input = CustomerInput {
                        business_id: Value::text(self.business_id.clone()),
                        first_name: Value::text(new.first_name.clone()),
                        last_name: Value::text(new.last_name.clone()),
                        external_reference: Value::text(new.external_reference.clone()),
                        phone_number: Some(primary.clone()),
                    };
                    if let (Err(errors), _) = validate_new_customer(&input) {
                        // The number's own rules were judged above.
                        for located in errors.into_iter().filter(|e| e.parent.is_none()) {
                            let message = located.error.plain_message().into();
                            refuse(&mut findings, None, None, message);
                        }
                    }
                }
            }
        }
        let refused = findings.iter().any(|finding| finding.kind.refuses());
        let action = match (refused, &new_customer, writes.is_empty()) {
            (true, ..) => RowAction::Refused,
            (false, Some(_), _) => RowAction::Create,
            (false, None, true) => RowAction::Nothing,
            (false, None, false) => RowAction::Add,
        };
        if refused {
            writes.clear();
        } else if !writes.is_empty() {
            let primary =
                if new_customer.is_some() { Some(0) } else { claims_primary.then_some(0) };
            if let Some((_, first)) = primary.and_then(|at| writes.get_mut(at)) {
                first.is_primary = Value::Bool(true);
            }
            let at = match customer {
                Some(at) => at,
                None => {
                    let at = self.customers.len();
                    self.customers.push(Known {
                        id: None,
                        first_name: first_name.clone(),
                        last_name: last_name.clone(),
                        numbers: Vec::new(),
                        primary_row: None,
                    });
                    at
                }
            };
            self.know(at, if customer.is_none() { &reference } else { "" }, &keys);
            let known = &mut self.customers[at];
            known.numbers.extend(keys.into_iter().map(|key| (key, true)));
            customer = Some(at);
        }
        if let Some(at) = customer.filter(|_| claims_primary && !refused) {
            self.customers[at].primary_row.get_or_insert(row);
        }
        self.tally(action, writes.len(), &findings);
        let customer_id = customer.and_then(|at| self.customer_id(at)).map(Into::into);
        let report = ReportRow {
            row,
            customer: if phone_name == "(no name)" && !reference.is_empty() {
                reference
            } else {
                phone_name
            },
            customer_id: if new_customer.is_some() { None } else { customer_id },
            action,
            findings,
        };
        Verdict { report, customer: customer.filter(|_| !refused), new_customer, writes }
    }

    fn tally(&mut self, action: RowAction, writes: usize, findings: &[Finding]) {
        let counts = &mut self.counts;
        counts.rows += 1;
        match action {
            RowAction::Create => counts.new_customers += 1,
            RowAction::Add => counts.add_numbers += 1,
            RowAction::Nothing => counts.nothing_to_do += 1,
            RowAction::Refused => counts.refused += 1,
        }
        counts.new_numbers += u32::try_from(writes).unwrap_or(u32::MAX);
        for finding in findings {
            *self.findings.entry(finding.kind).or_default() += 1;
        }
    }
}

/// `Aroha Ngata` as first and last name: the last word is the last name.
fn split_name(full: &str) -> (String, String) {
    match full.trim().rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().into(), last.into()),
        None => (full.trim().into(), String::new()),
    }
}

/// Whether a cell says yes (`yes`, `y`, `true`, `1`, `x`, `primary`).
fn is_yes(text: &str) -> bool {
    ["yes", "y", "true", "1", "x", "primary"].iter().any(|yes| text.eq_ignore_ascii_case(yes))
}

fn noted(kind: FindingKind, heading: Option<String>, written: &str, message: String) -> Finding {
    Finding {
        kind,
        heading,
        written: Some(written.into()),
        repaired: None,
        damage: Vec::new(),
        message,
    }
}

fn noted_row(kind: FindingKind, message: String) -> Finding {
    Finding { kind, heading: None, written: None, repaired: None, damage: Vec::new(), message }
}

fn repaired(
    heading: Option<String>,
    written: &str,
    number: &str,
    damage: Vec<ExcelDamage>,
    accepted: bool,
) -> Finding {
    let what: Vec<&str> = damage.iter().map(|d| d.label()).collect();
    let then = if accepted { "It was" } else { "Accept the repair to save it as" };
    let message = format!("{} {then} {number}.", what.join(" "));
    Finding {
        kind: FindingKind::Repaired,
        heading,
        written: Some(written.into()),
        repaired: Some(number.into()),
        damage,
        message,
    }
}

#[cfg(test)]
mod tests;
