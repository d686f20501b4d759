//! Importing a business's customers and numbers from a spreadsheet, and exporting them
//! (Phonedesk's extension, issue 37). The rules are the core's (`phone_model::import`); here
//! a file is read, judged against the business's customers as stored, held for its apply
//! ([`held`]), and applied through the same operations as the API's writes ([`apply`]), so
//! that the store's rules, history and idempotency, or in front of the provider its API and
//! rate budget, are the same for an import as for a request.

mod apply;
mod export;
mod held;
mod writers;

use std::time::Duration;

use bytes::Bytes;
use phone_model::{
    Businesses, CountryCode, Refusal, Role,
    import::{
        Column, HeadingUse, ImportDecisions, ImportFile, ImportProgress, ImportReport, ImportState,
        Judge, Mapping, NUMBER_COLUMNS_MAX, REPORT_ROWS_MAX, StoredCustomer,
    },
};
use phone_store::Store;

use crate::{ApiError, Operations, Principal};
pub use export::{ExportFile, ExportFormat};
use held::Held;
pub use held::Imports;

/// A file sent for a dry run, with what the person chose.
#[derive(Debug)]
pub struct Upload {
    pub business_id: String,
    pub file_name: String,
    pub bytes: Bytes,
    /// The columns, one per heading, comma-separated (`externalReference,firstName,,mobile`);
    /// `None`: guessed from the headings.
    pub mapping: Option<String>,
    /// The country code of numbers written without one (`+64` when not given).
    pub country_code: Option<String>,
}

impl Operations {
    /// The dry run: reads `upload`'s file, judges every row against the business's customers
    /// as stored, and holds it to be applied. Nothing is written.
    ///
    /// # Errors
    /// 403 for anyone but an editor who sees the business; 404 for a business that does not
    /// exist; 400 (on `file`, `mapping` or `countryCode`) for a file that cannot be read or a
    /// choice that does not fit it; 429 while as many applies as are held run.
    pub async fn import_dry_run(
        &self,
        principal: Principal,
        upload: Upload,
    ) -> Result<ImportReport, ApiError> {
        let owner = importer(&principal, &upload.business_id)?;
        // A dry run holds a file's rows and the business's customers while it runs: two at a
        // time, so that a few editors (or one script) cannot hold the server's memory.
        let _checking = self
            .imports
            .checking
            .try_acquire()
            .map_err(|_| ApiError::Refused(Refusal::TooManyRequests))?;
        let imports = std::sync::Arc::clone(&self.imports);
        self.blocking(move |store| {
            let (report, held) = dry_run(store, owner, upload)?;
            imports.hold(held).ok_or(ApiError::Refused(Refusal::TooManyRequests))?;
            Ok(report)
        })
        .await
    }

    /// Starts applying the dry run `import_id` with `decisions`: its progress so far. An
    /// apply already running goes on, and answers its progress.
    ///
    /// # Errors
    /// 404 when the dry run is not held (the server restarted: run it again, with the same
    /// file) or is another person's.
    pub async fn import_apply(
        &self,
        principal: Principal,
        import_id: &str,
        decisions: ImportDecisions,
    ) -> Result<ImportProgress, ApiError> {
        let held = self.held(&principal, import_id)?;
        let skipped = held.rows.iter().filter(|row| decisions.skip.contains(row.number)).count();
        let progress = ImportProgress {
            import_id: held.id.clone(),
            state: ImportState::Running,
            rows: u32::try_from(held.rows.len() - skipped).unwrap_or(u32::MAX),
            done: 0,
            customers_created: 0,
            numbers_added: 0,
            unchanged: 0,
            seconds_left: None,
            error: None,
        };
        if held.start(progress.clone()) {
            // Its own task: a closed tab or a dropped connection stops nothing mid-row.
            tokio::spawn(apply::run(self.clone(), principal, held, decisions));
            return Ok(progress);
        }
        Ok(held.progress().unwrap_or(progress))
    }

    /// The progress of the apply of `import_id`.
    ///
    /// # Errors
    /// 404 as for [`Operations::import_apply`], or before it was applied.
    pub fn import_progress(
        &self,
        principal: &Principal,
        import_id: &str,
    ) -> Result<ImportProgress, ApiError> {
        self.held(principal, import_id)?.progress().ok_or(ApiError::Refused(Refusal::NotFound))
    }

    /// Cancels the apply of `import_id` after the row it is writing: its progress once it has
    /// stopped (or after a few seconds, still running, if the provider holds a row up).
    ///
    /// # Errors
    /// As [`Operations::import_progress`].
    pub async fn import_cancel(
        &self,
        principal: &Principal,
        import_id: &str,
    ) -> Result<ImportProgress, ApiError> {
        let held = self.held(principal, import_id)?;
        held.cancel();
        for _ in 0..50 {
            match held.progress() {
                Some(progress) if progress.state == ImportState::Running => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Some(progress) => return Ok(progress),
                None => break,
            }
        }
        held.progress().ok_or(ApiError::Refused(Refusal::NotFound))
    }

    fn held(
        &self,
        principal: &Principal,
        import_id: &str,
    ) -> Result<std::sync::Arc<Held>, ApiError> {
        // Only staff import: anyone else has none to see.
        if !matches!(principal, Principal::User { .. }) {
            return Err(ApiError::Refused(Refusal::CustomerAccessDenied));
        }
        let owner = principal.scope();
        self.imports.get(&owner, import_id).ok_or(ApiError::Refused(Refusal::NotFound))
    }
}

/// Who may import into `business_id`: a staff member who edits and sees the business (an
/// import makes customers, as only they may). Answers their scope, which owns the import.
fn importer(principal: &Principal, business_id: &str) -> Result<String, ApiError> {
    match principal {
        Principal::User { role: Role::Editor, businesses, .. } => {
            businesses.check_new_customer(business_id).map_err(ApiError::Refused)?;
            Ok(principal.scope())
        }
        _ => Err(ApiError::Refused(Refusal::CustomerAccessDenied)),
    }
}

/// A 400 on `field`, in the contract's shape, with `message`.
fn unfit(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Unfit { field, message: message.into() }
}

fn dry_run(store: &Store, owner: String, upload: Upload) -> Result<(ImportReport, Held), ApiError> {
    let Upload { business_id, file_name, bytes, mapping, country_code } = upload;
    if store.businesses(&Businesses::only([&business_id]))?.is_empty() {
        return Err(ApiError::Refused(Refusal::NotFound));
    }
    let sheet =
        phone_sheets::read(&bytes, Some(&file_name)).map_err(|e| unfit("file", e.to_string()))?;
    let mapping = match mapping {
        None => Mapping::guess(&sheet.headings)
            .fitted(sheet.rows.iter().map(|row| row.cells.as_slice())),
        Some(chosen) => chosen_mapping(&chosen, sheet.headings.len())?,
    };
    if mapping.number_columns() > NUMBER_COLUMNS_MAX {
        let message =
            format!("At most {NUMBER_COLUMNS_MAX} columns may hold numbers: leave the others out.");
        return Err(unfit("mapping", message));
    }
    let country_code = CountryCode::new(country_code.as_deref().unwrap_or("+64"))
        .map_err(|e| unfit("countryCode", e.message()))?;
    let id = import_id(&business_id, country_code, &mapping, &bytes);
    let mut judge = Judge::new(
        &business_id,
        sheet.headings.clone(),
        mapping.clone(),
        country_code,
        stored_customers(store, &business_id)?,
    );
    let (mut rows, mut rows_unlisted) = (Vec::new(), 0);
    for row in &sheet.rows {
        let verdict = judge.judge(row.number, &row.cells, true);
        match verdict.report.findings.is_empty() {
            true => {}
            false if rows.len() < REPORT_ROWS_MAX => rows.push(verdict.report),
            false => rows_unlisted += 1,
        }
    }
    let file = ImportFile {
        name: file_name,
        encoding: sheet.encoding.into(),
        separator: sheet.separator.map(String::from),
        rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
    };
    let headings = sheet
        .headings
        .iter()
        .enumerate()
        .map(|(at, heading)| HeadingUse { heading: heading.clone(), column: mapping.column(at) })
        .collect();
    let report = ImportReport {
        import_id: id.clone(),
        business_id: business_id.clone(),
        file,
        headings,
        counts: judge.counts(),
        rows,
        rows_unlisted,
    };
    let held = Held::new(id, business_id, owner, sheet.headings, mapping, country_code, sheet.rows);
    Ok((report, held))
}

/// The mapping a person chose: one column name (or nothing) per heading.
fn chosen_mapping(chosen: &str, headings: usize) -> Result<Mapping, ApiError> {
    let columns: Result<Vec<Option<Column>>, _> = chosen
        .split(',')
        .map(|name| match name.trim() {
            "" => Ok(None),
            name => serde_json::from_value(serde_json::Value::from(name)).map(Some),
        })
        .collect();
    match columns {
        Ok(columns) if columns.len() == headings => Ok(Mapping(columns)),
        Ok(_) => Err(unfit(
            "mapping",
            format!(
                "Mapping must name a column, or none, for each of the file's {headings} headings."
            ),
        )),
        Err(_) => Err(unfit("mapping", "Mapping names a column Phonedesk does not have.")),
    }
}

/// The id of an import: the same business, country code, mapping and file always get the
/// same one, so that applying a file again writes with the same idempotency keys.
fn import_id(
    business_id: &str,
    country_code: CountryCode,
    mapping: &Mapping,
    bytes: &[u8],
) -> String {
    let mapping = serde_json::to_string(mapping).unwrap_or_default();
    let mut hasher = blake3::Hasher::new();
    for part in [business_id.as_bytes(), country_code.as_str().as_bytes(), mapping.as_bytes()] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.update(bytes);
    hasher.finalize().to_hex()[..16].to_owned()
}

/// Every customer of `business_id`, as the judge matches rows against them.
fn stored_customers(store: &Store, business_id: &str) -> Result<Vec<StoredCustomer>, ApiError> {
    let mut customers = Vec::new();
    store.each_in_roster(business_id, |entry| {
        customers.push(StoredCustomer {
            customer_id: entry.customer_id,
            first_name: entry.first_name,
            last_name: entry.last_name,
            external_reference: entry.external_reference,
            number_keys: entry.numbers.into_iter().map(|n| n.duplicate_key).collect(),
        });
        Ok::<_, ApiError>(())
    })?;
    Ok(customers)
}
