//! How big what we ship is, raw and compressed, as a browser downloads it.

use std::{fs, io::Write, path::Path};

use flate2::{Compression, write::GzEncoder};

use crate::{Result, root};

/// Prints the size of the release app's first load in `dist/`: html, css, js and wasm.
///
/// # Errors
/// When `dist/` cannot be read.
pub(crate) fn print_app_sizes() -> Result {
    let dist = root().join("dist");
    let mut names: Vec<String> = fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| [".wasm", ".js", ".css", ".html"].iter().any(|ext| name.ends_with(ext)))
        .collect();
    names.sort();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    print_sizes(&dist, &names, "first load")
}

/// Prints raw, gzip (level 9) and brotli (quality 11) sizes of `files` in `folder`, and their
/// total under `total_label`.
///
/// # Errors
/// When a file cannot be read.
pub(crate) fn print_sizes(folder: &Path, files: &[&str], total_label: &str) -> Result {
    let mut total = [0; 3];
    eprintln!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip -9", "brotli 11");
    for name in files {
        let bytes = fs::read(folder.join(name))?;
        let sizes = [bytes.len(), gzip(&bytes)?, brotli(&bytes)?];
        for (sum, size) in total.iter_mut().zip(sizes) {
            *sum += size;
        }
        eprintln!("{name:<44} {:>10} {:>10} {:>10}", kb(sizes[0]), kb(sizes[1]), kb(sizes[2]));
    }
    eprintln!("{total_label:<44} {:>10} {:>10} {:>10}", kb(total[0]), kb(total[1]), kb(total[2]));
    Ok(())
}

fn gzip(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn brotli(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
