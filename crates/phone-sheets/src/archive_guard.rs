//! The zip bomb guard: a workbook's archive unpacked once, into nothing, before calamine reads
//! it. The sizes an archive declares are whatever its maker wrote, so each part is really
//! decompressed and counted, and the count stops the moment it passes the limit.

use std::io::{self, Cursor, Read};

use zip::ZipArchive;

use crate::{
    error::SheetError,
    limits::{PARTS_MAX, UNPACKED_BYTES_MAX},
};

/// Checks that `bytes`, a zip archive, is an .xlsx workbook small enough to read.
///
/// # Errors
/// - [`SheetError::TooManyParts`]: more than [`PARTS_MAX`] files in the archive.
/// - [`SheetError::UnpacksTooLarge`]: more than [`UNPACKED_BYTES_MAX`] once unpacked.
/// - [`SheetError::NotASpreadsheet`]: no workbook part (`xl/workbook.xml`): a Word document,
///   an OpenDocument spreadsheet, any other zip.
/// - [`SheetError::DamagedWorkbook`]: an archive the zip reader cannot open or unpack
///   (truncated, a bad checksum, a compression method Excel never uses, a password).
pub(crate) fn check(bytes: &[u8]) -> Result<(), SheetError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(SheetError::damaged)?;
    if archive.len() > PARTS_MAX {
        return Err(SheetError::TooManyParts);
    }
    let mut unpacked: u64 = 0;
    let mut has_workbook = false;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(SheetError::damaged)?;
        // Excel's own path; calamine finds the part through the archive's relationships, but
        // every program that writes .xlsx puts it here.
        has_workbook |= part.name_raw().eq_ignore_ascii_case(b"xl/workbook.xml");
        // One byte more than the limit allows is enough to know it is passed.
        let allowed = UNPACKED_BYTES_MAX - unpacked + 1;
        unpacked += io::copy(&mut (&mut part).take(allowed), &mut io::sink())
            .map_err(SheetError::damaged)?;
        if unpacked > UNPACKED_BYTES_MAX {
            return Err(SheetError::UnpacksTooLarge);
        }
    }
    if has_workbook { Ok(()) } else { Err(SheetError::NotASpreadsheet) }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

    use super::*;

    fn archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for (name, content) in parts {
            zip.start_file(*name, options).expect("a part");
            zip.write_all(content).expect("written");
        }
        zip.finish().expect("an archive").into_inner()
    }

    #[test]
    fn an_archive_with_a_workbook_part_passes() {
        assert!(check(&archive(&[("xl/workbook.xml", b"<workbook/>")])).is_ok());
    }

    #[test]
    fn an_archive_without_one_is_not_a_spreadsheet() {
        let document = archive(&[("word/document.xml", b"<document/>")]);
        assert!(matches!(check(&document), Err(SheetError::NotASpreadsheet)));
    }

    #[test]
    fn too_many_parts_are_refused_before_any_is_unpacked() {
        let names: Vec<String> = (0..=PARTS_MAX).map(|index| format!("p{index}")).collect();
        let parts: Vec<(&str, &[u8])> =
            names.iter().map(|name| (name.as_str(), &b""[..])).collect();
        assert!(matches!(check(&archive(&parts)), Err(SheetError::TooManyParts)));
    }

    #[test]
    fn a_truncated_archive_is_damaged() {
        let whole = archive(&[("xl/workbook.xml", b"<workbook/>")]);
        let error = check(&whole[..whole.len() - 10]);
        assert!(matches!(error, Err(SheetError::DamagedWorkbook { .. })));
    }
}
