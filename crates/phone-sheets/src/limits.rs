//! How much of a file Phonedesk reads. Past any of these a file is refused with a
//! [`SheetError`](crate::SheetError), never cut short: an import that silently dropped the
//! end of a file would lose customers without anyone noticing.

/// The largest file read, in bytes: 32 MiB, room for well over [`ROWS_MAX`] customers.
pub const FILE_BYTES_MAX: usize = 32 * 1024 * 1024;

/// The most data rows (the heading row not counted) a file may have.
pub const ROWS_MAX: usize = 200_000;

/// The most columns a row may fill; empty cells past it are ignored.
pub const COLUMNS_MAX: usize = 100;

/// The most characters (Unicode scalar values) in one cell.
pub const CELL_CHARS_MAX: usize = 1_000;

/// The most bytes an .xlsx workbook's parts may unpack to, all together: 256 MiB. A workbook
/// of [`ROWS_MAX`] customers unpacks to a small part of that; a zip bomb to far more.
pub const UNPACKED_BYTES_MAX: u64 = 256 * 1024 * 1024;

/// The most parts (files in its zip archive) an .xlsx workbook may have. Excel writes a dozen
/// or so, and a few per sheet, image or chart.
pub const PARTS_MAX: usize = 10_000;
