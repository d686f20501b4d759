//! Spreadsheets in and out: a business's customers and their phone numbers, read from the CSV
//! or .xlsx file someone chose, and written back as either.
//!
//! ```
//! use phone_sheets::{Row, read};
//!
//! // Excel's "CSV" in New Zealand: Windows-1252, its mobile number mangled into a number.
//! let sheet = read(b"First name,Surname,Mobile\r\nJos\xE9,M\xFCller,211234567\r\n", None)?;
//! assert_eq!(sheet.encoding, "Windows-1252");
//! assert_eq!(sheet.headings, ["First name", "Surname", "Mobile"]);
//! assert_eq!(sheet.rows, [Row { number: 2, cells: vec!["José".into(), "Müller".into(), "211234567".into()] }]);
//! # Ok::<(), phone_sheets::SheetError>(())
//! ```
//!
//! Reading keeps cells as they are written: making sense of `211234567` as a phone number is
//! the importer's work, not this crate's. Every file is untrusted: whatever the bytes, [`read`]
//! answers with a [`Sheet`] or a [`SheetError`] within the [limits](FILE_BYTES_MAX), and never
//! panics. [`CsvOut`] and [`XlsxOut`] write an export as it is produced, so a hundred thousand
//! customers are never all in memory.

mod archive_guard;
mod cell_text;
mod error;
mod limits;
mod read_csv;
mod read_xlsx;
mod separator;
mod sheet;
mod text_encoding;
mod write_csv;
mod write_xlsx;

pub use error::SheetError;
pub use limits::{
    CELL_CHARS_MAX, COLUMNS_MAX, FILE_BYTES_MAX, PARTS_MAX, ROWS_MAX, UNPACKED_BYTES_MAX,
};
pub use sheet::{Row, Sheet};
pub use write_csv::CsvOut;
pub use write_xlsx::XlsxOut;

/// How a zip archive starts: an .xlsx workbook is one.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// How an OLE compound file starts: an .xls workbook, or any Office file with a password.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

/// Reads a spreadsheet: an .xlsx workbook's first worksheet, or a CSV file.
///
/// The file's bytes decide which, not its name, which people change: a zip archive is a
/// workbook, anything else is CSV (or tab-separated) text. `file_name` is the name the file
/// came with, kept for what its bytes cannot say; today nothing needs it.
///
/// # Errors
/// - [`SheetError::FileTooLarge`]: over [`FILE_BYTES_MAX`].
/// - [`SheetError::OldOrLockedWorkbook`]: an Excel 97–2003 `.xls` file, or a workbook with a
///   password.
/// - [`SheetError::NotASpreadsheet`]: a PNG, a PDF, a `.docx`, random bytes.
/// - [`SheetError::UnpacksTooLarge`], [`SheetError::TooManyParts`]: a zip bomb.
/// - [`SheetError::DamagedWorkbook`]: a truncated or broken workbook.
/// - [`SheetError::NoHeadingRow`]: an empty file, or one of blank rows only.
/// - [`SheetError::TooManyRows`], [`SheetError::TooManyColumns`], [`SheetError::CellTooLong`]:
///   past [`ROWS_MAX`], [`COLUMNS_MAX`], [`CELL_CHARS_MAX`].
///
/// ```
/// use phone_sheets::{SheetError, read};
///
/// let sheet = read(b"Name;Mobile\n\"Smith; Jo\";021 123 4567\n", Some("customers.csv"))?;
/// assert_eq!(sheet.separator, Some(';'));
/// assert_eq!(sheet.rows[0].cells, ["Smith; Jo", "021 123 4567"]);
///
/// let error = read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Some("customers.xls")).unwrap_err();
/// assert!(matches!(error, SheetError::OldOrLockedWorkbook));
/// # Ok::<(), SheetError>(())
/// ```
pub fn read(bytes: &[u8], file_name: Option<&str>) -> Result<Sheet, SheetError> {
    let _ = file_name;
    if bytes.len() > FILE_BYTES_MAX {
        Err(SheetError::FileTooLarge)
    } else if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx::read(bytes)
    } else if bytes.starts_with(OLE_MAGIC) {
        Err(SheetError::OldOrLockedWorkbook)
    } else {
        read_csv::read(bytes)
    }
}
