//! Exports read back: what `CsvOut` and `XlsxOut` write, `read` gives back cell for cell.

use std::{
    fs,
    io::{Cursor, Read},
    path::PathBuf,
};

use phone_sheets::{CsvOut, Sheet, XlsxOut, read};

const HEADINGS: [&str; 6] = ["Customer ID", "Reference", "First name", "Surname", "Mobile", "Home"];

/// Cells that a careless writer or reader would change.
const ROWS: [[&str; 6]; 6] = [
    // Leading zeros and plus signs, which Excel turns into numbers if it can.
    ["C001", "0042", "Aroha", "Ngata", "0211234567", "+64211234567"],
    // Separators, quotes and line breaks inside a cell.
    ["C002", "a,b;c\td", "Jo \"JJ\"", "Smith, Jr", "021 123 4567\n(work)", "\"quoted\""],
    // Spaces kept, accents and macrons, characters outside the Basic Multilingual Plane.
    ["C003", "  padded  ", "Tāne", "Peña-Müller", "+61 412 345 678", "📞 09 264 5555"],
    // What looks like a formula or a number stays text.
    ["C004", "=1+1", "TRUE", "1e5", "6.42112E+10", "00"],
    // Empty cells in between and at the end.
    ["C005", "", "", "Lee", "", ""],
    // A cell at the length limit.
    ["C006", "REF", "Long", "Name", "0412 345 678", ""],
];

fn long_cell() -> String {
    "é".repeat(phone_sheets::CELL_CHARS_MAX)
}

fn rows() -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> =
        ROWS.iter().map(|row| row.iter().map(|cell| (*cell).to_owned()).collect()).collect();
    rows[5][5] = long_cell();
    rows
}

#[track_caller]
fn assert_read_back(sheet: &Sheet) {
    assert_eq!(sheet.headings, HEADINGS);
    let numbers: Vec<u32> = sheet.rows.iter().map(|row| row.number).collect();
    assert_eq!(numbers, [2, 3, 4, 5, 6, 7]);
    for (read, written) in sheet.rows.iter().zip(rows()) {
        // An xlsx row ends at its last cell with something in it.
        let mut padded = read.cells.clone();
        padded.resize(written.len(), String::new());
        assert_eq!(padded, written, "row {}", read.number);
    }
}

fn as_strs(row: &[String]) -> Vec<&str> {
    row.iter().map(String::as_str).collect()
}

#[test]
fn a_csv_export_reads_back_cell_for_cell() {
    let mut csv = CsvOut::new(Vec::new()).expect("in memory");
    csv.row(&HEADINGS).expect("in memory");
    for row in rows() {
        csv.row(&as_strs(&row)).expect("in memory");
    }
    let bytes = csv.finish().expect("in memory");
    assert!(
        bytes.starts_with("\u{feff}\"Customer ID\",\"Reference\",".as_bytes()),
        "a BOM, then quoted cells"
    );
    let sheet = read(&bytes, Some("export.csv")).expect("our own CSV");
    assert_eq!((sheet.encoding, sheet.separator), ("UTF-8", Some(',')));
    // CSV keeps every cell, trailing empty ones too.
    assert_eq!(sheet.rows[4].cells, ["C005", "", "", "Lee", "", ""]);
    assert_read_back(&sheet);
}

#[test]
fn a_csv_export_whose_heading_has_semicolons_and_tabs_is_still_read_as_commas() {
    let mut csv = CsvOut::new(Vec::new()).expect("in memory");
    csv.row(&["Mobile;Home;Work", "Notes\tmore"]).expect("in memory");
    csv.row(&["021 123 4567", "a;b"]).expect("in memory");
    let sheet = read(&csv.finish().expect("in memory"), None).expect("our own CSV");
    assert_eq!(sheet.separator, Some(','));
    assert_eq!(sheet.headings, ["Mobile;Home;Work", "Notes\tmore"]);
    assert_eq!(sheet.rows[0].cells, ["021 123 4567", "a;b"]);
}

fn export_path(name: &str) -> PathBuf {
    let directory = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("phone-sheets-exports");
    fs::create_dir_all(&directory).expect("a directory for exports");
    directory.join(name)
}

#[test]
fn an_xlsx_export_reads_back_cell_for_cell_every_cell_a_string() {
    let path = export_path("round-trip.xlsx");
    let mut xlsx = XlsxOut::create(&path, "Customers").expect("a file");
    xlsx.row(&HEADINGS).expect("written");
    for row in rows() {
        xlsx.row(&as_strs(&row)).expect("written");
    }
    xlsx.finish().expect("saved");
    let bytes = fs::read(&path).expect("the export");
    let sheet = read(&bytes, Some("export.xlsx")).expect("our own workbook");
    assert_eq!((sheet.encoding, sheet.separator), ("xlsx", None));
    assert_eq!(sheet.rows[0].cells[4], "0211234567");
    assert_eq!(sheet.rows[0].cells[5], "+64211234567");
    assert_read_back(&sheet);

    // Excel keeps a string cell as typed; a number cell would lose the 0 and the +.
    let worksheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let cells = worksheet.matches("<c ").count();
    let strings = worksheet.matches(" t=\"inlineStr\"").count();
    assert_eq!(cells, strings, "every cell a string: {worksheet}");
    assert!(worksheet.contains("<c r=\"A1\" s=\"1\""), "the heading row styled");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "style 1 is bold: {styles}");
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("<sheet name=\"Customers\""), "{workbook}");
}

#[test]
fn an_xlsx_export_of_ten_thousand_rows_reads_back_whole() {
    let path = export_path("ten-thousand.xlsx");
    let mut xlsx = XlsxOut::create(&path, "Customers").expect("a file");
    xlsx.row(&HEADINGS).expect("written");
    for index in 1..=10_000 {
        let id = format!("C{index:06}");
        let mobile = format!("021{index:07}");
        xlsx.row(&[&id, "REF", "Aroha", "Ngata", &mobile, ""]).expect("written");
    }
    xlsx.finish().expect("saved");
    let sheet = read(&fs::read(&path).expect("the export"), None).expect("our own workbook");
    assert_eq!(sheet.rows.len(), 10_000);
    let last = sheet.rows.last().expect("rows");
    assert_eq!(
        (last.number, last.cells[0].as_str(), last.cells[4].as_str()),
        (10_001, "C010000", "0210010000")
    );
}

#[test]
fn an_export_to_a_path_that_cannot_be_written_fails_at_once() {
    let path = export_path("no-such-directory/export.xlsx");
    assert!(XlsxOut::create(&path, "Customers").is_err());
}

#[test]
fn a_sheet_name_excel_refuses_is_an_error() {
    let path = export_path("bad-name.xlsx");
    for name in ["", "a/b", &"x".repeat(32)] {
        assert!(XlsxOut::create(&path, name).is_err(), "{name:?}");
    }
}

fn part(archive: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(archive)).expect("a zip");
    let mut text = String::new();
    archive.by_name(name).expect(name).read_to_string(&mut text).expect("UTF-8 XML");
    text
}
