//! A workbook cell's value as the text a person would type for it. Phone numbers are the
//! point: Excel stores `021 123 4567` typed without spaces as the number 211234567, which
//! calamine gives as the float `211234567.0`; it must come out as `211234567`.

use calamine::{DataRef, ExcelDateTime};

/// Floats up to this size hold every whole number exactly (2^53), so writing one without a
/// fractional part loses nothing.
const EXACT_WHOLE_MAX: f64 = 9_007_199_254_740_992.0;

/// The text of one cell.
pub(crate) fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.clone()
        }
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => float(*number),
        DataRef::Bool(true) => "TRUE".to_owned(),
        DataRef::Bool(false) => "FALSE".to_owned(),
        DataRef::DateTime(moment) => date_time(moment),
        DataRef::Error(error) => error.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A whole number without `.0`; any other as Rust's shortest form that reads back the same.
fn float(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() <= EXACT_WHOLE_MAX {
        // Exact: a whole number within 2^53 converts to i64 without rounding.
        #[expect(clippy::cast_possible_truncation, reason = "whole and within i64")]
        let whole = number as i64;
        whole.to_string()
    } else {
        number.to_string()
    }
}

/// ISO 8601: `2024-03-01`, `09:30:00`, `2024-03-01T09:30:00`, with milliseconds when there
/// are any; a duration as `PT36H0M0S`.
fn date_time(moment: &ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, milli) = moment.to_ymd_hms_milli();
    let millis = if milli == 0 { String::new() } else { format!(".{milli:03}") };
    if moment.is_duration() {
        let days = moment.as_f64().max(0.0).floor();
        let hours = days * 24.0 + f64::from(hour);
        return format!("PT{hours}H{minute}M{second}{millis}S");
    }
    let time = format!("{hour:02}:{minute:02}:{second:02}{millis}");
    let date = format!("{year:04}-{month:02}-{day:02}");
    if moment.as_f64() < 1.0 {
        // Excel's serial 0 is no date: a cell of time alone.
        time
    } else if (hour, minute, second, milli) == (0, 0, 0, 0) {
        date
    } else {
        format!("{date}T{time}")
    }
}

#[cfg(test)]
mod tests {
    use calamine::{CellErrorType, ExcelDateTimeType};

    use super::*;

    #[test]
    fn each_kind_of_value_reads_as_its_text() {
        let moment = |serial, kind| DataRef::DateTime(ExcelDateTime::new(serial, kind, false));
        let cases = [
            (DataRef::Float(64_211_234_567.0), "64211234567"),
            (DataRef::Float(211_234_567.0), "211234567"),
            (DataRef::Float(-0.0), "0"),
            (DataRef::Float(9_007_199_254_740_992.0), "9007199254740992"),
            (DataRef::Float(1.5), "1.5"),
            (DataRef::Float(0.1 + 0.2), "0.30000000000000004"),
            (DataRef::Float(1e300), &format!("1{}", "0".repeat(300))),
            (DataRef::Float(f64::NAN), "NaN"),
            (DataRef::Int(-42), "-42"),
            (DataRef::Bool(true), "TRUE"),
            (DataRef::Bool(false), "FALSE"),
            (DataRef::Error(CellErrorType::NA), "#N/A"),
            (DataRef::SharedString("0211234567"), "0211234567"),
            (DataRef::String("+64 21 123 4567".into()), "+64 21 123 4567"),
            (DataRef::DateTimeIso("2024-03-01".into()), "2024-03-01"),
            (moment(45_352.0, ExcelDateTimeType::DateTime), "2024-03-01"),
            (moment(45_352.5, ExcelDateTimeType::DateTime), "2024-03-01T12:00:00"),
            (moment(0.395_833_333_333_333_3, ExcelDateTimeType::DateTime), "09:30:00"),
            (moment(1.5, ExcelDateTimeType::TimeDelta), "PT36H0M0S"),
            (DataRef::Empty, ""),
        ];
        for (value, written) in cases {
            assert_eq!(text(&value), written, "{value:?}");
        }
    }
}
