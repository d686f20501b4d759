//! Every fixture read, cell by cell and row number by row number; the hostile ones refused.
//!
//! The small fixtures are committed in `tests/fixtures/`; the large ones are written by
//! `tests/fixtures/make.py` into the target directory the first time a test needs them.

use std::{
    fs,
    io::Cursor,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
    time::{Duration, Instant},
};

use phone_sheets::{FILE_BYTES_MAX, Sheet, SheetError, read};

/// The customers `make.py` puts in every small CSV fixture.
const CUSTOMERS: [[&str; 6]; 4] = [
    ["C001", "REF-1001", "Aroha", "Ngata", "021 123 4567", "(09) 264-5555"],
    ["C002", "REF-1002", "José", "Müller", "+64 27 555 0123", ""],
    ["C003", "REF-1003", "Begoña", "Peña", "022 345 6789", "+64 3 345 6789"],
    ["C004", "REF-1004", "Liam", "O'Brien", "0412 345 678", "(02) 9876 5432"],
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(fixtures().join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn make_py(arguments: &[&Path]) {
    let status = Command::new("python3")
        .arg(fixtures().join("make.py"))
        .args(arguments)
        .status()
        .expect("python3 runs (the fixtures' script needs it)");
    assert!(status.success(), "make.py {arguments:?}: {status}");
}

/// A large fixture, written by `make.py` once per run of this test binary.
fn large(name: &str) -> Vec<u8> {
    static DIRECTORY: OnceLock<PathBuf> = OnceLock::new();
    let directory = DIRECTORY.get_or_init(|| {
        let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("phone-sheets-large");
        make_py(&[&directory]);
        directory
    });
    fs::read(directory.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

#[track_caller]
fn read_fixture(name: &str) -> Sheet {
    read(&fixture(name), Some(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// The rows' numbers and cells, for comparing with a table.
fn rows_of(sheet: &Sheet) -> Vec<(u32, Vec<&str>)> {
    sheet
        .rows
        .iter()
        .map(|row| (row.number, row.cells.iter().map(String::as_str).collect()))
        .collect()
}

/// Asserts the rows' numbers and cells, all of them, in order.
#[track_caller]
fn assert_rows<const N: usize>(sheet: &Sheet, rows: &[(u32, [&str; N])]) {
    let expected: Vec<(u32, Vec<&str>)> =
        rows.iter().map(|(number, cells)| (*number, cells.to_vec())).collect();
    assert_eq!(rows_of(sheet), expected);
}

fn customers_at(numbers: [u32; 4]) -> Vec<(u32, [&'static str; 6])> {
    numbers.into_iter().zip(CUSTOMERS).collect()
}

/// One CSV fixture: what its reader should find besides the customers.
struct Dialect {
    file: &'static str,
    encoding: &'static str,
    separator: char,
    headings: [&'static str; 6],
    /// The customers' row numbers.
    rows: [u32; 4],
}

#[test]
fn every_csv_dialect_reads_as_the_same_customers() {
    let dialects = [
        Dialect {
            file: "utf8.csv",
            encoding: "UTF-8",
            separator: ',',
            headings: ["Customer ID", "Reference", "First name", "Surname", "Mobile", "Home phone"],
            // A blank line before C003 is row 4, left out but counted.
            rows: [2, 3, 5, 6],
        },
        Dialect {
            file: "utf8-bom.csv",
            encoding: "UTF-8",
            separator: ',',
            headings: ["Customer ID", "Reference", "First name", "Last name", "Cell", "Phone 2"],
            rows: [2, 3, 4, 5],
        },
        Dialect {
            file: "windows-1252.csv",
            encoding: "Windows-1252",
            separator: ',',
            headings: ["Customer ID", "Ref", "Given name", "Family name", "Mobile phone", "Home"],
            rows: [2, 3, 4, 5],
        },
        Dialect {
            file: "semicolon.csv",
            encoding: "UTF-8",
            separator: ';',
            headings: ["Customer ID", "Reference", "First name", "Surname", "Mobile", "Landline"],
            // Two blank lines above the heading: the heading is row 3.
            rows: [4, 5, 6, 7],
        },
        Dialect {
            file: "tab.tsv",
            encoding: "UTF-8",
            separator: '\t',
            headings: ["Customer ID", "Reference", "First Name", "Last Name", "Cell", "Home Phone"],
            rows: [2, 3, 4, 5],
        },
        Dialect {
            file: "utf16le.csv",
            encoding: "UTF-16LE",
            separator: '\t',
            headings: [
                "Customer ID",
                "Reference",
                "First name",
                "Surname",
                "Mobile number",
                "Phone 2",
            ],
            rows: [2, 3, 4, 5],
        },
    ];
    for Dialect { file, encoding, separator, headings, rows } in dialects {
        let sheet = read_fixture(file);
        assert_eq!((sheet.encoding, sheet.separator), (encoding, Some(separator)), "{file}");
        assert_eq!(sheet.headings, headings, "{file}");
        assert_rows(&sheet, &customers_at(rows));
    }
}

#[test]
fn a_tab_separated_file_is_found_by_its_tabs_not_its_name() {
    let sheet = read(&fixture("tab.tsv"), Some("customers.csv")).expect("tab-separated");
    assert_eq!(sheet.separator, Some('\t'));
    assert_rows(&sheet, &customers_at([2, 3, 4, 5]));
}

#[test]
fn a_quoted_field_keeps_its_comma_quotes_and_line_break_and_the_rows_keep_their_numbers() {
    let sheet = read_fixture("quoted-newlines.csv");
    let mut customers = customers_at([2, 3, 4, 5]);
    customers[1].1[3] = "Müller, \"Pepe\"\nGarcía";
    assert_rows(&sheet, &customers);
}

#[test]
fn numbers_excel_mangled_are_read_as_written() {
    let sheet = read_fixture("excel-mangled.csv");
    assert_eq!(sheet.encoding, "Windows-1252");
    assert_rows(
        &sheet,
        &[
            (2, ["C001", "REF-1001", "Aroha", "Ngata", "211234567", "92645555"]),
            (3, ["C002", "REF-1002", "José", "Müller", "64211234567", ""]),
            (4, ["C003", "REF-1003", "Begoña", "Peña", "6.42112E+10", "6.4211234567E+10"]),
            (5, ["C004", "REF-1004", "Liam", "O'Brien", "412345678", "61298765432"]),
            (6, ["C005", "REF-1005", "Aroha", "Ngata", "211234567.0", ""]),
            (7, ["C006", "REF-1006", "Liam", "O'Brien", "61412345678", ""]),
        ],
    );
}

#[test]
fn a_workbooks_numbers_dates_booleans_and_errors_read_as_text() {
    let sheet = read_fixture("workbook.xlsx");
    assert_eq!((sheet.encoding, sheet.separator), ("xlsx", None));
    let headings = ["Customer ID", "Reference", "First name", "Surname", "Mobile", "Home phone"];
    assert_eq!(sheet.headings[..6], headings);
    assert_eq!(sheet.headings[6..], ["Customer since", "Active", "Check"]);
    // Sheet row 4 is empty: left out, and the rows after it keep their sheet numbers. Rows end
    // at their last cell.
    let c001 = [
        "C001",
        "REF-1001",
        "Aroha",
        "Ngata",
        "211234567",
        "92645555",
        "2024-03-01",
        "TRUE",
        "#N/A",
    ];
    let c002 =
        ["C002", "REF-1002", "José", "Müller", "64211234567", "", "2024-03-01T12:00:00", "FALSE"];
    let c003 = CUSTOMERS[2];
    let c004 =
        ["C004", "REF-1004", "Liam", "O'Brien", "412345678", "(02) 9876 5432", "", "", "1.5"];
    let expected: Vec<(u32, Vec<&str>)> =
        vec![(2, c001.into()), (3, c002.into()), (5, c003.into()), (6, c004.into())];
    assert_eq!(rows_of(&sheet), expected);
}

#[test]
fn a_workbook_under_a_csv_name_is_still_a_workbook_and_the_reverse() {
    assert_eq!(
        read(&fixture("workbook.xlsx"), Some("customers.csv")).expect("xlsx").encoding,
        "xlsx"
    );
    assert_eq!(read(&fixture("utf8.csv"), Some("customers.xlsx")).expect("csv").encoding, "UTF-8");
}

#[test]
fn the_zip_bomb_is_refused_by_what_it_unpacks_to_and_quickly() {
    let bomb = fixture("zip-bomb.xlsx");
    assert!(bomb.len() < 1024 * 1024, "the bomb itself is small: {} bytes", bomb.len());
    let started = Instant::now();
    let error = read(&bomb, Some("customers.xlsx")).expect_err("a zip bomb");
    let took = started.elapsed();
    assert!(matches!(error, SheetError::UnpacksTooLarge), "{error:?}");
    assert_eq!(
        error.to_string(),
        "The workbook unpacks to more than 256 MB: it is not a spreadsheet Phonedesk can read."
    );
    // Unpacking 256 MiB of zeros takes about 1.5 s unoptimised; the margin is for a busy
    // machine, not for unpacking the whole 300 MiB and then some.
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn an_old_excel_file_is_refused_whatever_its_name() {
    for name in ["customers.xls", "customers.csv"] {
        let error = read(&fixture("not-a-sheet.xls"), Some(name)).expect_err("OLE");
        assert!(matches!(error, SheetError::OldOrLockedWorkbook), "{error:?}");
        assert!(error.to_string().contains("save it as CSV or .xlsx"), "{error}");
    }
}

#[test]
fn random_bytes_are_not_a_spreadsheet() {
    for (name, bytes) in
        [("garbage.bin", fixture("garbage.bin")), ("garbage-20mb.bin", large("garbage-20mb.bin"))]
    {
        let error = read(&bytes, Some(name)).expect_err("random bytes");
        assert!(matches!(error, SheetError::NotASpreadsheet), "{name}: {error:?}");
    }
}

#[test]
fn a_zip_that_is_no_workbook_is_not_a_spreadsheet() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).expect("a part");
    let document = zip.finish().expect("a zip").into_inner();
    let error = read(&document, Some("customers.docx")).expect_err("a Word document");
    assert!(matches!(error, SheetError::NotASpreadsheet), "{error:?}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let error = read(&vec![b'a'; FILE_BYTES_MAX + 1], None).expect_err("too large");
    assert!(matches!(error, SheetError::FileTooLarge), "{error:?}");
    assert_eq!(error.to_string(), "The file is larger than 32 MB.");
}

#[test]
fn a_long_cell_is_refused_by_its_row_and_column() {
    let text = format!("Name,Mobile\nAroha,021\n\n\"a\nb\",{}\n", "9".repeat(1_001));
    let error = read(text.as_bytes(), None).expect_err("a long cell");
    assert!(matches!(error, SheetError::CellTooLong { row: 4, column: 2 }), "{error:?}");
    assert_eq!(error.to_string(), "Row 4, column 2 is longer than 1,000 characters.");
}

#[test]
fn generated_customers_read_in_full() {
    for (name, count) in [("rows-10000.csv", 10_000), ("rows-100000.csv", 100_000)] {
        let sheet =
            read(&large(name), Some(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(sheet.rows.len(), count, "{name}");
        assert_eq!(sheet.headings[0], "Customer ID");
        for (index, row) in sheet.rows.iter().enumerate() {
            // One record a line (no field has a line break), so row n + 2 is customer n + 1.
            assert_eq!(row.number as usize, index + 2, "{name}");
            assert_eq!(row.cells.len(), 6, "{name} row {}", row.number);
            assert_eq!(row.cells[0], format!("C{:06}", index + 1), "{name}");
        }
    }
}

#[test]
fn the_committed_fixtures_are_what_make_py_writes() {
    let written = Path::new(env!("CARGO_TARGET_TMPDIR")).join("phone-sheets-committed");
    make_py(&[Path::new("--committed"), &written]);
    for entry in fs::read_dir(&written).expect("make.py wrote its files") {
        let name = entry.expect("a file").file_name().into_string().expect("a UTF-8 name");
        let made = fs::read(written.join(&name)).expect("readable");
        if name.ends_with(".xlsx") {
            // Deflate's bytes may differ between zlib builds: compare what the parts hold.
            assert_eq!(parts(&made), parts(&fixture(&name)), "{name}");
        } else {
            assert!(made == fixture(&name), "{name} differs from what make.py writes");
        }
    }
}

/// Each part's name, size and checksum, as the archive declares them.
fn parts(archive: &[u8]) -> Vec<(String, u64, u32)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(archive)).expect("a zip");
    (0..archive.len())
        .map(|index| {
            let part = archive.by_index_raw(index).expect("a part");
            (part.name().expect("a UTF-8 name").into_owned(), part.size(), part.crc32())
        })
        .collect()
}
