//! A set of a spreadsheet's rows, written as ranges (`2-90,95`).

use core::fmt;
use std::{string::String, vec::Vec};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most ranges a set may be written with: a person's decisions on a file of 200,000 rows
/// are far fewer, and a body of more is not decisions.
pub const RANGES_MAX: usize = 20_000;

/// Rows, as sorted ranges that neither overlap nor touch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowSet(Vec<(u32, u32)>);

impl RowSet {
    /// The set of `rows`, in any order.
    #[must_use]
    pub fn of(rows: impl IntoIterator<Item = u32>) -> Self {
        let mut rows: Vec<u32> = rows.into_iter().collect();
        rows.sort_unstable();
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for row in rows {
            match ranges.last_mut() {
                Some((_, end)) if row <= end.saturating_add(1) => *end = (*end).max(row),
                _ => ranges.push((row, row)),
            }
        }
        Self(ranges)
    }

    #[must_use]
    pub fn contains(&self, row: u32) -> bool {
        let at = self.0.partition_point(|(_, end)| *end < row);
        self.0.get(at).is_some_and(|(start, _)| *start <= row)
    }

    /// `2-90,95` read back.
    ///
    /// ```
    /// use phone_model::import::RowSet;
    /// let set: RowSet = "95, 2-90".parse().unwrap();
    /// assert_eq!(set.to_string(), "2-90,95");
    /// assert!(set.contains(50) && !set.contains(91));
    /// assert!("3-1".parse::<RowSet>().is_err());
    /// ```
    fn parse(text: &str) -> Result<Self, &'static str> {
        let mut rows = Vec::new();
        for (count, part) in text.split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
            if count >= RANGES_MAX {
                return Err("too many ranges");
            }
            let (start, end) = part.split_once('-').unwrap_or((part, part));
            let number = |text: &str| text.trim().parse::<u32>().map_err(|_| "not a row number");
            let (start, end) = (number(start)?, number(end)?);
            if start > end {
                return Err("a range that ends before it starts");
            }
            rows.push((start, end));
        }
        rows.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::new();
        for (start, end) in rows {
            match merged.last_mut() {
                Some((_, last)) if start <= last.saturating_add(1) => *last = (*last).max(end),
                _ => merged.push((start, end)),
            }
        }
        Ok(Self(merged))
    }
}

impl core::str::FromStr for RowSet {
    type Err = &'static str;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for RowSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (start, end)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match start == end {
                true => write!(f, "{start}")?,
                false => write!(f, "{start}-{end}")?,
            }
        }
        Ok(())
    }
}

impl Serialize for RowSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RowSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_the_fewest_ranges() {
        let set = RowSet::of([5, 2, 3, 4, 9, 10, 12, 3]);
        assert_eq!(set.to_string(), "2-5,9-10,12");
        assert_eq!(set.to_string().parse::<RowSet>(), Ok(set.clone()));
        for (row, inside) in
            [(1, false), (2, true), (6, false), (10, true), (12, true), (13, false)]
        {
            assert_eq!(set.contains(row), inside, "{row}");
        }
    }
}
