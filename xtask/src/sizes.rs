//! How big the built app is, raw and compressed, as a browser downloads it.

use std::{fs, io::Write, path::Path};

use flate2::{Compression, write::GzEncoder};

use crate::{Result, root};

/// Prints the size of the release app's first load in `dist/`: html, css, js and wasm.
///
/// # Errors
/// When `dist/` cannot be read.
pub(crate) fn print_app_sizes() -> Result {
    let mut total_raw = 0;
    let mut total_gzip = 0;
    let mut entries: Vec<_> = fs::read_dir(root().join("dist"))?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    eprintln!("{:<44} {:>10} {:>10}", "release app file", "raw", "gzip -9");
    for entry in entries {
        let path = entry.path();
        let counted = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("wasm" | "js")
        );
        if counted {
            let (raw, gzip) = raw_and_gzip(&path)?;
            total_raw += raw;
            total_gzip += gzip;
            let name = entry.file_name();
            eprintln!(
                "{:<44} {:>10} {:>10}",
                name.to_string_lossy(),
                kb(raw),
                kb(gzip)
            );
        }
    }
    eprintln!(
        "{:<44} {:>10} {:>10}",
        "wasm + js",
        kb(total_raw),
        kb(total_gzip)
    );
    Ok(())
}

/// A file's size, and its size gzipped at the best level.
fn raw_and_gzip(path: &Path) -> Result<(usize, usize)> {
    let bytes = fs::read(path)?;
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    gzip.write_all(&bytes)?;
    Ok((bytes.len(), gzip.finish()?.len()))
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
