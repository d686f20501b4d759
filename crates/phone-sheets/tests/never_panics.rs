//! Whatever the bytes, `read` answers with a sheet or an error, and never panics; and what
//! `CsvOut` writes reads back the same.

use std::{fs, path::Path};

use phone_sheets::{CsvOut, Sheet, XlsxOut, read};
use proptest::prelude::*;

fn workbook() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbook.xlsx");
    fs::read(path).expect("the workbook fixture")
}

/// What every sheet read keeps to, whatever the file.
#[track_caller]
fn assert_well_formed(sheet: &Sheet) {
    let mut previous = 0;
    for row in &sheet.rows {
        assert!(row.number > previous, "row numbers rise: {sheet:?}");
        assert!(row.cells.iter().any(|cell| !cell.trim().is_empty()), "no empty row: {sheet:?}");
        previous = row.number;
    }
}

/// Text made of what CSV readers trip on.
fn csv_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(","),
            Just(";"),
            Just("\t"),
            Just("\""),
            Just("\"\""),
            Just("\r"),
            Just("\n"),
            Just("\r\n"),
            Just(" "),
            Just("a"),
            Just("é"),
            Just("\u{feff}"),
            Just("021 123 4567"),
        ],
        0..60,
    )
    .prop_map(|pieces| pieces.concat())
}

/// A row of cells with anything in them but NUL, which no text file has, and often what
/// CSV readers trip on.
fn row() -> impl Strategy<Value = Vec<String>> {
    let cell = prop_oneof!["[^\u{0}]{0,12}", "[,;\t\"\r\n a\u{feff}]{0,8}"];
    proptest::collection::vec(cell, 1..6)
}

fn as_strs(row: &[String]) -> Vec<&str> {
    row.iter().map(String::as_str).collect()
}

/// The rows `read` should give back for `rows` written: the blank ones left out, a BOM at a
/// cell's start dropped (see `Sheet`).
fn expected(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    let cleaned = |cell: &String| cell.strip_prefix('\u{feff}').unwrap_or(cell).to_owned();
    rows.iter()
        .filter(|row| {
            !row.iter().all(|cell| cell.chars().all(|c| c.is_whitespace() || c == '\u{feff}'))
        })
        .map(|row| row.iter().map(cleaned).collect())
        .collect()
}

proptest! {
    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(sheet) = read(&bytes, None) {
            assert_well_formed(&sheet);
        }
    }

    #[test]
    fn any_bytes_after_the_zip_magic_are_read_or_refused(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let _ = read(&[b"PK\x03\x04", &bytes[..]].concat(), None);
    }

    #[test]
    fn a_workbook_with_bytes_changed_is_read_or_refused(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = workbook();
        for (at, byte) in changes {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok(sheet) = read(&bytes, None) {
            assert_well_formed(&sheet);
        }
    }

    #[test]
    fn csv_like_text_is_read_or_refused(text in csv_text()) {
        if let Ok(sheet) = read(text.as_bytes(), None) {
            assert_well_formed(&sheet);
        }
    }

    #[test]
    fn a_csv_export_reads_back_as_written(
        heading in row(),
        rows in proptest::collection::vec(row(), 0..8),
    ) {
        let mut csv = CsvOut::new(Vec::new()).expect("in memory");
        for row in std::iter::once(&heading).chain(&rows) {
            csv.row(&as_strs(row)).expect("in memory");
        }
        let bytes = csv.finish().expect("in memory");
        let all: Vec<Vec<String>> = std::iter::once(heading).chain(rows).collect();
        let expected = expected(&all);
        match read(&bytes, None) {
            Ok(sheet) => {
                let read: Vec<Vec<String>> = std::iter::once(sheet.headings)
                    .chain(sheet.rows.into_iter().map(|row| row.cells))
                    .collect();
                prop_assert_eq!(read, expected);
            }
            Err(error) => prop_assert!(expected.is_empty(), "{error}"),
        }
    }
}

#[test]
fn an_xlsx_export_of_awkward_text_reads_back() {
    // Hand-picked cells rather than a property: each case would write a workbook to disk.
    let cells = ["a\r\nb", "tab\there", " lead", "trail ", "_x0041_", "<&>\"'", "\u{1}ctl"];
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("phone-sheets-awkward.xlsx");
    let mut xlsx = XlsxOut::create(&path, "Sheet").expect("a file");
    xlsx.row(&["heading"; 7]).expect("written");
    xlsx.row(&cells).expect("written");
    xlsx.finish().expect("saved");
    let sheet = read(&fs::read(&path).expect("the export"), None).expect("our workbook");
    assert_eq!(sheet.rows[0].cells, cells);
}
