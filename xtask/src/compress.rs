//! Compression, once, at build time: `.br` (brotli, quality 11) and `.gz` (gzip -9) written
//! beside each file a browser downloads, which `phone-server` sends as they are to a browser
//! that accepts them. The sizes table measures with the same two functions.

use std::{fs, io::Write, path::Path};

use flate2::{Compression, write::GzEncoder};

use crate::Result;

/// What is worth compressing: text, wasm and the numbering plans (`bin`), not images or what is
/// compressed already.
const COMPRESSIBLE: &[&str] =
    &["html", "js", "mjs", "wasm", "css", "svg", "json", "ts", "md", "bin"];

/// `bytes` as gzip at level 9.
///
/// # Errors
/// Never in practice: the encoder writes to memory.
pub(crate) fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// `bytes` as brotli at quality 11, the highest.
///
/// # Errors
/// Never in practice: the encoder writes to memory.
pub(crate) fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// Writes `NAME.br` and `NAME.gz` beside every compressible file under `folder`, and removes
/// compressed copies whose original is gone (a previous build's hashed names).
///
/// # Errors
/// When a file cannot be read or written.
pub(crate) fn precompress(folder: &Path) -> Result {
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if extension == "br" || extension == "gz" {
            if !path.with_extension("").exists() {
                fs::remove_file(&path)?;
            }
            continue;
        }
        if !COMPRESSIBLE.contains(&extension) {
            continue;
        }
        let bytes = fs::read(&path)?;
        for (suffix, compressed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut name = path.clone().into_os_string();
            name.push(".");
            name.push(suffix);
            fs::write(name, compressed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn each_compressible_file_gets_copies_that_decode_to_it_and_stale_copies_go() {
        let folder = std::env::temp_dir().join(format!("xtask-compress-{}", std::process::id()));
        fs::create_dir_all(folder.join("embed")).unwrap();
        let script = "export const a = 1;\n".repeat(50);
        fs::write(folder.join("app-0123456789abcdef.js"), &script).unwrap();
        fs::write(folder.join("embed/index.html"), "<p>hello</p>").unwrap();
        fs::write(folder.join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
        fs::write(folder.join("old-fedcba9876543210.js.br"), "stale").unwrap();
        precompress(&folder).unwrap();

        let gz = fs::read(folder.join("app-0123456789abcdef.js.gz")).unwrap();
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut unzipped).unwrap();
        assert_eq!(unzipped, script);
        let br = fs::read(folder.join("app-0123456789abcdef.js.br")).unwrap();
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_string(&mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, script);
        assert!(br.len() < script.len() / 10, "brotli 11 compresses the repetition");
        assert!(folder.join("embed/index.html.br").exists(), "folders are walked");
        assert!(!folder.join("logo.png.br").exists(), "images are left as they are");
        assert!(!folder.join("old-fedcba9876543210.js.br").exists(), "a stale copy is removed");
        fs::remove_dir_all(folder).unwrap();
    }
}
