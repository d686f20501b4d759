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
    let mut out = String::from("&[\n");
    let mut codes = Vec::new();
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
        let region = if region.is_empty() { None } else { Some(region) };
        out.push_str(&format!(
            "    Country {{ name: {name:?}, code: {code:?}, area_codes: &{extensions:?}, region: {region:?}, main: {main} }},\n"
        ));
        codes.push(code.clone());
    }
    out.push(']');
    assert!(regions.is_empty(), "{regions_source} names rows the table lacks: {regions:?}");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("countries.rs"), out).expect("OUT_DIR is writable");
    // The distinct codes, sorted by their digits as text, for a binary search.
    codes.sort_by(|a, b| a[1..].cmp(&b[1..]));
    codes.dedup();
    fs::write(Path::new(&out_dir).join("codes.rs"), format!("&{codes:?}"))
        .expect("OUT_DIR is writable");
    // Every code a number can have, `+1` to `+999`: what a stored row may hold even after the
    // provider's table dropped it.
    let every: Vec<String> = (1..=999).map(|n| format!("+{n}")).collect();
    fs::write(Path::new(&out_dir).join("every_code.rs"), format!("&{every:?}"))
        .expect("OUT_DIR is writable");
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
