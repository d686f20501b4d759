//! An .xlsx workbook read into a [`Sheet`]: its first worksheet, cell by cell.

use std::{collections::BTreeMap, io::Cursor};

use calamine::{Reader, SheetType, SheetVisible, Xlsx};

use crate::{
    archive_guard, cell_text,
    error::SheetError,
    limits::ROWS_MAX,
    sheet::{self, Sheet, SheetBuilder},
};

/// Reads `bytes`, a zip archive, as a workbook.
///
/// The worksheet is read one cell at a time rather than as calamine's `Range`, which is a
/// rectangle from the first cell used to the last: one cell at A1 and one at XFD1048576 would
/// make it 17 billion cells.
///
/// # Errors
/// Those of [`archive_guard::check`], [`SheetError::DamagedWorkbook`] for a workbook calamine
/// cannot read, and whatever the rows break of [`SheetBuilder::push`]'s limits.
pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    archive_guard::check(bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(SheetError::damaged)?;
    let Some(name) = first_worksheet(workbook.sheets_metadata()) else {
        return Err(SheetError::NoHeadingRow);
    };
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(SheetError::damaged)?;
    let mut rows = SparseRows::default();
    while let Some(cell) = reader.next_cell().map_err(SheetError::damaged)? {
        let (row, column) = cell.get_position();
        rows.insert(row, column, cell_text::text(cell.get_value()))?;
    }
    let mut builder = SheetBuilder::default();
    for (row, cells) in rows.by_row {
        builder.push(excel_row(row), dense(cells))?;
    }
    builder.finish("xlsx", None)
}

/// The worksheet a person sees on opening the workbook: the first visible one (a hidden one
/// only when all are hidden). Chart sheets and macro sheets hold no rows.
fn first_worksheet(sheets: &[calamine::Sheet]) -> Option<String> {
    let worksheets = || sheets.iter().filter(|sheet| sheet.typ == SheetType::WorkSheet);
    let mut visible = worksheets().filter(|sheet| sheet.visible == SheetVisible::Visible);
    visible.next().or_else(|| worksheets().next()).map(|sheet| sheet.name.clone())
}

/// The cells as the worksheet's XML lists them, which need not be in order, kept by row.
#[derive(Debug, Default)]
struct SparseRows {
    /// Each row's cells with their columns (from 0).
    by_row: BTreeMap<u32, Vec<(u32, String)>>,
    /// How many rows have a cell with something in it: past the heading and [`ROWS_MAX`],
    /// reading stops before the rest of the sheet is held in memory.
    filled: usize,
}

impl SparseRows {
    fn insert(&mut self, row: u32, column: u32, text: String) -> Result<(), SheetError> {
        let column_index = usize::try_from(column).unwrap_or(usize::MAX);
        if text.is_empty() || !sheet::column_fits(excel_row(row), column_index, &text)? {
            return Ok(());
        }
        let cells = self.by_row.entry(row).or_default();
        let was_blank = cells.iter().all(|(_, cell)| sheet::is_blank(cell));
        let blank = sheet::is_blank(&text);
        cells.push((column, text));
        if was_blank && !blank {
            self.filled += 1;
            if self.filled > ROWS_MAX + 1 {
                return Err(SheetError::TooManyRows);
            }
        }
        Ok(())
    }
}

/// A row's cells side by side, with empty ones where the sheet has none. A cell written twice
/// keeps its last value, as Excel does.
fn dense(cells: Vec<(u32, String)>) -> Vec<String> {
    let width = cells.iter().map(|&(column, _)| column as usize + 1).max().unwrap_or(0);
    let mut dense = vec![String::new(); width];
    for (column, text) in cells {
        dense[column as usize] = text;
    }
    dense
}

/// calamine counts rows from 0; Excel from 1.
fn excel_row(row: u32) -> u32 {
    row.saturating_add(1)
}
