//! Exporting a business's customers and numbers as CSV or `.xlsx`: a page of customers at a
//! time from the store, written as they come, so that 100,000 customers never sit in memory.
//! CSV goes out as it is written; a workbook is written to a temporary file first (a zip
//! cannot be sent before it is finished), in the writer's constant-memory mode, then sent.

use std::{
    borrow::Cow,
    io::{self, Read, Write},
    path::PathBuf,
};

use axum::body::Body;
use bytes::Bytes;
use phone_model::import::{
    EXPORT_HEADINGS, EXPORT_TEXT_COLUMNS, ExportedCustomer, csv_text_cell, export_row,
};
use phone_store::Store;
use tokio::sync::mpsc;

use crate::{ApiError, Operations, Principal};

/// How much is sent at a time.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// `csv` or `xlsx`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// An export on its way out.
#[derive(Debug)]
pub struct ExportFile {
    pub file_name: String,
    pub format: ExportFormat,
    pub body: Body,
}

impl Operations {
    /// Exports `business_id`'s customers, with every number, as `format`: the file, streamed.
    ///
    /// # Errors
    /// 403 for a business outside the caller's, 404 for one that does not exist.
    pub async fn export(
        &self,
        principal: &Principal,
        business_id: String,
        format: ExportFormat,
    ) -> Result<ExportFile, ApiError> {
        principal.businesses().check_new_customer(&business_id).map_err(ApiError::Refused)?;
        let wanted = business_id.clone();
        let known = self
            .small_read(move |store| {
                Ok(!store.businesses(&phone_model::Businesses::only([&wanted]))?.is_empty())
            })
            .await?;
        if !known {
            return Err(ApiError::Refused(phone_model::Refusal::NotFound));
        }
        let (sender, receiver) = mpsc::channel::<io::Result<Bytes>>(4);
        let store = std::sync::Arc::clone(self.store());
        let id = business_id.clone();
        tokio::task::spawn_blocking(move || {
            let mut out = Sender { sender, buffer: Vec::with_capacity(CHUNK) };
            let written = match format {
                ExportFormat::Csv => write_csv(&store, &id, &mut out),
                ExportFormat::Xlsx => write_xlsx(&store, &id, &mut out),
            };
            // A failure mid-file ends the download with an error, not a file cut short that
            // looks whole.
            match written.and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(error) => {
                    tracing::error!(%error, "export failed");
                    let _ = out.sender.blocking_send(Err(error));
                }
            }
        });
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async {
            receiver.recv().await.map(|chunk| (chunk, receiver))
        });
        let file_name = format!("phonedesk-{business_id}.{}", format.extension());
        Ok(ExportFile { file_name, format, body: Body::from_stream(stream) })
    }
}

/// Every number of every customer of the business, a page at a time, as rows of cells.
fn each_row(
    store: &Store,
    business_id: &str,
    mut row: impl FnMut(&[&str]) -> io::Result<()>,
) -> io::Result<()> {
    store
        .each_in_roster(business_id, |entry| {
            let customer = ExportedCustomer {
                customer_id: &entry.customer_id,
                external_reference: &entry.external_reference,
                first_name: &entry.first_name,
                last_name: &entry.last_name,
            };
            for number in &entry.numbers {
                let cells = export_row(customer, &number.number, &number.problems);
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                row(&cells)?;
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .map_err(io::Error::other)
}

fn write_csv(store: &Store, business_id: &str, out: &mut Sender) -> io::Result<()> {
    let mut csv = phone_sheets::CsvOut::new(out)?;
    csv.row(&EXPORT_HEADINGS)?;
    each_row(store, business_id, |cells| {
        // What a person typed is never a formula in Excel (an xlsx's text cells never are).
        let guarded: Vec<Cow<'_, str>> = cells
            .iter()
            .enumerate()
            .map(|(at, cell)| match EXPORT_TEXT_COLUMNS.contains(&at) {
                true => csv_text_cell(cell),
                false => Cow::Borrowed(*cell),
            })
            .collect();
        let guarded: Vec<&str> = guarded.iter().map(AsRef::as_ref).collect();
        csv.row(&guarded)
    })?;
    csv.finish().map(drop)
}

fn write_xlsx(store: &Store, business_id: &str, out: &mut Sender) -> io::Result<()> {
    let path = Temporary::new();
    let mut xlsx = phone_sheets::XlsxOut::create(&path.0, "Phone numbers")?;
    xlsx.row(&EXPORT_HEADINGS)?;
    each_row(store, business_id, |cells| xlsx.row(cells))?;
    xlsx.finish()?;
    let mut file = std::fs::File::open(&path.0)?;
    let mut chunk = vec![0; CHUNK];
    loop {
        match file.read(&mut chunk)? {
            0 => return Ok(()),
            read => out.write_all(&chunk[..read])?,
        }
    }
}

/// A temporary file's path, removed when dropped.
struct Temporary(PathBuf);

impl Temporary {
    fn new() -> Self {
        let name = format!("phonedesk-export-{:016x}.xlsx", rand::random::<u64>());
        Self(std::env::temp_dir().join(name))
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Bytes written here go out as the download's body, a chunk at a time; the writer waits
/// while the client is slow, so nothing piles up.
struct Sender {
    sender: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl Write for Sender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the download was closed"))
    }
}
