//! Why a file could not be read, in words a person at the front desk can act on.

use std::error::Error;

use thiserror::Error;

use crate::limits::{
    CELL_CHARS_MAX, COLUMNS_MAX, FILE_BYTES_MAX, PARTS_MAX, ROWS_MAX, UNPACKED_BYTES_MAX,
};

/// Why [`read`](crate::read) refused a file. Each message is one sentence for the person who
/// chose the file; the cause underneath, where there is one, is its [`Error::source`], for the
/// logs.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SheetError {
    /// The file is over [`FILE_BYTES_MAX`].
    #[error("The file is larger than {} MB.", FILE_BYTES_MAX >> 20)]
    FileTooLarge,
    /// Neither CSV text nor an .xlsx workbook: an image, a PDF, a Word document, random bytes,
    /// or a zip archive that holds no workbook.
    #[error("The file is not a spreadsheet: save it as CSV or .xlsx.")]
    NotASpreadsheet,
    /// An Excel 97–2003 workbook (.xls), or a workbook saved with a password: both are OLE
    /// compound files, which Phonedesk does not read.
    #[error(
        "The file is an old Excel workbook (.xls) or has a password: save it as CSV or .xlsx, \
         without a password."
    )]
    OldOrLockedWorkbook,
    /// The workbook's parts unpack to more than [`UNPACKED_BYTES_MAX`]: a zip bomb, or a
    /// workbook far larger than any list of customers.
    #[error(
        "The workbook unpacks to more than {} MB: it is not a spreadsheet Phonedesk can read.",
        UNPACKED_BYTES_MAX >> 20
    )]
    UnpacksTooLarge,
    /// The workbook's archive holds more than [`PARTS_MAX`] files.
    #[error(
        "The workbook has more than {} parts: it is not a spreadsheet Phonedesk can read.",
        thousands(PARTS_MAX)
    )]
    TooManyParts,
    /// The workbook's archive or its XML is broken: a truncated upload, a file damaged on
    /// disk, or one written by a program that does not follow the format.
    #[error("The workbook is damaged or incomplete: open it in Excel and save it again.")]
    DamagedWorkbook {
        /// What the zip or workbook reader said.
        source: Box<dyn Error + Send + Sync>,
    },
    /// Every row is empty, or there is no row at all (an empty file, a workbook whose first
    /// sheet is blank).
    #[error("The file has no heading row.")]
    NoHeadingRow,
    /// More than [`ROWS_MAX`] data rows.
    #[error("The file has more than {} rows.", thousands(ROWS_MAX))]
    TooManyRows,
    /// A row fills a column past [`COLUMNS_MAX`].
    #[error("Row {row} has more than {} columns.", COLUMNS_MAX)]
    TooManyColumns {
        /// The row, numbered as Excel shows it.
        row: u32,
    },
    /// A cell holds more than [`CELL_CHARS_MAX`] characters.
    #[error("Row {row}, column {column} is longer than {} characters.", thousands(CELL_CHARS_MAX))]
    CellTooLong {
        /// The row, numbered as Excel shows it.
        row: u32,
        /// The column, counted from 1 (column A is 1).
        column: u32,
    },
    /// The CSV reader gave up on a record.
    #[error("The CSV file could not be read at row {row}: {source}.")]
    Csv {
        /// The row, numbered as Excel shows it.
        row: u32,
        /// What the CSV reader said.
        source: Box<dyn Error + Send + Sync>,
    },
}

impl SheetError {
    /// The row the error is about, numbered as Excel shows it, where it is about one row.
    ///
    /// ```
    /// use phone_sheets::{SheetError, read};
    ///
    /// let long = "x".repeat(1_001);
    /// let error = read(format!("Name\n{long}\n").as_bytes(), None).unwrap_err();
    /// assert!(matches!(error, SheetError::CellTooLong { row: 2, column: 1 }));
    /// assert_eq!(error.row(), Some(2));
    /// ```
    pub fn row(&self) -> Option<u32> {
        match self {
            Self::TooManyColumns { row }
            | Self::CellTooLong { row, .. }
            | Self::Csv { row, .. } => Some(*row),
            _ => None,
        }
    }

    pub(crate) fn damaged(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::DamagedWorkbook { source: source.into() }
    }
}

/// `200000` as `200,000`, as the messages write their numbers.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut written = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            written.push(',');
        }
        written.push(digit);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_thousands_separators() {
        for (number, written) in [(0, "0"), (999, "999"), (1_000, "1,000"), (200_000, "200,000")] {
            assert_eq!(thousands(number), written);
        }
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_messages_name_the_limits_in_plain_words() {
        let cases = [
            (SheetError::FileTooLarge, "The file is larger than 32 MB."),
            (
                SheetError::NotASpreadsheet,
                "The file is not a spreadsheet: save it as CSV or .xlsx.",
            ),
            (
                SheetError::UnpacksTooLarge,
                "The workbook unpacks to more than 256 MB: it is not a spreadsheet Phonedesk can \
                 read.",
            ),
            (
                SheetError::TooManyParts,
                "The workbook has more than 10,000 parts: it is not a spreadsheet Phonedesk can \
                 read.",
            ),
            (SheetError::NoHeadingRow, "The file has no heading row."),
            (SheetError::TooManyRows, "The file has more than 200,000 rows."),
            (SheetError::TooManyColumns { row: 4 }, "Row 4 has more than 100 columns."),
            (
                SheetError::CellTooLong { row: 12, column: 3 },
                "Row 12, column 3 is longer than 1,000 characters.",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
