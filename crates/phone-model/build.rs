//! Turns the provider's country-code table (`data/country-codes.csv`, copied verbatim from the
//! provider) into a static Rust table, so the rules carry the data without parsing it at run time,
//! and its distinct codes into a sorted list for looking a code up. Each row takes its ISO 3166
//! region id from `data/country-regions.csv` (ours: the provider's table has none), which must
//! name every row of the table, so a row the provider adds gets a decision; the same file marks
//! `main` the row a code shared by several countries means alone (the United States for +1),
//! so that even a build with only some countries' plans knows it (a test holds it to the plans).

use std::{env, fs, path::Path};

fn main() {
    let source = "data/country-codes.csv";
    println!("cargo::rerun-if-changed={source}");
    let csv = fs::read_to_string(source).expect("the country-code table is part of the crate");
    let regions_source = "data/country-regions.csv";
    println!("cargo::rerun-if-changed={regions_source}");
    let regions = fs::read_to_string(regions_source).expect("the region ids are part of the crate");
    let mut regions: std::collections::BTreeMap<String, (String, bool)> = regions
        .lines()
        .skip(1)
        .map(|line| match split_csv_line(line).as_slice() {
            [name, region, main] if main.is_empty() || main == "main" => {
                (name.clone(), (region.clone(), main == "main"))
            }
            fields => panic!(
                "{regions_source}: expected a name, a region and main or nothing, found {fields:?}"
            ),
        })
        .collect();
    let mut rows = Vec::new();
    for (line_number, line) in csv.lines().enumerate().skip(1) {
        let fields = split_csv_line(line);
        let [name, code, extensions] = fields.as_slice() else {
            panic!("{source}:{}: expected 3 fields, found {fields:?}", line_number + 1);
        };
        assert!(
            code.starts_with('+') && code[1..].bytes().all(|b| b.is_ascii_digit()),
            "{source}:{}: bad country code {code:?}",
            line_number + 1
        );
        // The provider writes some lists as "809, -829, -849": the dashes mean nothing.
        let extensions: Vec<String> = extensions
            .split(',')
            .map(|e| e.trim().trim_start_matches('-').to_owned())
            .filter(|e| !e.is_empty())
            .collect();
        let (region, main) = regions.remove(name).unwrap_or_else(|| {
            panic!("{regions_source} does not name {name:?} (an empty id is allowed)")
        });
        assert!(
            region.is_empty()
                || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase())),
            "{regions_source}: {name:?} has {region:?}, not two capital letters"
        );
        rows.push(Row { name: name.clone(), code: code.clone(), extensions, region, main });
    }
    assert!(regions.is_empty(), "{regions_source} names rows the table lacks: {regions:?}");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |file: &str, text: String| {
        fs::write(Path::new(&out_dir).join(file), text).expect("OUT_DIR is writable");
    };
    // The distinct codes, sorted by their digits as text, for a binary search.
    let mut codes: Vec<String> = rows.iter().map(|row| row.code.clone()).collect();
    codes.sort_by(|a, b| a[1..].cmp(&b[1..]));
    codes.dedup();
    write("codes.rs", format!("&{codes:?}"));
    // The rows packed: each row's text is a place in one string (or list) of them all, so a
    // row is 8 bytes, not the 36 of five references (the embeddable module's largest data).
    let mut names = String::new();
    let mut area_codes: Vec<String> = Vec::new();
    let mut region_ids = String::new();
    let mut table = String::from("&[\n");
    for row in &rows {
        let name = (names.len(), row.name.len());
        names.push_str(&row.name);
        let code =
            codes.binary_search_by(|c| c[1..].cmp(&row.code[1..])).expect("every code is listed");
        let areas = (area_codes.len(), row.extensions.len());
        area_codes.extend(row.extensions.iter().cloned());
        let region = if row.region.is_empty() {
            NO_REGION
        } else {
            region_ids.push_str(&row.region);
            region_ids.len() / 2 - 1
        };
        assert!(region < NO_REGION || row.region.is_empty(), "too many region ids for a byte");
        let main = row.main;
        table.push_str(&format!(
            "    Country {{ name: {}, code: {}, area_codes: ({}, {}), region: {}, main: {main} }},\n",
            name_place(name),
            small(code),
            small(areas.0),
            small(areas.1),
            small(region),
        ));
    }
    table.push(']');
    write("countries.rs", table);
    write("names.rs", format!("{names:?}"));
    write("area_codes.rs", format!("&{area_codes:?}"));
    write("region_ids.rs", format!("{region_ids:?}"));
    // Every code a number can have, `+1` to `+999`: what a stored row may hold even after the
    // provider's table dropped it.
    let every: Vec<String> = (1..=999).map(|n| format!("+{n}")).collect();
    write("every_code.rs", format!("&{every:?}"));
}

/// A row of the table as read, before it is packed.
struct Row {
    name: String,
    code: String,
    extensions: Vec<String>,
    /// Empty for none.
    region: String,
    main: bool,
}

/// A row's `region` when it has none: as `NO_REGION` in `src/country.rs`.
const NO_REGION: usize = 255;

/// Where a row's name is in the names: where it starts and how long it is.
fn name_place((start, len): (usize, usize)) -> String {
    let start = u16::try_from(start).expect("the names fit in 64 KiB");
    format!("({start}_u16, {})", small(len))
}

/// An index or length that fits a byte.
fn small(n: usize) -> String {
    format!("{}_u8", u8::try_from(n).expect("fewer than 256"))
}

/// Splits one line of the provider's CSV: plain fields, or fields in double quotes that may hold
/// commas. The file has no escaped quotes.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}
