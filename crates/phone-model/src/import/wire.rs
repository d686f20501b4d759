//! An import's report, its decisions and its progress, as the server sends them and the staff
//! app reads them.

use std::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use super::{Column, ExcelDamage, RowSet};

/// What a dry run found: counts by problem at the top, then each row that has something to
/// say, in the file's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The import's id: the same file, business and mapping always get the same one, so that
    /// applying it again finds what is already done.
    pub import_id: String,
    pub business_id: String,
    pub file: ImportFile,
    /// Each heading and the column it is read as (`null`: left out).
    pub headings: Vec<HeadingUse>,
    pub counts: ImportCounts,
    /// The rows with a finding, the first [`REPORT_ROWS_MAX`](super::REPORT_ROWS_MAX) of
    /// them; a row with none is ready as it is.
    pub rows: Vec<ReportRow>,
    /// Rows with a finding past those listed: counted above, not listed.
    #[serde(default)]
    pub rows_unlisted: u32,
}

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportFile {
    pub name: String,
    /// `UTF-8`, `Windows-1252`, `UTF-16LE`, `xlsx`.
    pub encoding: String,
    /// The CSV separator (`,`, `;`, a tab); `null` for a workbook.
    pub separator: Option<String>,
    /// Data rows (the heading row and empty rows not counted).
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadingUse {
    pub heading: String,
    pub column: Option<Column>,
}

/// The dry run's totals: rows by what applying them does, and findings by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub rows: u32,
    /// Rows that make a customer.
    pub new_customers: u32,
    /// Rows that add numbers to a customer who exists (or that an earlier row makes).
    pub add_numbers: u32,
    /// Numbers applying would add, in all.
    pub new_numbers: u32,
    /// Rows with nothing to add: every number is stored already.
    pub nothing_to_do: u32,
    /// Rows that cannot be applied: an error of theirs.
    pub refused: u32,
    /// Findings by kind, each kind once, in [`FindingKind::ALL`]'s order, those found only.
    pub findings: Vec<FindingCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingCount {
    pub kind: FindingKind,
    pub count: u32,
}

/// What applying a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RowAction {
    /// Makes the customer, with its numbers.
    Create,
    /// Adds numbers to the customer.
    Add,
    /// Nothing: its numbers are stored already.
    Nothing,
    /// Nothing: it breaks a rule, and cannot be applied until the file is put right.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    /// The row's number as the spreadsheet shows it.
    pub row: u32,
    /// The customer as the row names them.
    pub customer: String,
    /// The stored customer it is, when it is one.
    pub customer_id: Option<String>,
    pub action: RowAction,
    pub findings: Vec<Finding>,
}

/// Something a row's check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FindingKind {
    /// A rule the provider refuses it for: the row cannot be applied.
    Error,
    /// A number that fits no plan, or whose type contradicts its kind: saved if applied.
    Warning,
    /// A number Excel mangled, with the number it was: saved as repaired only if accepted.
    Repaired,
    /// The same number twice for one customer in the file: the second adds nothing.
    DuplicateInFile,
    /// The customer has the number already: nothing to add.
    AlreadyStored,
    /// Another customer has the number too (information, as the review says it).
    SharedNumber,
    /// The customer would have no primary number: an error.
    NoPrimary,
    /// The customer would have two primary numbers: an error.
    TwoPrimaries,
}

impl FindingKind {
    pub const ALL: [Self; 8] = [
        Self::Error,
        Self::NoPrimary,
        Self::TwoPrimaries,
        Self::Repaired,
        Self::Warning,
        Self::DuplicateInFile,
        Self::AlreadyStored,
        Self::SharedNumber,
    ];

    /// Whether it keeps its row from being applied.
    #[must_use]
    pub const fn refuses(self) -> bool {
        matches!(self, Self::Error | Self::NoPrimary | Self::TwoPrimaries)
    }

    /// Its name in the report's counts.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Error => "Errors",
            Self::Warning => "Warnings",
            Self::Repaired => "What Excel did",
            Self::DuplicateInFile => "Twice in the file",
            Self::AlreadyStored => "Already stored",
            Self::SharedNumber => "Shared with another customer",
            Self::NoPrimary => "No primary number",
            Self::TwoPrimaries => "Two primary numbers",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: FindingKind,
    /// The heading of the cell it is about (`null`: the whole row).
    pub heading: Option<String>,
    /// The cell as written.
    pub written: Option<String>,
    /// The number Excel's damage undone ([`FindingKind::Repaired`]).
    pub repaired: Option<String>,
    /// What Excel did ([`FindingKind::Repaired`]).
    pub damage: Vec<ExcelDamage>,
    /// In a person's words.
    pub message: String,
}

/// What a person decided after the dry run: whose repairs they accept, which rows they leave
/// out. Rows given as ranges (`2-90,95`), so that accepting every repair of 100,000 rows is a
/// few bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportDecisions {
    /// Rows whose repaired numbers are saved; a repaired number of any other row is left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2-90,95"))]
    pub accept_repairs: RowSet,
    /// Rows left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "7,12-14"))]
    pub skip: RowSet,
}

/// Where an apply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImportState {
    Running,
    /// Every row is done.
    Done,
    /// Stopped by a person: every row before it is done, none after it begun.
    Cancelled,
    /// Stopped by an error of the server or the provider: applying again resumes it.
    Failed,
}

/// An apply's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProgress {
    pub import_id: String,
    pub state: ImportState,
    /// Rows to apply (the file's rows less those left out).
    pub rows: u32,
    /// Rows done.
    pub done: u32,
    pub customers_created: u32,
    pub numbers_added: u32,
    /// Rows that needed nothing (stored already) or could not be applied.
    pub unchanged: u32,
    /// The time left at the pace so far (and, in front of the provider, its rate budget).
    pub seconds_left: Option<u32>,
    /// Why the apply stopped, when it failed.
    pub error: Option<String>,
}
