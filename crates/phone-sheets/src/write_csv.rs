//! An export as CSV, written row by row as it is produced.

use std::io::{self, Write};

/// Writes a CSV file one row at a time: UTF-8 with a byte order mark (without one, Excel reads
/// the file as Windows-1252 and garbles every accent), fields separated by commas and quoted
/// as RFC 4180 allows, lines ended by CRLF.
///
/// Excel still reads a field like `+64211234567` or `0211234567` as a number when it opens a
/// CSV file, dropping the `+` or the leading 0; [`XlsxOut`](crate::XlsxOut) keeps them as text.
///
/// ```
/// use phone_sheets::CsvOut;
///
/// let mut csv = CsvOut::new(Vec::new())?;
/// csv.row(&["Name", "Mobile"])?;
/// csv.row(&["Smith, Jo", "021 123 4567"])?;
/// let bytes = csv.finish()?;
/// assert_eq!(bytes, "\u{feff}\"Name\",\"Mobile\"\r\n\"Smith, Jo\",\"021 123 4567\"\r\n".as_bytes());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct CsvOut<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvOut<W> {
    /// Starts the file in `output` with the byte order mark.
    ///
    /// # Errors
    /// When writing to `output` fails.
    pub fn new(mut output: W) -> io::Result<Self> {
        output.write_all("\u{feff}".as_bytes())?;
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            // Every field in quotes, not only those with a comma: a heading like "Mobile;Home"
            // unquoted would make a reader that guesses the separator, ours among them, take
            // the file for semicolon-separated.
            .quote_style(csv::QuoteStyle::Always)
            // Rows of any length, as a sheet read in may have.
            .flexible(true)
            .from_writer(output);
        Ok(Self { writer })
    }

    /// Writes one row.
    ///
    /// # Errors
    /// When writing to the output fails.
    pub fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        self.writer.write_record(cells).map_err(io::Error::from)
    }

    /// Writes out what is buffered and gives the output back.
    ///
    /// # Errors
    /// When writing to the output fails.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|error| error.into_error())
    }
}
