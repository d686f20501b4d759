//! A CSV file read into a [`Sheet`]: its encoding and separator found, its rows numbered as
//! Excel numbers them.

use crate::{
    error::SheetError,
    separator,
    sheet::{Sheet, SheetBuilder},
    text_encoding,
};

/// Reads `bytes` as CSV (or tab-separated) text.
///
/// # Errors
/// [`SheetError::NotASpreadsheet`] for bytes that are not text (see
/// [`text_encoding::decode`]), and whatever the rows break of
/// [`SheetBuilder::push`]'s limits.
pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let (text, encoding) = text_encoding::decode(bytes).ok_or(SheetError::NotASpreadsheet)?;
    let separator = separator::detect(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::default();
    let mut builder = SheetBuilder::default();
    let mut record = csv::StringRecord::new();
    loop {
        // The reader skips empty lines before a record; Excel shows them as rows.
        let consumed = usize::try_from(reader.position().byte()).expect("an offset into text");
        let rest = text.get(consumed..).unwrap_or_default();
        let start = rest.find(|c| c != '\n' && c != '\r').map_or(text.len(), |at| consumed + at);
        let number = lines.row_at(&text, start);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(SheetError::Csv { row: number, source: error.into() }),
        }
        lines.inside_fields += record.iter().map(line_breaks).sum::<usize>();
        builder.push(number, record.iter().map(str::to_owned).collect())?;
    }
    builder.finish(encoding, Some(char::from(separator)))
}

/// Turns where a record starts into its row number: the line breaks before it, less those
/// inside quoted fields, which Excel keeps inside the cell.
#[derive(Debug, Default)]
struct LineCounter {
    /// How far into the text `breaks` has counted.
    counted_to: usize,
    /// Line breaks in the text up to `counted_to`.
    breaks: usize,
    /// Line breaks inside the fields of the records read so far.
    inside_fields: usize,
}

impl LineCounter {
    fn row_at(&mut self, text: &str, start: usize) -> u32 {
        if let Some(since) = text.get(self.counted_to..start) {
            self.breaks += line_breaks(since);
            self.counted_to = start;
        }
        let row = self.breaks.saturating_sub(self.inside_fields) + 1;
        // A file of at most FILE_BYTES_MAX bytes has fewer lines than u32::MAX.
        u32::try_from(row).unwrap_or(u32::MAX)
    }
}

/// Line breaks as the CSV reader ends records on them: `\n`, `\r\n` and a lone `\r` (old Mac
/// files) each count once.
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let feeds = bytes.iter().filter(|&&byte| byte == b'\n').count();
    let lone_returns = bytes
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        .count();
    feeds + lone_returns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Row;

    #[track_caller]
    fn assert_rows(text: &str, rows: &[(u32, &[&str])]) {
        let sheet = read(text.as_bytes()).expect("CSV");
        let read: Vec<(u32, Vec<&str>)> = sheet
            .rows
            .iter()
            .map(|Row { number, cells }| (*number, cells.iter().map(String::as_str).collect()))
            .collect();
        let expected: Vec<(u32, Vec<&str>)> =
            rows.iter().map(|(number, cells)| (*number, cells.to_vec())).collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them() {
        // Empty lines count; a quoted line break does not; any line ending does.
        assert_rows("h\n\na\n", &[(3, &["a"])]);
        assert_rows("\r\n\r\nh\r\na\r\n\r\nb", &[(4, &["a"]), (6, &["b"])]);
        assert_rows("h\n\"x\ny\r\nz\"\nb\n", &[(2, &["x\ny\r\nz"]), (3, &["b"])]);
        assert_rows("h\ra\r\rb\r", &[(2, &["a"]), (4, &["b"])]);
        assert_rows("h\n  \n,\n\"\"\nb", &[(5, &["b"])]);
        assert_rows("h\n\"a\rb\",c\nd", &[(2, &["a\rb", "c"]), (3, &["d"])]);
    }

    #[test]
    fn binary_bytes_are_not_a_spreadsheet() {
        for bytes in [&b"Name\0,Mobile"[..], b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", b"\xFF\xFEa\0\0\0"] {
            assert!(matches!(read(bytes), Err(SheetError::NotASpreadsheet)), "{bytes:?}");
        }
    }

    #[test]
    fn an_empty_file_has_no_heading_row() {
        for text in ["", "\n\r\n", " ,\t, \n"] {
            assert!(matches!(read(text.as_bytes()), Err(SheetError::NoHeadingRow)), "{text:?}");
        }
    }
}
