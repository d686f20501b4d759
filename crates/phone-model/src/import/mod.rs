//! Importing a business's customers and numbers from a spreadsheet (Phonedesk's extension):
//! which column holds what ([`columns`]), what Excel did to the numbers ([`excel`]), each row
//! judged as the API would judge its writes and against what the business has ([`judge`]),
//! and the report, decisions and progress the server and the staff app share ([`wire`]).
//!
//! Reading the file itself (CSV, `.xlsx`) is the server's: the rules are here.

mod columns;
mod excel;
mod export;
mod judge;
mod row_set;
mod wire;

/// The most rows a dry run's report lists: its counts are of every row, but a report of
/// 200,000 listed rows would be larger than any file it reports on, and no one reads it.
pub const REPORT_ROWS_MAX: usize = 10_000;

pub use columns::{Column, Mapping, NUMBER_COLUMNS_MAX};
pub use excel::{ExcelDamage, Undone, undo_excel};
pub use export::{
    EXPORT_HEADINGS, EXPORT_TEXT_COLUMNS, ExportedCustomer, csv_text_cell, export_row,
    imported_text_cell,
};
pub use judge::{Judge, NewCustomerRow, StoredCustomer, Verdict};
pub use row_set::{RANGES_MAX, RowSet};
pub use wire::{
    Finding, FindingCount, FindingKind, HeadingUse, ImportCounts, ImportDecisions, ImportFile,
    ImportProgress, ImportReport, ImportState, ReportRow, RowAction,
};
