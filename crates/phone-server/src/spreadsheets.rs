//! `phone-server import` and `phone-server export`: the staff app's Import page and export
//! links from the command line, through the same operations (and so the same rules, history
//! and idempotency) as the API, writing as `operator` (with the import named in the history).

use std::{
    error::Error,
    io::{IsTerminal, Write},
    sync::Arc,
    time::Duration,
};

use futures_util::StreamExt;
use phone_model::{
    Businesses, ErrorBody, Role,
    import::{ImportDecisions, ImportReport, ImportState, RowSet},
};
use phone_operations::{
    ApiError, Keys, Operations, Principal,
    imports::{ExportFormat, Upload},
};
use phone_server::config::Command;
use phone_store::Store;

/// Runs `import` or `export` on `store`.
pub fn run(store: Store, command: Command) -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let keys = Arc::new(Keys::new(store.signing_keys()?));
    let ops = Operations::local(Arc::new(store), keys);
    let operator = Principal::User {
        name: "operator".into(),
        role: Role::Editor,
        businesses: Businesses::All,
    };
    runtime.block_on(async move {
        match command {
            Command::Import { business, file, apply, accept_repairs, country_code, mapping } => {
                let upload = Upload {
                    business_id: business,
                    file_name: file
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into()),
                    bytes: std::fs::read(&file)?.into(),
                    mapping,
                    country_code: Some(country_code),
                };
                let report = ops.import_dry_run(operator.clone(), upload).await.map_err(said)?;
                print_report(&report);
                if apply {
                    apply_all(&ops, &operator, &report, accept_repairs).await?;
                }
                Ok(())
            }
            Command::Export { business, format, file } => {
                let format = ExportFormat::parse(&format).ok_or("--format is csv or xlsx")?;
                let exported = ops.export(&operator, business, format).await.map_err(said)?;
                let mut out =
                    std::fs::OpenOptions::new().write(true).create_new(true).open(&file)?;
                let mut body = exported.body.into_data_stream();
                while let Some(chunk) = body.next().await {
                    out.write_all(&chunk?)?;
                }
                out.sync_all()?;
                println!("exported to {}", file.display());
                Ok(())
            }
            _ => Ok(()),
        }
    })
}

/// What an operation's refusal says, as a line.
fn said(error: ApiError) -> Box<dyn Error> {
    match error {
        ApiError::Validation(errors) => ErrorBody::validation(&errors)
            .errors
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
        ApiError::Unfit { field, message } => format!("{field}: {message}").into(),
        ApiError::Refused(refusal) => ErrorBody::refusal(refusal).message.into(),
        ApiError::Internal(cause) | ApiError::Unavailable(cause) => cause,
    }
}

fn print_report(report: &ImportReport) {
    let file = &report.file;
    let separator = match file.separator.as_deref() {
        Some("\t") => ", tab-separated".to_owned(),
        Some(separator) => format!(", separated by {separator}"),
        None => String::new(),
    };
    println!("{}: {} rows, read as {}{separator}", file.name, file.rows, file.encoding);
    for heading in &report.headings {
        let column = heading.column.map_or("(left out)".to_owned(), |c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        });
        println!("  {:<24} {column}", heading.heading);
    }
    let counts = &report.counts;
    println!(
        "new customers {}, rows adding numbers {}, numbers to add {}, nothing to do {}, refused {}",
        counts.new_customers,
        counts.add_numbers,
        counts.new_numbers,
        counts.nothing_to_do,
        counts.refused
    );
    for found in &counts.findings {
        println!("  {:<30} {}", found.kind.label(), found.count);
    }
    for row in &report.rows {
        let action =
            serde_json::to_value(row.action).ok().and_then(|v| v.as_str().map(str::to_owned));
        println!("row {} {} ({}):", row.row, row.customer, action.unwrap_or_default());
        for finding in &row.findings {
            let cell = match (&finding.heading, &finding.written) {
                (Some(heading), Some(written)) => format!("{heading} {written:?}: "),
                _ => String::new(),
            };
            println!("  {}: {cell}{}", finding.kind.label(), finding.message);
        }
    }
}

/// Applies the dry run, every repair accepted with `accept_repairs`, and waits for it,
/// telling its progress on a terminal.
async fn apply_all(
    ops: &Operations,
    operator: &Principal,
    report: &ImportReport,
    accept_repairs: bool,
) -> Result<(), Box<dyn Error>> {
    let repaired = report.rows.iter().map(|row| row.row);
    let decisions = ImportDecisions {
        accept_repairs: if accept_repairs { RowSet::of(repaired) } else { RowSet::default() },
        skip: RowSet::default(),
    };
    let id = &report.import_id;
    ops.import_apply(operator.clone(), id, decisions).await.map_err(said)?;
    let terminal = std::io::stderr().is_terminal();
    loop {
        let progress = ops.import_progress(operator, id).map_err(said)?;
        if terminal {
            eprint!("\r{} of {} rows", progress.done, progress.rows);
        }
        if progress.state != ImportState::Running {
            if terminal {
                eprintln!();
            }
            println!(
                "applied: {} customers created, {} numbers added, {} rows unchanged",
                progress.customers_created, progress.numbers_added, progress.unchanged
            );
            return match (progress.state, progress.error) {
                (ImportState::Done, _) => Ok(()),
                (_, Some(error)) => Err(format!("the import stopped: {error}").into()),
                (state, None) => Err(format!("the import stopped: {state:?}").into()),
            };
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
