//! Reads or writes one file, for measuring time and memory with `/usr/bin/time -v`:
//!
//! ```text
//! cargo build --release -p phone-sheets --example sheets
//! /usr/bin/time -v target/release/examples/sheets read rows-100000.csv
//! /usr/bin/time -v target/release/examples/sheets write-xlsx out.xlsx 100000
//! /usr/bin/time -v target/release/examples/sheets write-csv out.csv 100000
//! ```
//!
//! The rows written are made up as they go, so the writer's memory is all that is measured.

use std::{
    env, fs,
    fs::File,
    io::{BufWriter, Write},
    path::Path,
    process::ExitCode,
};

use phone_sheets::{CsvOut, XlsxOut};

const HEADINGS: [&str; 6] = ["Customer ID", "Reference", "First name", "Surname", "Mobile", "Home"];

fn main() -> ExitCode {
    let arguments: Vec<String> = env::args().skip(1).collect();
    let outcome = match arguments.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["read", path] => read(path),
        ["write-xlsx", path, rows] => write_xlsx(Path::new(path), count(rows)),
        ["write-csv", path, rows] => write_csv(Path::new(path), count(rows)),
        _ => Err("usage: sheets read FILE | write-xlsx FILE ROWS | write-csv FILE ROWS".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<(), Box<dyn std::error::Error>>;

fn count(rows: &str) -> u32 {
    rows.parse().expect("ROWS is a number")
}

fn read(path: &str) -> Outcome {
    let bytes = fs::read(path)?;
    let sheet = phone_sheets::read(&bytes, Some(path))?;
    let last = sheet.rows.last().map_or(0, |row| row.number);
    println!("{} rows ({}), the last numbered {last}", sheet.rows.len(), sheet.encoding);
    Ok(())
}

/// Customer `index`'s cells, as an export would have them.
fn customer(index: u32) -> [String; 6] {
    [
        format!("C{index:06}"),
        format!("REF-{}", 10_000 + index % 90_000),
        "Aroha".to_owned(),
        "Ngata".to_owned(),
        format!("+64 21 {:03} {:04}", index / 10_000 % 1_000, index % 10_000),
        format!("(09) {}-{:04}", 200 + index % 800, index % 10_000),
    ]
}

fn write_xlsx(path: &Path, rows: u32) -> Outcome {
    let mut xlsx = XlsxOut::create(path, "Customers")?;
    xlsx.row(&HEADINGS)?;
    for index in 1..=rows {
        let cells = customer(index);
        xlsx.row(&cells.each_ref().map(String::as_str))?;
    }
    xlsx.finish()?;
    Ok(())
}

fn write_csv(path: &Path, rows: u32) -> Outcome {
    let mut csv = CsvOut::new(BufWriter::new(File::create(path)?))?;
    csv.row(&HEADINGS)?;
    for index in 1..=rows {
        let cells = customer(index);
        csv.row(&cells.each_ref().map(String::as_str))?;
    }
    csv.finish()?.flush()?;
    Ok(())
}
