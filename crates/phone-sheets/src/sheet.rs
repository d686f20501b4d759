//! What a file holds once read, and the rules every format's rows pass through on the way in:
//! which row is the heading, which rows are left out, and the limits.

use crate::{
    error::SheetError,
    limits::{CELL_CHARS_MAX, COLUMNS_MAX, ROWS_MAX},
};

/// A spreadsheet as read: its heading row and the data rows under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The first row that is not empty, cell by cell.
    pub headings: Vec<String>,
    /// Every row under the heading row that is not empty, in order.
    pub rows: Vec<Row>,
    /// How the file's text was encoded: `"UTF-8"`, `"UTF-16LE"`, `"UTF-16BE"` or
    /// `"Windows-1252"` for CSV; `"xlsx"` for a workbook.
    pub encoding: &'static str,
    /// The CSV file's separator (`,`, `;` or tab); `None` for a workbook.
    pub separator: Option<char>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's number as Excel shows it. Empty rows left out still count, so a row's number
    /// is where the person who made the file will find it.
    pub number: u32,
    /// The cells, as written. A row may be shorter or longer than the heading row.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in `column` (counted from 0), or `""` where the row is shorter.
    ///
    /// ```
    /// let sheet = phone_sheets::read(b"Name,Mobile\nAroha\n", None)?;
    /// assert_eq!(sheet.rows[0].cell(0), "Aroha");
    /// assert_eq!(sheet.rows[0].cell(1), "");
    /// # Ok::<(), phone_sheets::SheetError>(())
    /// ```
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Rows in, in order, as each format reads them; a [`Sheet`] out.
#[derive(Debug, Default)]
pub(crate) struct SheetBuilder {
    headings: Option<Vec<String>>,
    rows: Vec<Row>,
}

impl SheetBuilder {
    /// Takes the row numbered `number`: the heading row if none came before, a data row after.
    ///
    /// # Errors
    /// [`SheetError::TooManyColumns`], [`SheetError::CellTooLong`], [`SheetError::TooManyRows`].
    pub(crate) fn push(&mut self, number: u32, mut cells: Vec<String>) -> Result<(), SheetError> {
        if cells.iter().all(|cell| is_blank(cell)) {
            return Ok(());
        }
        if cells.len() > COLUMNS_MAX {
            for (column, cell) in cells.iter().enumerate().skip(COLUMNS_MAX) {
                column_fits(number, column, cell)?;
            }
            cells.truncate(COLUMNS_MAX);
        }
        for (column, cell) in cells.iter_mut().enumerate() {
            // A byte order mark is never part of what a person typed: one that survives inside
            // a cell is the trace of files joined together, or of a BOM written twice.
            if cell.starts_with('\u{feff}') {
                cell.drain(..'\u{feff}'.len_utf8());
            }
            if cell.len() > CELL_CHARS_MAX && cell.chars().count() > CELL_CHARS_MAX {
                return Err(SheetError::CellTooLong { row: number, column: one_based(column) });
            }
        }
        if self.headings.is_none() {
            self.headings = Some(cells);
        } else if self.rows.len() == ROWS_MAX {
            return Err(SheetError::TooManyRows);
        } else {
            self.rows.push(Row { number, cells });
        }
        Ok(())
    }

    /// The sheet, once every row is in.
    ///
    /// # Errors
    /// [`SheetError::NoHeadingRow`] when no row had anything in it.
    pub(crate) fn finish(
        self,
        encoding: &'static str,
        separator: Option<char>,
    ) -> Result<Sheet, SheetError> {
        let headings = self.headings.ok_or(SheetError::NoHeadingRow)?;
        Ok(Sheet { headings, rows: self.rows, encoding, separator })
    }
}

/// Whether a cell at `column` (from 0) is kept: `true` inside [`COLUMNS_MAX`], `false` past it
/// when blank (ignored, as Excel's trailing separators and stray formatting are).
///
/// # Errors
/// [`SheetError::TooManyColumns`] for a cell past [`COLUMNS_MAX`] with something in it.
pub(crate) fn column_fits(row: u32, column: usize, cell: &str) -> Result<bool, SheetError> {
    if column < COLUMNS_MAX {
        Ok(true)
    } else if is_blank(cell) {
        Ok(false)
    } else {
        Err(SheetError::TooManyColumns { row })
    }
}

/// Blank is nothing but white space, no-break spaces included.
pub(crate) fn is_blank(cell: &str) -> bool {
    cell.chars().all(|c| c.is_whitespace() || c == '\u{feff}')
}

fn one_based(column: usize) -> u32 {
    u32::try_from(column + 1).expect("a row has at most COLUMNS_MAX cells by now")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| (*text).to_owned()).collect()
    }

    #[test]
    fn the_first_row_with_something_in_it_is_the_heading() {
        let mut builder = SheetBuilder::default();
        builder.push(1, cells(&["", " \u{a0}", "\t"])).expect("an empty row");
        builder.push(2, cells(&["Name", "Mobile"])).expect("the heading");
        builder.push(3, cells(&[])).expect("an empty row");
        builder.push(4, cells(&["Aroha", "021 123 4567", "extra"])).expect("a row");
        let sheet = builder.finish("UTF-8", Some(',')).expect("a heading");
        assert_eq!(sheet.headings, ["Name", "Mobile"]);
        assert_eq!(
            sheet.rows,
            [Row { number: 4, cells: cells(&["Aroha", "021 123 4567", "extra"]) }]
        );
    }

    #[test]
    fn no_row_with_something_in_it_is_no_heading() {
        let mut builder = SheetBuilder::default();
        builder.push(1, cells(&["  "])).expect("an empty row");
        assert!(matches!(builder.finish("xlsx", None), Err(SheetError::NoHeadingRow)));
    }

    #[test]
    fn a_cell_of_a_thousand_characters_fits_and_one_more_does_not() {
        let mut builder = SheetBuilder::default();
        // Multi-byte characters: the limit counts characters, not bytes.
        builder.push(1, vec!["é".repeat(CELL_CHARS_MAX)]).expect("at the limit");
        let error = builder.push(2, vec!["a".into(), "é".repeat(CELL_CHARS_MAX + 1)]);
        assert!(matches!(error, Err(SheetError::CellTooLong { row: 2, column: 2 })));
    }

    #[test]
    fn blank_cells_past_the_last_column_are_dropped_and_filled_ones_refused() {
        let mut builder = SheetBuilder::default();
        let mut wide = vec![String::new(); COLUMNS_MAX + 5];
        wide[0] = "Name".into();
        wide[COLUMNS_MAX + 4] = " ".into();
        builder.push(1, wide.clone()).expect("blank past the limit");
        wide[COLUMNS_MAX] = "x".into();
        let error = builder.push(7, wide);
        assert!(matches!(error, Err(SheetError::TooManyColumns { row: 7 })));
        let sheet = builder.finish("UTF-8", None).expect("a heading");
        assert_eq!(sheet.headings.len(), COLUMNS_MAX);
    }

    #[test]
    fn a_byte_order_mark_at_a_cells_start_is_dropped() {
        let mut builder = SheetBuilder::default();
        builder.push(1, cells(&["\u{feff}Name", "a\u{feff}b"])).expect("the heading");
        let sheet = builder.finish("UTF-8", None).expect("a heading");
        assert_eq!(sheet.headings, ["Name", "a\u{feff}b"]);
    }

    #[test]
    fn one_row_past_the_limit_is_refused() {
        let mut builder = SheetBuilder::default();
        builder.push(1, cells(&["n"])).expect("the heading");
        for number in 2..=u32::try_from(ROWS_MAX + 1).expect("fits") {
            builder.push(number, cells(&["x"])).expect("within the limit");
        }
        let error = builder.push(u32::MAX, cells(&["x"]));
        assert!(matches!(error, Err(SheetError::TooManyRows)));
    }
}
