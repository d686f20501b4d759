//! How big what we ship is, raw and compressed, as a browser downloads it.

use std::{fs, path::Path};

use crate::{Result, compress, root};

/// One file's sizes: raw, gzip -9, brotli 11.
pub(crate) struct Sizes {
    name: String,
    bytes: [usize; 3],
}

/// The files of the release app's first load in `dist/`: html, css, js and wasm.
///
/// # Errors
/// When `dist/` cannot be read.
pub(crate) fn app_files() -> Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(root().join("dist"))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| [".wasm", ".js", ".css", ".html"].iter().any(|ext| name.ends_with(ext)))
        .collect();
    names.sort();
    Ok(names)
}

/// The files of `dist/` the sign-in page needs before a person can read it and type: the page,
/// its boot script and the CSS (not the app's JavaScript and wasm, nor the plans).
///
/// # Errors
/// When `dist/` cannot be read.
pub(crate) fn sign_in_files() -> Result<Vec<String>> {
    let mut names = app_files()?;
    names.retain(|name| !name.ends_with(".wasm") && !name.starts_with("phonedesk-"));
    Ok(names)
}

/// The sizes of the release app's first load (`app_files`), file by file.
///
/// # Errors
/// When `dist/` or one of its files cannot be read.
pub(crate) fn first_load() -> Result<Vec<Sizes>> {
    measure(&root().join("dist"), &app_files()?)
}

/// The release app's first load as a browser that accepts brotli downloads it: each file
/// brotli 11, summed, as `print_app_sizes` totals them.
///
/// # Errors
/// When `dist/` or one of its files cannot be read.
pub(crate) fn first_load_brotli() -> Result<usize> {
    Ok(total(&first_load()?)[2])
}

/// Prints the size of the release app's first load.
///
/// # Errors
/// When `dist/` cannot be read.
pub(crate) fn print_app_sizes() -> Result {
    print_sizes(&first_load()?, "first load");
    Ok(())
}

/// The sizes of the staff app's numbering plans, which it fetches after the first load
/// (`dist/` and `phone_model::plans::FILE_NAME`, as `cargo xtask` puts them there).
///
/// # Errors
/// When the file cannot be read: a `dist/` built without `cargo xtask`.
pub(crate) fn plans() -> Result<Vec<Sizes>> {
    measure(&root().join("dist"), &[phone_model::plans::FILE_NAME])
}

/// The plans as a browser that accepts brotli downloads them.
///
/// # Errors
/// As [`plans`].
pub(crate) fn plans_brotli() -> Result<usize> {
    Ok(total(&plans()?)[2])
}

/// The sizes of `files` in `folder`.
///
/// # Errors
/// When a file cannot be read.
pub(crate) fn measure(folder: &Path, files: &[impl AsRef<str>]) -> Result<Vec<Sizes>> {
    files
        .iter()
        .map(|name| {
            let bytes = fs::read(folder.join(name.as_ref()))?;
            Ok(Sizes {
                name: name.as_ref().to_owned(),
                bytes: [
                    bytes.len(),
                    compress::gzip(&bytes)?.len(),
                    compress::brotli(&bytes)?.len(),
                ],
            })
        })
        .collect()
}

/// The gzip -9 bytes of `files` in `folder`, together: each file compressed on its own, as
/// `measure` does, without the brotli 11 that takes most of `measure`'s time.
///
/// # Errors
/// When a file cannot be read.
pub(crate) fn gzip_total(folder: &Path, files: &[impl AsRef<str>]) -> Result<usize> {
    files.iter().map(|name| Ok(compress::gzip(&fs::read(folder.join(name.as_ref()))?)?.len())).sum()
}

fn total(rows: &[Sizes]) -> [usize; 3] {
    let mut sum = [0; 3];
    for row in rows {
        for (s, b) in sum.iter_mut().zip(row.bytes) {
            *s += b;
        }
    }
    sum
}

/// Prints rows and their total under `total_label`.
pub(crate) fn print_sizes(rows: &[Sizes], total_label: &str) {
    eprintln!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip -9", "brotli 11");
    for row in rows {
        let [raw, gz, br] = row.bytes;
        eprintln!("{:<44} {:>10} {:>10} {:>10}", row.name, kb(raw), kb(gz), kb(br));
    }
    let [raw, gz, br] = total(rows);
    eprintln!("{total_label:<44} {:>10} {:>10} {:>10}", kb(raw), kb(gz), kb(br));
}

/// The rows and their total as a Markdown table.
pub(crate) fn markdown(rows: &[Sizes], total_label: &str) -> String {
    let mut table =
        vec!["| file | raw | gzip -9 | brotli 11 |".to_owned(), "|---|---|---|---|".to_owned()];
    for row in rows {
        let [raw, gz, br] = row.bytes;
        table.push(format!("| {} | {} | {} | {} |", row.name, kb(raw), kb(gz), kb(br)));
    }
    let [raw, gz, br] = total(rows);
    table.push(format!("| **{total_label}** | {} | {} | {} |", kb(raw), kb(gz), kb(br)));
    table.join("\n")
}

pub(crate) fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
