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

pub use columns::{Column, Mapping};
pub use excel::{ExcelDamage, Undone, undo_excel};
pub use export::{EXPORT_HEADINGS, ExportedCustomer, export_row};
pub use judge::{Judge, NewCustomerRow, StoredCustomer, Verdict};
pub use row_set::{RANGES_MAX, RowSet};
pub use wire::{
    Finding, FindingCount, FindingKind, HeadingUse, ImportCounts, ImportDecisions, ImportFile,
    ImportProgress, ImportReport, ImportState, ReportRow, RowAction,
};
