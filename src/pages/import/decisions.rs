//! What a person decides about a dry run's report before applying it, and the small reckonings
//! the page makes over the report (which page of rows shows, which rows were repaired). No
//! rule of the import is here: the server's judge decided every row; this only keeps and sends
//! back the person's choices.

use std::{collections::BTreeSet, ops::Range};

use phone_model::import::{Column, FindingKind, ImportDecisions, ReportRow, RowSet};
use serde::{Serialize, de::DeserializeOwned};

/// Rows shown at a time: a report of 100,000 rows is read a page at a time, never drawn whole.
pub const PAGE_SIZE: usize = 50;

/// Which repairs are accepted and which rows are left out, by row number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions {
    accept: BTreeSet<u32>,
    skip: BTreeSet<u32>,
}

impl Decisions {
    /// Whether the repaired numbers of `row` are used.
    pub fn accepts(&self, row: u32) -> bool {
        self.accept.contains(&row)
    }

    /// Whether `row` is left out.
    pub fn skips(&self, row: u32) -> bool {
        self.skip.contains(&row)
    }

    pub fn set_accept(&mut self, row: u32, accept: bool) {
        set(&mut self.accept, row, accept);
    }

    pub fn set_skip(&mut self, row: u32, skip: bool) {
        set(&mut self.skip, row, skip);
    }

    /// Accepts the repairs of every one of `rows`, or of none of them.
    pub fn accept_all(&mut self, rows: &[u32], accept: bool) {
        for row in rows {
            set(&mut self.accept, *row, accept);
        }
    }

    /// Whether every one of `rows` has its repairs accepted (and there is one).
    pub fn accepts_all(&self, rows: &[u32]) -> bool {
        !rows.is_empty() && rows.iter().all(|row| self.accept.contains(row))
    }

    /// The rows applying goes through: the file's `rows`, less those left out (as the apply's
    /// progress counts them).
    pub fn rows_to_apply(&self, rows: u32) -> u32 {
        rows.saturating_sub(u32::try_from(self.skip.len()).unwrap_or(u32::MAX))
    }

    /// The body of the apply: rows as ranges (`2-90,95`).
    pub fn to_wire(&self) -> ImportDecisions {
        ImportDecisions {
            accept_repairs: RowSet::of(self.accept.iter().copied()),
            skip: RowSet::of(self.skip.iter().copied()),
        }
    }
}

fn set(rows: &mut BTreeSet<u32>, row: u32, on: bool) {
    if on {
        rows.insert(row);
    } else {
        rows.remove(&row);
    }
}

/// The rows with a number Excel mangled, which a person may accept the repair of.
pub fn repaired_rows(rows: &[ReportRow]) -> Vec<u32> {
    rows.iter().filter(|row| row.findings.iter().any(is_repair)).map(|row| row.row).collect()
}

/// How many repaired numbers `rows` have in all.
pub fn repairs(rows: &[ReportRow]) -> usize {
    rows.iter().map(|row| row.findings.iter().filter(|f| is_repair(f)).count()).sum()
}

fn is_repair(finding: &phone_model::import::Finding) -> bool {
    finding.kind == FindingKind::Repaired
}

/// The reported rows the person is looking at: those with a finding of `kind`, or all.
pub fn shown(rows: &[ReportRow], kind: Option<FindingKind>) -> Vec<&ReportRow> {
    rows.iter()
        .filter(|row| kind.is_none_or(|kind| row.findings.iter().any(|f| f.kind == kind)))
        .collect()
}

/// The indexes of page `page` (from 0) of `total` rows; the last page when `page` is past it.
pub fn page_range(total: usize, page: usize) -> Range<usize> {
    let last = total.saturating_sub(1) / PAGE_SIZE;
    let start = page.min(last) * PAGE_SIZE;
    start..(start + PAGE_SIZE).min(total)
}

/// The `mapping` of a dry run: each heading's column by its wire name, in the headings' order,
/// empty for one left out (`externalReference,firstName,,mobile`).
pub fn mapping_param(columns: &[Option<Column>]) -> String {
    columns
        .iter()
        .map(|column| column.map(wire_name).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",")
}

/// A value's name on the wire (`firstName`, `repaired`): serde's, so the app never spells a
/// name of its own. (Through JSON text, whose reader and writer the app has already: a
/// `serde_json::Value` would bring its own.)
pub fn wire_name<T: Serialize>(value: T) -> String {
    let quoted = serde_json::to_string(&value).unwrap_or_default();
    quoted.trim_matches('"').to_owned()
}

/// The value a wire name names.
pub fn from_wire_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_str(&format!("\"{name}\"")).ok()
}

#[cfg(test)]
mod tests {
    use phone_model::import::{Finding, RowAction};

    use super::*;

    fn row(number: u32, kinds: &[FindingKind]) -> ReportRow {
        let finding = |kind: &FindingKind| Finding {
            kind: *kind,
            heading: None,
            written: None,
            repaired: None,
            damage: Vec::new(),
            message: String::new(),
        };
        ReportRow {
            row: number,
            customer: String::new(),
            customer_id: None,
            action: RowAction::Create,
            findings: kinds.iter().map(finding).collect(),
        }
    }

    #[test]
    fn decisions_go_to_the_server_as_ranges_of_rows() {
        let mut decisions = Decisions::default();
        decisions.accept_all(&[2, 3, 4, 9], true);
        decisions.set_accept(9, false);
        decisions.set_skip(7, true);
        decisions.set_skip(8, true);
        let wire = decisions.to_wire();
        assert_eq!(
            (wire.accept_repairs.to_string(), wire.skip.to_string()),
            ("2-4".into(), "7-8".into())
        );
        assert!(decisions.accepts(3) && !decisions.accepts(9) && decisions.skips(8));
        assert_eq!(decisions.rows_to_apply(10), 8);
        assert!(decisions.accepts_all(&[2, 4]) && !decisions.accepts_all(&[2, 9]));
        assert!(!decisions.accepts_all(&[]), "no repairs: nothing to tick");
    }

    #[test]
    fn repairs_are_counted_by_number_and_their_rows_once() {
        let rows = [
            row(2, &[FindingKind::Repaired, FindingKind::Repaired]),
            row(3, &[FindingKind::Warning]),
            row(4, &[FindingKind::Repaired, FindingKind::SharedNumber]),
        ];
        assert_eq!(repaired_rows(&rows), [2, 4]);
        assert_eq!(repairs(&rows), 3);
        let numbers = |kind| shown(&rows, kind).iter().map(|r| r.row).collect::<Vec<_>>();
        assert_eq!(numbers(Some(FindingKind::SharedNumber)), [4]);
        assert_eq!(numbers(None), [2, 3, 4]);
    }

    #[test]
    fn rows_are_shown_a_page_at_a_time() {
        for (total, page, expected) in [
            (0, 0, 0..0),
            (10, 0, 0..10),
            (120, 1, 50..100),
            (120, 2, 100..120),
            (120, 9, 100..120),
        ] {
            assert_eq!(page_range(total, page), expected, "{total} rows, page {page}");
        }
    }

    #[test]
    fn a_mapping_names_each_headings_column_as_the_server_reads_it() {
        let columns =
            [Some(Column::ExternalReference), Some(Column::FirstName), None, Some(Column::Mobile)];
        assert_eq!(mapping_param(&columns), "externalReference,firstName,,mobile");
        assert_eq!(from_wire_name::<Column>("countryCode"), Some(Column::CountryCode));
        assert_eq!(from_wire_name::<Column>("nonsense"), None);
        assert_eq!(wire_name(FindingKind::DuplicateInFile), "duplicateInFile");
    }
}
