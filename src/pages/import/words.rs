//! The import page's words: what each column and action is called, how the file was read, and
//! where an apply is, in sentences.

use phone_model::import::{Column, ImportFile, ImportProgress, ImportState, RowAction};

/// A column's name in the mapping's choices.
pub fn column_label(column: Column) -> &'static str {
    match column {
        Column::CustomerId => "Phonedesk customer id",
        Column::ExternalReference => "Reference",
        Column::FirstName => "First name",
        Column::LastName => "Last name",
        Column::FullName => "Full name",
        Column::Mobile => "Mobile number",
        Column::Home => "Home number",
        Column::Work => "Work number",
        Column::Fax => "Fax number",
        Column::Emergency => "Emergency number",
        Column::Phone => "Number (its type from the row)",
        Column::PhoneType => "Number type",
        Column::Primary => "Primary (yes or no)",
        Column::CountryCode => "Country code",
    }
}

/// What applying a row does, in a few words.
pub fn action_label(action: RowAction) -> &'static str {
    match action {
        RowAction::Create => "New customer",
        RowAction::Add => "Adds numbers",
        RowAction::Nothing => "Nothing to do",
        RowAction::Refused => "Refused",
    }
}

/// How the file was read: "UTF-8, separated by semicolons"; "Excel workbook".
pub fn read_as(file: &ImportFile) -> String {
    let separator = match file.separator.as_deref() {
        // Only a CSV file has a separator: this is a workbook.
        None => return "Excel workbook".to_owned(),
        Some(",") => "commas".to_owned(),
        Some(";") => "semicolons".to_owned(),
        Some("\t") => "tabs".to_owned(),
        Some(other) => format!("“{other}”"),
    };
    format!("{}, separated by {separator}", file.encoding)
}

/// `1 row`, `3 rows`.
pub fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where an apply is: "120 of 400 rows done, about 2 min left".
pub fn progress(progress: &ImportProgress) -> String {
    let done = format!("{} of {} done", progress.done, count(progress.rows, "row", "rows"));
    match (progress.state, progress.seconds_left) {
        (ImportState::Running, Some(0..60)) => format!("{done}, less than a minute left"),
        (ImportState::Running, Some(seconds)) => {
            format!("{done}, about {} min left", seconds.div_ceil(60))
        }
        _ => done,
    }
}

/// What an apply that has stopped did: "2 customers created, 3 numbers added, 4 rows unchanged."
pub fn summary(progress: &ImportProgress) -> String {
    format!(
        "{} created, {} added, {} unchanged.",
        count(progress.customers_created, "customer", "customers"),
        count(progress.numbers_added, "number", "numbers"),
        count(progress.unchanged, "row", "rows"),
    )
}

/// The heading of an apply, as it runs and once it has stopped.
pub fn heading(state: ImportState) -> &'static str {
    match state {
        ImportState::Running => "Applying the file",
        ImportState::Done => "The file is applied",
        ImportState::Cancelled => "The import was cancelled",
        ImportState::Failed => "The import stopped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress_of(state: ImportState, done: u32, seconds_left: Option<u32>) -> ImportProgress {
        ImportProgress {
            import_id: "i".into(),
            state,
            rows: 400,
            done,
            customers_created: 1,
            numbers_added: 3,
            unchanged: 0,
            seconds_left,
            error: None,
        }
    }

    #[test]
    fn progress_says_rows_done_and_minutes_left() {
        let running = |done, left| progress(&progress_of(ImportState::Running, done, left));
        assert_eq!(running(120, Some(61)), "120 of 400 rows done, about 2 min left");
        assert_eq!(running(390, Some(12)), "390 of 400 rows done, less than a minute left");
        assert_eq!(running(0, None), "0 of 400 rows done");
        let done = progress_of(ImportState::Done, 400, Some(0));
        assert_eq!(progress(&done), "400 of 400 rows done");
        assert_eq!(summary(&done), "1 customer created, 3 numbers added, 0 rows unchanged.");
    }

    #[test]
    fn the_file_is_described_as_it_was_read() {
        let file = |encoding: &str, separator: Option<&str>| ImportFile {
            name: "f".into(),
            encoding: encoding.into(),
            separator: separator.map(Into::into),
            rows: 3,
        };
        assert_eq!(read_as(&file("UTF-8", Some(";"))), "UTF-8, separated by semicolons");
        assert_eq!(read_as(&file("Windows-1252", Some("\t"))), "Windows-1252, separated by tabs");
        assert_eq!(read_as(&file("xlsx", None)), "Excel workbook");
    }
}
