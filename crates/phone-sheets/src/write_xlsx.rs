//! An export as an .xlsx workbook, written row by row as it is produced.

use std::{
    fmt,
    fs::File,
    io::{self, BufWriter, Write},
    path::Path,
};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Writes a workbook of one worksheet, one row at a time, every cell as text, the first row
/// (the heading row) in bold.
///
/// Every cell is a string cell, so Excel shows `+64211234567` and `0211234567` as they are
/// rather than as numbers without their `+` or leading 0. The worksheet is in rust_xlsxwriter's
/// constant memory mode: each row goes to a temporary file (unnamed, in the export's directory)
/// once the next one starts, so memory stays flat however many rows there are.
///
/// ```
/// use phone_sheets::XlsxOut;
///
/// let path = std::env::temp_dir().join("phone-sheets-doctest.xlsx");
/// let mut xlsx = XlsxOut::create(&path, "Customers")?;
/// xlsx.row(&["Name", "Mobile"])?;
/// xlsx.row(&["Aroha", "0211234567"])?;
/// xlsx.finish()?;
///
/// let sheet = phone_sheets::read(&std::fs::read(&path)?, None).expect("a workbook");
/// assert_eq!(sheet.rows[0].cells, ["Aroha", "0211234567"]);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct XlsxOut {
    workbook: Workbook,
    file: File,
    heading: Format,
    /// The next row's index, from 0.
    next_row: u32,
}

impl XlsxOut {
    /// Creates the file at `path` (so that a path that cannot be written fails now, not after
    /// the export) and a worksheet named `sheet_name`.
    ///
    /// # Errors
    /// When `path` cannot be created, the temporary file cannot be, or `sheet_name` is not a
    /// name Excel allows (empty, over 31 characters, or with one of `[]:*?/\`).
    pub fn create(path: &Path, sheet_name: &str) -> io::Result<Self> {
        let mut workbook = Workbook::new();
        // The rows wait in a temporary file beside the export rather than in the system's
        // temporary directory, which may be a tmpfs: in memory after all.
        if let Some(directory) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            workbook.set_tempdir(directory).map_err(into_io)?;
        }
        let worksheet = workbook.add_worksheet_with_constant_memory().map_err(into_io)?;
        // Before the file, so that a bad name leaves no empty file behind.
        worksheet.set_name(sheet_name).map_err(into_io)?;
        let file = File::create(path)?;
        Ok(Self { workbook, file, heading: Format::new().set_bold(), next_row: 0 })
    }

    /// Writes one row; the first is the heading row.
    ///
    /// # Errors
    /// Past Excel's limits: a cell over 32,767 characters, more than 16,384 cells, more than
    /// 1,048,576 rows; and when the temporary file cannot be written.
    pub fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        let worksheet = self.workbook.worksheet_from_index(0).map_err(into_io)?;
        for (column, cell) in cells.iter().enumerate() {
            let column = u16::try_from(column).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidInput, "more columns than Excel has")
            })?;
            if self.next_row == 0 {
                worksheet.write_string_with_format(self.next_row, column, *cell, &self.heading)
            } else {
                worksheet.write_string(self.next_row, column, *cell)
            }
            .map_err(into_io)?;
        }
        self.next_row += 1;
        Ok(())
    }

    /// Writes the workbook to the file.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn finish(mut self) -> io::Result<()> {
        let mut output = BufWriter::new(&self.file);
        self.workbook.save_to_writer(&mut output).map_err(into_io)?;
        output.flush()
    }
}

impl fmt::Debug for XlsxOut {
    // rust_xlsxwriter's Workbook has no Debug of its own.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("XlsxOut")
            .field("file", &self.file)
            .field("next_row", &self.next_row)
            .finish_non_exhaustive()
    }
}

fn into_io(error: XlsxError) -> io::Error {
    match error {
        XlsxError::IoError(error) => error,
        other => io::Error::other(other),
    }
}
