//! Importing a business's customers and numbers from a spreadsheet, and exporting them
//! (Phonedesk's extension): a dry run that reports every row, an apply that runs in the
//! background with its progress, and an export streamed as CSV or `.xlsx`.

use axum::{
    Extension, Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use phone_model::{
    ErrorBody, Refusal, ValidationError,
    import::{ImportDecisions, ImportProgress, ImportReport},
};
use phone_operations::{
    ApiError, Principal,
    imports::{ExportFormat, Upload},
};

use crate::{
    AppState,
    extract::{Body, Ids, Listed, unread_body},
};

/// The business a request names (`businessId`), which it must.
fn business_id(query: &phone_operations::ListQuery) -> Result<String, ApiError> {
    match query.get("businessId").map(str::trim) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(ApiError::invalid(ValidationError::BusinessIdRequired)),
    }
}

/// Check a spreadsheet before importing it: the dry run. Nothing is written.
#[utoipa::path(
    post,
    path = "/imports",
    tag = "Import and export",
    operation_id = "importsCreate",
    params(
        ("businessId" = String, Query, description = "The business to import into: the caller must be a staff member who edits and sees it."),
        ("fileName" = Option<String>, Query, description = "The file's name, as the report shows it."),
        ("countryCode" = Option<String>, Query, description = "The country code of numbers written without one (default `+64`)."),
        ("mapping" = Option<String>, Query, description = "The column each heading is, in the headings' order, comma-separated, empty for one left out (`externalReference,firstName,lastName,mobile,,phone`). Without it, guessed from the headings' names."),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes: CSV (UTF-8 with or without BOM, UTF-16, Windows-1252; `,`, `;` or tab) or `.xlsx` (its first sheet), at most 32 MB."),
    responses(
        (status = 200, body = ImportReport, description = "Phonedesk's extension: each row judged as the API would judge its writes and against the business's customers (matched by `Customer ID`, reference, else name and number): errors, warnings, what Excel did with the repaired number, duplicates in the file, numbers stored already or shared, customers left with no primary or two; counts by kind first. Held an hour to be applied."),
        (status = 400, body = ErrorBody, description = "The file cannot be read (on `file`), or `businessId`, `mapping` or `countryCode` is missing or does not fit it."),
        (status = 403, body = ErrorBody, description = "The caller is not a staff member who edits the business."),
        (status = 404, body = ErrorBody, description = "No such business."),
        (status = 413, body = ErrorBody, description = "The file is larger than 32 MB."),
    )
)]
pub async fn imports_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Listed(query): Listed,
    request: Request,
) -> Result<Json<ImportReport>, ApiError> {
    let business_id = business_id(&query)?;
    // Refused from its declared length before a byte is read, where it says one.
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok());
    if declared
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > phone_sheets::FILE_BYTES_MAX)
    {
        return Err(ApiError::Refused(Refusal::PayloadTooLarge));
    }
    let bytes = axum::body::to_bytes(request.into_body(), phone_sheets::FILE_BYTES_MAX)
        .await
        .map_err(|error| unread_body(&error))?;
    let upload = Upload {
        business_id,
        file_name: query.get("fileName").unwrap_or("import").to_owned(),
        bytes,
        mapping: query.get("mapping").map(str::to_owned),
        country_code: query.get("countryCode").map(str::to_owned),
    };
    Ok(Json(state.ops().import_dry_run(principal, upload).await?))
}

/// Apply a dry run: its rows are written in the background, a row at a time.
#[utoipa::path(
    post,
    path = "/imports/{importId}/apply",
    tag = "Import and export",
    operation_id = "importsApply",
    params(("importId" = String, Path, description = "The dry run's `importId`.")),
    request_body(content = ImportDecisions, description = "Whose repairs are accepted and which rows are left out, as ranges of row numbers (`2-90,95`)."),
    responses(
        (status = 202, body = ImportProgress, description = "Phonedesk's extension: the apply has started (or was running: its progress). Each row's writes go through the API's rules, history and idempotency, with keys of the import, so applying the same file again adds nothing; in front of the provider, within its rate budget."),
        (status = 400, body = ErrorBody, description = "The decisions are not ranges of rows."),
        (status = 403, body = ErrorBody, description = "The caller is not a staff member: only staff import."),
        (status = 404, body = ErrorBody, description = "No such dry run is held for the caller (the server restarted: run it again with the same file, then apply: what is done is found, not written twice)."),
    )
)]
pub async fn imports_apply(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(import_id): Ids<String>,
    Body(sent): Body<ImportDecisions>,
) -> Result<Response, ApiError> {
    let progress = state.ops().import_apply(principal, &import_id, sent.read?).await?;
    Ok((StatusCode::ACCEPTED, Json(progress)).into_response())
}

/// How an apply is going.
#[utoipa::path(
    get,
    path = "/imports/{importId}",
    tag = "Import and export",
    operation_id = "importsGet",
    params(("importId" = String, Path, description = "The dry run's `importId`.")),
    responses(
        (status = 200, body = ImportProgress, description = "Phonedesk's extension: rows done of those to apply, customers made, numbers added, rows unchanged, and the time left at the pace so far."),
        (status = 403, body = ErrorBody, description = "The caller is not a staff member: only staff import."),
        (status = 404, body = ErrorBody, description = "No apply of that import is held for the caller."),
    )
)]
pub async fn imports_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(import_id): Ids<String>,
) -> Result<Json<ImportProgress>, ApiError> {
    Ok(Json(state.ops().import_progress(&principal, &import_id)?))
}

/// Cancel an apply after the row it is writing.
#[utoipa::path(
    delete,
    path = "/imports/{importId}/apply",
    tag = "Import and export",
    operation_id = "importsCancel",
    params(("importId" = String, Path, description = "The dry run's `importId`.")),
    responses(
        (status = 200, body = ImportProgress, description = "Phonedesk's extension: the apply stopped between rows: every row before is done, none after begun. Applying again goes on from there."),
        (status = 403, body = ErrorBody, description = "The caller is not a staff member: only staff import."),
        (status = 404, body = ErrorBody, description = "No apply of that import is held for the caller."),
    )
)]
pub async fn imports_cancel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(import_id): Ids<String>,
) -> Result<Json<ImportProgress>, ApiError> {
    Ok(Json(state.ops().import_cancel(&principal, &import_id).await?))
}

/// Export a business's customers and their numbers.
#[utoipa::path(
    get,
    path = "/exports",
    tag = "Import and export",
    operation_id = "exportsGet",
    params(
        ("businessId" = String, Query, description = "The business, one of the caller's."),
        ("format" = String, Query, description = "`csv` or `xlsx`."),
    ),
    responses(
        (status = 200, description = "Phonedesk's extension: a row per number (customer id, reference, names, the number as saved, its E.164 and national forms, type, primary, and the review's problems with it), streamed; in `.xlsx` every cell is text, so Excel keeps a number's `0` and `+`. Importing the file again adds nothing.", content_type = "text/csv"),
        (status = 400, body = ErrorBody, description = "`businessId` is missing, or `format` is not `csv` or `xlsx`."),
        (status = 403, body = ErrorBody, description = "The business is not one of the caller's."),
        (status = 404, body = ErrorBody, description = "No such business."),
    )
)]
pub async fn exports_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Listed(query): Listed,
) -> Result<Response, ApiError> {
    let business_id = business_id(&query)?;
    let format = query.get("format").map(str::trim).and_then(ExportFormat::parse);
    let format = format.ok_or(ApiError::invalid(ValidationError::FormatInvalid))?;
    let file = state.ops().export(&principal, business_id, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    let mut response = file.body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.format.content_type()));
    if let Ok(disposition) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
